"""Shared fixtures: real databases (SQLite always, PostgreSQL with TEST_DATABASE_URL), the ASGI app, a live server."""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import shutil
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from alembic import command
from sqlalchemy import text

from app.config import Settings
from app.db import Database
from app.main import create_app
from app.migrations_check import alembic_config

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
PASSWORD = "correct horse battery staple"

_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # CI sets REQUIRE_NO_SKIPS=1: PostgreSQL, Redis and Chromium are there, so nothing may be skipped.
    if os.environ.get("REQUIRE_NO_SKIPS") == "1" and _skipped:
        print(f"\nREQUIRE_NO_SKIPS=1 but {len(_skipped)} tests were skipped: {_skipped[:5]}")
        session.exitstatus = 1


def requires(env_value: str, what: str) -> None:
    if not env_value:
        pytest.skip(f"{what} not set")


def migrate(url: str) -> None:
    config = alembic_config()
    config.set_main_option("sqlalchemy.url", url)
    config.attributes["configure_logger"] = False
    command.upgrade(config, "head")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (fast, and the real migrations are what is tested)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_migrated() -> str:
    requires(TEST_DATABASE_URL, "TEST_DATABASE_URL")
    _reset_postgres(TEST_DATABASE_URL)
    migrate(TEST_DATABASE_URL)
    return TEST_DATABASE_URL


def _reset_postgres(url: str) -> None:
    async def reset() -> None:
        db = Database(url)
        async with db.engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
        await db.dispose()

    asyncio.run(reset())


TABLES = ["answer", "participant", "board_link", "step", "party", "workshop", "facilitator_session", "facilitator"]


def _truncate_postgres(url: str) -> None:
    async def truncate() -> None:
        db = Database(url)
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        await db.dispose()

    asyncio.run(truncate())


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """Parametrised: every test using it runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite+aiosqlite:///{path}"
    url = request.getfixturevalue("postgres_migrated")
    _truncate_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator:
    """A write session (BEGIN IMMEDIATE on SQLite) on each database backend."""
    database = Database(database_url)
    async with database.writer() as session:
        yield session
    await database.dispose()


def make_settings(tmp_path: Path, database_url: str, **overrides) -> Settings:
    values = dict(
        data_dir=tmp_path / "data",
        database_url=database_url,
        redis_url="",
        secret_key=secrets.token_urlsafe(48),
        base_url="http://testserver",
        coalesce_window=0.01,
        login_rate_limit="1000/minute",
    )
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
async def app(tmp_path: Path, sqlite_url: str):
    application = create_app(make_settings(tmp_path, sqlite_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver", follow_redirects=False
    ) as c:
        yield c


async def new_client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


def csrf_of(client: httpx.AsyncClient | httpx.Client) -> str:
    return client.cookies.get("olive_csrf") or ""


async def post(client: httpx.AsyncClient, url: str, data: dict | None = None, **kwargs) -> httpx.Response:
    """POST a form like a browser: it first loads a page (to get the CSRF cookie), then sends the token."""
    if not csrf_of(client):
        await client.get("/")
    return await client.post(url, data={**(data or {}), "csrf_token": csrf_of(client)}, **kwargs)


async def login_new_facilitator(client: httpx.AsyncClient, email: str = "anna@example.nl") -> None:
    response = await post(client, "/setup", {"email": email, "name": "Anna", "password": PASSWORD})
    if response.status_code == 422:  # already set up: add via the first account is not possible here, so log in
        response = await post(client, "/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303, response.text


async def create_started_workshop(client: httpx.AsyncClient, title: str = "Warmtenet Noord") -> tuple[int, str]:
    response = await post(client, "/workshops", {"title": title, "method": "leer-elkaar-kennen"})
    assert response.status_code == 303
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    response = await post(client, f"/workshops/{workshop_id}/start")
    assert response.status_code == 303
    page = (await client.get(f"/workshops/{workshop_id}")).text
    code = re.search(r'class="join-code-small">([A-Z0-9]{6})<', page).group(1)
    return workshop_id, code


async def join_phone(client: httpx.AsyncClient, code: str, party: str, name: str = "") -> int:
    """Join as the named party; returns the workshop id."""
    page = (await client.get(f"/j/{code}")).text
    party_id = re.search(rf'name="party_id" value="(\d+)"[^>]*>\s*<span>{party}</span>', page).group(1)
    response = await post(client, f"/j/{code}", {"party_id": party_id, "display_name": name, "speaks_for": "self"})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def idempotency_key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]+)"', html).group(1)


def current_step_id_of(html: str) -> str:
    return re.search(r'name="step_id" value="(\d+)"', html).group(1)


# --- A real uvicorn server in a thread, for WebSocket and browser tests -----------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    def __init__(self, settings: Settings, port: int) -> None:
        self.settings = settings
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=port,
            log_level=__import__("os").environ.get("LIVE_LOG", "warning"),
            ws_max_size=65536,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("live server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture
def live_server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    port = free_port()
    server = LiveServer(make_settings(tmp_path, sqlite_url, base_url=f"http://127.0.0.1:{port}"), port).start()
    yield server
    server.stop()
