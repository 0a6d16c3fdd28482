"""Dots reach the board over a real WebSocket: the chart, the overall ranking and each party's top list."""

import re

from tests.realtime.conftest import receive_until


async def test_spent_dots_update_the_board_live(room):
    facilitator = room.facilitator
    response = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps",
        {"kind": "dots", "prompt": "Waar beginnen we?", "items": "Zonnedak\nWarmtenet\nBuurtbatterij", "budget": "4"},
    )
    assert response.status_code == 303
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    dots_step = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": dots_step})
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    assert "Waar beginnen we?" in await board.recv()

    async def spend(phone, **dots: str):
        page = (await phone.get(f"/p/{room.workshop_id}")).text
        key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
        return await phone.post(
            f"/p/{room.workshop_id}/responses",
            {"step_id": dots_step, "idempotency_key": key, **{k.replace("_", "-"): v for k, v in dots.items()}},
            headers={"HX-Request": "true"},
        )

    initiatief = await room.phone("Initiatief")
    assert (await spend(initiatief, dots_2="3", dots_0="1")).status_code == 200
    frame = await receive_until(board, "1 reactie")
    assert "<svg" in frame and 'id="board-answers"' in frame
    assert "Buurtbatterij: Gemeente 0, Initiatief 3, Iedereen 3" in frame  # the chart's text alternative
    top = re.search(r"Top 3 Initiatief</h3>(.*?)</section>", frame, re.S).group(1)
    assert re.findall(r"<span hx-disable>([^<]+)</span>", top) == ["Buurtbatterij", "Zonnedak"]

    gemeente = await room.phone("Gemeente")
    assert (await spend(gemeente, dots_1="4")).status_code == 200
    frame = await receive_until(board, "2 reacties")
    # Warmtenet now leads overall (4 against 3): the chart lists it first.
    assert frame.index("Warmtenet: Gemeente 4") < frame.index("Buurtbatterij: Gemeente 0")
    top = re.search(r"Top 3 Gemeente</h3>(.*?)</section>", frame, re.S).group(1)
    assert re.findall(r"<span hx-disable>([^<]+)</span>", top) == ["Warmtenet"]
    await board.close()
    await initiatief.close()
    await gemeente.close()
