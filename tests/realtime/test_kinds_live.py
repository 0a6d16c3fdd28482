"""Poll results reach the board over a real WebSocket as a chart, per party."""

import re

from tests.realtime.conftest import receive_until


async def test_poll_results_update_the_board_live(room):
    facilitator = room.facilitator
    response = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps",
        {"kind": "poll", "prompt": "Welke vorm?", "options": "Werkafspraak\nConvenant"},
    )
    assert response.status_code == 303
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    poll_step = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": poll_step})
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    assert "Welke vorm?" in await board.recv()
    phone = await room.phone("Initiatief")
    page = (await phone.get(f"/p/{room.workshop_id}")).text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    await phone.post(
        f"/p/{room.workshop_id}/responses",
        {"step_id": poll_step, "idempotency_key": key, "choice": "1"},
        headers={"HX-Request": "true"},
    )
    frame = await receive_until(board, "1 reactie")
    assert "<svg" in frame and 'id="board-answers"' in frame
    assert re.search(r"Convenant: Gemeente 0, Initiatief 1", frame)  # the chart's description for screen readers
    await board.close()
    await phone.close()
