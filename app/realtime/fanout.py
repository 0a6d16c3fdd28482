"""Event -> fragments per audience, rendered once per (audience, language) and queued to every connection.

Bursts are coalesced: the first event of a room schedules a flush after a short window; events arriving
meanwhile only widen the set of regions to re-render. Each flush reads the room state once from the database.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import use_locale
from app.realtime.connections import CLOSE_REMOVED, Connection
from app.realtime.hub import Hub
from app.services.events import Event, EventKind
from app.services.rooms import RoomState, load_room
from app.templating import render

log = logging.getLogger(__name__)

BOARD, PHONE, CONSOLE = "board", "phone", "console"

# Every live region of every audience, and the partial that renders it (the same partial the page includes).
REGIONS: dict[str, dict[str, str]] = {
    BOARD: {
        "status": "board/_status.html",
        "step": "board/_step.html",
        "answers": "board/_answers.html",
        "presence": "board/_presence.html",
        "timer": "board/_timer.html",
    },
    PHONE: {"status": "participant/_status.html", "step": "participant/_step.html", "timer": "participant/_timer.html"},
    CONSOLE: {
        "status": "facilitator/_status.html",
        "agenda": "facilitator/_agenda.html",
        "controls": "facilitator/_controls.html",
        "answers": "facilitator/_answers.html",
        "presence": "facilitator/_presence.html",
        "timer": "facilitator/_timer.html",
    },
}

_ALL = {audience: set(regions) for audience, regions in REGIONS.items()}
AFFECTS: dict[EventKind, dict[str, set[str]]] = {
    EventKind.answers: {BOARD: {"answers", "presence"}, CONSOLE: {"answers", "agenda", "presence"}},
    EventKind.step: {
        BOARD: {"step", "answers", "timer"},
        PHONE: {"step", "timer"},
        CONSOLE: {"agenda", "controls", "answers", "timer"},
    },
    EventKind.agenda: {CONSOLE: {"agenda", "controls"}},
    EventKind.presence: {BOARD: {"presence"}, CONSOLE: {"presence"}},
    EventKind.workshop: _ALL,
    EventKind.timer: {BOARD: {"timer"}, PHONE: {"timer"}, CONSOLE: {"timer"}},
    EventKind.removed: {BOARD: {"presence"}, CONSOLE: {"presence"}},
    EventKind.yours: {},  # no shared region: only the participant's own phones are nudged (see Fanout.handle)
}


def nudge_frame() -> str:
    """Tells one phone that the facilitator changed its own answers, so it fetches them again (they are personal
    and never broadcast). A fresh value each time, so the phone sees that something changed."""
    return f'<div id="phone-nudge" hidden data-at="{secrets.token_hex(4)}"></div>'


def render_regions(state: RoomState, audience: str, regions: set[str] | None, *, base_url: str) -> str:
    names = REGIONS[audience]
    wanted = [r for r in names if regions is None or r in regions]
    return "".join(render(names[r], room=state, base_url=base_url) for r in wanted)


def _needs_answers(regions: dict[str, set[str] | None]) -> bool:
    """Only the board's and the console's answer regions show answers; phones never receive them."""
    return any(
        audience in ANSWER_AUDIENCES and (wanted is None or "answers" in wanted) for audience, wanted in regions.items()
    )


def _needs_people(regions: dict[str, set[str] | None]) -> bool:
    """Only the console's presence region lists everyone who joined (to remove or let back in)."""
    wanted = regions.get(CONSOLE, set())
    return wanted is None or "presence" in wanted


ANSWER_AUDIENCES = {BOARD, CONSOLE}
SessionFactory = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class Room:
    def __init__(self, workshop_id: int) -> None:
        self.workshop_id = workshop_id
        self.connections: dict[str, set[Connection]] = defaultdict(set)
        self.dirty: dict[str, set[str]] = defaultdict(set)
        self.flush_task: asyncio.Task | None = None

    def is_empty(self) -> bool:
        return not any(self.connections.values())


