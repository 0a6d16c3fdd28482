"""A 2×2 matrix in a real browser: a phone rates items by keyboard only, the board plots them; axe on both."""

from __future__ import annotations

import re

from tests.e2e.conftest import assert_accessible, expect, goto_live, join, set_up_facilitator


def test_a_phone_rates_a_matrix_by_keyboard_and_the_board_plots_it(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    console.goto("/workshops")
    console.get_by_label("Titel").fill("Risico's verkennen")
    console.get_by_role("radio", name=re.compile("^Lege agenda")).check()
    console.get_by_role("button", name="Sessie aanmaken").click()
    console.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(console.url.rsplit("/", 1)[1])
    console.select_option("#new-kind", "matrix")
    console.fill("#new-prompt", "Welke risico's zien we?")
    console.get_by_label("Matrix: de items, één per regel").fill("Netcongestie\nVertraging vergunning")
    console.get_by_label("Matrix: naam van de horizontale as").fill("Invloed")
    console.get_by_label("Matrix: naam van de verticale as").fill("Belang")
    console.get_by_role("button", name="Onderdeel toevoegen").click()
    console.wait_for_url(re.compile(r"/workshops/\d+"))
    console.get_by_role("button", name="Sessie starten").click()
    code = console.locator(".join-code-small").inner_text()

    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Initiatief")
    expect(phone.locator("#phone-step")).to_contain_text("Welke risico's zien we?")
    expect(phone.get_by_role("group", name="1. Netcongestie")).to_be_visible()
    assert_accessible(phone)

    # Keyboard only: focus the first radio of item 1's "Invloed" group, arrows to choose, Tab to the next group.
    phone.locator("input[name='x-0']").first.focus()
    phone.keyboard.press("ArrowRight")  # 1 -> 2
    phone.keyboard.press("ArrowRight")  # 2 -> 3
    phone.keyboard.press("ArrowRight")  # 3 -> 4
    expect(phone.locator("input[name='x-0'][value='4']")).to_be_checked()
    phone.keyboard.press("Tab")  # into item 1's "Belang" group (nothing chosen yet: its first radio)
    expect(phone.locator("input[name='y-0'][value='1']")).to_be_focused()
    phone.keyboard.press("Space")
    phone.keyboard.press("ArrowRight")  # 1 -> 2
    expect(phone.locator("input[name='y-0'][value='2']")).to_be_checked()
    # Item 2 stays unrated: Tab on past its groups to the button and send with Enter.
    phone.get_by_role("button", name="Versturen").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine")).to_contain_text("Opgeslagen")
    expect(phone.locator("input[name='x-0'][value='4']")).to_be_checked()
    expect(phone.locator("input[name='y-0'][value='2']")).to_be_checked()
    assert_accessible(phone)

    # Half a rating: a clear message, nothing changes.
    phone.locator("input[name='x-1'][value='5']").focus()
    phone.keyboard.press("Space")
    phone.get_by_role("button", name="Mijn antwoord wijzigen").focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#answer-error")).to_contain_text("Geef „Vertraging vergunning” een score")
    assert_accessible(phone)

    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    plot = board.locator("#board-answers svg.chart-matrix")
    expect(plot).to_be_visible()
    expect(board.locator("#board-answers")).to_contain_text("1 reactie")
    expect(plot.locator("desc")).to_contain_text("1. Netcongestie: Initiatief Invloed 4.0, Belang 2.0")
    assert_accessible(board)
    board.get_by_text("Toon als tabel").click()
    expect(board.locator(".matrix-table")).to_contain_text("4.0/2.0 (n=1)")
    assert_accessible(board)
