"""Role division through the app: the console adds the step, two phones of different parties respond, the board
shows per task where the parties agree and where they differ, and the exports include it."""

import html
import re

from tests.conftest import join_phone, login_new_facilitator, new_client, post
from tests.routes.test_kinds import respond, workshop_with

ROLES_STEP = {
    "kind": "roles",
    "prompt": "Wie doet wat?",
    "tasks": "Communicatie met bewoners\nSubsidieaanvraag <b>",
}


def selects_of(page: str) -> dict[str, str]:
    """The role selects on a phone: field name -> its label text."""
    labels = dict(re.findall(r'<label for="(role-\d+-\d+)"[^>]*>([^<]+)</label>', page))
    assert set(labels) == set(re.findall(r'<select id="[^"]+" name="(role-\d+-\d+)"', page))
    return labels


def row_of(board: str, task: str) -> str:
    return re.search(
        rf"<tr class=\"roles-row[^\"]*\">\s*<th scope=\"row\" hx-disable>{re.escape(task)}</th>.*?</tr>", board, re.S
    ).group(0)


async def test_two_parties_divide_roles_and_the_board_shows_agreement_and_difference(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, ROLES_STEP)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Rolverdeling" in console and 'name="tasks"' in console
    gemeente, initiatief = await new_client(app), await new_client(app)
    await join_phone(gemeente, code, "Gemeente")
    await join_phone(initiatief, code, "Initiatief")

    phone_page = (await gemeente.get(f"/p/{workshop_id}")).text
    labels = selects_of(phone_page)
    assert len(labels) == 4  # two tasks x two parties
    ids = {name: field.rsplit("-", 1)[1] for field, name in ((f, labels[f].removeprefix("Rol van ")) for f in labels)}
    g, i = ids["Gemeente"], ids["Initiatief"]
    assert "<legend hx-disable>Subsidieaanvraag &lt;b&gt;</legend>" in phone_page  # task text escaped
    assert ">trekker<" in phone_page and ">niet betrokken<" in phone_page and ">—<" in phone_page

    # Gemeente first says it is only informed about the communication, then changes its mind.
    first = await respond(gemeente, workshop_id, {f"role-0-{g}": "informed"})
    assert first.status_code == 200
    changed = await respond(
        gemeente,
        workshop_id,
        {f"role-0-{g}": "lead", f"role-0-{i}": "contributor", f"role-1-{g}": "informed", f"role-1-{i}": "lead"},
    )
    assert changed.status_code == 200
    assert re.search(r'<option value="lead" selected>trekker</option>', changed.text)  # preselected from the response
    await respond(
        initiatief,
        workshop_id,
        {f"role-0-{g}": "lead", f"role-0-{i}": "contributor", f"role-1-{g}": "lead", f"role-1-{i}": "contributor"},
        htmx=False,
    )
    bad = await respond(initiatief, workshop_id, {f"role-0-{g}": "baas"})
    assert bad.status_code == 422 and "Dat is niet een van de rollen." in bad.text
    unknown_task = await respond(initiatief, workshop_id, {f"role-7-{g}": "lead"})
    assert unknown_task.status_code == 422 and "Die taak hoort niet bij dit onderdeel." in unknown_task.text
    nothing = await respond(initiatief, workshop_id, {f"role-0-{g}": ""})
    assert nothing.status_code == 422 and "Kies voor minstens één partij een rol." in nothing.text

    board = (await client.get(f"/board/{workshop_id}")).text
    assert "2 reacties" in board
    summary = re.search(r'<p class="roles-summary"[^>]*>.*?</p>', board, re.S).group(0)
    assert "Verschillen bij:" in summary and "Subsidieaanvraag &lt;b&gt;" in summary
    assert "Communicatie" not in summary
    agreed = row_of(board, "Communicatie met bewoners")
    assert 'Gemeente: trekker</span> · <span class="roles-view" hx-disable>Initiatief: trekker' in agreed
    assert "eens" in agreed and "✓" in agreed and "roles-differs" not in agreed
    differing = row_of(board, "Subsidieaanvraag &lt;b&gt;")
    assert "Gemeente: geïnformeerd" in differing and "Initiatief: trekker" in differing
    assert "verschil" in differing and "≠" in differing and "roles-differs" in differing
    assert "<b>" not in board

    csv = (await client.get(f"/workshops/{workshop_id}/export.csv")).text
    assert "Communicatie met bewoners: Gemeente: trekker, Initiatief: meedenker" in csv
    markdown = html.unescape((await client.get(f"/workshops/{workshop_id}/export.md")).text)
    assert "| Taak | Rol van | volgens Gemeente | volgens Initiatief | Oordeel |" in markdown
    assert re.search(r"\| Subsidieaanvraag \\<b\\> \| Gemeente \| geïnformeerd \| trekker \| verschil \|", markdown)
    await gemeente.aclose()
    await initiatief.aclose()


async def test_bad_role_settings_are_refused_and_change_nothing(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Fout", "method": ""})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    twice = await post(client, f"/workshops/{workshop_id}/steps", {**ROLES_STEP, "tasks": "Taak\nTaak"})
    assert twice.status_code == 422 and "Elke taak mag maar één keer voorkomen." in twice.text
    empty = await post(client, f"/workshops/{workshop_id}/steps", {**ROLES_STEP, "tasks": " "})
    assert empty.status_code == 422 and "Geef 1 tot 15 taken" in empty.text
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Wie doet wat?" not in console
