"""Export tests render a report built in a real database; the formats do not depend on which one (SQLite)."""

from collections.abc import AsyncIterator

import pytest

from app.db import Database


@pytest.fixture
async def sqlite_db(sqlite_url: str) -> AsyncIterator:
    database = Database(sqlite_url)
    async with database.writer() as session:
        yield session
    await database.dispose()
