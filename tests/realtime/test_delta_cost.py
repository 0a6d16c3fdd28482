"""What one answer or one join costs the live path does not grow with the room: the bytes sent to board and console
are the same with 10 or 500 answers (and people) already there."""

import asyncio

from app.db import Database
from app.realtime.connections import Connection
from app.realtime.fanout import Fanout
from app.realtime.hub import Hub
from app.services import accounts, answers, participants, workshops
from tests.realtime.conftest import Sink


async def _room_with(sqlite_url: str, tmp_name: str, people: int, notes: int):
    database = Database(sqlite_url)
    async with database.writer() as db:
        anna = await accounts.create_facilitator(db, email="a@example.nl", name="A", password="correct horse 12")
        w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
        await workshops.start_workshop(db, workshop=w)
        parties = await workshops.list_parties(db, workshop_id=w.id)
        phones = []
        for i in range(people):
            phone, _, _ = await participants.join(db, workshop=w, party_id=parties[i % 2].id, display_name=f"P{i}")
            phones.append(phone)
        for i in range(notes):
            await answers.add_answer(
                db,
                participant=phones[i % people],
                step_id=w.current_step_id,
                text=f"Notitie {i:04d}",
                idempotency_key=f"k{i}",
            )
    return database, w, parties, phones


async def _bytes_of(fanout: Fanout, sinks: dict[str, Sink], action) -> dict[str, int]:
    for sink in sinks.values():
        sink.frames.clear()
    await action()
    room = next(iter(fanout.rooms.values()))
    async with asyncio.timeout(5):
        while room.flush_task is None and not any(s.frames for s in sinks.values()):
            await asyncio.sleep(0.01)
        while room.flush_task is not None:
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)  # the writers hand the frames over
    return {audience: sum(len(f.encode()) for f in sink.frames) for audience, sink in sinks.items()}


async def _costs(sqlite_url: str, people: int, notes: int) -> tuple[dict[str, int], dict[str, int], int]:
    database, w, parties, phones = await _room_with(sqlite_url, "", people, notes)
    hub = Hub()
    fanout = Fanout(hub=hub, sessions=database.reader, window=0.01)
    sinks = {"board": Sink(), "console": Sink()}
    connections = []
    for audience, sink in sinks.items():
        connection = Connection(sink, audience=audience, locale="nl", queue_size=100)
        connection.start()
        connections.append(connection)
        assert await fanout.connect(w.id, connection)
    await asyncio.sleep(0.05)
    snapshot = len(sinks["board"].frames[0].encode())

    async def answer():
        async with database.writer() as db:
            _, events = await answers.add_answer(
                db, participant=phones[0], step_id=w.current_step_id, text="Een nieuwe notitie", idempotency_key="new"
            )
        await hub.publish_all(events)

    async def join():
        async with database.writer() as db:
            _, _, events = await participants.join(db, workshop=w, party_id=parties[1].id, display_name="Nieuw")
        await hub.publish_all(events)

    per_answer = await _bytes_of(fanout, sinks, answer)
    per_join = await _bytes_of(fanout, sinks, join)
    for connection in connections:
        connection.close()
        await connection.wait_closed()
    await database.dispose()
    return per_answer, per_join, snapshot


async def test_an_answer_and_a_join_cost_the_same_bytes_in_a_small_and_a_full_room(tmp_path, sqlite_template):
    import shutil

    small_db, full_db = tmp_path / "small.db", tmp_path / "full.db"
    shutil.copy(sqlite_template, small_db)
    shutil.copy(sqlite_template, full_db)
    small_answer, small_join, small_snapshot = await _costs(f"sqlite+aiosqlite:///{small_db}", people=10, notes=10)
    full_answer, full_join, full_snapshot = await _costs(f"sqlite+aiosqlite:///{full_db}", people=500, notes=500)
    assert full_snapshot > 10 * small_snapshot  # the full room really is full: its snapshot carries every note
    for audience in ("board", "console"):
        # Only numbers differ ("(10)" against "(500)"): a few bytes, never a list.
        assert abs(full_answer[audience] - small_answer[audience]) <= 64, (audience, small_answer, full_answer)
        assert abs(full_join[audience] - small_join[audience]) <= 64, (audience, small_join, full_join)
    assert 0 < full_answer["board"] <= 2048
    assert 0 < full_answer["console"] <= 4096
    assert full_join["board"] <= 2048 and full_join["console"] <= 4096
