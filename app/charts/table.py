"""The accessible HTML table alternative to a chart: same data, categories as rows, series as columns."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from markupsafe import Markup, escape

from .series import Series
from .text import format_value

HIGHLIGHT_GLYPH = "\u2260"  # ≠


def chart_table(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    caption: str,
    value_format: str = "{:g}",
    highlight: Collection[int] = frozenset(),
    highlight_text: str = "groot verschil",
    missing_text: str = "\u2013",
    category_header: str = "",
) -> Markup:
    """``<table class="chart-table">`` with a caption, ``<th scope="col">`` per series and ``<th scope="row">``
    per category. Highlighted rows get class ``highlight`` and a visible "≠ highlight_text" note."""
    categories = list(categories)
    series = list(series)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    parts = ['<table class="chart-table">', f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    parts.append(f'<th scope="col">{escape(category_header)}</th>')
    for s in series:
        parts.append(f'<th scope="col">{escape(s.name)}</th>')
    parts.append("</tr></thead><tbody>")
    for i, category in enumerate(categories):
        marked = i in highlight
        parts.append('<tr class="highlight">' if marked else "<tr>")
        note = f' <span class="chart-gap">{HIGHLIGHT_GLYPH} {escape(highlight_text)}</span>' if marked else ""
        parts.append(f'<th scope="row">{escape(category)}{note}</th>')
        for s in series:
            parts.append(f'<td class="num">{escape(format_value(s.values[i], value_format, missing_text))}</td>')
        parts.append("</tr>")
    parts.append("</tbody></table>")
    # All user text went through escape(); the rest is markup built here.
    return Markup("".join(parts))  # noqa: S704
