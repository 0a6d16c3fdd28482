"""DOCX: an editable Word document of the report: headings, party columns as tables, the charts as PNG images
(made from the same SVG as the report page, with cairosvg), agreements as a table, summaries as paragraphs.
User text passes safe_text.xml_safe on its way in: python-docx refuses characters XML cannot hold."""

from __future__ import annotations

import io

import cairosvg
from docx import Document
from docx.document import Document as DocumentType
from docx.shared import Cm, Pt

from app.exports.safe_text import xml_safe
from app.i18n import gettext as _
from app.i18n import ngettext
from app.result_charts.step_chart import step_chart
from app.services.report import Report, ReportAnswer, ReportStep

CHART_WIDTH_PX = 1600  # rendered sharp enough for print at the page width
CHART_WIDTH = Cm(16)


def chart_png(svg: str) -> bytes:
    """An SVG chart as PNG (Word shows no SVG). Our charts reference nothing outside themselves."""
    return cairosvg.svg2png(
        bytestring=xml_safe(svg).encode("utf-8"), output_width=CHART_WIDTH_PX, background_color="white"
    )


def _paragraphs(doc: DocumentType, text: str) -> None:
    for paragraph in text.split("\n\n"):
        if paragraph.strip():
            doc.add_paragraph(xml_safe(paragraph.strip()))


def _table(doc: DocumentType, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = xml_safe(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=False):
            cell.text = xml_safe(text)
    doc.add_paragraph()


def _note(report: Report, a: ReportAnswer) -> str:
    text = f"{a.category}: {a.text}" if a.category else a.text
    if report.workshop.show_names and a.view.author:
        text += f" ({a.view.author})"
    if a.marks:
        text += " [" + ", ".join(_(label) for label in a.mark_labels) + "]"
    return xml_safe(text)


def _notes_table(doc: DocumentType, report: Report, s: ReportStep) -> None:
    """Open questions: one column per party, side by side; one paragraph per note."""
    table = doc.add_table(rows=2, cols=len(s.columns))
    table.style = "Table Grid"
    for column, head, body in zip(s.columns, table.rows[0].cells, table.rows[1].cells, strict=True):
        head.text = xml_safe(f"{column.party.name} ({len(column.counted)})")
        head.paragraphs[0].runs[0].bold = True
        if not column.answers:
            body.text = _("No answers")
            continue
        body.text = _note(report, column.answers[0])
        for a in column.answers[1:]:
            body.add_paragraph(_note(report, a))
    doc.add_paragraph()


def _structured(doc: DocumentType, report: Report, s: ReportStep) -> None:
    responses = s.result.responses
    doc.add_paragraph(ngettext("%(num)d response", "%(num)d responses", responses) % {"num": responses})
    chart = step_chart(s.result)
    if chart is not None:
        doc.add_picture(io.BytesIO(chart_png(str(chart))), width=CHART_WIDTH)
    header, rows = s.table() or ([], [])
    if header:
        _table(doc, header, rows)
    for c in s.columns:
        if c.on_behalf:
            doc.add_paragraph(xml_safe(f"{c.party.name}: {c.on_behalf_note}"))
    withheld = [(c, a) for c in s.columns for a in c.withheld]
    if withheld:
        doc.add_heading(_("Not counted"), level=3)
        for c, a in withheld:
            doc.add_paragraph(xml_safe(f"{c.party.name}: {_note(report, a)}"), style="List Bullet")


def render_docx(report: Report) -> bytes:
    doc = Document()
    doc.core_properties.title = xml_safe(report.title)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(xml_safe(report.title), level=0)
    status = _("final") if report.final else _("concept")
    meta = [report.held_on.strftime("%d-%m-%Y")] if report.held_on else []
    status_label = _("Status")
    doc.add_paragraph(" · ".join([_("Report"), *meta, f"{status_label}: {status}"]))

    doc.add_heading(_("Parties and attendance"), level=1)
    rows = [[a.party.name, str(a.participants), str(a.on_behalf)] for a in report.attendance]
    rows.append([_("Total"), str(report.participants_total), str(sum(a.on_behalf for a in report.attendance))])
    _table(doc, [_("Party"), _("Participants"), _("of whom entered on their behalf")], rows)

    doc.add_heading(_("Summary"), level=1)
    _paragraphs(doc, report.summary) if report.summary else doc.add_paragraph(_("No summary written."))
    if report.omitted_total:
        doc.add_paragraph(
            ngettext(
                "%(num)d contribution left out (hidden, not approved, merged or removed).",
                "%(num)d contributions left out (hidden, not approved, merged or removed).",
                report.omitted_total,
            )
            % {"num": report.omitted_total}
        )

    for s in report.steps:
        doc.add_heading(xml_safe(f"{s.number}. {s.step.prompt}"), level=1)
        _paragraphs(doc, s.step.summary)
        if s.kind == "agreements":
            agreements = len(s.result.result or [])
            doc.add_paragraph(
                ngettext(
                    "%(num)d agreement: see Agreements and action points.",
                    "%(num)d agreements: see Agreements and action points.",
                    agreements,
                )
                % {"num": agreements}
            )
        elif s.structured:
            _structured(doc, report, s)
        else:
            _notes_table(doc, report, s)
        if s.omitted:
            left_out = ngettext("%(num)d contribution left out.", "%(num)d contributions left out.", s.omitted)
            doc.add_paragraph(left_out % {"num": s.omitted})

    doc.add_heading(_("Agreements and action points"), level=1)
    if report.agreements:
        _table(doc, *report.agreements_table())
    else:
        doc.add_paragraph(_("No agreements were made."))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
