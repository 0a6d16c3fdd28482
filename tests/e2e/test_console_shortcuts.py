"""Console keyboard shortcuts in a real browser: N/P/O drive the room, never while typing, and can be switched off."""

from __future__ import annotations

from tests.e2e.conftest import assert_accessible, create_and_start_workshop, expect, goto_live, set_up_facilitator


def test_shortcuts_move_the_room_and_can_be_switched_off(devices):
    facilitator = devices()
    page = facilitator.new_page()
    set_up_facilitator(page)
    workshop_id, _ = create_and_start_workshop(page)
    console = goto_live(page, f"/workshops/{workshop_id}")
    controls = console.locator("#console-controls")
    expect(controls).to_contain_text("Onderdeel 1 van 6")

    console.keyboard.press("n")
    expect(controls).to_contain_text("Onderdeel 2 van 6")
    console.keyboard.press("p")
    expect(controls).to_contain_text("Onderdeel 1 van 6")
    console.keyboard.press("o")
    expect(controls.get_by_role("button", name="Openen voor bijdragen")).to_be_visible()

    # Typing in a field never triggers a shortcut.
    console.locator("#new-prompt").fill("")
    console.locator("#new-prompt").press("n")
    console.wait_for_timeout(300)
    expect(controls).to_contain_text("Onderdeel 1 van 6")

    console.get_by_text("Sneltoetsen", exact=True).click()
    assert_accessible(console)
    console.get_by_label("Deze sneltoetsen gebruiken").uncheck()
    console.locator("body").click(position={"x": 5, "y": 5})
    console.keyboard.press("n")
    console.wait_for_timeout(300)
    expect(controls).to_contain_text("Onderdeel 1 van 6")
    console.reload()
    expect(console.get_by_label("Deze sneltoetsen gebruiken")).not_to_be_checked()  # remembered
