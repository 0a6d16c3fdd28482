"""The fan-out under a burst: one flusher per room, coalesced rounds, the last state always delivered."""

import asyncio

from app.db import Database
from app.realtime.connections import Connection
from app.realtime.fanout import Fanout
from app.realtime.hub import Hub
from app.services import accounts, answers, participants, workshops
from app.services.events import Event, EventKind
from tests.realtime.conftest import Sink


async def test_a_burst_is_coalesced_into_few_rounds_and_ends_on_the_latest_state(sqlite_url):
    database = Database(sqlite_url)
    async with database.writer() as db:
        anna = await accounts.create_facilitator(db, email="a@example.nl", name="A", password="correct horse 12")
        w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
        await workshops.start_workshop(db, workshop=w)
        gemeente, _ = await workshops.list_parties(db, workshop_id=w.id)
        me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    hub = Hub()
    fanout = Fanout(hub=hub, sessions=database.reader, window=0.01)
    loads = {"now": 0, "max": 0, "count": 0}

    def slowed(original):
        async def slow(*args):  # a loaded database: every read of a round takes 50 ms
            loads["now"] += 1
            loads["max"] = max(loads["max"], loads["now"])
            loads["count"] += 1
            try:
                await asyncio.sleep(0.05)
                return await original(*args)
            finally:
                loads["now"] -= 1

        return slow

    sink = Sink()
    board = Connection(sink, audience="board", locale="nl", queue_size=1000)
    board.start()
    assert await fanout.connect(w.id, board)
    fanout.load = slowed(fanout.load)
    fanout._load_delta = slowed(fanout._load_delta)
    for i in range(40):
        async with database.writer() as db:
            _, events = await answers.add_answer(
                db, participant=me, step_id=w.current_step_id, text=f"Notitie {i}", idempotency_key=str(i)
            )
        await hub.publish_all(events)
        await asyncio.sleep(0.005)
    async with asyncio.timeout(5):
        while fanout.rooms[w.id].flush_task is not None:
            await asyncio.sleep(0.01)
    await asyncio.sleep(0.05)
    assert loads["max"] == 1  # never two rounds of one room at once
    assert loads["count"] < 20  # 40 answers, far fewer rounds
    assert "Notitie 39" in sink.frames[-1]  # the last frame carries the latest answer
    assert "(40)" in sink.frames[-1]  # and the count of all of them
    fanout.handle(Event(w.id, EventKind.presence))
    async with asyncio.timeout(5):
        while 'id="board-presence"' not in sink.frames[-1]:
            await asyncio.sleep(0.01)
    board.close()
    await board.wait_closed()
    await database.dispose()


async def test_each_connection_gets_links_with_the_address_of_its_own_handshake(sqlite_url):
    """Fan-out renders without a request: frames are rendered per (language, address), so a board opened through
    the laptop's LAN address gets that address in its join link, and one opened as localhost gets localhost."""
    database = Database(sqlite_url)
    async with database.writer() as db:
        anna = await accounts.create_facilitator(db, email="a@example.nl", name="A", password="correct horse 12")
        w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
        await workshops.start_workshop(db, workshop=w)
    hub = Hub()
    fanout = Fanout(hub=hub, sessions=database.reader, window=0.01)
    sinks = {"http://192.168.1.20:8000": Sink(), "http://localhost:8000": Sink()}
    boards = [Connection(s, audience="board", locale="nl", queue_size=100, base_url=u) for u, s in sinks.items()]
    for board in boards:
        board.start()
        assert await fanout.connect(w.id, board)
    fanout.handle(Event(w.id, EventKind.workshop))  # re-renders the status region with the join link
    async with asyncio.timeout(5):
        while any(len(sink.frames) < 2 for sink in sinks.values()):
            await asyncio.sleep(0.01)
    assert fanout.render_count == 2  # once per address
    for url, sink in sinks.items():
        for frame in sink.frames:
            assert f"{url}/j/{w.join_code}" in frame
    for board in boards:
        board.close()
        await board.wait_closed()
    await database.dispose()
