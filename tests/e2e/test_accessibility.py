"""axe-core (WCAG 2.0/2.1, A and AA) on every page people see, in the states they see them in.

Live pages are checked after their WebSocket snapshot has been swapped in, so what axe sees is what the room sees.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import (
    PASSWORD,
    assert_accessible,
    expect,
    goto_live,
    new_context,
)


@pytest.fixture
def visitor(browser, room_with_answers):
    """Someone without an account on a desktop browser."""
    context = new_context(browser, room_with_answers.server.url)
    yield context.new_page()
    context.close()


@pytest.fixture
def newcomer_phone(browser, room_with_answers):
    """A phone that has not joined yet."""
    context = new_context(browser, room_with_answers.server.url, phone=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def facilitator_page(room_with_answers):
    page = room_with_answers.facilitator.new_page()
    yield page
    page.close()


@pytest.fixture
def phone_page(room_with_answers):
    """The phone of the participant of "Gemeente", who has already answered."""
    page = room_with_answers.phones[0].new_page()
    yield page
    page.close()


def test_home_on_first_run_with_the_setup_form(devices):
    page = devices().new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="Eerste begeleider instellen")).to_be_visible()
    assert_accessible(page)


def test_home_and_a_wrong_code(visitor):
    visitor.goto("/")
    expect(visitor.get_by_role("heading", name="Doe mee aan een sessie")).to_be_visible()
    expect(visitor.get_by_role("link", name="Inloggen als begeleider")).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_label("Code op het scherm").fill("ZZZZZZ")
    visitor.get_by_role("button", name="Meedoen").click()
    expect(visitor.locator("#code-error")).to_be_visible()
    expect(visitor.get_by_label("Code op het scherm")).to_have_attribute("aria-invalid", "true")
    assert_accessible(visitor)


def test_login_and_a_failed_login(visitor):
    visitor.goto("/login")
    expect(visitor.get_by_role("heading", name="Inloggen als begeleider")).to_be_visible()
    assert_accessible(visitor)
    visitor.get_by_label("E-mailadres").fill("anna@example.nl")
    visitor.get_by_label("Wachtwoord").fill(PASSWORD + "?")
    visitor.get_by_role("button", name="Inloggen").click()
    expect(visitor.locator("#login-error")).to_be_visible()
    assert_accessible(visitor)


def test_workshop_list(facilitator_page):
    facilitator_page.goto("/workshops")
    expect(facilitator_page.get_by_role("link", name="Warmtenet Noord")).to_be_visible()
    assert_accessible(facilitator_page)


def test_facilitators(facilitator_page):
    facilitator_page.goto("/facilitators")
    expect(facilitator_page.get_by_role("heading", name="Begeleiders", level=1)).to_be_visible()
    assert_accessible(facilitator_page)


def test_console_with_answers(facilitator_page, room_with_answers):
    goto_live(facilitator_page, f"/workshops/{room_with_answers.workshop_id}")
    expect(facilitator_page.locator("#console-answers")).to_contain_text("Samen eigenaar zijn")
    assert_accessible(facilitator_page)


def test_board_with_answers(facilitator_page, room_with_answers):
    goto_live(facilitator_page, f"/board/{room_with_answers.workshop_id}")
    expect(facilitator_page.get_by_role("region", name=re.compile("^Gemeente"))).to_contain_text("Betaalbare warmte")
    expect(facilitator_page.get_by_role("region", name=re.compile("^Initiatief"))).to_contain_text("Samen eigenaar")
    assert_accessible(facilitator_page)


def test_join_page_on_a_phone(newcomer_phone, room_with_answers):
    newcomer_phone.goto(f"/j/{room_with_answers.code}")
    expect(newcomer_phone.get_by_role("group", name="Bij welke partij hoor je?")).to_be_visible()
    assert_accessible(newcomer_phone)


def test_phone_step_page_with_own_answer(phone_page, room_with_answers):
    goto_live(phone_page, f"/p/{room_with_answers.workshop_id}")
    expect(phone_page.locator("#phone-step")).to_contain_text("Waarden en doelen")
    expect(phone_page.locator("#phone-mine .my-notes")).to_contain_text("Betaalbare warmte voor iedereen")
    assert_accessible(phone_page)
    # The same page while editing one's own answer.
    phone_page.get_by_role("link", name=re.compile("^Bewerken")).click()
    expect(phone_page.locator("#phone-mine textarea")).to_have_value("Betaalbare warmte voor iedereen")
    assert_accessible(phone_page)
