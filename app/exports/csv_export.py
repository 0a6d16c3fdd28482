"""CSV: one row per answer, as the report writes it (withheld answers left out or marked, on-behalf answers marked).
Cells are escaped against spreadsheet formula injection (safe_cell, also used by the XLSX export)."""

from __future__ import annotations

import csv
import io

from app.exports.safe_text import xml_safe
from app.i18n import gettext as _
from app.services.report import Report, ReportAnswer, ReportStep
from app.templating import speaks_for_text

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: characters XML cannot hold are removed FIRST (so none of them can hide a
    leading formula character from the check), then a leading formula character gets a quote in front."""
    text = "" if value is None else xml_safe(str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def marks_text(answer: ReportAnswer) -> str:
    return ", ".join(_(label) for label in answer.mark_labels)


def answer_rows(report: Report, step: ReportStep) -> list[list[str]]:
    """Party, name, speaks for, answer, category, marks and time of every answer the report writes for a step;
    for an agreements step one row per consent given. Plain (unescaped) text: each format escapes its cells."""
    from app.services.agreements import LEVEL_LABELS

    rows = []
    if step.kind == "agreements":
        names = {p.id: p.name for p in report.parties}
        for item in step.result.result or []:
            for record in item.records:
                answer = f"{item.agreement.text}: {_(LEVEL_LABELS.get(record.level, record.level))}"
                if record.reason:
                    answer += f" ({record.reason})"
                when = record.updated_at.strftime("%Y-%m-%d %H:%M:%S")
                rows.append([names.get(record.party_id, ""), "", "", answer, "", "", when])
        return rows
    for column in step.columns:
        for a in column.answers:
            rows.append(
                [
                    column.party.name,
                    a.view.author if report.workshop.show_names else "",
                    speaks_for_text(a.view.speaks_for),
                    a.text,
                    a.category,
                    marks_text(a),
                    a.view.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                ]
            )
    return rows


def render_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # Category and marks come last, so spreadsheets built on the earlier columns keep working.
    header = [_("Step"), _("Question"), _("Party"), _("Name"), _("Speaks"), _("Answer"), _("Time (UTC)")]
    writer.writerow([*header, _("Category"), _("Marks")])
    for step in report.steps:
        for party, name, speaks, answer, category, marks, when in answer_rows(report, step):
            cells = [step.step.prompt, party, name, speaks, answer]
            writer.writerow([step.number, *map(safe_cell, cells), when, safe_cell(category), safe_cell(marks)])
    return buffer.getvalue()
