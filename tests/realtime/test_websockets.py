"""Live updates over real WebSocket connections to a real uvicorn server."""

import asyncio
import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.realtime.conftest import Browser, no_frame, receive_until


async def test_board_gets_snapshot_then_live_answers(room):
    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    snapshot = await board.recv()
    for region in ('id="board-status"', 'id="board-step"', 'id="board-answers"', 'id="board-presence"'):
        assert region in snapshot
    assert room.code in snapshot and "Waarden en doelen" in snapshot

    phone = await room.phone("Gemeente")
    presence = await receive_until(board, 'id="board-presence"')
    assert "<strong>1</strong>" in presence
    assert (await room.answer(phone, "Betaalbare warmte voor iedereen")).status_code == 200
    frame = await receive_until(board, "Betaalbare warmte voor iedereen")
    assert 'hx-swap-oob="beforeend:#board-notes-' in frame  # a delta: the note appended to its party's list
    assert 'id="board-answers"' not in frame
    await board.close()
    await phone.close()


async def test_step_change_reaches_every_phone(room):
    phones = [await room.phone("Gemeente"), await room.phone("Initiatief"), await room.phone("Initiatief")]
    sockets = [await p.websocket(f"/ws/phone/{room.workshop_id}") for p in phones]
    for ws in sockets:
        assert "Waarden en doelen" in await ws.recv()
    await room.facilitator.post(f"/workshops/{room.workshop_id}/next", headers={"HX-Request": "true"})
    for ws in sockets:
        frame = await receive_until(ws, 'id="phone-step"')
        assert "Welke waarden en doelen" in frame
        assert "Betaalbare" not in frame  # phones never receive other people's answers
    for ws, phone in zip(sockets, phones, strict=True):
        await ws.close()
        await phone.close()


async def test_reconnect_after_a_drop_shows_the_current_state(room):
    phone = await room.phone("Gemeente")
    ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")
    assert "Waarden en doelen" in await ws.recv()
    await ws.close()  # wifi gone
    await room.facilitator.post(f"/workshops/{room.workshop_id}/next")
    await room.facilitator.post(f"/workshops/{room.workshop_id}/next")
    ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")  # back: the snapshot is the current step
    snapshot = await ws.recv()
    assert "Werkwijzen" in snapshot and "Onderdeel 3 van 6" in snapshot
    await ws.close()
    await phone.close()


async def test_foreign_origin_is_refused(room):
    with pytest.raises(InvalidStatus) as refused:
        await room.facilitator.websocket(f"/ws/board/{room.workshop_id}", origin="https://evil.example")
    assert refused.value.response.status_code == 403


async def test_no_rights_no_socket(room, live_server):
    stranger = Browser(live_server)
    for path in (f"/ws/board/{room.workshop_id}", f"/ws/console/{room.workshop_id}", f"/ws/phone/{room.workshop_id}"):
        with pytest.raises(InvalidStatus):
            await stranger.websocket(path)
    await stranger.close()


async def test_workshops_are_isolated(room, live_server):
    from tests.realtime.conftest import start_room

    other = await start_room(live_server)  # same facilitator, a second workshop
    board_a = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    board_b = await other.facilitator.websocket(f"/ws/board/{other.workshop_id}")
    await board_a.recv()
    await board_b.recv()
    phone_b = await other.phone("Gemeente")
    await room.answer(phone_b, "Alleen voor sessie B") if False else await other.answer(phone_b, "Alleen voor sessie B")
    assert "Alleen voor sessie B" in await receive_until(board_b, "Alleen voor sessie B")
    # Board A saw nothing of it (at most nothing at all).
    assert await no_frame(board_a, 0.5)
    # A phone of workshop B cannot post into workshop A.
    page = (await room.facilitator.get(f"/workshops/{room.workshop_id}")).text
    assert "Alleen voor sessie B" not in page
    response = await phone_b.post(
        f"/p/{room.workshop_id}/answers", {"step_id": "1", "text": "inbraak", "idempotency_key": "k1"}
    )
    assert response.status_code == 404
    await board_a.close()
    await board_b.close()
    await phone_b.close()
    await other.facilitator.close()


async def test_idempotent_retry_makes_one_answer_and_one_update(room):
    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await board.recv()
    phone = await room.phone("Initiatief")
    await receive_until(board, 'id="board-presence"')
    first = await room.answer(phone, "Samen optrekken", key="same-key-123")
    second = await room.answer(phone, "Samen optrekken", key="same-key-123")
    assert first.status_code == second.status_code == 200
    frame = await receive_until(board, "Samen optrekken")
    assert frame.count("Samen optrekken") == 1
    assert await no_frame(board, 0.3)  # the retry caused no second broadcast
    await board.close()
    await phone.close()


async def test_malformed_and_oversized_messages_close_only_that_socket(room):
    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await board.recv()
    bad = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await bad.recv()
    await bad.send("not json at all")
    with pytest.raises(ConnectionClosed) as closed:
        await bad.recv()
    assert closed.value.rcvd.code == 1008
    big = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await big.recv()
    await big.send(json.dumps({"type": "ping", "pad": "x" * 10_000}))
    with pytest.raises(ConnectionClosed) as closed:
        await big.recv()
    assert closed.value.rcvd.code == 1009
    # The server and the healthy board carry on.
    await board.send(json.dumps({"type": "ping"}))
    phone = await room.phone("Gemeente")
    await room.answer(phone, "Nog steeds live")
    assert "Nog steeds live" in await receive_until(board, "Nog steeds live")
    await board.close()
    await phone.close()


async def test_rendered_once_per_audience_not_per_connection(room, live_server):
    boards = [await room.facilitator.websocket(f"/ws/board/{room.workshop_id}") for _ in range(5)]
    for ws in boards:
        await ws.recv()
    phone = await room.phone("Gemeente")
    for ws in boards:
        await receive_until(ws, 'id="board-presence"')
    fanout = live_server.app.state.fanout
    before = fanout.render_count
    await room.answer(phone, "Eén keer renderen")
    for ws in boards:
        await receive_until(ws, "Eén keer renderen")
    await asyncio.sleep(0.1)
    # One board render and one console-less flush: 5 boards, 1 render.
    assert fanout.render_count - before == 1
    for ws in boards:
        await ws.close()
    await phone.close()


async def test_a_slow_client_is_closed_to_resync_and_never_stalls_the_room(room, live_server):
    from app.realtime.connections import CLOSE_TRY_AGAIN, Connection

    fanout = live_server.app.state.fanout
    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await board.recv()
    # A connection whose queue is full (a phone that stopped reading) is closed with 1013, not waited for.

    class Stuck:
        async def send_text(self, _):
            await asyncio.Event().wait()

        async def close(self, code):
            return None

    stuck = Connection(Stuck(), audience="board", locale="nl", queue_size=2)
    room_state = fanout.rooms[room.workshop_id]
    room_state.connections["board"].add(stuck)
    stuck.start()
    phone = await room.phone("Gemeente")
    for i in range(4):
        await room.answer(phone, f"Bericht {i}")
        await receive_until(board, f"Bericht {i}")  # the healthy board keeps getting every update
    assert stuck.closed.is_set() and stuck.close_code == CLOSE_TRY_AGAIN
    await board.close()
    await phone.close()
