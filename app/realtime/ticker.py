"""The timer ticker: about once a second, end the timers whose time is up and publish what that changed.

Every worker runs one. The service's conditional UPDATE makes sure each expired timer is ended by exactly one of
them; the others find nothing. A quick read comes first, so an idle tick never takes SQLite's write lock.
"""

from __future__ import annotations

import asyncio
import logging

from app.db import Database
from app.realtime.hub import Hub
from app.services import clock, timer

log = logging.getLogger(__name__)


class Ticker:
    def __init__(self, *, db: Database, hub: Hub, interval: float) -> None:
        self.db = db
        self.hub = hub
        self.interval = interval
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="timer-ticker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    async def tick(self) -> int:
        """One round; returns the number of events published."""
        now = clock.now()
        async with self.db.reader() as db:
            if not await timer.any_expired(db, now=now):
                return 0
        async with self.db.writer() as db:
            events = await timer.close_expired_timers(db, now=now)
        await self.hub.publish_all(events)  # after the commit
        return len(events)

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a failed round (database restarting, ...) must not stop the ticker
                log.exception("timer tick failed")
            await asyncio.sleep(self.interval)
