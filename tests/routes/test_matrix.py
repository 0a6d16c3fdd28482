"""2×2 matrix steps through the app: the console adds one, phones rate items, board and exports show per party."""

import csv
import io
import re

from tests.conftest import join_phone, login_new_facilitator, new_client, post
from tests.routes.test_kinds import respond, workshop_with

MATRIX = {
    "kind": "matrix",
    "prompt": "Welke risico's zien we?",
    "matrix_items": "Netcongestie\nVertraging vergunning\n<b>Geen</b> vrijwilligers",
    "x_label": "Impact",
    "y_label": "Waarschijnlijkheid",
}


async def test_the_console_offers_the_matrix_settings(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Risico's", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert '<option value="matrix">2×2-matrix</option>' in console
    assert '<label for="new-matrix-items">Matrix: de items, één per regel</label>' in console
    assert 'name="matrix_items"' in console and 'name="x_label"' in console and 'name="y_label"' in console
    bad = await post(client, f"/workshops/{workshop_id}/steps", {**MATRIX, "matrix_items": "Dubbel\nDubbel"})
    assert bad.status_code == 422
    assert "Welke risico" not in (await client.get(f"/workshops/{workshop_id}")).text


async def test_phones_rate_items_and_the_board_shows_the_plot_and_the_differences(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, MATRIX)
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")

    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    assert phone.count('type="radio" name="x-0"') == 5 and phone.count('type="radio" name="y-2"') == 5
    assert "<legend hx-disable>Impact</legend>" in phone and "<legend hx-disable>Waarschijnlijkheid</legend>" in phone
    assert "&lt;b&gt;Geen&lt;/b&gt; vrijwilligers" in phone and "<b>Geen</b>" not in phone
    assert "laag" in phone and "hoog" in phone

    # Half a rating is refused with a clear message and changes nothing.
    half = await respond(gemeente, workshop_id, {"x-1": "4"})
    assert half.status_code == 422
    assert "Geef „Vertraging vergunning” een score voor zowel impact als waarschijnlijkheid" in half.text
    assert re.search(r'name="x-1" value="4" checked', half.text)  # what was sent comes back, to be completed
    assert (await respond(gemeente, workshop_id, {})).status_code == 422
    assert (await respond(gemeente, workshop_id, {"x-0": "6", "y-0": "1"})).status_code == 422

    first = await respond(gemeente, workshop_id, {"x-0": "2", "y-0": "2", "x-1": "1", "y-1": "1"})
    assert first.status_code == 200
    assert re.search(r'name="x-1" value="1"\s+checked', first.text)  # the phone shows its current ratings
    changed = await respond(gemeente, workshop_id, {"x-0": "5", "y-0": "4", "x-1": "1", "y-1": "2"})
    assert changed.status_code == 200 and re.search(r'name="y-1" value="2"\s+checked', changed.text)
    assert 'name="clear-0"' in changed.text and 'name="clear-2"' not in changed.text
    plain = await respond(initiatief, workshop_id, {"x-0": "4", "y-0": "5", "x-1": "5", "y-1": "5"}, htmx=False)
    assert plain.status_code in (200, 303)

    board = (await client.get(f"/board/{workshop_id}")).text
    assert "2 reacties" in board
    svg = re.search(r'<svg[^>]*class="chart chart-matrix".*?</svg>', board, re.S).group(0)
    assert 'role="img"' in svg and "style=" not in svg
    desc = re.search(r"<desc[^>]*>(.*?)</desc>", svg, re.S).group(1)
    assert "1. Netcongestie: Gemeente Impact 5.0, Waarschijnlijkheid 4.0 (Impact hoog, Waarschijnlijkheid hoog)" in desc
    assert "2. Vertraging vergunning: Gemeente Impact 1.0, Waarschijnlijkheid 2.0" in desc
    assert "3. &lt;b&gt;Geen&lt;/b&gt; vrijwilligers: nog geen positie" in desc
    gaps = re.search(r'<div class="gaps".*?</div>', board, re.S).group(0)
    assert "Waar de partijen de items anders plaatsen" in gaps
    assert "Vertraging vergunning" in gaps and "Netcongestie" not in gaps  # 1/2 against 5/5; 5/4 against 4/5
    assert "Impact laag, Waarschijnlijkheid laag" in gaps and "afstand 5.0" in gaps
    table = re.search(r'<table class="chart-table matrix-table">.*?</table>', board, re.S).group(0)
    row = re.search(r"<tr[^>]*><th scope=\"row\">2\. Vertraging vergunning.*?</tr>", table, re.S).group(0)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["1.0/2.0 (n=1)", "5.0/5.0 (n=1)", "3.0/3.5 (n=2)"]
    assert "Impact gemiddeld, Waarschijnlijkheid hoog" in row

    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    assert "Gemeente x/y" in markdown and "Kwadrant" in markdown
    assert re.search(r"\| 1\\\. Netcongestie \| 5\\\.0/4\\\.0 \| 4\\\.0/5\\\.0 \| 4\\\.5/4\\\.5 \|", markdown)
    rows = list(csv.reader(io.StringIO((await client.get(f"/workshops/{workshop_id}/export.csv")).text)))
    cells = [r for r in rows if "Netcongestie: Impact 5, Waarschijnlijkheid 4" in " ".join(r)]
    assert len(cells) == 1 and "Vertraging vergunning: Impact 1, Waarschijnlijkheid 2" in " ".join(cells[0])
    await gemeente.aclose()
    await initiatief.aclose()


async def test_a_rating_can_be_cleared(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, MATRIX)
    phone = await new_client(app)
    await join_phone(phone, code, "Initiatief")
    await respond(phone, workshop_id, {"x-0": "3", "y-0": "3", "x-2": "1", "y-2": "5"})
    cleared = await respond(phone, workshop_id, {"x-0": "3", "y-0": "3", "x-2": "1", "y-2": "5", "clear-2": "1"})
    assert cleared.status_code == 200 and not re.search(r'name="x-2" value="\d"\s+checked', cleared.text)
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "1 reactie" in board and "vrijwilligers: nog geen positie" in board
    await phone.aclose()
