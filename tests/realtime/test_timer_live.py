"""The timer over real WebSockets: board and phone get the timer region on start, pause and extend, and the closed
step when an auto-closing timer runs out; the clock is advanced, nobody waits for time to pass."""

import re

import pytest

from app.services import clock
from tests.realtime.conftest import receive_until

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze()
    yield
    clock.reset()


def region(frame: str, region_id: str) -> str:
    return re.search(rf'<section id="{region_id}".*?</section>', frame, re.S).group(0)


async def test_board_and_phone_follow_the_timer_and_the_auto_close(room):
    facilitator = room.facilitator
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = re.search(r"/steps/(\d+)/timer/start", console).group(1)
    base = f"/workshops/{room.workshop_id}/steps/{step_id}/timer"
    phone = await room.phone("Initiatief")
    board_ws = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    phone_ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")
    console_ws = await facilitator.websocket(f"/ws/console/{room.workshop_id}")
    snapshot = await board_ws.recv()
    assert 'id="board-timer"' in snapshot and "data-timer" not in region(snapshot, "board-timer")
    await phone_ws.recv()
    await console_ws.recv()

    assert (await facilitator.post(f"{base}/start", {"preset": "2"}, headers=HTMX)).status_code == 204
    board = region(await receive_until(board_ws, 'data-state="running"'), "board-timer")
    assert "02:00" in board and 'data-remaining-ms="120000"' in board
    assert "02:00" in region(await receive_until(phone_ws, 'data-state="running"'), "phone-timer")
    assert "Timer pauzeren" in await receive_until(console_ws, 'id="console-timer"')

    clock.advance(30)
    await facilitator.post(f"{base}/pause", headers=HTMX)
    assert "01:30" in region(await receive_until(board_ws, 'data-state="paused"'), "board-timer")
    assert "01:30" in region(await receive_until(phone_ws, 'data-state="paused"'), "phone-timer")

    await facilitator.post(f"{base}/extend", {"minutes": "5"}, headers=HTMX)
    assert "06:30" in region(await receive_until(board_ws, "06:30"), "board-timer")
    assert "06:30" in region(await receive_until(phone_ws, "06:30"), "phone-timer")

    # A new timer that closes the step: the clock jumps past its end, the ticker closes the step once.
    await facilitator.post(f"{base}/start", {"preset": "1", "auto_close": "true"}, headers=HTMX)
    await receive_until(board_ws, 'data-remaining-ms="60000"')
    await receive_until(phone_ws, 'data-remaining-ms="60000"')
    clock.advance(61)
    board_frame = await receive_until(board_ws, "Gesloten voor bijdragen")
    assert 'data-state="ended"' in region(board_frame, "board-timer")
    phone_frame = await receive_until(phone_ws, "Dit onderdeel is gesloten voor bijdragen.")
    assert 'data-state="ended"' in region(phone_frame, "phone-timer") and "De tijd is om" in phone_frame
    assert "Openen voor bijdragen" in await receive_until(console_ws, "Openen voor bijdragen")

    assert 'id="answer-text"' not in (await phone.get(f"/p/{room.workshop_id}")).text  # the form is gone
    for ws in (board_ws, phone_ws, console_ws):
        await ws.close()
    await phone.close()
