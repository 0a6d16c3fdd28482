"""Horizontal grouped bar chart as inline SVG: one group per category, one bar per series (party).

The output is plain, deterministic SVG markup without ``style`` attributes (CSP ``style-src 'self'``) and without
scripts; colours are presentation attributes so the same markup works on the board, in PDF and in DOCX exports.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Collection, Sequence

from markupsafe import Markup, escape

from . import palette
from .series import Series
from .text import chars_fitting, format_value, is_missing, num, text_width, truncate, wrap

FONT_FAMILY = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif"
HIGHLIGHT_GLYPH = "\u2260"  # ≠

PAD = 16
FS_LABEL = 17  # category labels (bold)
FS = 15  # series names, values, legend
FS_TICK = 14  # axis numbers; nothing is smaller (readable on a projector)
LINE_H = 22
BAR_H = 24
BAR_GAP = 6
GROUP_GAP = 22
LEGEND_ROW = 26
SWATCH = 16
MARKER_W = 24
MAX_LABEL_LINES = 3
MIN_BAR = 4  # a value at the bottom of the scale (a mean of 1.0 on a 1-5 scale) still shows a bar
BESIDE_LABELS = 0.34  # share of the width for the category labels when they stand beside the bars


def _chart_id(chart_id: str | None, payload: str) -> str:
    if chart_id:
        safe = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
        return safe if safe[0].isalpha() else f"chart-{safe}"
    return "chart-" + hashlib.sha256(payload.encode("utf-8")).hexdigest()[:10]


def _nice_step(raw: float) -> float:
    exponent = math.floor(math.log10(raw))
    base = 10.0**exponent
    for factor in (1.0, 2.0, 2.5, 5.0, 10.0):
        if raw <= factor * base + 1e-12:
            return factor * base
    return 10.0 * base  # pragma: no cover - the loop always returns


def _ticks(lo: float, hi: float) -> list[float]:
    span = hi - lo
    if lo == int(lo) and span == int(span) and span <= 10:
        return [lo + i for i in range(int(span) + 1)]
    step = _nice_step(span / 4)
    first = math.ceil(lo / step - 1e-9) * step
    ticks: list[float] = []
    i = 0
    while (t := round(first + i * step, 10)) <= hi + 1e-9:
        ticks.append(t)
        i += 1
    return ticks


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int,
    weight: int | None = None,
    anchor: str | None = None,
    css_class: str | None = None,
    fill: str = palette.TEXT,
) -> str:
    attrs = [f'x="{num(x)}"', f'y="{num(y)}"', f'font-size="{size}"', f'fill="{fill}"']
    if weight:
        attrs.append(f'font-weight="{weight}"')
    if anchor:
        attrs.append(f'text-anchor="{anchor}"')
    if css_class:
        attrs.insert(0, f'class="{css_class}"')
    return f"<text {' '.join(attrs)}>{escape(content)}</text>"


def grouped_bars(
    *,
    categories: Sequence[str],
    series: Sequence[Series],
    title: str,
    max_value: float | None = None,
    min_value: float = 0.0,
    value_format: str = "{:g}",
    highlight: Collection[int] = frozenset(),
    width: int = 640,
    chart_id: str | None = None,
    no_data_text: str = "Geen gegevens",
    highlight_text: str = "groot verschil",
    missing_text: str = "\u2013",
    tick_format: str | None = None,
    labels_beside: bool = False,
) -> Markup:
    """A horizontal grouped bar chart as an inline ``<svg>``.

    - ``categories``: one row group each (label above its bars, wrapped to at most three lines).
    - ``series``: one bar per series in every group; ``Series.values`` has one value per category (``None`` =
      no value: no bar, ``missing_text`` as label).
    - Bars start at ``min_value`` (e.g. 1 for a 1-5 scale) and are full length at ``max_value`` (default: the
      largest value, at least ``min_value + 1``); values outside are clamped, the label shows the real value.
    - ``highlight``: category indexes marked with an outline and a "≠" glyph (class ``highlight`` on the group);
      the legend and the description explain it with ``highlight_text``.
    - ``chart_id``: prefix of the element ids; defaults to a hash of the content, so pass one when the same
      chart appears twice on a page.
    - ``no_data_text``, ``highlight_text``, ``missing_text``: fixed texts, pass translated ones.
    - ``tick_format``: format of the scale numbers under the chart (default: ``value_format``).
    - ``labels_beside``: category labels left of their bars instead of above them, and tighter groups: a wide,
      low chart for a projected board (the exports keep the default).
    """
    categories = list(categories)
    series = list(series)
    for s in series:
        if len(s.values) != len(categories):
            raise ValueError(f"series {s.name!r} has {len(s.values)} values for {len(categories)} categories")
    width = max(int(width), 320)
    highlight = {i for i in highlight if 0 <= i < len(categories)}

    present = [float(v) for s in series for v in s.values if not is_missing(v)]
    lo = float(min_value)
    hi = float(max_value) if max_value is not None else max([*present, lo + 1.0, 1.0])
    if not hi > lo:
        hi = lo + 1.0
    span = hi - lo

    labels = [[format_value(v, value_format, missing_text) for v in s.values] for s in series]
    desc_parts = []
    for i, category in enumerate(categories):
        values = ", ".join(f"{s.name} {labels[j][i]}" for j, s in enumerate(series))
        part = f"{category}: {values}"
        if i in highlight:
            part += f" ({highlight_text})"
        desc_parts.append(part)
    has_data = bool(categories) and bool(series)
    desc = "; ".join(desc_parts) + "." if has_data else no_data_text

    payload = repr(
        (
            title,
            categories,
            [(s.name, s.values, s.css_class) for s in series],
            lo,
            hi,
            value_format,
            sorted(highlight),
            width,
            no_data_text,
            highlight_text,
            missing_text,
            labels_beside,
        )
    )
    cid = _chart_id(chart_id, payload)

    body: list[str] = []
    y = float(PAD)

    if not has_data:
        body.append(_text(PAD, y + FS_LABEL, no_data_text, size=FS_LABEL, css_class="chart-empty"))
        height = y + FS_LABEL + PAD + 8
        return _svg(cid, title, desc, width, height, body)

    # Legend: swatch + name per series, plus the highlight glyph when used; flows onto more rows if needed.
    legend_items: list[tuple[str, str | None, str]] = []  # (text, fill or None for the glyph, css class)
    for j, s in enumerate(series):
        legend_items.append((truncate(s.name, 30), palette.fill_for(s.css_class, j), s.css_class))
    if highlight:
        legend_items.append((truncate(highlight_text, 40), None, "highlight"))
    x = float(PAD)
    for text, fill, css_class in legend_items:
        item_w = SWATCH + 6 + text_width(text, FS) + 16
        if x > PAD and x + item_w > width - PAD:
            x = float(PAD)
            y += LEGEND_ROW
        if fill is None:
            body.append(
                _text(
                    x + SWATCH / 2,
                    y + 17,
                    HIGHLIGHT_GLYPH,
                    size=20,
                    weight=700,
                    anchor="middle",
                    css_class="chart-marker",
                )
            )
        else:
            body.append(
                f'<rect class="swatch {escape(css_class)}" x="{num(x)}" y="{num(y + 4)}" width="{SWATCH}" '
                f'height="{SWATCH}" fill="{fill}"/>'
            )
        body.append(_text(x + SWATCH + 6, y + 17, text, size=FS, css_class="chart-legend"))
        x += item_w
    y += LEGEND_ROW + 16

    # Horizontal geometry: series names right-aligned left of the bars, value labels after the bar ends.
    label_w = round(width * BESIDE_LABELS) if labels_beside else 0
    bar_gap, group_gap = (3, 14) if labels_beside else (BAR_GAP, GROUP_GAP)
    longest_name = max(text_width(s.name, FS) for s in series)
    name_w = min(max(longest_name + 10, 40.0), (width - label_w) * 0.28)
    name_chars = chars_fitting(name_w - 10, FS)
    x0 = round(PAD + label_w + name_w)
    all_labels = [label for row in labels for label in row]
    value_w = max(max(text_width(label, FS) * 1.08 for label in all_labels) + 10, 24.0)
    bar_area = math.floor(width - PAD - value_w - x0)
    # Bold labels are a bit wider than the average estimate; about 55 characters a line at width 640.
    if labels_beside:
        label_chars = max(8, chars_fitting(label_w - MARKER_W - 8, FS_LABEL * 1.06))
    else:
        label_chars = max(16, chars_fitting(width - 2 * PAD - MARKER_W, FS_LABEL * 1.06))
    ticks = _ticks(lo, hi)

    def bar_length(value: float) -> float:
        return (min(max(value, lo), hi) - lo) / span * bar_area

    bars_bottom = y
    for i, category in enumerate(categories):
        marked = i in highlight
        group_top = y
        lines = wrap(category, label_chars, MAX_LABEL_LINES)
        bars_h = len(series) * BAR_H + (len(series) - 1) * bar_gap
        label_y = y
        if labels_beside:  # the label centred on its bars; the group as high as the taller of the two
            bars_top = y + max(0.0, (len(lines) * LINE_H - bars_h) / 2)
            label_y = y + max(0.0, (bars_h - len(lines) * LINE_H) / 2)
            group_bottom = max(bars_top + bars_h, y + len(lines) * LINE_H)
        else:
            bars_top = y + len(lines) * LINE_H + 8
            group_bottom = bars_top + bars_h
        bars_bottom = bars_top + bars_h
        body.append(f'<g class="chart-group{" highlight" if marked else ""}">')
        if marked:
            body.append(
                f'<rect class="chart-outline" x="4" y="{num(group_top - 8)}" width="{width - 8}" '
                f'height="{num(group_bottom - group_top + 16)}" rx="6" fill="none" stroke="{palette.TEXT}" '
                'stroke-width="2.5"/>'
            )
            body.append(
                _text(
                    PAD + 8,
                    label_y + FS_LABEL,
                    HIGHLIGHT_GLYPH,
                    size=22,
                    weight=700,
                    anchor="middle",
                    css_class="chart-marker",
                )
            )
        label_x = PAD + MARKER_W if marked else PAD
        for k, line in enumerate(lines):
            body.append(
                _text(
                    label_x, label_y + FS_LABEL + k * LINE_H, line, size=FS_LABEL, weight=700, css_class="chart-label"
                )
            )
        for t in ticks:
            if t == lo:
                continue
            gx = x0 + bar_length(t)
            body.append(
                f'<line class="chart-grid" x1="{num(gx)}" y1="{num(bars_top - 3)}" x2="{num(gx)}" '
                f'y2="{num(bars_bottom + 3)}" stroke="{palette.GRID}" stroke-width="1"/>'
            )
        for j, s in enumerate(series):
            bar_y = bars_top + j * (BAR_H + bar_gap)
            text_y = bar_y + BAR_H / 2 + FS * 0.35
            body.append(
                _text(x0 - 8, text_y, truncate(s.name, name_chars), size=FS, anchor="end", css_class="chart-series")
            )
            value = s.values[i]
            length = 0.0
            if not is_missing(value):
                length = bar_length(float(value))  # type: ignore[arg-type]
                at_bottom = float(value) >= lo and (float(value) != 0 or lo != 0)  # type: ignore[arg-type]
                if length < MIN_BAR and at_bottom:  # a real value, not an empty bar (0 votes stays empty)
                    length = MIN_BAR
                body.append(
                    f'<rect class="bar {escape(s.css_class)}" x="{x0}" y="{num(bar_y)}" '
                    f'width="{num(length)}" height="{BAR_H}" fill="{palette.fill_for(s.css_class, j)}"/>'
                )
            body.append(_text(x0 + length + 6, text_y, labels[j][i], size=FS, weight=700, css_class="chart-value"))
        body.append(
            f'<line class="chart-baseline" x1="{x0}" y1="{num(bars_top - 3)}" x2="{x0}" '
            f'y2="{num(bars_bottom + 3)}" stroke="{palette.MUTED}" stroke-width="1.5"/>'
        )
        body.append("</g>")
        y = group_bottom + group_gap

    # Scale numbers under the last group.
    axis_y = y - group_gap + 14 + FS_TICK
    body.append('<g class="chart-axis">')
    for t in ticks:
        body.append(
            _text(
                x0 + bar_length(t),
                axis_y,
                (tick_format or value_format).format(t),
                size=FS_TICK,
                anchor="middle",
                fill=palette.MUTED,
            )
        )
    body.append("</g>")
    height = axis_y + PAD - 4
    return _svg(cid, title, desc, width, height, body)


def _svg(cid: str, title: str, desc: str, width: int, height: float, body: list[str]) -> Markup:
    height = math.ceil(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars" id="{cid}" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" '
        f'font-family="{FONT_FAMILY}">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
        f'<rect class="chart-bg" x="0" y="0" width="{width}" height="{height}" fill="{palette.BACKGROUND}"/>'
    )
    # Every piece of user text above went through escape(); the rest is markup built here.
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704


__all__ = ["grouped_bars"]
