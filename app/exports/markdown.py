"""Markdown: the workshop's steps with the answers per party."""

from __future__ import annotations

import re

from app.i18n import gettext as _
from app.models import Party, Workshop
from app.services.rooms import StepResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape(text: str) -> str:
    """User text as literal Markdown: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def render_markdown(workshop: Workshop, parties: list[Party], results: list[StepResult]) -> str:
    lines = [f"# {escape(workshop.title)}", ""]
    if workshop.held_on:
        lines += [f"{_('Date')}: {workshop.held_on.isoformat()}", ""]
    counts = {p.id: 0 for p in parties}
    if results:
        counts = {c.party.id: c.participants for c in results[0].columns}
    party_line = ", ".join(f"{escape(p.name)} ({counts.get(p.id, 0)})" for p in parties)
    lines += [f"{_('Parties (participants)')}: {party_line}", ""]
    for number, result in enumerate(results, start=1):
        lines += [f"## {number}. {escape(result.step.prompt)}", ""]
        for column in result.columns:
            lines += [f"### {escape(column.party.name)}", ""]
            if not column.answers:
                lines += [f"_{_('No answers')}_", ""]
                continue
            for answer in column.answers:
                author = f" ({escape(answer.author)})" if workshop.show_names and answer.author else ""
                lines.append(f"- {escape(answer.text)}{author}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
