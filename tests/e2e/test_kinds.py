"""Poll and scale in a real browser: a phone answers by keyboard only, the board shows the chart; axe on both."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, goto_live, join, set_up_facilitator


def add_step(page, kind: str, prompt: str, **fields: str) -> None:
    page.select_option("#new-kind", kind)
    page.fill("#new-prompt", prompt)
    for name, value in fields.items():
        page.fill(f"#new-{name}", value)
    page.get_by_role("button", name="Onderdeel toevoegen").click()
    page.wait_for_url(re.compile(r"/workshops/\d+"))


def test_poll_and_scale_by_keyboard_with_charts_on_the_board(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    console.goto("/workshops")
    console.get_by_label("Titel").fill("Startgesprek")
    console.get_by_role("radio", name=re.compile("^Lege agenda")).check()
    console.get_by_role("button", name="Sessie aanmaken").click()
    console.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(console.url.rsplit("/", 1)[1])
    add_step(console, "scale", "Twee voorwaarden", statements="Wij erkennen de meerwaarde.\nWij maken tijd vrij.")
    add_step(console, "poll", "Welke vorm past nu?", options="Werkafspraak\nConvenant")
    console.get_by_role("button", name="Sessie starten").click()
    code = console.locator(".join-code-small").inner_text()

    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")
    expect(phone.locator("#phone-step")).to_contain_text("Twee voorwaarden")
    assert_accessible(phone)
    # Keyboard only: tab into the first statement's radio group, arrow keys to choose, Enter on the button.
    first = phone.locator("input[name='rating-0']").first
    first.focus()
    phone.keyboard.press("ArrowRight")  # 1 -> 2
    phone.keyboard.press("ArrowRight")  # 2 -> 3
    expect(phone.locator("input[name='rating-0'][value='3']")).to_be_checked()
    phone.locator("input[name='rating-1'][value='5']").focus()
    phone.keyboard.press("Space")
    phone.get_by_role("button", name="Versturen").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")

    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    expect(board.locator("#board-answers svg")).to_be_visible()
    expect(board.locator("#board-answers")).to_contain_text("1 reactie")
    assert_accessible(board)

    console.goto(f"/workshops/{workshop_id}")
    console.get_by_role("button", name="Volgende").click()
    expect(phone.locator("#phone-step")).to_contain_text("Welke vorm past nu?")
    phone.get_by_role("radio", name="Convenant").check()
    phone.get_by_role("button", name="Versturen").click()
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")
    assert_accessible(phone)
    expect(board.locator("#board-step")).to_contain_text("Welke vorm past nu?")
    expect(board.locator("#board-answers")).to_contain_text("1 reactie")
    assert_accessible(board)
