"""Role division in a real browser: one phone chooses the roles by keyboard only, a second phone answers too, and
the board's table shows per task where the parties agree and where they differ; axe on the phone and the board."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, goto_live, join, set_up_facilitator


def test_roles_chosen_by_keyboard_and_compared_on_the_board(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    console.goto("/workshops")
    console.get_by_label("Titel").fill("Rolverdeling")
    console.get_by_role("radio", name=re.compile("^Lege agenda")).check()
    console.get_by_role("button", name="Sessie aanmaken").click()
    console.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(console.url.rsplit("/", 1)[1])
    console.select_option("#new-kind", "roles")
    console.fill("#new-prompt", "Wie doet wat?")
    console.get_by_label("Rolverdeling: de taken, één per regel").fill("Bewonersavond\nSubsidieaanvraag")
    console.get_by_role("button", name="Onderdeel toevoegen").click()
    console.wait_for_url(re.compile(r"/workshops/\d+"))
    console.get_by_role("button", name="Sessie starten").click()
    code = console.locator(".join-code-small").inner_text()

    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")
    expect(phone.locator("#phone-step")).to_contain_text("Wie doet wat?")
    evening = phone.get_by_role("group", name="Bewonersavond")
    subsidy = phone.get_by_role("group", name="Subsidieaanvraag")
    expect(evening.get_by_label("Rol van Gemeente")).to_have_value("")
    assert_accessible(phone)

    # Keyboard only: arrow keys choose in a focused select (— trekker meedenker geïnformeerd niet betrokken),
    # Tab moves to the next select, Enter on the button sends.
    evening.get_by_label("Rol van Gemeente").focus()
    phone.keyboard.press("ArrowDown")  # trekker
    phone.keyboard.press("Tab")
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")  # meedenker
    phone.keyboard.press("Tab")
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("ArrowDown")  # Subsidieaanvraag, Gemeente: geïnformeerd
    phone.keyboard.press("Tab")
    phone.keyboard.press("ArrowDown")  # Subsidieaanvraag, Initiatief: trekker
    expect(evening.get_by_label("Rol van Gemeente")).to_have_value("lead")
    expect(evening.get_by_label("Rol van Initiatief")).to_have_value("contributor")
    expect(subsidy.get_by_label("Rol van Gemeente")).to_have_value("informed")
    expect(subsidy.get_by_label("Rol van Initiatief")).to_have_value("lead")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Versturen")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")
    # The form comes back with the saved roles chosen.
    expect(phone.get_by_role("group", name="Subsidieaanvraag").get_by_label("Rol van Gemeente")).to_have_value(
        "informed"
    )
    assert_accessible(phone)

    other = devices(phone=True).new_page()
    join(other, f"/j/{code}", "Initiatief")
    evening = other.get_by_role("group", name="Bewonersavond")
    subsidy = other.get_by_role("group", name="Subsidieaanvraag")
    evening.get_by_label("Rol van Gemeente").select_option("lead")
    evening.get_by_label("Rol van Initiatief").select_option("contributor")
    subsidy.get_by_label("Rol van Gemeente").select_option("lead")
    subsidy.get_by_label("Rol van Initiatief").select_option("contributor")
    other.get_by_role("button", name="Versturen").click()
    expect(other.locator("#phone-mine")).to_contain_text("Opgeslagen")

    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    answers = board.locator("#board-answers")
    expect(answers).to_contain_text("2 reacties")
    expect(answers.locator(".roles-summary")).to_have_text(re.compile(r"Verschillen bij:\s*Subsidieaanvraag$"))
    table = answers.get_by_role("table", name="Rollen per taak: welke rol elke partij aan elke partij geeft")
    agreed = table.get_by_role("row", name=re.compile("^Bewonersavond"))
    expect(agreed).to_contain_text("Gemeente: trekker · Initiatief: trekker")
    expect(agreed).to_contain_text("eens")
    differing = table.get_by_role("row", name=re.compile("^Subsidieaanvraag"))
    expect(differing).to_contain_text("Gemeente: geïnformeerd · Initiatief: trekker")
    expect(differing).to_contain_text("verschil")
    assert_accessible(board)
