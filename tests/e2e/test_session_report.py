"""A whole session in a real browser, start to report: a hidden step, a timer, a reveal; then the report is summarised,
approved by a representative of each party through the review link, made final, and downloaded as PDF and DOCX,
whose contents are read back. axe-core on the console with the timer, the board and the final report."""

from __future__ import annotations

import io
import re

import pypdf
from docx import Document

from tests.e2e.conftest import (
    assert_accessible,
    create_and_start_workshop,
    expect,
    goto_live,
    join,
    send_answer,
    set_up_facilitator,
)

GEMEENTE_ANSWER = "Betaalbare warmte voor iedereen"
INITIATIEF_ANSWER = "Samen eigenaar van het warmtenet"
STEP_SUMMARY = "Beide partijen willen betaalbaarheid; eigenaarschap vraagt een vervolggesprek."
OVERALL_SUMMARY = "Een goede eerste verkenning van de samenwerking."


def _download(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    with open(info.value.path(), "rb") as file:
        return file.read()


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_hidden_step_timer_reveal_then_an_approved_final_report(devices):
    facilitator = devices()
    console = facilitator.new_page()
    console.on("dialog", lambda dialog: dialog.accept())
    set_up_facilitator(console)
    workshop_id, code = create_and_start_workshop(console)
    console = goto_live(console, f"/workshops/{workshop_id}")
    board = goto_live(facilitator.new_page(), f"/board/{workshop_id}")
    gemeente = devices(phone=True).new_page()
    join(gemeente, f"/j/{code}", "Gemeente")
    initiatief = devices(phone=True).new_page()
    join(initiatief, f"/j/{code}", "Initiatief")

    # The facilitator hides the answers and starts a timer; both phones answer in private.
    console.get_by_role("button", name="Bijdragen verbergen op het bord tot je ze toont").click()
    console.locator("#console-timer").get_by_role("button", name="5 min", exact=True).click()
    for page in (board, gemeente, initiatief):
        expect(page.locator(".timer-clock")).to_have_text(re.compile(r"^0[45]:[0-5]\d$"))
    assert_accessible(console)
    send_answer(gemeente, GEMEENTE_ANSWER)
    send_answer(initiatief, INITIATIEF_ANSWER)
    expect(board.locator("#board-answers")).to_contain_text("2 bijdragen zijn binnen")
    expect(board.locator("#board-answers")).not_to_contain_text(GEMEENTE_ANSWER)
    expect(board.locator("#board-answers")).not_to_contain_text(INITIATIEF_ANSWER)

    # The reveal shows both parties' answers side by side.
    console.get_by_role("button", name="Bijdragen tonen op het bord").click()
    expect(board.locator("#board-answers")).to_contain_text(GEMEENTE_ANSWER)
    expect(board.locator("#board-answers")).to_contain_text(INITIATIEF_ANSWER)
    assert_accessible(board)

    console.get_by_role("button", name="Sessie afsluiten").click()
    expect(console.locator("#console-status")).to_contain_text(re.compile("afgesloten", re.I))

    # The report: summaries, a review link, akkoord from both parties, then final.
    report = console
    report.goto(f"/workshops/{workshop_id}/report")
    report.get_by_label("Samenvatting van de hele sessie").fill(OVERALL_SUMMARY)
    report.locator("#report-summary").get_by_role("button", name="Samenvatting opslaan").click()
    expect(report.locator("#report-summary")).to_contain_text("Opgeslagen")
    first_step = report.locator(".report-summary[id^=step-summary-]").first
    first_step.get_by_role("textbox").fill(STEP_SUMMARY)
    first_step.get_by_role("button", name="Samenvatting opslaan").click()
    expect(first_step).to_contain_text("Opgeslagen")
    report.get_by_role("button", name="Link voor akkoord maken").click()
    link = report.locator("#review-link").inner_text()

    for party, name in (("Gemeente", "Gert"), ("Initiatief", "Ineke")):
        reviewer = devices().new_page()
        reviewer.goto(link)
        expect(reviewer.locator("body")).to_contain_text(STEP_SUMMARY)  # they review the version with summaries
        reviewer.get_by_role("radio", name=party).check()
        reviewer.get_by_label("Uw naam").fill(name)
        reviewer.get_by_role("button", name="Akkoord", exact=True).click()
        expect(reviewer.locator("#review-form")).to_contain_text("uw akkoord is ontvangen")

    report.goto(f"/workshops/{workshop_id}/report")
    expect(report.locator("#report-review")).to_contain_text("akkoord door Gert")
    expect(report.locator("#report-review")).to_contain_text("akkoord door Ineke")
    report.get_by_role("button", name="Definitief maken").click()
    expect(report.locator("#report-review")).to_contain_text("definitief gemaakt op")
    expect(report.get_by_role("button", name="Samenvatting opslaan")).to_have_count(0)  # the final version is fixed
    assert_accessible(report)

    pdf = _download(report, "PDF")
    assert pdf.startswith(b"%PDF-")
    pdf_text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    pdf_text = re.sub(r"\s+", " ", pdf_text)
    docx_text = _docx_text(_download(report, "Word (DOCX)"))
    for text in (pdf_text, docx_text):
        for expected in ("Warmtenet Noord", "Gemeente", "Initiatief", GEMEENTE_ANSWER, INITIATIEF_ANSWER):
            assert expected in text
        assert STEP_SUMMARY in re.sub(r"\s+", " ", text)
        assert OVERALL_SUMMARY in re.sub(r"\s+", " ", text)
