"""One WebSocket connection: a bounded send queue and its own writer task.

A slow client never slows the room: when its queue is full it is closed with 1013 (try again later),
which makes the htmx ws extension reconnect and receive a fresh snapshot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket

log = logging.getLogger(__name__)

CLOSE_TRY_AGAIN = 1013  # the htmx ws extension reconnects on 1006, 1011, 1012 and 1013
CLOSE_SERVICE_RESTART = 1012  # the server stops (deploy, docker stop): clients reconnect to the next one
CLOSE_NORMAL = 1000
CLOSE_POLICY = 1008
CLOSE_TOO_BIG = 1009
CLOSE_REMOVED = 4001  # the facilitator removed this participant: the phone says so and does not reconnect


class Connection:
    def __init__(
        self,
        websocket: WebSocket,
        *,
        audience: str,
        locale: str,
        queue_size: int,
        participant_id: int | None = None,
        base_url: str = "",
    ) -> None:
        self.websocket = websocket
        self.base_url = base_url  # the public address links in this connection's frames use (its handshake's)
        self.audience = audience
        self.participant_id = participant_id  # phones: whose phone this is
        self.locale = locale
        self.queue: asyncio.Queue[str | None] = asyncio.Queue(maxsize=queue_size)
        self.closed = asyncio.Event()
        self.close_code = CLOSE_NORMAL
        self._writer: asyncio.Task | None = None

    def start(self) -> None:
        self._writer = asyncio.create_task(self._write(), name=f"ws-writer-{self.audience}")

    def offer(self, frame: str) -> bool:
        """Queue a frame without waiting. A full queue closes the connection so it resyncs."""
        if self.closed.is_set():
            return False
        try:
            self.queue.put_nowait(frame)
            return True
        except asyncio.QueueFull:
            self.close(CLOSE_TRY_AGAIN)
            return False

    def close(self, code: int = CLOSE_NORMAL) -> None:
        if self.closed.is_set():
            return
        self.close_code = code
        self.closed.set()
        # Wake the writer even when the queue is full.
        with contextlib.suppress(asyncio.QueueEmpty):
            while self.queue.full():
                self.queue.get_nowait()
        self.queue.put_nowait(None)

    async def _write(self) -> None:
        try:
            while True:
                frame = await self.queue.get()
                if frame is None:
                    break
                await self.websocket.send_text(frame)
        except Exception:  # the socket went away; the reader notices too
            self.closed.set()
            return
        with contextlib.suppress(Exception):
            await self.websocket.close(self.close_code)

    async def wait_closed(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._writer
