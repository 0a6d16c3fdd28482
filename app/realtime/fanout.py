"""Event -> fragments per audience, rendered once per (audience, language) and queued to every connection.

Bursts are coalesced: the first event of a room schedules a flush after a short window; events arriving
meanwhile only widen the set of regions to re-render. Each flush reads the room state once from the database.

An answer or a join is sent as a delta, not as whole lists: the notes that changed, appended to or replaced in
their party's list, and small counters (see app/services/room_deltas.py). Its cost does not grow with the answers
and people already in the room. Charts and word clouds are rendered whole, at most every CHART_INTERVAL seconds.
Whole regions are rendered for snapshots (connect, resync) and for the facilitator's actions.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from functools import partial

from sqlalchemy.ext.asyncio import AsyncSession

from app.i18n import use_locale
from app.models import Participant
from app.realtime.connections import CLOSE_REMOVED, Connection
from app.realtime.hub import Hub
from app.services.events import Event, EventKind
from app.services.kinds import get_kind
from app.services.phone_view import PhoneView, blank_view, phone_view, who_answered
from app.services.room_deltas import RoomDelta, load_delta
from app.services.rooms import RoomState, load_room
from app.templating import render

log = logging.getLogger(__name__)

BOARD, PHONE, CONSOLE = "board", "phone", "console"
CHART_INTERVAL = 0.25  # seconds between two renders of a step's chart or word cloud while answers come in
RETRY_DELAY = 0.5  # seconds before a round whose database read failed is tried again

# Every live region of every audience, and the partial that renders it (the same partial the page includes).
REGIONS: dict[str, dict[str, str]] = {
    BOARD: {
        "status": "board/_status.html",
        "step": "board/_step.html",
        "answers": "board/_answers.html",
        "presence": "board/_presence.html",
        "timer": "board/_timer.html",
    },
    PHONE: {
        "status": "participant/_status.html",
        "step": "participant/_step.html",
        "timer": "participant/_timer.html",
        "mine": "participant/_mine.html",  # the answer form (and, for those who answered, their own answers)
    },
    CONSOLE: {
        "status": "facilitator/_status.html",
        "agenda": "facilitator/_agenda.html",
        "controls": "facilitator/_controls.html",
        "answers": "facilitator/_answers.html",
        "result": "facilitator/_result.html",  # inside "answers": re-rendered alone for charts
        "presence": "facilitator/_presence.html",
        "people": "facilitator/_participants.html",
        "timer": "facilitator/_timer.html",
    },
}
# Regions that "answers" contains: rendering "answers" renders them too.
CONTAINED = {"result": "answers"}

_ALL = {audience: set(regions) for audience, regions in REGIONS.items()}
AFFECTS: dict[EventKind, dict[str, set[str]]] = {
    EventKind.answers: {BOARD: {"answers", "presence"}, CONSOLE: {"answers", "agenda", "presence"}},
    EventKind.step: {  # presence too: "answered this step" counts the new step
        BOARD: {"step", "answers", "timer", "presence"},
        PHONE: {"step", "timer", "mine"},  # the new step's form comes with it: no request per phone
        CONSOLE: {"agenda", "controls", "answers", "timer", "presence"},
    },
    EventKind.agenda: {CONSOLE: {"agenda", "controls"}},
    EventKind.presence: {BOARD: {"presence"}, CONSOLE: {"presence", "people"}},
    EventKind.workshop: _ALL,
    EventKind.timer: {BOARD: {"timer"}, PHONE: {"timer"}, CONSOLE: {"timer"}},
    EventKind.removed: {BOARD: {"presence"}, CONSOLE: {"presence", "people"}},
    EventKind.yours: {},  # no shared region: only the participant's own phones are nudged (see Fanout.handle)
    EventKind.answer: {},  # a delta (see Fanout._send_delta)
    EventKind.joined: {},  # a delta
}


def nudge_frame() -> str:
    """Tells one phone that the facilitator changed its own answers, so it fetches them again (they are personal
    and never broadcast). A fresh value each time, so the phone sees that something changed."""
    return f'<div id="phone-nudge" hidden data-at="{secrets.token_hex(4)}"></div>'


def render_regions(
    state: RoomState, audience: str, regions: set[str] | None, *, base_url: str, phone: PhoneView | None = None
) -> str:
    """The regions of an audience from one room state. A phone's own part ("mine") is rendered from `phone`, or
    for someone with nothing of their own in the step (the same for every such phone)."""
    names = REGIONS[audience]
    if regions is None:  # everything: the regions that others contain come with them
        wanted = [r for r in names if r not in CONTAINED]
    else:
        wanted = [r for r in names if r in regions and CONTAINED.get(r) not in regions]
    return "".join(
        render(names[r], **(phone or blank_view(state)).context())
        if r == "mine"
        else render(names[r], room=state, base_url=base_url)
        for r in wanted
    )


def _shows_notes(step) -> bool:  # type: ignore[no-untyped-def]
    """Whether board and console show this step's answers as notes (deltas), not as a chart or word cloud."""
    kind = get_kind(step.kind)
    return not kind.structured and kind.takes_notes and step.config.get("display") != "wordcloud"


