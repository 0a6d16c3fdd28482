"""The step timer in a real browser: the facilitator starts it from the console, board and phone count down, T
pauses, and when time is up the auto-close locks the phone's form. axe-core on the console's timer card and on
the phone and board with a running timer. The server's clock is advanced; nobody waits for the time to run out."""

from __future__ import annotations

import re

import pytest

from app.services import clock
from tests.e2e.conftest import (
    assert_accessible,
    create_and_start_workshop,
    expect,
    goto_live,
    join,
    send_answer,
    set_up_facilitator,
)


@pytest.fixture
def frozen_clock():
    clock.freeze()
    yield
    clock.reset()


def counts_down(page) -> None:
    """The visible mm:ss changes by itself (timer.js counts locally between server frames)."""
    clock_text = page.locator(".timer-clock")
    first = clock_text.inner_text()
    expect(clock_text).not_to_have_text(first, timeout=3000)


def test_start_pause_and_auto_close_on_board_and_phone(devices, frozen_clock):
    facilitator = devices()
    console = facilitator.new_page()
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    console = goto_live(console, f"/workshops/{workshop_id}")
    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    phone = devices(phone=True).new_page()
    join(phone, f"/j/{code}", "Gemeente")
    send_answer(phone, "Eerlijke verdeling")

    card = console.locator("#console-timer")
    expect(card.get_by_role("heading", name="Timer", exact=True)).to_be_visible()
    expect(board.locator("#board-timer .timer")).to_have_count(0)
    assert_accessible(console)

    card.get_by_label("Het onderdeel sluiten voor bijdragen als de tijd om is").check()
    card.get_by_role("button", name="2 min", exact=True).click()
    for page in (board, phone, console):
        expect(page.locator(".timer-label")).to_have_text("Resterende tijd")
        expect(page.locator(".timer-clock")).to_have_text(re.compile(r"^0[12]:[0-5]\d$"))
        counts_down(page)
    expect(board.get_by_role("timer")).to_be_visible()
    assert_accessible(board)
    assert_accessible(phone)
    assert_accessible(console)

    console.locator("body").click(position={"x": 5, "y": 5})
    console.keyboard.press("t")  # T: pause
    for page in (board, phone):
        expect(page.locator(".timer-label")).to_have_text("Timer gepauzeerd")
        expect(page.locator(".timer")).to_have_attribute("data-state", "paused")
    expect(card.get_by_role("button", name="Timer hervatten")).to_be_visible()
    assert_accessible(console)
    console.keyboard.press("t")  # T: resume
    expect(phone.locator(".timer")).to_have_attribute("data-state", "running")

    clock.advance(200)  # past the end: the server's ticker closes the step
    expect(phone.locator("#phone-step")).to_contain_text("Dit onderdeel is gesloten voor bijdragen.")
    expect(phone.locator("#answer-text")).to_have_count(0)
    expect(phone.locator("#phone-mine")).to_contain_text("Eerlijke verdeling")  # own answers stay visible
    expect(phone.locator(".timer-label")).to_have_text("De tijd is om")
    expect(phone.locator("[data-timer-status]")).to_have_text("De tijd is om")  # the polite announcement
    expect(board.locator("#board-step")).to_contain_text("Gesloten voor bijdragen")
    expect(board.locator(".timer-clock")).to_have_text("00:00")
    expect(card.get_by_role("button", name="Timer starten")).to_be_visible()
    assert_accessible(phone)
    assert_accessible(board)
