"""Hardening tests run the real app on SQLite and on PostgreSQL (with TEST_DATABASE_URL): the two refuse different
inputs (PostgreSQL refuses NUL in text and integers above 2^31 - 1), and neither may turn them into a 500."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from app.main import create_app
from tests.conftest import make_settings


@pytest.fixture
async def any_app(tmp_path: Path, database_url: str):
    application = create_app(make_settings(tmp_path, database_url))
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def any_client(any_app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=any_app, raise_app_exceptions=False),
        base_url="http://testserver",
        follow_redirects=False,
    ) as c:
        yield c
