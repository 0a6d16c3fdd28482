"""Markdown: the workshop's steps with the answers per party."""

from __future__ import annotations

import re

from app.i18n import gettext as _
from app.models import Party, Workshop
from app.services.kinds.poll import PollResult
from app.services.kinds.scale import ScaleResult
from app.services.rooms import StepResult

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~])")


def escape(text: str) -> str:
    """User text as literal Markdown: one line, every markup character escaped."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _structured(result: StepResult) -> list[str]:
    """Poll and scale results as a table: one row per option or statement, one column per party and overall."""
    r = result.result
    parties = [party.name for party, _counts in (r.parties if isinstance(r, PollResult) else r.statements[0].parties)]
    header = [_("Option") if isinstance(r, PollResult) else _("Statement"), *map(escape, parties), _("Everyone")]
    rows: list[list[str]] = []
    if isinstance(r, PollResult):
        for i, option in enumerate(r.options):
            rows.append([escape(option), *(str(c.counts[i]) for _p, c in r.parties), str(r.overall.counts[i])])
    elif isinstance(r, ScaleResult):
        for s in r.statements:
            means = [_mean(ratings.mean) for _p, ratings in s.parties]
            mark = " (" + _("large difference") + ")" if s.highlighted else ""
            rows.append([escape(s.statement) + mark, *means, _mean(s.overall.mean)])
    responses = _("Responses")
    lines = [f"{responses}: {result.responses}", ""]
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


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
            for answer in column.answers:
                author = f" ({escape(answer.author)})" if workshop.show_names and answer.author else ""
                lines.append(f"- {escape(answer.text)}{author}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
