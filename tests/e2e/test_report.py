"""The report page in Chromium: every kind's results, marks and charts pass axe-core; a summary saves with htmx."""

from __future__ import annotations

import asyncio
import shutil
import threading
from pathlib import Path

import pytest

from app.db import Database
from tests.conftest import LiveServer, free_port, make_settings
from tests.e2e.conftest import assert_accessible, expect, new_context
from tests.report_workshop import OPEN_PROMPT, build_report_workshop


def _filled_database(url: str) -> int:
    """Build the report workshop in its own thread (Playwright's loop owns this one)."""
    result: dict = {}

    async def build() -> None:
        database = Database(url)
        async with database.writer() as db:
            w = await build_report_workshop(db)
            w.report_hidden = "mark"
            await db.commit()
            result["id"] = w.id
        await database.dispose()

    thread = threading.Thread(target=lambda: asyncio.run(build()))
    thread.start()
    thread.join()
    return result["id"]


@pytest.fixture
def report_server(browser, tmp_path: Path, sqlite_template: Path):
    shutil.copy(sqlite_template, tmp_path / "report.db")
    url = f"sqlite+aiosqlite:///{tmp_path / 'report.db'}"
    workshop_id = _filled_database(url)
    port = free_port()
    server = LiveServer(make_settings(tmp_path, url, base_url=f"http://127.0.0.1:{port}"), port).start()
    yield server, workshop_id
    server.stop()


def test_report_page_is_accessible_and_a_summary_saves(browser, report_server):
    server, workshop_id = report_server
    context = new_context(browser, server.url)
    page = context.new_page()
    page.goto("/login")
    page.get_by_label("E-mailadres").fill("verslag7@example.nl")
    page.get_by_label("Wachtwoord").fill("x" * 16)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/workshops")
    page.goto(f"/workshops/{workshop_id}/report")
    expect(page.get_by_role("heading", level=1)).to_have_text("Warmtenet <Noord> & Zuid")
    expect(page.get_by_role("heading", name=f"1. {OPEN_PROMPT}")).to_be_visible()
    expect(page.locator("#report-body .report-chart svg")).to_have_count(4)
    expect(page.get_by_text("[verborgen]")).to_be_visible()
    assert_accessible(page)

    box = page.get_by_label("Samenvatting van onderdeel 1")
    box.fill("Vertrouwen staat voorop; de gemeente komt met een planning.")
    page.locator(".report-step").first.get_by_role("button", name="Samenvatting opslaan").click()
    expect(page.locator(".report-step").first.get_by_role("status")).to_have_text("Opgeslagen.")
    assert_accessible(page)
    page.reload()
    expect(page.get_by_label("Samenvatting van onderdeel 1")).to_have_value(
        "Vertrouwen staat voorop; de gemeente komt met een planning."
    )
    context.close()
