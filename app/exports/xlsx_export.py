"""XLSX: an overview sheet (attendance, summary, agreements) and a sheet per step with one row per answer and party,
followed by the kind's results table. Every text cell goes through csv_export.safe_cell (characters XML cannot hold
removed, then a leading formula character quoted) and is written as a string cell, never as a formula."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from app.exports.csv_export import answer_rows, safe_cell
from app.exports.safe_text import xml_safe
from app.i18n import gettext as _
from app.services.report import Report

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
BOLD = Font(bold=True)


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\, not starting or ending with a quote."""
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", xml_safe(text)).split()).strip("'") or "-"
    name = name[:SHEET_NAME_MAX].strip()
    candidate, n = name, 2
    while candidate.casefold() in taken:
        suffix = f" ({n})"
        candidate, n = name[: SHEET_NAME_MAX - len(suffix)].rstrip() + suffix, n + 1
    taken.add(candidate.casefold())
    return candidate


def cell(value: object) -> object:
    """Numbers stay numbers; text is stripped of characters XLSX cannot hold, then escaped against formulas."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return safe_cell(value)


def _append(ws: Worksheet, values: list, bold: bool = False) -> None:
    ws.append([cell(v) for v in values])
    for c in ws[ws.max_row][: len(values)]:
        if isinstance(c.value, str):
            c.data_type = "s"  # a string cell whatever it starts with: openpyxl never writes it as a formula
        if bold:
            c.font = BOLD


def _overview(ws: Worksheet, report: Report, names: list[str]) -> None:
    ws.title = sheet_name(_("Overview"), set())
    _append(ws, [report.title], bold=True)
    _append(ws, [_("Date"), report.held_on.strftime("%d-%m-%Y") if report.held_on else ""])
    _append(ws, [_("Status"), _("final") if report.final else _("concept")])
    ws.append([])
    _append(ws, [_("Party"), _("Participants"), _("of whom entered on their behalf")], bold=True)
    for a in report.attendance:
        _append(ws, [a.party.name, a.participants, a.on_behalf])
    ws.append([])
    _append(ws, [_("Summary")], bold=True)
    _append(ws, [report.summary])
    ws.cell(ws.max_row, 1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([])
    _append(ws, [_("Step"), _("Question"), _("Sheet"), _("Summary")], bold=True)
    for s, name in zip(report.steps, names, strict=True):
        _append(ws, [s.number, s.step.prompt, name, s.step.summary])
    ws.append([])
    _append(ws, [_("Agreements and action points")], bold=True)
    if report.agreements:
        header, rows = report.agreements_table()
        _append(ws, header, bold=True)
        for row in rows:
            _append(ws, row)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 50


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    taken = {_("Overview").casefold()}
    names = [sheet_name(f"{s.number}. {s.step.prompt}", taken) for s in report.steps]
    _overview(book.active, report, names)
    header = [_("Party"), _("Name"), _("Speaks"), _("Answer"), _("Category"), _("Marks"), _("Time (UTC)")]
    for s, name in zip(report.steps, names, strict=True):
        ws = book.create_sheet(name)
        _append(ws, [f"{s.number}. {s.step.prompt}"], bold=True)
        if s.step.summary:
            _append(ws, [s.step.summary])
        ws.append([])
        _append(ws, header, bold=True)
        for row in answer_rows(report, s):
            _append(ws, row)
        table = s.table() if s.kind != "agreements" else None
        if table:
            ws.append([])
            _append(ws, table[0], bold=True)
            for row in table[1]:
                _append(ws, row)
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["D"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
