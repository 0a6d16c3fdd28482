"""A step change reaches every phone with its form in the frame: no phone makes a request; typed text survives."""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    PageProblems,
    assert_accessible,
    create_and_start_workshop,
    expect,
    join,
    set_up_facilitator,
)

STEP_1 = "Waarden en doelen"
STEP_2 = "Welke waarden en doelen"


def _http_requests(page) -> list[str]:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(f"{request.method} {request.url}"))
    return requests


def test_a_step_change_makes_no_request_from_the_phones(devices, live_server):
    problems = PageProblems()
    console = problems.watch(devices().new_page())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    phones = [problems.watch(devices(phone=True).new_page()) for _ in range(2)]
    join(phones[0], f"/j/{code}", "Gemeente")
    join(phones[1], f"/j/{code}", "Initiatief")
    phones[0].locator("#answer-text").fill("Betaalbare warmte")
    phones[0].get_by_role("button", name="Versturen").click()
    # Phone 0 has a note in step 1; phone 1 has none.
    expect(phones[0].locator("#phone-mine .my-notes")).to_contain_text("Betaalbare warmte")
    requests = [_http_requests(phone) for phone in phones]

    console.get_by_role("button", name="Volgende").click()
    for phone in phones:
        expect(phone.locator("#phone-step")).to_contain_text(STEP_2)
        step_id = phone.locator("#phone-step").get_attribute("data-state").split(":")[0]
        expect(phone.locator("#phone-mine input[name=step_id]")).to_have_value(step_id)
        expect(phone.locator("#phone-mine .my-notes")).to_have_count(0)
    assert requests == [[], []]  # the form came with the step: not one request per phone

    # The broadcast form works: the phone made its own idempotency key, and its response (dots) is saved.
    key = phones[1].locator("#phone-mine input[name=idempotency_key]").input_value()
    assert re.fullmatch(r"[0-9a-f]{32}", key)
    phones[1].locator("#phone-mine input[name=dots-0]").fill("1")
    phones[1].get_by_role("button", name="Versturen").click()
    expect(phones[1].get_by_role("button", name="Mijn antwoord wijzigen")).to_be_visible()

    # Back to step 1: the phone with a note there gets its own part on its connection, still without a request.
    for log in requests:
        log.clear()
    console.get_by_role("button", name="Vorige").click()
    expect(phones[0].locator("#phone-step")).to_contain_text(STEP_1)
    expect(phones[0].locator("#phone-mine .my-notes")).to_contain_text("Betaalbare warmte")
    expect(phones[1].locator("#phone-step")).to_contain_text(STEP_1)
    expect(phones[1].locator("#phone-mine .my-notes")).to_have_count(0)
    assert requests == [[], []]
    assert not problems.items, problems.items


def test_typed_text_stays_when_the_step_closes(devices, live_server):
    problems = PageProblems()
    console = problems.watch(devices().new_page())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    phone = problems.watch(devices(phone=True).new_page())
    join(phone, f"/j/{code}", "Gemeente")
    phone.locator("#answer-text").fill("Een gedachte die nog niet weg is")

    # The facilitator closes the step while the phone types: the text stays on the phone, marked as not sent.
    console.get_by_role("button", name="Sluiten voor bijdragen").click()
    late = phone.locator(".late-text")
    expect(late).to_contain_text("Niet verstuurd")
    expect(late.locator("textarea")).to_have_value("Een gedachte die nog niet weg is")
    expect(phone.locator("#answer-text")).to_have_count(0)  # no form: the step is closed
    assert_accessible(phone)
    assert not problems.items, problems.items
