"""Agreements live: a drafted agreement reaches the phones' step state, consent reaches the board."""

import re

from tests.realtime.conftest import receive_until


async def test_drafting_reaches_phones_and_consent_reaches_the_board(room):
    facilitator = room.facilitator
    await facilitator.post(
        f"/workshops/{room.workshop_id}/steps", {"kind": "agreements", "prompt": "Welke afspraken maken we?"}
    )
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": step_id})
    phone = await room.phone("Initiatief")
    phone_ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")
    first = await phone_ws.recv()
    state_before = re.search(r'id="phone-step"[^>]*data-state="([^"]*)"', first).group(1)
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await board.recv()

    await facilitator.post(
        f"/workshops/{room.workshop_id}/agreements",
        {"step_id": step_id, "text": "Elke maand overleg", "type": "working"},
        headers={"HX-Request": "true"},
    )
    frame = await receive_until(phone_ws, 'id="phone-step"')
    state_after = re.search(r'id="phone-step"[^>]*data-state="([^"]*)"', frame).group(1)
    assert state_after != state_before  # the phone fetches its agreements again
    assert "Elke maand overleg" in await receive_until(board, "Elke maand overleg")

    page = (await phone.get(f"/p/{room.workshop_id}")).text
    agreement_id = re.search(r'/agreements/(\d+)"', page).group(1)
    await phone.post(
        f"/p/{room.workshop_id}/agreements/{agreement_id}",
        {"level": "object", "reason": "Te vaak"},
        headers={"HX-Request": "true"},
    )
    assert "Te vaak" in await receive_until(board, "Te vaak")
    await board.close()
    await phone_ws.close()
    await phone.close()
