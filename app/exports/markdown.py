"""Markdown: the workshop's steps with the answers per party."""

from __future__ import annotations

import re

from app.i18n import gettext as _
from app.models import Party, Workshop
from app.services.kinds import get_kind
from app.services.rooms import StepResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape(text: str) -> str:
    """User text as literal Markdown: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _structured(result: StepResult) -> list[str]:
    """A structured kind's results as a table: one row per item, one column per party and overall."""
    header, rows = get_kind(result.step.kind).summary_table(result.result)
    responses = _("Responses")
    lines = [f"{responses}: {result.responses}", ""]
    lines.append("| " + " | ".join(escape(cell) for cell in header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _notes(workshop: Workshop, answers: list) -> list[str]:
    """Notes as a Markdown list; the author only when the workshop shows names."""
    lines = []
    for answer in answers:
        author = f" ({escape(answer.author)})" if workshop.show_names and answer.author else ""
        lines.append(f"- {escape(answer.text)}{author}")
    return lines


def render_markdown(workshop: Workshop, parties: list[Party], results: list[StepResult]) -> str:
    lines = [f"# {escape(workshop.title)}", ""]
    if workshop.held_on:
        date_label = _("Date")
        lines += [f"{date_label}: {workshop.held_on.isoformat()}", ""]
    counts = {p.id: 0 for p in parties}
    if results:
        counts = {c.party.id: c.participants for c in results[0].columns}
    party_line = ", ".join(f"{escape(p.name)} ({counts.get(p.id, 0)})" for p in parties)
    parties_label = _("Parties (participants)")
    lines += [f"{parties_label}: {party_line}", ""]
    for number, result in enumerate(results, start=1):
        lines += [f"## {number}. {escape(result.step.prompt)}", ""]
        if result.result is not None:
            lines += _structured(result)
            continue
        for column in result.columns:
            lines += [f"### {escape(column.party.name)}", ""]
            if not column.answers:
                no_answers = _("No answers")
                lines += [f"_{no_answers}_", ""]
                continue
            if not column.groups:
                lines += [*_notes(workshop, column.answers), ""]
                continue
            for group in column.groups:
                if not group.answers:
                    continue
                name = group.name or _("Without a category")
                lines += [f"#### {escape(name)}", "", *_notes(workshop, group.answers), ""]
    return "\n".join(lines).rstrip() + "\n"
