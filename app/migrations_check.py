"""Refuse to serve on a database that is behind the latest Alembic revision."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

ROOT = Path(__file__).resolve().parent.parent


class DatabaseNotMigrated(RuntimeError):
    pass


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def ensure_database_current(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        current = await connection.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())
    head = head_revision()
    if current != head:
        raise DatabaseNotMigrated(
            f"The database is at revision {current or 'none'}, the code needs {head}. "
            "Run `make migrate` (or `.venv/bin/alembic upgrade head`) before starting the server."
        )