def render_delta(delta: RoomDelta, audience: str, *, base_url: str = "") -> str:
    """The delta of a burst of changed answers and joins for one audience ('' when it shows nothing of it)."""
    step = delta.counts.current
    parts = []
    if (delta.answers or delta.gone or delta.counts.answers_per_step) and step is not None:
        notes = _shows_notes(step)
        if audience == BOARD:
            parts.append(render("board/_answer_delta.html", delta=delta, note_deltas=notes))
        elif audience == CONSOLE:
            parts.append(render("facilitator/_answer_delta.html", delta=delta, note_deltas=notes))
    elif audience == BOARD:
        parts.append(render("board/_presence.html", room=delta.counts))
    elif audience == CONSOLE:
        parts.append(render("facilitator/_presence.html", room=delta.counts))
    if delta.people and audience == CONSOLE:
        parts.append(render("facilitator/_people_delta.html", delta=delta))
    return "".join(parts)


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
        self.answer_ids: set[int] = set()  # answers changed by their authors since the last round
        self.step_ids: set[int] = set()  # the steps of those answers (their counts on the agenda)
        self.joined: set[int] = set()  # participants who joined since the last round
        self.charts_due = 0.0  # loop time before which a chart is not rendered again
        self.charts: dict[str, set[str]] = defaultdict(set)  # chart regions waiting for charts_due
        self.flush_task: asyncio.Task | None = None

    def has_work(self) -> bool:
        return bool(self.dirty or self.answer_ids or self.joined or self.charts)

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
        return await self.snapshot(workshop_id, connection)

    async def snapshot(self, workshop_id: int, connection: Connection) -> bool:
        """Queue the full state of every region of the connection's audience (a phone's own part included).
        False when the workshop is gone."""
        state = await self.load(workshop_id, {connection.audience: None})
        if state is None:
            return False
        phone = None
        if connection.audience == PHONE and connection.participant_id is not None and state.current is not None:
            async with self.sessions() as db:
                participant = await db.get(Participant, connection.participant_id)
                phone = await phone_view(db, participant=participant) if participant is not None else None
        with use_locale(connection.locale):
            frame = render_regions(state, connection.audience, None, base_url=connection.base_url, phone=phone)
            connection.offer(frame)
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
        if event.kind == EventKind.answer and event.answer_id is not None:
            room.answer_ids.add(event.answer_id)
            if event.step_id is not None:
                room.step_ids.add(event.step_id)
            self._schedule(room)
        elif event.kind == EventKind.joined and event.participant_id is not None:
            room.joined.add(event.participant_id)
            self._schedule(room)
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
        so under load the window stretches to the time a round takes instead of queueing rounds. A round whose
        database read fails is tried again (what it was to send is kept), so screens always catch up."""
        loop = asyncio.get_running_loop()
        try:
            while room.has_work():
                await asyncio.sleep(self.window)
                if room.charts and not (room.dirty or room.answer_ids or room.joined):
                    await asyncio.sleep(max(0.0, room.charts_due - loop.time()))
                if room.charts and loop.time() >= room.charts_due:
                    for audience, regions in room.charts.items():
                        room.dirty[audience] |= regions
                    room.charts = defaultdict(set)
                    room.charts_due = loop.time() + CHART_INTERVAL
                dirty, room.dirty = room.dirty, defaultdict(set)
                answer_ids, step_ids, joined = room.answer_ids, room.step_ids, room.joined
                room.answer_ids, room.step_ids, room.joined = set(), set(), set()
                try:
                    delta = await self._load_delta(room, answer_ids, step_ids, joined)
                    state = await self.load(room.workshop_id, dirty) if dirty else None
                    phones = await self._load_phones(room, state, dirty)
                except Exception:
                    log.exception("loading room %s failed; trying again", room.workshop_id)
                    for audience, regions in dirty.items():
                        room.dirty[audience] |= regions
                    room.answer_ids |= answer_ids
                    room.step_ids |= step_ids
                    room.joined |= joined
                    await asyncio.sleep(RETRY_DELAY)
                    continue
                if state is not None:
                    self._send(room, state, dirty, phones)
                if delta is not None:
                    self._send_delta(room, delta, dirty)
        finally:
            room.flush_task = None

    async def _load_delta(
        self, room: Room, answer_ids: set[int], step_ids: set[int], joined: set[int]
    ) -> RoomDelta | None:
        if not (answer_ids or joined):
            return None
        async with self.sessions() as db:
            delta = await load_delta(
                db, workshop_id=room.workshop_id, answer_ids=answer_ids, step_ids=step_ids, participant_ids=joined
            )
        step = delta.counts.current if delta is not None else None
        if step is not None and delta is not None and delta.answers and not _shows_notes(step):
            # A chart or word cloud: rendered whole, at most every CHART_INTERVAL (the next round, or later).
            if not step.results_hidden:
                room.charts[BOARD].add("answers")
            room.charts[CONSOLE].add("result")
        return delta

    async def _load_phones(
        self, room: Room, state: RoomState | None, dirty: dict[str, set[str]]
    ) -> dict[int, PhoneView]:
        """When the phones' own part is re-rendered: the personal views of the connected phones that have
        something of their own in the current step (few on a step change; everyone else shares one frame)."""
        if state is None or state.current is None or "mine" not in dirty.get(PHONE, set()):
            return {}
        connected = {c.participant_id for c in room.connections.get(PHONE, ()) if c.participant_id is not None}
        if not connected:
            return {}
        async with self.sessions() as db:
            answered = await who_answered(db, step=state.current.step) & connected
            views = {}
            for participant_id in answered:
                participant = await db.get(Participant, participant_id)
                view = await phone_view(db, participant=participant) if participant is not None else None
                if view is not None:
                    views[participant_id] = view
        return views

    def _send(self, room: Room, state: RoomState, dirty: dict[str, set[str]], phones: dict[int, PhoneView]) -> None:
        for audience, regions in dirty.items():
            personal = [c for c in room.connections.get(audience, ()) if c.participant_id in phones]
            self._offer(room, audience, partial(render_regions, state, audience, regions), skip=set(personal))
            for connection in personal:
                try:
                    with use_locale(connection.locale):
                        frame = render_regions(
                            state,
                            audience,
                            regions,
                            base_url=connection.base_url,
                            phone=phones[connection.participant_id],
                        )
                except Exception:
                    log.exception("rendering a phone of room %s failed", room.workshop_id)
                    continue
                connection.offer(frame)

    def _send_delta(self, room: Room, delta: RoomDelta, dirty: dict[str, set[str]]) -> None:
        for audience in (BOARD, CONSOLE):
            if dirty.get(audience, set()) & {"answers"} and not delta.people:
                continue  # the whole answers region went out in this round
            self._offer(room, audience, partial(render_delta, delta, audience))

    def _offer(
        self, room: Room, audience: str, make_frame: Callable[..., str], skip: set[Connection] | None = None
    ) -> None:
        """Render one frame per language and public address (normally one: all opened the same URL) for the
        audience's connections and queue it to each of them. `make_frame` takes the address as `base_url`."""
        groups: dict[tuple[str, str], list[Connection]] = defaultdict(list)
        for connection in room.connections.get(audience, ()):
            if not skip or connection not in skip:
                groups[connection.locale, connection.base_url].append(connection)
        for (locale, base_url), connections in groups.items():
            try:
                with use_locale(locale):
                    frame = make_frame(base_url=base_url)
            except Exception:
                log.exception("rendering %s for room %s failed", audience, room.workshop_id)
                continue
            if not frame:
                continue
            self.render_count += 1
            for connection in connections:
                connection.offer(frame)

    def close_all(self, code: int) -> None:
        for room in self.rooms.values():
            for connections in room.connections.values():
                for connection in connections:
                    connection.close(code)
