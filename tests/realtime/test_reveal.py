"""Hidden until reveal: before the reveal no hidden answer leaves the server towards the board, not even inside
a WebSocket frame; the console sees the answers all along; after the reveal the board shows them."""

import asyncio

from tests.realtime.conftest import receive_until

SECRET = "Geheim antwoord van de gemeente"


async def frames_for(ws, seconds: float) -> list[str]:
    frames = []
    try:
        async with asyncio.timeout(seconds):
            while True:
                frames.append(await ws.recv())
    except TimeoutError:
        return frames


async def test_hidden_answers_never_reach_the_board_before_the_reveal(room):
    facilitator = room.facilitator
    console_page = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = console_page.split("/steps/", 1)[1].split("/", 1)[0] if "/hidden" in console_page else None
    assert step_id, "the console offers to hide the current step's answers"
    hidden = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps/{step_id}/hidden", {"hidden": "true"}, headers={"HX-Request": "true"}
    )
    assert hidden.status_code == 204

    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    console = await facilitator.websocket(f"/ws/console/{room.workshop_id}")
    board_frames = [await board.recv()]
    await console.recv()
    phone = await room.phone("Gemeente")
    assert (await room.answer(phone, SECRET)).status_code == 200
    assert SECRET in await receive_until(console, SECRET)  # the facilitator sees it
    board_frames.append(await receive_until(board, "1 bijdrage is binnen"))
    board_frames += await frames_for(board, 0.5)
    assert not any(SECRET in frame for frame in board_frames)
    assert SECRET not in (await facilitator.get(f"/board/{room.workshop_id}")).text

    await facilitator.post(
        f"/workshops/{room.workshop_id}/steps/{step_id}/hidden", {"hidden": "false"}, headers={"HX-Request": "true"}
    )
    assert 'id="board-answers"' in await receive_until(board, SECRET)
    for ws in (board, console):
        await ws.close()
    await phone.close()
