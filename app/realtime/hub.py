"""Publish/subscribe between processes. One interface, two backends: in-process memory and Redis pub/sub.

The hub only moves small event messages; the fan-out renders them. Pub/sub is fire-and-forget: a client that
missed something resyncs from the database snapshot it gets on every (re)connect.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable

from app.services.events import Event

log = logging.getLogger(__name__)

EventHandler = Callable[[Event], None]
ResyncHandler = Callable[[], None]


class Hub:
    """Memory backend: events reach the subscribers in this process only (one uvicorn worker)."""

    def __init__(self) -> None:
        self.on_event: EventHandler = lambda event: None
        self.on_resync: ResyncHandler = lambda: None
        self._subscribed: set[int] = set()

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def ping(self) -> None:
        """Raise when the hub cannot deliver events (readiness). The memory hub always can."""
        return None

    async def subscribe(self, workshop_id: int) -> None:
        self._subscribed.add(workshop_id)

    async def unsubscribe(self, workshop_id: int) -> None:
        self._subscribed.discard(workshop_id)

    async def publish(self, event: Event) -> None:
        self._deliver(event)

    async def publish_all(self, events: list[Event]) -> None:
        for event in events:
            await self.publish(event)

    def _deliver(self, event: Event) -> None:
        if event.workshop_id in self._subscribed:
            try:
                self.on_event(event)
            except Exception:  # a broken handler must not break the publisher
                log.exception("event handler failed")


class RedisHub(Hub):
    """Redis backend: every process subscribes to the channels of the workshops it serves."""

    def __init__(self, url: str, namespace: str = "olive") -> None:
        super().__init__()
        self.url = url
        self.namespace = namespace
        self.control_channel = f"{namespace}:control"
        self._redis = None
        self._pubsub = None
        self._reader: asyncio.Task | None = None
        self._ready = asyncio.Event()

    async def start(self) -> None:
        import redis.asyncio as redis

        # Named connections make the hub easy to spot in `CLIENT LIST`.
        self._redis = redis.from_url(self.url, health_check_interval=15, client_name=f"{self.namespace}-hub")
        await self._redis.ping()
        await self._open_pubsub()
        self._reader = asyncio.create_task(self._read_forever(), name="redis-hub-reader")

    async def _open_pubsub(self) -> None:
        self._pubsub = self._redis.pubsub(ignore_subscribe_messages=True)
        # Always subscribed to something, so reading never returns early.
        await self._pubsub.subscribe(self.control_channel, *(self._channel(w) for w in self._subscribed))
        self._ready.set()

    def _channel(self, workshop_id: int) -> str:
        return f"{self.namespace}:workshop:{workshop_id}"

    async def stop(self) -> None:
        if self._reader:
            self._reader.cancel()
            try:
                await self._reader
            except (asyncio.CancelledError, Exception):  # noqa: S110
                pass
        if self._pubsub is not None:
            await self._pubsub.aclose()
        if self._redis is not None:
            await self._redis.aclose()

    async def ping(self) -> None:
        await self._redis.ping()

    async def subscribe(self, workshop_id: int) -> None:
        if workshop_id in self._subscribed:
            return
        self._subscribed.add(workshop_id)
        if self._ready.is_set():
            try:
                await self._pubsub.subscribe(self._channel(workshop_id))
            except Exception:
                log.warning("redis subscribe failed; the reader will resubscribe on reconnect")

    async def unsubscribe(self, workshop_id: int) -> None:
        if workshop_id not in self._subscribed:
            return
        self._subscribed.discard(workshop_id)
        if self._ready.is_set():
            try:
                await self._pubsub.unsubscribe(self._channel(workshop_id))
            except Exception:
                log.warning("redis unsubscribe failed")

    async def publish(self, event: Event) -> None:
        try:
            await self._redis.publish(self._channel(event.workshop_id), json.dumps(event.to_dict()))
        except Exception:
            # The write is committed; at least this process's clients see it. Others resync on reconnect.
            log.warning("redis publish failed; delivering locally only", exc_info=True)
            self._deliver(event)

    async def _read_forever(self) -> None:
        backoff = 0.5
        while True:
            try:
                message = await self._pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                backoff = 0.5
                if message is None or message.get("type") != "message":
                    continue
                try:
                    event = Event.from_dict(json.loads(message["data"]))
                except (ValueError, KeyError, TypeError):
                    log.warning("ignoring malformed hub message")
                    continue
                self._deliver(event)
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("redis hub connection lost; reconnecting in %.1fs", backoff)
                self._ready.clear()
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 10.0)
                try:
                    await self._pubsub.aclose()
                except Exception:  # noqa: S110
                    pass
                try:
                    await self._open_pubsub()
                    # Events may have been missed while disconnected: every room resends its state.
                    self.on_resync()
                except Exception:
                    log.warning("redis reconnect failed")


def create_hub(redis_url: str, namespace: str = "olive") -> Hub:
    return RedisHub(redis_url, namespace) if redis_url else Hub()
