from datetime import UTC, datetime

from sqlalchemy import MetaData
from sqlmodel import SQLModel

# Stable constraint names so Alembic migrations stay the same on SQLite and PostgreSQL.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

# The largest id a record can have: PostgreSQL's INTEGER (SQLite's is larger). An id from outside beyond it cannot
# name a record, and must never reach the database (it answers such a number with an error, not "not found").
ID_MAX = 2**31 - 1


def parse_id(raw: str) -> int | None:
    """An id typed in a form or a choice ("own-12"): ASCII digits naming 1..ID_MAX, else None."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


def utcnow() -> datetime:
    """Aware UTC timestamp (SQLModel's UTCDateTime stores it the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC)
