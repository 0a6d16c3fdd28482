"""Async engine and the session dependency. SQLite gets WAL, busy_timeout and BEGIN IMMEDIATE for writes."""

from __future__ import annotations

from collections.abc import AsyncIterator

from sqlalchemy import event
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Seconds a writing request waits in line for the database before it is answered 503 (try again shortly): under a
# burst the writers queue in order; a request that would wait longer is told to come back instead of timing out.
WRITE_WAIT = 10.0


class Database:
    """The app's engines. `reader` for GETs and the fan-out, `writer` for requests that change data.

    On SQLite the writer has an engine of its own with ONE pooled connection whose transactions start with
    BEGIN IMMEDIATE: writers wait for it in first-come-first-served order (an asyncio queue) instead of
    spinning in SQLite's busy handler, where newcomers overtake the ones that waited longest; and two writers
    never deadlock on a lock upgrade. Readers use deferred transactions and run beside the writer thanks to WAL.
    On PostgreSQL both use one pooled engine.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            self.engine: AsyncEngine = create_async_engine(url, connect_args={"timeout": 30})
            write_engine = create_async_engine(
                url, connect_args={"timeout": WRITE_WAIT}, pool_size=1, max_overflow=0, pool_timeout=WRITE_WAIT
            )
            for engine in (self.engine, write_engine):
                _configure_sqlite(engine)
            self._own_write_engine: AsyncEngine | None = write_engine
            self.write_engine = write_engine.execution_options(begin_immediate=True)
        else:
            self.engine = create_async_engine(
                url, pool_size=10, max_overflow=20, pool_pre_ping=True, pool_timeout=WRITE_WAIT
            )
            self._own_write_engine = None
            self.write_engine = self.engine
        self.reader = async_sessionmaker(self.engine, expire_on_commit=False)
        self.writer = async_sessionmaker(self.write_engine, expire_on_commit=False)

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self._own_write_engine is not None:
            await self._own_write_engine.dispose()


def _configure_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        # Let SQLAlchemy emit BEGIN itself (see _on_begin) instead of the driver's implicit one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(WRITE_WAIT * 1000)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn):  # type: ignore[no-untyped-def]
        if conn.get_execution_options().get("begin_immediate"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def is_transient(error: BaseException) -> bool:
    """A database error that a retry a moment later may not meet: no connection free in time, a lost or locked
    connection, a serialization failure. Not a broken rule (IntegrityError) or a bad statement."""
    if isinstance(error, sa_exc.TimeoutError):  # waited WRITE_WAIT for a connection
        return True
    if isinstance(error, sa_exc.DBAPIError):
        return error.connection_invalidated or isinstance(error, sa_exc.OperationalError | sa_exc.InterfaceError)
    return False


async def session_for(db: Database, method: str) -> AsyncIterator[AsyncSession]:
    maker = db.reader if method in SAFE_METHODS else db.writer
    async with maker() as session:
        yield session
