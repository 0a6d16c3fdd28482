"""Poll and scale steps through the app: the console adds them, phones respond, board and exports show per party."""

import re

from tests.conftest import join_phone, login_new_facilitator, new_client, post


async def workshop_with(client, *steps: dict) -> tuple[int, str]:
    response = await post(client, "/workshops", {"title": "Keuzes", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    for step in steps:
        added = await post(client, f"/workshops/{workshop_id}/steps", step)
        assert added.status_code == 303, added.text
    await post(client, f"/workshops/{workshop_id}/start")
    page = (await client.get(f"/workshops/{workshop_id}")).text
    return workshop_id, re.search(r'class="join-code-small">([A-Z0-9]{6})<', page).group(1)


async def respond(phone, workshop_id: int, fields: dict, htmx: bool = True):
    page = (await phone.get(f"/p/{workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
    headers = {"HX-Request": "true"} if htmx else {}
    return await post(
        phone, f"/p/{workshop_id}/responses", {"step_id": step_id, "idempotency_key": key, **fields}, headers=headers
    )


POLL = {
    "kind": "poll",
    "prompt": "Welke vorm past bij ons?",
    "options": "Werkafspraak\nConvenant\nIntentieovereenkomst",
}
SCALE = {
    "kind": "scale",
    "prompt": "Twee voorwaarden",
    "statements": "Wij erkennen de meerwaarde van samenwerking.\nWij maken tijd en aandacht vrij.",
    "scale": "agree5",
}


async def test_a_poll_per_party_with_a_changed_vote(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, POLL)
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")
    phone_page = (await gemeente.get(f"/p/{workshop_id}")).text
    assert 'type="radio" name="choice"' in phone_page and "Convenant" in phone_page

    first = await respond(gemeente, workshop_id, {"choice": "1"})
    assert first.status_code == 200 and "checked" in first.text
    changed = await respond(gemeente, workshop_id, {"choice": "2"})  # a changed vote replaces the old one
    assert changed.status_code == 200
    await respond(initiatief, workshop_id, {"choice": "2"}, htmx=False)
    bad = await respond(initiatief, workshop_id, {"choice": "7"})
    assert bad.status_code == 422 and "niet een van de" in bad.text.lower() or bad.status_code == 422
    none = await respond(initiatief, workshop_id, {})
    assert none.status_code == 422

    board = (await client.get(f"/board/{workshop_id}")).text
    assert "<svg" in board and "2 reacties" in board
    table = re.search(r'<table class="chart-table">.*?</table>', board, re.S).group(0)
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)', table))
    cells = {k: re.findall(r"<td[^>]*>([^<]*)</td>", v) for k, v in rows.items()}
    assert cells["Intentieovereenkomst"][:3] == ["1", "1", "2"]  # Gemeente, Initiatief, Iedereen
    assert cells["Convenant"][:3] == ["0", "0", "0"]

    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    assert "Intentieovereenkomst" in markdown
    await gemeente.aclose()
    await initiatief.aclose()


async def test_a_scale_with_the_gap_between_parties_marked(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, SCALE)
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")
    assert (await respond(gemeente, workshop_id, {"rating-0": "5", "rating-1": "2"})).status_code == 200
    assert (await respond(initiatief, workshop_id, {"rating-0": "4", "rating-1": "5"})).status_code == 200
    assert (await respond(initiatief, workshop_id, {"rating-0": "9"})).status_code == 422
    board = (await client.get(f"/board/{workshop_id}")).text
    gaps = re.search(r'<div class="gaps".*?</div>', board, re.S).group(0)
    assert "Wij maken tijd en aandacht vrij." in gaps  # 2 against 5: a large gap
    assert "meerwaarde" not in gaps  # 5 against 4: close
    assert "Hoe vaak elk punt is gegeven, per partij" in board  # the distribution, not only the means
    await gemeente.aclose()
    await initiatief.aclose()


async def test_bad_step_settings_are_refused_with_a_message(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Fout", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    one_option = await post(client, f"/workshops/{workshop_id}/steps", {**POLL, "options": "Alleen deze"})
    assert one_option.status_code == 422
    unknown = await post(client, f"/workshops/{workshop_id}/steps", {**POLL, "kind": "tarot"})
    assert unknown.status_code == 422
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Welke vorm past bij ons?" not in console
