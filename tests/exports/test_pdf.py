"""The PDF, read back with pypdf: the report's own text, A4, page numbers, and no network fetches."""

import io

import pytest
from pypdf import PdfReader

from app.exports.pdf import BASE_URL, RefusedFetch, StaticOnlyFetcher, render_pdf
from app.services import report as reports
from app.services import workshops
from tests.report_workshop import AGREEMENT_TEXTS, OPEN_PROMPT, build_report_workshop


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


async def test_the_pdf_holds_title_parties_answers_summaries_and_agreements(sqlite_db):
    db = sqlite_db
    w = await build_report_workshop(db)
    step = (await workshops.list_steps(db, workshop_id=w.id))[0]
    await reports.set_workshop_summary(db, workshop=w, summary="De partijen willen verder met de wijkaanpak.")
    await reports.set_step_summary(db, workshop=w, step_id=step.id, summary="Vertrouwen staat voorop.")
    data = render_pdf(await reports.build_report(db, workshop=w))
    assert data.startswith(b"%PDF")
    reader, text = pdf_text(data)
    for expected in (
        "Warmtenet <Noord> & Zuid",
        "Gemeente",
        "Initiatief",
        OPEN_PROMPT,
        "Namens iemand zonder telefoon",
        "namens iemand ingevoerd",
        "De partijen willen verder met de wijkaanpak.",
        "Vertrouwen staat voorop.",
        AGREEMENT_TEXTS[0],
        "Afspraken en actiepunten",
        "concept",
    ):
        assert expected in text, expected
    assert "Verborgen opmerking" not in text  # omitted by default
    assert "1 / " in text  # page numbers
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


async def test_marked_answers_appear_marked_in_the_pdf(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    w.report_hidden = "mark"
    _reader, text = pdf_text(render_pdf(await reports.build_report(sqlite_db, workshop=w)))
    assert "Verborgen opmerking" in text and "[verborgen]" in text
    assert "[niet goedgekeurd]" in text and "[samengevoegd]" in text and "[deelnemer verwijderd]" in text


def test_the_fetcher_serves_only_our_static_files():
    fetcher = StaticOnlyFetcher()
    assert fetcher.fetch(BASE_URL + "css/report.css").read().startswith(b"/*")
    for url in (
        "http://example.com/x.css",
        "https://127.0.0.1/",
        "file:///etc/passwd",
        BASE_URL + "../config.py",
        "data:text/css,body{}",
    ):
        with pytest.raises(RefusedFetch):
            fetcher.fetch(url)
