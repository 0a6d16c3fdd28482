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


def utcnow() -> datetime:
    """Aware UTC timestamp (SQLModel's UTCDateTime stores it the same way on SQLite and PostgreSQL)."""
    return datetime.now(UTC)
