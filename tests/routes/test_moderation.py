"""Moderation and answering on someone's behalf through the ASGI app: CSRF, ownership, bad input, and the HTML
that console, board and phone then show."""

import re

from tests.conftest import (
    create_started_workshop,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    new_client,
    post,
)
from tests.routes.test_access import second_facilitator

HTMX = {"HX-Request": "true"}


async def phone_note(phone, workshop_id: int, text: str) -> None:
    page = (await phone.get(f"/p/{workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
    response = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": text, "idempotency_key": idempotency_key_of(page)},
        headers=HTMX,
    )
    assert response.status_code == 200, response.text


def answer_id_of(html: str, text: str) -> str:
    return re.search(r'id="mod-answer-(\d+)"[^>]*>\s*<p class="note-text" hx-disable>' + re.escape(text), html).group(1)


async def test_a_moderated_step_through_console_board_and_phone(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    step_id = re.search(r"/steps/(\d+)/hidden", (await client.get(f"/workshops/{workshop_id}")).text).group(1)
    response = await post(client, f"/workshops/{workshop_id}/steps/{step_id}/moderated", {"moderated": "true"})
    assert response.status_code == 303
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente", "Gert")
    await phone_note(phone, workshop_id, "Samen <b>optrekken</b>")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert (
        'Wachten op goedkeuring (<span id="mod-pending-count">1</span>)' in console
        and "Samen &lt;b&gt;optrekken&lt;/b&gt;" in console
    )
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "optrekken" not in board and "1 bijdrage wacht op goedkeuring" in board
    assert "Wacht op goedkeuring van de begeleider" in (await phone.get(f"/p/{workshop_id}")).text
    answer_id = answer_id_of(console, "Samen &lt;b&gt;optrekken")
    assert (
        await post(client, f"/workshops/{workshop_id}/answers/{answer_id}/approve", headers=HTMX)
    ).status_code == 204
    assert "Samen &lt;b&gt;optrekken&lt;/b&gt;" in (await client.get(f"/board/{workshop_id}")).text

    # Correct, highlight, group: board shows it; the phone sees the corrected text.
    base = f"/workshops/{workshop_id}/answers/{answer_id}"
    assert (await post(client, f"{base}/text", {"text": "Samen optrekken"}, headers=HTMX)).status_code == 204
    assert (await post(client, f"{base}/highlight", {"highlighted": "true"}, headers=HTMX)).status_code == 204
    assert (await post(client, f"{base}/cluster", {"cluster": "Samenwerking"}, headers=HTMX)).status_code == 204
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "Samenwerking" in board and "Uitgelicht" in board and "Samen optrekken" in board
    mine = (await phone.get(f"/p/{workshop_id}")).text
    assert "Samen optrekken" in mine and "Verbeterd door de begeleider" in mine
    await phone.aclose()


async def test_bad_input_gets_a_clear_message_and_changes_nothing(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    await phone_note(phone, workshop_id, "Eerste")
    answer_id = answer_id_of((await client.get(f"/workshops/{workshop_id}")).text, "Eerste")
    empty = await post(client, f"/workshops/{workshop_id}/answers/{answer_id}/text", {"text": "  "}, headers=HTMX)
    assert empty.status_code == 422 and "leeg" in empty.text
    itself = await post(
        client, f"/workshops/{workshop_id}/merge", {"answer_id": answer_id, "into_id": answer_id}, headers=HTMX
    )
    assert itself.status_code == 422 and "niet met zichzelf" in itself.text
    missing = await post(client, f"/workshops/{workshop_id}/answers/999999/hidden", {"hidden": "true"}, headers=HTMX)
    assert missing.status_code == 404
    assert "Eerste" in (await client.get(f"/board/{workshop_id}")).text
    await phone.aclose()


async def test_moderation_needs_csrf_and_ownership(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    await phone_note(phone, workshop_id, "Van de gemeente")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    answer_id = answer_id_of(console, "Van de gemeente")
    participant_id = re.search(r"/participants/(\d+)/remove", console).group(1)
    no_token = await client.post(f"/workshops/{workshop_id}/answers/{answer_id}/hidden", data={"hidden": "true"})
    assert no_token.status_code == 403
    bert = await second_facilitator(app, client)
    for url, data in (
        (f"/workshops/{workshop_id}/answers/{answer_id}/hidden", {"hidden": "true"}),
        (f"/workshops/{workshop_id}/participants/{participant_id}/remove", {}),
        (f"/workshops/{workshop_id}/on-behalf/people", {"party_id": "1"}),
    ):
        assert (await post(bert, url, data)).status_code == 404
    assert (await bert.get(f"/workshops/{workshop_id}/on-behalf")).status_code == 404
    # A phone cannot moderate either: it has no facilitator login.
    refused = await post(phone, f"/workshops/{workshop_id}/answers/{answer_id}/hidden", {"hidden": "true"})
    assert refused.status_code in (303, 401)
    assert "Van de gemeente" in (await client.get(f"/board/{workshop_id}")).text
    await bert.aclose()
    await phone.aclose()


async def test_a_removed_participant_is_told_and_may_join_again_as_someone_new(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente", "Storend")
    await phone_note(phone, workshop_id, "Onzin")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    participant_id = re.search(r"/participants/(\d+)/remove", console).group(1)
    assert (await post(client, f"/workshops/{workshop_id}/participants/{participant_id}/remove")).status_code == 303
    assert "Onzin" not in (await client.get(f"/board/{workshop_id}")).text
    page = await phone.get(f"/p/{workshop_id}")
    assert page.status_code == 403 and "Je bent door de begeleider uit deze sessie gehaald" in page.text
    page = (await phone.get(f"/p/{workshop_id}")).text
    blocked = await post(
        phone, f"/p/{workshop_id}/answers", {"step_id": "1", "text": "Toch", "idempotency_key": "x"}, headers=HTMX
    )
    assert blocked.status_code == 403
    # The join page offers to join again, as a new participant with a new cookie.
    assert (await phone.get(f"/j/{code}")).status_code == 200
    await join_phone(phone, code, "Gemeente", "Opnieuw")
    assert (await phone.get(f"/p/{workshop_id}")).status_code == 200
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Verwijderd" in console and "Opnieuw" in console
    await phone.aclose()


async def test_answering_on_someones_behalf_from_the_console(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert 'id="console-on-behalf"' in console
    form = (await client.get(f"/workshops/{workshop_id}/on-behalf", headers=HTMX)).text
    party_id = re.search(r'name="party_id" value="(\d+)"[^>]*>\s*<span>Initiatief</span>', form).group(1)
    bad = await post(client, f"/workshops/{workshop_id}/on-behalf/people", {"party_id": ""}, headers=HTMX)
    assert bad.status_code == 422 and "partij" in bad.text
    added = await post(
        client,
        f"/workshops/{workshop_id}/on-behalf/people",
        {"party_id": party_id, "display_name": "Joke"},
        headers=HTMX,
    )
    assert added.status_code == 200
    person_id = re.search(r'/on-behalf/(\d+)/answers"', added.text).group(1)
    step_id = re.search(r'name="step_id" value="(\d+)"', added.text).group(1)
    data = {"step_id": step_id, "text": "Meer draagvlak", "idempotency_key": idempotency_key_of(added.text)}
    url = f"/workshops/{workshop_id}/on-behalf/{person_id}/answers"
    first = await post(client, url, data, headers=HTMX)
    again = await post(client, url, data, headers=HTMX)  # a double click
    assert first.status_code == again.status_code == 200 and "Opgeslagen" in first.text
    board = (await client.get(f"/board/{workshop_id}")).text
    assert board.count("Meer draagvlak") == 1 and "ingevoerd door de begeleider" in board
    empty = await post(client, url, {**data, "text": " ", "idempotency_key": "fresh"}, headers=HTMX)
    assert empty.status_code == 422 and "leeg" in empty.text


async def test_consent_to_an_agreement_on_someones_behalf(app, client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Borgen", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    await post(client, f"/workshops/{workshop_id}/steps", {"kind": "agreements", "prompt": "Welke afspraken?"})
    await post(client, f"/workshops/{workshop_id}/start")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', console).group(1)
    await post(client, f"/workshops/{workshop_id}/agreements", {"step_id": step_id, "text": "Maandelijks overleg"})
    form = (await client.get(f"/workshops/{workshop_id}/on-behalf", headers=HTMX)).text
    party_id = re.search(r'name="party_id" value="(\d+)"[^>]*>\s*<span>Gemeente</span>', form).group(1)
    added = await post(
        client,
        f"/workshops/{workshop_id}/on-behalf/people",
        {"party_id": party_id, "display_name": "Joke"},
        headers=HTMX,
    )
    person_id, agreement_id = re.search(r'/on-behalf/(\d+)/agreements/(\d+)"', added.text).groups()
    assert "Maandelijks overleg" in added.text and 'hx-target="#console-on-behalf"' in added.text
    url = f"/workshops/{workshop_id}/on-behalf/{person_id}/agreements/{agreement_id}"

    no_reason = await post(client, url, {"level": "object", "reason": ""}, headers=HTMX)
    assert no_reason.status_code == 422 and "reden" in no_reason.text
    assert re.search(r'value="object" required\s+checked', no_reason.text)  # the choice comes back
    agreed = await post(client, url, {"level": "agree"}, headers=HTMX)
    assert agreed.status_code == 200 and "Opgeslagen" in agreed.text
    board = (await client.get(f"/board/{workshop_id}")).text
    gemeente_row = re.search(r"Gemeente</th>(.*?)</tr>", board, re.S).group(1)
    assert re.findall(r'<td class="num[^"]*">(\d+)</td>', gemeente_row)[0] == "1"  # one eens for Gemeente
    bert = await second_facilitator(app, client)
    assert (await post(bert, url, {"level": "agree"}, headers=HTMX)).status_code == 404
