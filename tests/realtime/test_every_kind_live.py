"""Every step kind updates both the board and the facilitator's console over real WebSockets."""

import re

import pytest

from tests.realtime.conftest import receive_until

KINDS = {
    "open": ({"prompt": "Open vraag"}, lambda page: {"text": "Een losse notitie"}, "Een losse notitie"),
    "poll": ({"prompt": "Peiling", "options": "Ja\nNee"}, lambda page: {"choice": "0"}, "1 reactie"),
    "scale": ({"prompt": "Schaal", "statements": "Stelling een"}, lambda page: {"rating-0": "4"}, "1 reactie"),
    "dots": ({"prompt": "Stippen", "items": "Item A\nItem B"}, lambda page: {"dots-0": "2"}, "1 reactie"),
    "matrix": (
        {"prompt": "Matrix", "matrix_items": "Risico A"},
        lambda page: {"x-0": "3", "y-0": "4"},
        "1 reactie",
    ),
    "roles": (
        {"prompt": "Rollen", "tasks": "Taak A"},
        lambda page: {re.search(r'name="(role-0-\d+)"', page).group(1): "lead"},
        "1 reactie",
    ),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
async def test_a_response_updates_board_and_console(room, kind):
    settings, fields, expected = KINDS[kind]
    facilitator = room.facilitator
    added = await facilitator.post(f"/workshops/{room.workshop_id}/steps", {"kind": kind, **settings})
    assert added.status_code == 303, added.text
    console_page = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console_page)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": step_id})
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    console = await facilitator.websocket(f"/ws/console/{room.workshop_id}")
    await board.recv()
    await console.recv()

    phone = await room.phone("Gemeente")
    page = (await phone.get(f"/p/{room.workshop_id}")).text
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    path = "answers" if kind == "open" else "responses"
    response = await phone.post(
        f"/p/{room.workshop_id}/{path}",
        {"step_id": step_id, "idempotency_key": key, **fields(page)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    # Notes arrive as deltas (one note appended); charts are rendered whole.
    board_region, console_region = (
        ("beforeend:#board-notes-", "beforeend:#console-notes-")
        if kind == "open"
        else ('id="board-answers"', 'id="console-result"')
    )
    assert board_region in await receive_until(board, expected)
    assert console_region in await receive_until(console, expected)
    for socket in (board, console):
        await socket.close()
    await phone.close()
