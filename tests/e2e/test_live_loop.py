"""The whole live loop in a real browser: facilitator, projected board and two phones at once, over WebSockets."""

from __future__ import annotations

import re

from tests.e2e.conftest import (
    PageProblems,
    assert_accessible,
    create_and_start_workshop,
    expect,
    join,
    send_answer,
    set_up_facilitator,
)

STEP_1 = "Waarden en doelen"
STEP_2 = "Welke waarden en doelen"
STEP_3 = "Werkwijzen"


def mark_loaded(page) -> None:
    """Leave a mark in the page's JS world: it survives live updates and disappears on any reload or navigation."""
    page.evaluate("window.__e2eNotReloaded = true")


def assert_not_reloaded(page) -> None:
    assert page.evaluate("window.__e2eNotReloaded === true"), f"{page.url} was reloaded or navigated"


def test_live_loop_board_phones_step_changes_and_reconnect(devices, live_server, flaky_network):
    problems = PageProblems()

    # The facilitator sets up the first account, creates a workshop from the built-in method and starts it.
    facilitator = devices()
    console = problems.watch(facilitator.new_page())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    expect(console.get_by_role("heading", level=1)).to_have_text("Warmtenet Noord")
    expect(console.locator("#console-controls")).to_contain_text(STEP_1)

    # The board, projected from the facilitator's computer, shows the join code, its link and the first step.
    board = problems.watch(facilitator.new_page())
    board.goto(f"/board/{workshop_id}")
    expect(board.locator(".join-code")).to_contain_text(code)
    join_url = board.locator(".join-url").inner_text()
    assert join_url == f"{live_server.url}/j/{code}"
    expect(board.locator("#board-step")).to_contain_text(STEP_1)
    mark_loaded(board)

    # Two phones, each its own browser context (own cookies). Phone B reaches the server over a Wi-Fi we can cut.
    phone_a = problems.watch(devices(phone=True).new_page())
    phone_b_context = devices(phone=True, base_url=flaky_network.url)
    phone_b = problems.watch(phone_b_context.new_page())
    phone_b_sockets = []
    phone_b.on("websocket", lambda socket: phone_b_sockets.append(socket))
    join(phone_a, join_url, "Gemeente")  # the exact link from the board
    join(phone_b, f"/j/{code}", "Initiatief")  # the same link, through phone B's network
    for phone in (phone_a, phone_b):
        expect(phone.locator("#phone-step")).to_contain_text(STEP_1)
        expect(phone.locator("#phone-step")).to_contain_text("Onderdeel 1 van 6")
        mark_loaded(phone)
    presence = board.locator("#board-presence")
    expect(presence).to_contain_text(re.compile(r"Gemeente:\s*1"))
    expect(presence).to_contain_text(re.compile(r"Initiatief:\s*1"))

    # Each phone answers through the form; the board shows each answer in its party's column, without reloading.
    send_answer(phone_a, "Betaalbare warmte voor iedereen")
    send_answer(phone_b, "Samen eigenaar van de warmte")
    gemeente = board.get_by_role("region", name=re.compile(r"^Gemeente"))
    initiatief = board.get_by_role("region", name=re.compile(r"^Initiatief"))
    expect(gemeente).to_contain_text("Betaalbare warmte voor iedereen")
    expect(initiatief).to_contain_text("Samen eigenaar van de warmte")
    expect(gemeente).not_to_contain_text("Samen eigenaar")
    expect(initiatief).not_to_contain_text("Betaalbare warmte")
    expect(console.locator("#console-answers")).to_contain_text("Samen eigenaar van de warmte")
    assert_not_reloaded(board)

    # "Volgende": both phones and the board follow to step 2 on their own.
    console.get_by_role("button", name="Volgende").click()
    for page in (phone_a, phone_b, board):
        expect(page.locator("#phone-step, #board-step")).to_contain_text(STEP_2)
    expect(phone_a.locator("#phone-step")).to_contain_text("Onderdeel 2 van 6")
    expect(board.locator("#board-answers")).not_to_contain_text("Betaalbare warmte")  # a new step, no answers yet
    for page in (phone_a, phone_b):
        assert_not_reloaded(page)
        # The phone's own form followed too: it now belongs to step 2 and holds none of step 1's notes.
        expect(page.locator("#phone-mine .my-notes")).to_have_count(0)
        expect(page.get_by_role("button", name="Versturen")).to_be_visible()

    # Phone B loses its Wi-Fi. set_offline alone fails new requests, but Chromium keeps an open WebSocket alive
    # (it would go on receiving updates), so the relay cuts phone B's TCP connections as a lost network would.
    live_socket = phone_b_sockets[-1]
    assert not live_socket.is_closed()
    phone_b_context.set_offline(True)
    flaky_network.cut()
    # Proof that the socket really dropped: the browser reports it closed and app.js shows the notice.
    if not live_socket.is_closed():
        live_socket.wait_for_event("close")
    expect(phone_b.locator("#connection")).to_be_visible()
    expect(phone_b.locator("#connection")).to_have_text("Verbinding verbroken. Opnieuw verbinden…")
    assert not phone_b.evaluate("navigator.onLine")
    assert_accessible(phone_b)  # the phone as it looks with the notice shown

    console.get_by_role("button", name="Volgende").click()
    expect(phone_a.locator("#phone-step")).to_contain_text(STEP_3)
    expect(board.locator("#board-step")).to_contain_text(STEP_3)
    # Phone B did not hear about it: it still shows step 2 (its reconnect attempts fail while offline).
    expect(phone_b.locator("#phone-step")).to_contain_text(STEP_2)
    expect(phone_b.locator("#connection")).to_be_visible()

    # Back online: the phone reconnects by itself (htmx ws backoff, at most ~5 s) and the snapshot it gets on
    # connect shows the current step. No reload, no replay.
    flaky_network.restore()
    phone_b_context.set_offline(False)
    expect(phone_b.locator("#phone-step")).to_contain_text(STEP_3, timeout=15_000)
    expect(phone_b.locator("#phone-step")).to_contain_text("Onderdeel 3 van 6")
    expect(phone_b.locator("#connection")).to_be_hidden()
    assert_not_reloaded(phone_b)
    assert phone_b_sockets[-1] is not live_socket and not phone_b_sockets[-1].is_closed()

    # And it can take part again at once: its form is for step 3 and the answer lands on the board.
    send_answer(phone_b, "We vergaderen liever 's avonds")
    expect(initiatief).to_contain_text("We vergaderen liever 's avonds")
    expect(initiatief).not_to_contain_text("Samen eigenaar")
    expect(board.locator("#board-step")).to_contain_text("Onderdeel 3 van 6")
    assert_not_reloaded(board)
    assert_not_reloaded(phone_a)

    assert not problems.items, "\n".join(problems.items)
