"""Open questions through the app: categories on the phone and per party on the board, a word cloud on the board,
and both in the exports (Dutch UI)."""

import csv
import io
import re

from tests.conftest import current_step_id_of, idempotency_key_of, join_phone, login_new_facilitator, new_client, post

RISKS = {
    "kind": "open",
    "prompt": "Wat zie je aankomen?",
    "categories": "Kansen\nRisico's\nOnzekerheden",
    "display": "notes",
}
CLOUD = {"kind": "open", "prompt": "Eén woord voor samenwerking?", "categories": "", "display": "wordcloud"}


async def started_workshop(client, step: dict) -> tuple[int, str]:
    response = await post(client, "/workshops", {"title": "Verkenning", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    added = await post(client, f"/workshops/{workshop_id}/steps", step)
    assert added.status_code == 303, added.text
    await post(client, f"/workshops/{workshop_id}/start")
    page = (await client.get(f"/workshops/{workshop_id}")).text
    return workshop_id, re.search(r'class="join-code-small">([A-Z0-9]{6})<', page).group(1)


async def note(phone, workshop_id: int, text: str, category: str | None = None, htmx: bool = True):
    page = (await phone.get(f"/p/{workshop_id}")).text
    fields = {"step_id": current_step_id_of(page), "idempotency_key": idempotency_key_of(page), "text": text}
    if category is not None:
        fields["category"] = category
    headers = {"HX-Request": "true"} if htmx else {}
    return await post(phone, f"/p/{workshop_id}/answers", fields, headers=headers)


def column(html: str, prefix: str, party: str) -> str:
    """The HTML of one party's column."""
    sections = re.findall(
        r'<section class="party-column[^"]*" aria-labelledby="' + prefix + r'-party-\d+">.*?</section>', html, re.S
    )
    return next(s for s in sections if re.search(rf"<h3[^>]*>{party}\s", s))


def groups(section: str) -> dict[str, list[str]]:
    found = {}
    for name, body in re.findall(
        r'<h4 class="category-name"><span hx-disable>([^<]*)</span>.*?</h4>(.*?)</ul>', section, re.S
    ):
        found[name] = re.findall(r'<span class="note-text" hx-disable>([^<]*)</span>', body)
    return found


async def test_notes_in_categories_from_phone_to_board_and_exports(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await started_workshop(client, RISKS)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Open vraag: categorieën, één per regel (optioneel)" in console and "Open vraag: weergave" in console
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")

    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    fieldset = re.search(r'<fieldset class="categories".*?</fieldset>', phone, re.S).group(0)
    assert "<legend>Categorie</legend>" in fieldset
    assert re.findall(r'type="radio" name="category" value="(\d)"', fieldset) == ["0", "1", "2"]
    assert "Risico&#39;s" in fieldset

    missing = await note(gemeente, workshop_id, "Zonder categorie verstuurd")
    assert missing.status_code == 422 and "Kies een categorie voor je bijdrage." in missing.text
    assert "Zonder categorie verstuurd" in missing.text  # the text is kept
    wrong = await note(gemeente, workshop_id, "Verkeerd", category="9", htmx=False)
    assert wrong.status_code == 422 and "Dat is niet een van de categorieën." in wrong.text
    assert 'value="9"' not in wrong.text

    saved = await note(gemeente, workshop_id, "Lokale banen", category="0")
    assert saved.status_code == 200 and '<p class="note-category" hx-disable>Kansen</p>' in saved.text
    assert (await note(gemeente, workshop_id, "Netcongestie", category="1")).status_code == 200
    assert (await note(initiatief, workshop_id, "Subsidie stopt", category="2", htmx=False)).status_code == 303

    board = (await client.get(f"/board/{workshop_id}")).text
    assert 'class="party-columns cols-2 categorised cats-3"' in board
    assert groups(column(board, "board", "Gemeente")) == {
        "Kansen": ["Lokale banen"],
        "Risico&#39;s": ["Netcongestie"],
        "Onzekerheden": [],
    }
    assert groups(column(board, "board", "Initiatief")) == {
        "Kansen": [],
        "Risico&#39;s": [],
        "Onzekerheden": ["Subsidie stopt"],
    }
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert groups(column(console, "console", "Gemeente"))["Kansen"] == ["Lokale banen"]

    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    gemeente_part = markdown.split("### Gemeente")[1].split("### Initiatief")[0]
    assert "#### Kansen\n\n- Lokale banen" in gemeente_part
    assert "#### Risico's\n\n- Netcongestie" in gemeente_part
    assert "Onzekerheden" not in gemeente_part  # an empty category is left out of the report
    assert "#### Onzekerheden\n\n- Subsidie stopt" in markdown.split("### Initiatief")[1]

    rows = list(
        csv.reader(io.StringIO((await client.get(f"/workshops/{workshop_id}/export.csv")).text.lstrip("\ufeff")))
    )
    assert rows[0][7] == "Categorie"  # the marks column (report) follows it
    assert {(r[2], r[5], r[7]) for r in rows[1:]} == {
        ("Gemeente", "Lokale banen", "Kansen"),
        ("Gemeente", "Netcongestie", "Risico's"),
        ("Initiatief", "Subsidie stopt", "Onzekerheden"),
    }
    await gemeente.aclose()
    await initiatief.aclose()


async def test_a_word_cloud_per_party_on_the_board_and_notes_on_the_console(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await started_workshop(client, CLOUD)
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")
    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    assert "<fieldset" not in phone  # no categories: just the note
    refused = await note(gemeente, workshop_id, "Vertrouwen", category="0")
    assert refused.status_code == 422 and "Deze vraag heeft geen categorieën." in refused.text
    for text in ("Vertrouwen", "vertrouwen en tijd", "Tijd", "Vertrouwen!"):
        assert (await note(gemeente, workshop_id, text)).status_code == 200
    assert (await note(initiatief, workshop_id, "<b>Geld</b> en de <script>x</script>")).status_code == 200

    board = (await client.get(f"/board/{workshop_id}")).text
    words = re.findall(
        r'<li class="cloud-word cloud-(\d)">([^<]*)<span class="visually-hidden"> \(([^)]*)\)</span></li>',
        column(board, "board", "Gemeente"),
    )
    assert words == [("5", "vertrouwen", "3 keer"), ("4", "tijd", "2 keer")]  # "en" is dropped
    initiatief_words = re.findall(r'<li class="cloud-word[^"]*">([^<]*)<', column(board, "board", "Initiatief"))
    assert initiatief_words == ["script", "geld"]  # markup is just text (twice "script"); "de", "en" are stop words
    assert "<script>x" not in board and '<ul class="word-cloud" hx-disable>' in board

    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "word-cloud" not in console and "Vertrouwen!" in console  # the console keeps the notes themselves
    assert "Op het bord als woordwolk." in console
    await gemeente.aclose()
    await initiatief.aclose()


async def test_bad_categories_are_refused_with_a_message(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Fout", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    double = await post(client, f"/workshops/{workshop_id}/steps", {**RISKS, "categories": "Kansen\nKansen"})
    assert double.status_code == 422
    seven = await post(client, f"/workshops/{workshop_id}/steps", {**RISKS, "categories": "\n".join("ABCDEFG")})
    assert seven.status_code == 422
    assert "Wat zie je aankomen?" not in (await client.get(f"/workshops/{workshop_id}")).text
