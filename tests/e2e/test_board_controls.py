"""Board controls in a real browser: pause holds live updates until resumed (WCAG 2.2.2), the QR code can be
hidden, the projector view sticks for this screen; axe-core on the board with the controls."""

from __future__ import annotations

from tests.e2e.conftest import (
    assert_accessible,
    create_and_start_workshop,
    expect,
    goto_live,
    join,
    send_answer,
    set_up_facilitator,
)


def test_pause_hide_qr_and_projector_view(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")
    send_answer(phone, "Eerste bijdrage")
    expect(board.locator("#board-answers")).to_contain_text("Eerste bijdrage")

    pause = board.get_by_role("button", name="Live-updates pauzeren")
    pause.click()
    expect(pause).to_have_attribute("aria-pressed", "true")
    expect(board.locator(".board-paused-note")).to_contain_text("gepauzeerd")
    send_answer(phone, "Tweede bijdrage")
    board.wait_for_timeout(700)  # several coalescing windows: the frame has arrived and is being held
    expect(board.locator("#board-answers")).not_to_contain_text("Tweede bijdrage")
    assert_accessible(board)
    pause.click()
    expect(board.locator("#board-answers")).to_contain_text("Tweede bijdrage")
    expect(board.locator(".board-paused-note")).to_have_text("")

    qr = board.locator(".qr-figure")
    expect(qr).to_be_visible()
    board.get_by_role("button", name="QR-code verbergen").click()
    expect(qr).to_be_hidden()
    expect(board.locator(".join-code")).to_be_visible()  # the code stays readable
    board.get_by_role("button", name="Projectorweergave").click()
    assert board.evaluate("document.body.classList.contains('projector')")
    assert_accessible(board)

    board.reload()
    expect(board.locator(".qr-figure")).to_be_hidden()  # this screen remembers its choices
    assert board.evaluate("document.body.classList.contains('projector')")
    expect(board.get_by_role("button", name="Projectorweergave")).to_have_attribute("aria-pressed", "true")
