"""2×2 matrix results reach the board over a real WebSocket: the plot, its description and the differences."""

import re

from tests.realtime.conftest import receive_until


async def rate(phone, room, step_id: str, fields: dict):
    page = (await phone.get(f"/p/{room.workshop_id}")).text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    return await phone.post(
        f"/p/{room.workshop_id}/responses",
        {"step_id": step_id, "idempotency_key": key, **fields},
        headers={"HX-Request": "true"},
    )


async def test_matrix_results_update_the_board_live(room):
    facilitator = room.facilitator
    response = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps",
        {"kind": "matrix", "prompt": "Welke risico's?", "matrix_items": "Netcongestie\nVertraging"},
    )
    assert response.status_code == 303
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": step_id})
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    assert "Welke risico" in await board.recv()

    gemeente, initiatief = await room.phone("Gemeente"), await room.phone("Initiatief")
    assert (await rate(gemeente, room, step_id, {"x-0": "1", "y-0": "1"})).status_code == 200
    frame = await receive_until(board, "1 reactie")
    assert 'class="chart chart-matrix"' in frame and 'id="board-answers"' in frame
    assert (
        "1. Netcongestie: Gemeente Impact 1.0, Waarschijnlijkheid 1.0 (Impact laag, Waarschijnlijkheid laag)" in frame
    )
    assert 'class="gaps"' not in frame

    assert (await rate(initiatief, room, step_id, {"x-0": "5", "y-0": "4"})).status_code == 200
    frame = await receive_until(board, "2 reacties")
    assert "Initiatief Impact 5.0, Waarschijnlijkheid 4.0 (Impact hoog, Waarschijnlijkheid hoog)" in frame
    gaps = re.search(r'<div class="gaps".*?</div>', frame, re.S).group(0)
    assert "Netcongestie" in gaps and "afstand 5.0" in gaps
    await board.close()
    await gemeente.close()
    await initiatief.close()
