"""Agreements through the app: the facilitator drafts live, phones give consent per party, objections need reasons."""

import re

from tests.conftest import join_phone, login_new_facilitator, new_client, post


async def agreements_room(client) -> tuple[int, str, str]:
    response = await post(client, "/workshops", {"title": "Borg het partnerschap", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    await post(client, f"/workshops/{workshop_id}/steps", {"kind": "agreements", "prompt": "Welke afspraken maken we?"})
    await post(client, f"/workshops/{workshop_id}/start")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    code = re.search(r'class="join-code-small">([A-Z0-9]{6})<', console).group(1)
    step_id = re.search(r'name="step_id" value="(\d+)"', console).group(1)
    return workshop_id, code, step_id


async def consent(phone, workshop_id: int, agreement_id: str, level: str, reason: str = ""):
    return await post(
        phone,
        f"/p/{workshop_id}/agreements/{agreement_id}",
        {"level": level, "reason": reason},
        headers={"HX-Request": "true"},
    )


async def test_draft_consent_and_objections_per_party(app, client):
    await login_new_facilitator(client)
    workshop_id, code, step_id = await agreements_room(client)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    gemeente_id = re.search(r'<option value="(\d+)">Gemeente</option>', console).group(1)
    drafted = await post(
        client,
        f"/workshops/{workshop_id}/agreements",
        {
            "step_id": step_id,
            "text": "We overleggen elke maand",
            "type": "working",
            "owner_party_id": gemeente_id,
            "due_on": "2027-01-31",
        },
        headers={"HX-Request": "true"},
    )
    assert drafted.status_code == 204
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")
    phone = (await initiatief.get(f"/p/{workshop_id}")).text
    assert "We overleggen elke maand" in phone and 'name="level"' in phone
    agreement_id = re.search(r'/agreements/(\d+)"', phone).group(1)

    assert (await consent(gemeente, workshop_id, agreement_id, "agree")).status_code == 200
    no_reason = await consent(initiatief, workshop_id, agreement_id, "object")
    assert no_reason.status_code == 422 and "reden" in no_reason.text
    objected = await consent(initiatief, workshop_id, agreement_id, "object", "Te vaak voor vrijwilligers")
    assert objected.status_code == 200 and "checked" in objected.text

    board = (await client.get(f"/board/{workshop_id}")).text
    assert "We overleggen elke maand" in board and "werkafspraak" in board
    table = re.search(r'<table class="chart-table consent-table">.*?</table>', board, re.S).group(0)
    rows = {
        name: re.findall(r"<td[^>]*>(\d+)</td>", cells)
        for name, cells in re.findall(r'<th scope="row">([^<]+)</th>(.*?)</tr>', table, re.S)
    }
    assert rows == {"Gemeente": ["1", "0", "0"], "Initiatief": ["0", "0", "1"]}
    assert "Te vaak voor vrijwilligers" in board

    status = await post(
        client,
        f"/workshops/{workshop_id}/agreements/{agreement_id}/status",
        {"status": "agreed"},
        headers={"HX-Request": "true"},
    )
    assert status.status_code == 204
    assert "akkoord" in (await client.get(f"/board/{workshop_id}")).text
    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    assert "We overleggen elke maand" in markdown and "Te vaak voor vrijwilligers" in markdown
    csv_rows = (await client.get(f"/workshops/{workshop_id}/export.csv")).text.splitlines()
    consent_rows = [row for row in csv_rows if "We overleggen elke maand" in row]
    assert len(consent_rows) == 2  # one row per consent given
    assert any("Initiatief" in row and "bezwaar (Te vaak voor vrijwilligers)" in row for row in consent_rows)
    await gemeente.aclose()
    await initiatief.aclose()


async def test_phones_cannot_draft_and_notes_are_refused(app, client):
    await login_new_facilitator(client)
    workshop_id, code, step_id = await agreements_room(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    forged = await post(phone, f"/workshops/{workshop_id}/agreements", {"step_id": step_id, "text": "Gekaapt"})
    assert forged.status_code in (303, 401)  # not a facilitator
    note = await post(
        phone, f"/p/{workshop_id}/answers", {"step_id": step_id, "text": "notitie", "idempotency_key": "k"}
    )
    assert note.status_code == 422
    assert "Gekaapt" not in (await client.get(f"/board/{workshop_id}")).text
    await phone.aclose()
