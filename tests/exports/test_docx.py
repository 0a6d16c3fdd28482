"""The DOCX, opened with python-docx: headings, party columns as tables, a picture per chart, summaries."""

import io

from docx import Document

from app.exports.docx_export import render_docx
from app.services import report as reports
from app.services import workshops
from tests.report_workshop import AGREEMENT_TEXTS, OPEN_PROMPT, build_report_workshop


async def test_the_docx_has_headings_party_tables_charts_and_agreements(sqlite_db):
    db = sqlite_db
    w = await build_report_workshop(db)
    step = (await workshops.list_steps(db, workshop_id=w.id))[0]
    await reports.set_workshop_summary(db, workshop=w, summary="Eerste alinea.\n\nTweede alinea.")
    await reports.set_step_summary(db, workshop=w, step_id=step.id, summary="Vertrouwen staat voorop.")
    doc = Document(io.BytesIO(render_docx(await reports.build_report(db, workshop=w))))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[0] == "Warmtenet <Noord> & Zuid"
    assert "Partijen en aanwezigen" in headings and "Afspraken en actiepunten" in headings
    assert f"1. {OPEN_PROMPT}" in headings and "8. Welke afspraken maken we?" in headings
    paragraphs = [p.text for p in doc.paragraphs]
    assert "Eerste alinea." in paragraphs and "Tweede alinea." in paragraphs
    assert "Vertrouwen staat voorop." in paragraphs
    # The open question: one column per party, side by side, the notes in the cells; on-behalf marked.
    notes = next(t for t in doc.tables if t.rows[0].cells[0].text.startswith("Gemeente ("))
    assert [c.text.split(" (")[0] for c in notes.rows[0].cells] == ["Gemeente", "Initiatief"]
    gemeente = notes.rows[1].cells[0].text
    assert "Namens iemand zonder telefoon [namens iemand ingevoerd]" in gemeente
    assert "Verborgen opmerking" not in gemeente
    # One picture per chart: poll, scale, dots, matrix.
    assert len(doc.inline_shapes) == 4
    agreements = doc.tables[-1]
    assert agreements.rows[0].cells[0].text == "Afspraak"
    assert [r.cells[0].text for r in agreements.rows[1:]] == AGREEMENT_TEXTS


async def test_the_docx_marks_withheld_answers_when_asked(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    w.report_hidden = "mark"
    doc = Document(io.BytesIO(render_docx(await reports.build_report(sqlite_db, workshop=w))))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert "Verborgen opmerking [verborgen]" in text
    assert "Wacht op goedkeuring [niet goedgekeurd]" in text
    assert "Opmerking van een verwijderde deelnemer [deelnemer verwijderd]" in text
