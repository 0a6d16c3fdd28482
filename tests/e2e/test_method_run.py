"""The built-in method "Leer elkaar kennen" run start to finish in a real browser: two phones of different
parties through every kind it uses (open, dots, categories, matrix, roles), one by touch and one by keyboard
only; the board follows live, and axe-core finds nothing on any kind's phone and board view."""

from __future__ import annotations

from tests.e2e.conftest import (
    assert_accessible,
    create_and_start_workshop,
    expect,
    goto_live,
    join,
    set_up_facilitator,
)


def submit_by_touch(phone) -> None:
    phone.locator("#phone-mine button[type=submit]").last.tap()
    expect(phone.locator("#phone-mine .saved").first).to_be_visible()


def submit_by_keyboard(phone) -> None:
    phone.locator("#phone-mine button[type=submit]").last.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator("#phone-mine .saved").first).to_be_visible()


def wait_for_step(phones, board, number: int) -> None:
    for page in (*phones, board):
        expect(page.locator("#phone-step, #board-step")).to_contain_text(f"Onderdeel {number} van 6")
    for phone in phones:  # the phone's own form follows the step before anyone types
        step_id = phone.locator("#phone-step").get_attribute("data-state").split(":")[0]
        expect(phone.locator("#phone-mine input[name=step_id]").first).to_have_value(step_id)


def test_leer_elkaar_kennen_with_every_kind_by_touch_and_keyboard(devices):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    console = goto_live(console, f"/workshops/{workshop_id}")
    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    touch, keys = devices(phone=True).new_page(), devices(phone=True).new_page()
    join(touch, f"/j/{code}", "Gemeente")
    join(keys, f"/j/{code}", "Initiatief")
    phones = (touch, keys)

    def next_step(number: int) -> None:
        console.get_by_role("button", name="Volgende").click()
        wait_for_step(phones, board, number)

    def check_views() -> None:
        for page in (*phones, board):
            assert_accessible(page)

    # 1. Open question.
    wait_for_step(phones, board, 1)
    touch.locator("#answer-text").tap()
    touch.locator("#answer-text").fill("Betaalbaarheid")
    submit_by_touch(touch)
    keys.locator("#answer-text").focus()
    keys.keyboard.type("Zeggenschap")
    submit_by_keyboard(keys)
    expect(board.locator("#board-answers")).to_contain_text("Zeggenschap")
    check_views()

    # 2. Dots.
    next_step(2)
    touch.locator("input[name='dots-0']").tap()
    touch.locator("input[name='dots-0']").fill("3")
    submit_by_touch(touch)
    keys.locator("input[name='dots-1']").focus()
    keys.keyboard.press("ArrowUp")  # a number input steps up with the arrow keys
    keys.keyboard.press("ArrowUp")
    submit_by_keyboard(keys)
    expect(board.locator("#board-answers")).to_contain_text("2 reacties")
    check_views()

    # 3. Open question (ways of working): on to the categories.
    next_step(3)

    # 4. Open question with categories.
    next_step(4)
    touch.get_by_role("radio", name="Risico's").tap()
    touch.locator("#answer-text").fill("Vertraging in de vergunning")
    submit_by_touch(touch)
    keys.get_by_role("radio", name="Kansen").focus()
    keys.keyboard.press("Space")
    keys.locator("#answer-text").focus()
    keys.keyboard.type("Lokale banen")
    submit_by_keyboard(keys)
    expect(board.locator("#board-answers")).to_contain_text("Lokale banen")
    check_views()

    # 5. Matrix.
    next_step(5)
    touch.locator("input[name='x-0'][value='4']").tap()
    touch.locator("input[name='y-0'][value='2']").tap()
    submit_by_touch(touch)
    keys.locator("input[name='x-0'][value='1']").focus()
    keys.keyboard.press("ArrowRight")  # 1 -> 2
    keys.locator("input[name='y-0'][value='1']").focus()
    keys.keyboard.press("ArrowRight")
    keys.keyboard.press("ArrowRight")  # 1 -> 3
    submit_by_keyboard(keys)
    expect(board.locator("#board-answers svg").first).to_be_visible()
    check_views()

    # 6. Roles.
    next_step(6)
    touch_select = touch.locator("#phone-mine select").first
    touch_select.tap()
    touch_select.select_option(index=1)
    submit_by_touch(touch)
    keys.locator("#phone-mine select").first.focus()
    keys.keyboard.press("ArrowDown")
    keys.keyboard.press("ArrowDown")
    submit_by_keyboard(keys)
    expect(board.locator("#board-answers table").first).to_be_visible()
    check_views()
