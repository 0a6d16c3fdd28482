"""Dots through the app: the console adds a dots step or carries an open question's notes forward, phones spend
their dots, the board shows the ranking per party, the exports include the dots."""

import csv
import io
import re

from tests.conftest import join_phone, login_new_facilitator, new_client, post
from tests.routes.test_access import second_facilitator
from tests.routes.test_kinds import respond, workshop_with

DOTS = {
    "kind": "dots",
    "prompt": "Waar beginnen we?",
    "items": "Zonnedak school\nWarmtenet Noord\nBuurtbatterij",
    "budget": "5",
    "max_per_item": "3",
}


def table_cells(html: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="chart-table">.*?</table>', html, re.S).group(0)
    rows = re.findall(r'<th scope="row">([^<]+)</th>((?:<td[^>]*>[^<]*</td>)+)', table)
    return {name: re.findall(r"<td[^>]*>([^<]*)</td>", cells) for name, cells in rows}


def top_lists(html: str) -> dict[str, list[str]]:
    """Each party's "Top 3" heading with the items of its ranking list, in order."""
    sections = re.findall(r"<h3 id=\"[^\"]*dots-top-\d+\">Top 3 (\w+)</h3>(.*?)</section>", html, re.S)
    return {party: re.findall(r"<li><span hx-disable>([^<]+)</span>", body) for party, body in sections}


async def test_phones_spend_dots_and_the_board_ranks_per_party(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, DOTS)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Stippen (prioriteren)" in console  # the kind is offered in the console
    gemeente, initiatief, tweede = await new_client(app), await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")
    await join_phone(tweede, code, "Initiatief")

    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    assert "Je hebt 5 stippen te verdelen." in phone and "Hoogstens 3 stippen per item." in phone
    inputs = re.findall(r'<input id="(dots-\d+-\d)" name="dots-(\d)" type="number"[^>]*min="0" max="3"', phone)
    assert [n for _id, n in inputs] == ["0", "1", "2"]
    for input_id, _n in inputs:
        assert f'<label for="{input_id}">' in phone  # every number input has its label

    assert (await respond(gemeente, workshop_id, {"dots-0": "3", "dots-1": "2"})).status_code == 200
    too_many = await respond(gemeente, workshop_id, {"dots-0": "3", "dots-1": "3"})
    assert too_many.status_code == 422 and "Je hebt maar 5 stippen; je hebt er 6 verdeeld." in too_many.text
    # The refused form comes back as it was sent (3 and 3), not as the saved response (3 and 2).
    sent_back = dict(re.findall(r'name="dots-(\d)" type="number"[^>]*value="([^"]*)"', too_many.text))
    assert sent_back == {"0": "3", "1": "3", "2": ""}
    on_one = await respond(gemeente, workshop_id, {"dots-2": "4"})
    assert on_one.status_code == 422 and "het maximum is 3" in on_one.text
    negative = await respond(gemeente, workshop_id, {"dots-0": "-1", "dots-1": "2"})
    assert negative.status_code == 422 and "negatief" in negative.text
    nothing = await respond(gemeente, workshop_id, {"dots-0": "", "dots-1": "0"})
    assert nothing.status_code == 422 and "Zet minstens één stip" in nothing.text
    # The refused ones changed nothing: the phone shows the distribution it sent first.
    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    assert re.findall(r'name="dots-\d" type="number"[^>]*value="(\d+)"', phone) == ["3", "2", "0"]

    assert (await respond(initiatief, workshop_id, {"dots-2": "3", "dots-1": "2"}, htmx=False)).status_code == 303
    assert (await respond(tweede, workshop_id, {"dots-2": "1", "dots-0": "1"})).status_code == 200
    changed = await respond(tweede, workshop_id, {"dots-2": "2"})  # a new distribution replaces the old one
    assert changed.status_code == 200

    board = (await client.get(f"/board/{workshop_id}")).text
    assert "<svg" in board and "3 reacties" in board and "5 stippen per persoon" in board
    cells = table_cells(board)
    assert list(cells) == ["Buurtbatterij", "Warmtenet Noord", "Zonnedak school"]  # overall ranking: 5, 4, 3
    assert cells["Buurtbatterij"] == ["0", "5", "5"]  # Gemeente, Initiatief, Iedereen
    assert cells["Warmtenet Noord"] == ["2", "2", "4"]
    assert cells["Zonnedak school"] == ["3", "0", "3"]
    tops = top_lists(board)
    assert tops == {
        "Gemeente": ["Zonnedak school", "Warmtenet Noord"],
        "Initiatief": ["Buurtbatterij", "Warmtenet Noord"],
    }

    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    assert "| Buurtbatterij | 0 | 5 | 5 |" in markdown
    assert markdown.index("Buurtbatterij") < markdown.index("Warmtenet Noord") < markdown.index("Zonnedak school")
    rows = list(csv.reader(io.StringIO((await client.get(f"/workshops/{workshop_id}/export.csv")).text)))
    answers = sorted(row[5] for row in rows[1:])
    assert answers == [
        "Buurtbatterij: 2",
        "Warmtenet Noord: 2; Buurtbatterij: 3",
        "Zonnedak school: 3; Warmtenet Noord: 2",
    ]
    for phone_client in (gemeente, initiatief, tweede):
        await phone_client.aclose()


async def test_bad_dots_settings_are_refused_with_a_dutch_message(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Fout", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    over = await post(client, f"/workshops/{workshop_id}/steps", {**DOTS, "budget": "3", "max_per_item": "4"})
    assert over.status_code == 422 and "tot en met 3" in over.text
    one = await post(client, f"/workshops/{workshop_id}/steps", {**DOTS, "items": "Alleen dit"})
    assert one.status_code == 422 and "minstens 2 items" in one.text
    assert "Waar beginnen we?" not in (await client.get(f"/workshops/{workshop_id}")).text


OPEN = {"kind": "open", "prompt": "Wat is belangrijk?"}


async def test_carry_forward_makes_a_dots_step_from_the_chosen_notes(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, OPEN)
    phones = []
    for party, text in [
        ("Gemeente", "Betaalbare warmte"),
        ("Initiatief", "betaalbare  warmte"),
        ("Initiatief", "Eigenaarschap <b>buurt</b>"),
        ("Gemeente", "Snelheid"),
    ]:
        phone = await new_client(app)
        await join_phone(phone, code, party)
        page = (await phone.get(f"/p/{workshop_id}")).text
        step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
        key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
        await post(phone, f"/p/{workshop_id}/answers", {"step_id": step_id, "text": text, "idempotency_key": key})
        phones.append(phone)

    console = (await client.get(f"/workshops/{workshop_id}")).text
    link = re.search(rf'href="(/workshops/{workshop_id}/steps/(\d+)/carry)"', console)
    assert link, "the console links an open question to carry forward"
    page = await client.get(link.group(1))
    assert page.status_code == 200
    boxes = re.findall(r'<input type="checkbox" name="note" value="([^"]*)"\s*checked>', page.text)
    assert boxes == ["Snelheid", "Eigenaarschap &lt;b&gt;buurt&lt;/b&gt;", "Betaalbare warmte"]  # all checked, escaped
    assert "<b>buurt</b>" not in page.text
    assert "Geschreven door meerdere partijen: Gemeente, Initiatief" in page.text
    assert (
        'value="Waar wil je je stippen op zetten?"' in page.text or ">Waar wil je je stippen op zetten?<" in page.text
    )

    url = link.group(1)
    too_few = await post(client, url, {"note": ["Snelheid"], "prompt": "Stippen", "budget": "5"})
    assert too_few.status_code == 422 and "Kies minstens 2 antwoorden." in too_few.text
    kept = re.findall(r'<input type="checkbox" name="note" value="([^"]*)"\s*checked>', too_few.text)
    assert kept == ["Snelheid"]  # the page keeps the facilitator's choice
    bad_budget = await post(client, url, {"note": ["Snelheid", "Betaalbare warmte"], "prompt": "S", "budget": "99"})
    assert bad_budget.status_code == 422 and "tot en met 20" in bad_budget.text
    forged = await post(client, url, {"note": ["Snelheid", "Iets anders"], "prompt": "S", "budget": "5"})
    assert forged.status_code == 422

    made = await post(
        client, url, {"note": ["Snelheid", "BETAALBARE WARMTE"], "prompt": "Waar zetten we op in?", "budget": "4"}
    )
    assert made.status_code == 303 and made.headers["location"].startswith(f"/workshops/{workshop_id}#step-")
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert console.count("Waar zetten we op in?") >= 1
    await post(client, f"/workshops/{workshop_id}/next")
    phone = (await phones[0].get(f"/p/{workshop_id}")).text
    assert "Waar zetten we op in?" in phone and "Je hebt 4 stippen te verdelen." in phone
    labels = re.findall(r'<label for="dots-\d+-\d"><span hx-disable>([^<]+)</span>', phone)
    assert labels == ["Snelheid", "Betaalbare warmte"]  # only the selection, in the page's order
    for phone_client in phones:
        await phone_client.aclose()


async def test_carry_forward_is_for_the_owner_and_needs_the_csrf_token(app, client):
    await login_new_facilitator(client)
    workshop_id, _code = await workshop_with(client, OPEN)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    url = re.search(rf'href="(/workshops/{workshop_id}/steps/\d+/carry)"', console).group(1)
    no_token = await client.post(url, data={"note": ["a", "b"], "prompt": "x", "budget": "5"})
    assert no_token.status_code == 403
    anonymous = await new_client(app)
    response = await anonymous.get(url, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    bert = await second_facilitator(app, client)
    assert (await bert.get(url)).status_code == 404
    forged = await post(bert, url, {"note": ["a", "b"], "prompt": "x", "budget": "5"})
    assert forged.status_code == 404
    assert "dots" not in (await client.get(f"/workshops/{workshop_id}/method.yaml")).text  # nothing was added
    await anonymous.aclose()
    await bert.aclose()
