"""Rendered downloads of final reports, kept per process.

A final report never changes, so its PDF (or DOCX, XLSX) is rendered once: when a workshop closes and sixty phones
ask for the report at the same moment, they wait for one render instead of queueing sixty (about 1.5 s of CPU each).
Requests that arrive while a render runs wait for that render (single flight). The render runs as its own task, so
a requester that goes away does not cancel it for the others. A failed render is forgotten, so the next request
tries again. The cache is small and forgets the least recently used report first.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable


class FinalReportCache:
    def __init__(self, max_entries: int = 32) -> None:
        self.max_entries = max_entries
        self.renders = 0  # how many renders were started (tests and benchmarks read it)
        self._entries: OrderedDict[Hashable, asyncio.Task[bytes]] = OrderedDict()

    async def get(self, key: Hashable, render: Callable[[], Awaitable[bytes]]) -> bytes:
        """The bytes for `key`, rendering them with `render` only when no render for it is kept or running."""
        task = self._entries.get(key)
        if task is None:
            task = asyncio.ensure_future(render())
            self.renders += 1
            self._entries[key] = task
            task.add_done_callback(lambda done: self._forget_failed(key, done))
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return await asyncio.shield(task)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def _forget_failed(self, key: Hashable, task: asyncio.Task[bytes]) -> None:
        if (task.cancelled() or task.exception() is not None) and self._entries.get(key) is task:
            del self._entries[key]
