"""Dots in a real browser: an open question's notes carried forward, one phone spends its dots by keyboard only
(and is told when it spends too many), the board ranks per party; axe on the carry page, the phone and the board."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, goto_live, join, send_answer, set_up_facilitator


def test_dots_carried_forward_and_spent_by_keyboard(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    console.goto("/workshops")
    console.get_by_label("Titel").fill("Prioriteren")
    console.get_by_role("radio", name=re.compile("^Lege agenda")).check()
    console.get_by_role("button", name="Sessie aanmaken").click()
    console.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(console.url.rsplit("/", 1)[1])
    console.select_option("#new-kind", "open")
    console.fill("#new-prompt", "Wat is belangrijk?")
    console.get_by_role("button", name="Onderdeel toevoegen").click()
    console.get_by_role("button", name="Sessie starten").click()
    code = console.locator(".join-code-small").inner_text()

    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")
    for text in ("Betaalbare warmte", "Snelheid", "Eigenaarschap in de buurt"):
        send_answer(phone, text)

    # Carry the notes forward: all are checked; leave one out, three dots each.
    console.goto(f"/workshops/{workshop_id}")
    console.get_by_role("link", name=re.compile("^Prioriteer deze antwoorden met stippen")).click()
    console.wait_for_url(re.compile(r"/steps/\d+/carry$"))
    expect(console.get_by_role("checkbox", name="Snelheid")).to_be_checked()
    assert_accessible(console)
    console.get_by_role("checkbox", name="Snelheid").uncheck()
    console.get_by_label("Stippen per deelnemer (1 tot en met 20)").fill("3")
    console.get_by_role("button", name="Maak een stippenonderdeel met deze antwoorden").click()
    console.wait_for_url(re.compile(rf"/workshops/{workshop_id}#step-\d+$"))
    console.get_by_role("button", name="Volgende").click()

    expect(phone.locator("#phone-step")).to_contain_text("Waar wil je je stippen op zetten?")
    expect(phone.locator("#phone-mine")).to_contain_text("Je hebt 3 stippen te verdelen.")
    expect(phone.get_by_label("Snelheid")).to_have_count(0)
    assert_accessible(phone)

    # Keyboard only: arrows raise a number, Tab moves on, Enter on the button. First too many (2 + 2 of 3).
    first = phone.get_by_role("spinbutton", name="Betaalbare warmte")
    first.focus()
    phone.keyboard.press("ArrowUp")
    phone.keyboard.press("ArrowUp")
    phone.keyboard.press("Tab")
    phone.keyboard.press("ArrowUp")
    phone.keyboard.press("ArrowUp")
    expect(phone.get_by_role("spinbutton", name="Eigenaarschap in de buurt")).to_have_value("2")
    phone.keyboard.press("Tab")
    expect(phone.get_by_role("button", name="Versturen")).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("alert")).to_contain_text("Je hebt maar 3 stippen; je hebt er 4 verdeeld.")
    assert_accessible(phone)

    # The refused distribution comes back as it was sent (2 and 2): one dot less on the first item is enough.
    first = phone.get_by_role("spinbutton", name="Betaalbare warmte")
    expect(first).to_have_value("2")
    expect(phone.get_by_role("spinbutton", name="Eigenaarschap in de buurt")).to_have_value("2")
    first.focus()
    phone.keyboard.press("ArrowDown")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Tab")
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")
    expect(phone.get_by_role("spinbutton", name="Eigenaarschap in de buurt")).to_have_value("2")

    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    answers = board.locator("#board-answers")
    expect(answers.locator("svg")).to_be_visible()
    expect(answers).to_contain_text("1 reactie")
    top = answers.locator("section", has=board.get_by_role("heading", name="Top 3 Gemeente"))
    expect(top.locator("li")).to_have_text([re.compile("^Eigenaarschap in de buurt"), re.compile("^Betaalbare warmte")])
    assert_accessible(board)
