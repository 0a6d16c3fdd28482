"""Markdown: the report as text: attendance, every step with its answers per party or results table, summaries,
agreements."""

from __future__ import annotations

import re

from app.i18n import gettext as _
from app.i18n import ngettext
from app.services.report import Report, ReportAnswer, ReportStep

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape(text: str) -> str:
    """User text as literal Markdown: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _paragraphs(text: str) -> list[str]:
    return [line for p in text.split("\n\n") if p.strip() for line in (escape(p), "")]


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(escape(cell) for cell in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(escape(cell) or " " for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _note(report: Report, a: ReportAnswer, with_category: bool = True) -> str:
    text = escape(a.text)
    if a.category and with_category:
        text = f"{escape(a.category)}: {text}"
    if report.workshop.show_names and a.view.author:
        text += f" ({escape(a.view.author)})"
    if a.marks:
        text += " _\\[" + escape(", ".join(_(label) for label in a.mark_labels)) + "\\]_"
    return f"- {text}"


def _notes(report: Report, s: ReportStep, answers: list[ReportAnswer]) -> list[str]:
    """A party's notes as a list; grouped under their category (in the step's order) when the step has categories."""
    if not answers:
        none = _("No answers")
        return [f"_{none}_", ""]
    categories = s.step.config.get("categories") or []
    if not categories:
        return [*(_note(report, a) for a in answers), ""]
    lines = []
    for name in [*categories, ""]:
        group = [a for a in answers if a.category == name]
        if group:
            heading = name or _("Without a category")
            lines += [f"#### {escape(heading)}", "", *(_note(report, a, with_category=False) for a in group), ""]
    return lines


def _step(report: Report, s: ReportStep) -> list[str]:
    lines = [f"## {s.number}. {escape(s.step.prompt)}", "", *_paragraphs(s.step.summary)]
    if s.kind == "agreements":
        lines += [_("See Agreements and action points."), ""]
    elif s.structured:
        header, rows = s.table() or ([], [])
        responses = _("Responses")
        lines += [f"{responses}: {s.result.responses}", "", *_table(header, rows)]
        for c in s.columns:
            if c.on_behalf:
                lines += [f"{escape(c.party.name)}: {c.on_behalf_note}", ""]
        withheld = [(c, a) for c in s.columns for a in c.withheld]
        if withheld:
            heading = _("Not counted")
            lines += [f"### {heading}", ""]
            lines += [_note(report, a).replace("- ", f"- {escape(c.party.name)}: ", 1) for c, a in withheld] + [""]
    else:
        for c in s.columns:
            lines += [f"### {escape(c.party.name)}", ""]
            lines += _notes(report, s, c.answers)
    if s.omitted:
        left_out = ngettext("%(num)d contribution left out.", "%(num)d contributions left out.", s.omitted)
        lines += [left_out % {"num": s.omitted}, ""]
    return lines


def render_markdown(report: Report) -> str:
    status = _("final") if report.final else _("concept")
    lines = [f"# {escape(report.title)}", ""]
    if report.held_on:
        date_label = _("Date")
        lines += [f"{date_label}: {report.held_on.strftime('%d-%m-%Y')}", ""]
    status_label = _("Status")
    lines += [f"{status_label}: {status}", ""]
    party_line = ", ".join(f"{escape(a.party.name)} ({a.participants})" for a in report.attendance)
    parties_label = _("Parties (participants)")
    lines += [f"{parties_label}: {party_line}", ""]
    proxies = sum(a.on_behalf for a in report.attendance)
    if proxies:
        note = ngettext("%(num)d of them entered on their behalf.", "%(num)d of them entered on their behalf.", proxies)
        lines += [note % {"num": proxies}, ""]
    if report.summary:
        summary = _("Summary")
        lines += [f"## {summary}", "", *_paragraphs(report.summary)]
    for s in report.steps:
        lines += _step(report, s)
    agreements = _("Agreements and action points")
    lines += [f"## {agreements}", ""]
    lines += _table(*report.agreements_table()) if report.agreements else [_("No agreements were made."), ""]
    return "\n".join(lines).rstrip() + "\n"