class Fanout:
    def __init__(self, *, hub: Hub, sessions: SessionFactory, window: float) -> None:
        self.hub = hub
        self.sessions = sessions
        self.window = window
        self.rooms: dict[int, Room] = {}
        self.render_count = 0  # fragments rendered for broadcasts (not snapshots): tests read it
        hub.on_event = self.handle
        hub.on_resync = self.resync_all

    async def load(self, workshop_id: int, regions: dict[str, set[str] | None]) -> RoomState | None:
        """The room state with what these regions show (answers, the list of people) and nothing more."""
        async with self.sessions() as db:
            return await load_room(
                db, workshop_id=workshop_id, answers=_needs_answers(regions), people=_needs_people(regions)
            )

    async def connect(self, workshop_id: int, connection: Connection) -> bool:
        """Register the connection, then queue its snapshot. False when the workshop is gone."""
        room = self.rooms.get(workshop_id)
        if room is None:
            room = self.rooms[workshop_id] = Room(workshop_id)
            await self.hub.subscribe(workshop_id)
        room.connections[connection.audience].add(connection)
        state = await self.load(workshop_id, {connection.audience: None})
        if state is None:
            return False
        with use_locale(connection.locale):
            connection.offer(render_regions(state, connection.audience, None, base_url=connection.base_url))
        return True

    async def disconnect(self, workshop_id: int, connection: Connection) -> None:
        room = self.rooms.get(workshop_id)
        if room is None:
            return
        room.connections[connection.audience].discard(connection)
        if room.is_empty():
            if room.flush_task:
                room.flush_task.cancel()
            del self.rooms[workshop_id]
            await self.hub.unsubscribe(workshop_id)

    def handle(self, event: Event) -> None:
        room = self.rooms.get(event.workshop_id)
        if room is None:
            return
        if event.kind in (EventKind.removed, EventKind.yours):  # personal: on whichever worker the phone is
            for connection in list(room.connections.get(PHONE, ())):
                if connection.participant_id != event.participant_id:
                    continue
                if event.kind == EventKind.removed:
                    connection.close(CLOSE_REMOVED)
                else:
                    connection.offer(nudge_frame())
        affected = AFFECTS[event.kind]
        for audience, regions in affected.items():
            room.dirty[audience] |= regions
        if affected:
            self._schedule(room)

    def resync_all(self) -> None:
        for room in self.rooms.values():
            for audience, regions in _ALL.items():
                room.dirty[audience] |= regions
            self._schedule(room)

    def _schedule(self, room: Room) -> None:
        if room.flush_task is None:
            room.flush_task = asyncio.get_running_loop().create_task(self._flush(room))

    async def _flush(self, room: Room) -> None:
        """One flusher per room. Events that arrive while it loads and renders are picked up by its next round,
        so under load the window stretches to the time a round takes instead of queueing rounds."""
        try:
            while room.dirty:
                await asyncio.sleep(self.window)
                dirty, room.dirty = room.dirty, defaultdict(set)
                try:
                    state = await self.load(room.workshop_id, dirty)
                except Exception:
                    log.exception("loading room %s failed", room.workshop_id)
                    continue
                if state is not None:
                    self._send(room, state, dirty)
        finally:
            room.flush_task = None

    def _send(self, room: Room, state: RoomState, dirty: dict[str, set[str]]) -> None:
        for audience, regions in dirty.items():
            # Rendered once per language and public address (normally one address: all opened the same URL).
            groups: dict[tuple[str, str], list[Connection]] = defaultdict(list)
            for connection in room.connections.get(audience, ()):
                groups[connection.locale, connection.base_url].append(connection)
            for (locale, base_url), connections in groups.items():
                try:
                    with use_locale(locale):
                        frame = render_regions(state, audience, regions, base_url=base_url)
                except Exception:
                    log.exception("rendering %s for room %s failed", audience, room.workshop_id)
                    continue
                self.render_count += 1
                for connection in connections:
                    connection.offer(frame)

    def close_all(self, code: int) -> None:
        for room in self.rooms.values():
            for connections in room.connections.values():
                for connection in connections:
                    connection.close(code)
