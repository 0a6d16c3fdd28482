"""Liveness (/healthz) and readiness (/readyz): readiness queries the database and pings Redis when configured."""

from __future__ import annotations

import asyncio
import secrets
import shutil
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from app.main import create_app
from tests.conftest import TEST_DATABASE_URL, TEST_REDIS_URL, make_settings, migrate, requires


async def test_liveness_and_readiness(client: httpx.AsyncClient) -> None:
    live = await client.get("/healthz")
    assert live.status_code == 200 and live.text == "ok"
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok"}


async def test_readiness_pings_redis_when_configured(tmp_path: Path, sqlite_url: str) -> None:
    requires(TEST_REDIS_URL, "TEST_REDIS_URL")
    app = create_app(make_settings(tmp_path, sqlite_url, redis_url=TEST_REDIS_URL, hub_namespace="readyz-test"))
    async with app.router.lifespan_context(app), _client(app) as client:
        ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": "ok", "redis": "ok"}


async def test_not_ready_when_the_sqlite_file_is_gone(tmp_path: Path, sqlite_template: Path) -> None:
    folder = tmp_path / "disk"
    folder.mkdir()
    shutil.copy(sqlite_template, folder / "app.db")
    app = create_app(make_settings(tmp_path, f"sqlite+aiosqlite:///{folder / 'app.db'}"))
    async with app.router.lifespan_context(app), _client(app) as client:
        assert (await client.get("/readyz")).status_code == 200
        # The disk goes away: pooled connections are dropped and a new one cannot open the file.
        await app.state.db.engine.dispose()
        shutil.rmtree(folder)
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json() == {"status": "not ready", "database": "unreachable"}
        assert (await client.get("/healthz")).status_code == 200  # alive all the same: no restart needed


async def test_not_ready_when_the_postgresql_database_is_gone(tmp_path: Path) -> None:
    """A real PostgreSQL database the app runs on is dropped under it (connections terminated): 503."""
    requires(TEST_DATABASE_URL, "TEST_DATABASE_URL")
    name = f"readyz_{secrets.token_hex(4)}"
    admin = create_async_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    parts = urlsplit(TEST_DATABASE_URL)
    url = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        await asyncio.to_thread(migrate, url)  # alembic runs its own event loop
        app = create_app(make_settings(tmp_path, url))
        async with app.router.lifespan_context(app), _client(app) as client:
            assert (await client.get("/readyz")).status_code == 200
            async with admin.connect() as conn:
                await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.json() == {"status": "not ready", "database": "unreachable"}
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
