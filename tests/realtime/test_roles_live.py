"""Role division reaches the board over a real WebSocket: the table per task, from open to agreement to difference."""

import re

from tests.realtime.conftest import receive_until


def row(frame: str, task: str) -> str:
    return re.search(rf'<th scope="row" hx-disable>{task}</th>(.*?)</tr>', frame, re.S).group(1)


async def test_role_choices_update_the_board_live(room):
    facilitator = room.facilitator
    response = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps",
        {"kind": "roles", "prompt": "Wie doet wat?", "tasks": "Bewonersavond\nSubsidie"},
    )
    assert response.status_code == 303
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    roles_step = re.findall(r'hx-vals=\'\{"step_id": "(\d+)"\}\'', console)[-1]
    await facilitator.post(f"/workshops/{room.workshop_id}/go", {"step_id": roles_step})
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    assert "Wie doet wat?" in await board.recv()

    async def choose(phone, roles: dict[tuple[int, str], str]):
        page = (await phone.get(f"/p/{room.workshop_id}")).text
        key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
        ids = dict(re.findall(r'<label for="role-0-(\d+)" hx-disable>Rol van ([^<]+)</label>', page))
        party_ids = {name: party_id for party_id, name in ids.items()}
        fields = {f"role-{task}-{party_ids[party]}": role for (task, party), role in roles.items()}
        return await phone.post(
            f"/p/{room.workshop_id}/responses",
            {"step_id": roles_step, "idempotency_key": key, **fields},
            headers={"HX-Request": "true"},
        )

    gemeente = await room.phone("Gemeente")
    chosen = {(0, "Gemeente"): "lead", (0, "Initiatief"): "informed", (1, "Initiatief"): "lead"}
    assert (await choose(gemeente, chosen)).status_code == 200
    frame = await receive_until(board, "1 reactie")
    assert 'id="board-answers"' in frame and '<table class="roles-table">' in frame
    assert "Gemeente: trekker" in row(frame, "Bewonersavond") and "nog open" in row(frame, "Bewonersavond")

    initiatief = await room.phone("Initiatief")
    chosen = {(0, "Gemeente"): "lead", (0, "Initiatief"): "informed", (1, "Initiatief"): "none"}
    assert (await choose(initiatief, chosen)).status_code == 200
    frame = await receive_until(board, "2 reacties")
    agreed, differing = row(frame, "Bewonersavond"), row(frame, "Subsidie")
    assert "Initiatief: geïnformeerd" in agreed and "eens" in agreed
    assert "Gemeente: trekker" in differing and "Initiatief: niet betrokken" in differing and "verschil" in differing
    assert re.search(r"Verschillen bij:</strong>\s*<span hx-disable>Subsidie</span></p>", frame)
    await board.close()
    await gemeente.close()
    await initiatief.close()
