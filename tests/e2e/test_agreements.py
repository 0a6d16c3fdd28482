"""Agreements in a real browser: the facilitator drafts in the console, a phone objects by keyboard with a reason,
the board shows consent per party and the objection; axe-core on phone and board."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, goto_live, join, set_up_facilitator


def test_draft_object_and_show(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    console.goto("/workshops")
    console.get_by_label("Titel").fill("Borg het partnerschap")
    console.get_by_role("radio", name=re.compile("^Lege agenda")).check()
    console.get_by_role("button", name="Sessie aanmaken").click()
    console.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(console.url.rsplit("/", 1)[1])
    console.select_option("#new-kind", "agreements")
    console.fill("#new-prompt", "Welke afspraken maken we?")
    console.get_by_role("button", name="Onderdeel toevoegen").click()
    console.get_by_role("button", name="Sessie starten").click()
    code = console.locator(".join-code-small").inner_text()

    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Initiatief")
    expect(phone.locator("#phone-mine")).to_contain_text("De begeleider stelt afspraken op")

    console = goto_live(console, f"/workshops/{workshop_id}")
    console.get_by_label("Afspraak", exact=True).fill("We overleggen elke maand")
    console.get_by_label("Soort", exact=True).select_option("working")
    console.get_by_role("button", name="Voorleggen aan de groep").click()
    expect(console.locator("#console-answers")).to_contain_text("We overleggen elke maand")

    # The phone gets the new agreement by itself; it objects with the keyboard only.
    expect(phone.locator("#phone-mine")).to_contain_text("We overleggen elke maand")
    assert_accessible(phone)
    phone.get_by_role("radio", name="bezwaar").focus()
    phone.keyboard.press("Space")
    phone.get_by_role("button", name="Mijn antwoord versturen").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine .error")).to_contain_text("reden")
    phone.get_by_label("Reden (nodig bij een bezwaar)").fill("Te vaak voor vrijwilligers")
    phone.get_by_role("button", name="Mijn antwoord versturen").press("Enter")
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")

    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    expect(board.locator("#board-answers")).to_contain_text("Te vaak voor vrijwilligers")
    assert_accessible(board)
