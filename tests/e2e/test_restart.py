"""A server restart in the middle of a workshop: the phone reconnects by itself, and an answer sent while the
server was down is kept on the phone and, sent again, stored once."""

from __future__ import annotations

import shutil

from tests.conftest import LiveServer, free_port, make_settings
from tests.e2e.conftest import (
    PageProblems,
    create_and_start_workshop,
    expect,
    join,
    new_context,
    send_answer,
    set_up_facilitator,
)


def test_phone_survives_a_server_restart(browser, tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "restart.db")
    port = free_port()
    settings = make_settings(
        tmp_path, f"sqlite+aiosqlite:///{tmp_path / 'restart.db'}", base_url=f"http://127.0.0.1:{port}"
    )
    server = LiveServer(settings, port).start()
    facilitator = new_context(browser, server.url)
    phone_context = new_context(browser, server.url, phone=True)
    problems = PageProblems()
    try:
        console = facilitator.new_page()
        set_up_facilitator(console)
        workshop_id, code = create_and_start_workshop(console)
        phone = problems.watch(phone_context.new_page())
        join(phone, f"/j/{code}", "Initiatief")
        send_answer(phone, "Voor de herstart")

        # The server goes down: the phone notices and says so, and an answer typed now is not sent.
        server.stop()
        expect(phone.locator("#connection")).to_be_visible()
        phone.locator("#answer-text").fill("Tijdens de herstart")
        phone.get_by_role("button", name="Versturen").click()
        expect(phone.locator("#flash")).to_contain_text("Geen verbinding")
        expect(phone.locator("#answer-text")).to_have_value("Tijdens de herstart")  # the text is kept

        # The server comes back on the same address and database. The phone reconnects by itself; sending the
        # kept text again stores it once (the form still carries the idempotency key it was rendered with).
        server = LiveServer(settings, port).start()
        expect(phone.locator("#connection")).to_be_hidden(timeout=15_000)
        phone.get_by_role("button", name="Versturen").click()
        expect(phone.locator("#phone-mine .my-notes")).to_contain_text("Tijdens de herstart")
        console.goto(f"/workshops/{workshop_id}")
        console.get_by_role("button", name="Ga naar onderdeel 3").click()

        # The phone reconnected by itself and shows the current step, without a reload.
        expect(phone.locator("#phone-step")).to_contain_text("Werkwijzen", timeout=15_000)
        expect(phone.locator("#connection")).to_be_hidden()
        send_answer(phone, "Na de herstart")
        board = facilitator.new_page()
        board.goto(f"/board/{workshop_id}")
        expect(board.locator("#board-answers")).to_contain_text("Na de herstart")

        # Nothing acknowledged was lost, and nothing was stored twice.
        export = console.request.get(f"/workshops/{workshop_id}/export.csv").text()
        for text in ("Voor de herstart", "Tijdens de herstart", "Na de herstart"):
            assert export.count(text) == 1, (text, export)
        # htmx logs the refused request while the server was down; no script may have failed.
        assert not [p for p in problems.items if "uncaught" in p], problems.items
    finally:
        facilitator.close()
        phone_context.close()
        server.stop()
