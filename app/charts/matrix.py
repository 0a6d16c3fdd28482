"""A 2×2 matrix as an inline SVG scatter plot: items placed on two rating axes, one marker shape per series.

Same rules as the bar charts: deterministic markup, presentation attributes instead of ``style``, no scripts, all
text escaped. Colour is never the only cue: every series has its own marker shape, and every marker carries the
item's number, explained in the key under the plot.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from . import palette
from .bars import FONT_FAMILY, _chart_id, _text
from .text import chars_fitting, num, text_width, truncate, wrap

WIDTH = 640
PAD = 16
LEFT = 76  # room for the y-axis name (turned) and the scale numbers
PLOT = WIDTH - LEFT - 24  # the plot is square
FS = 15
FS_TICK = 14
FS_NUMBER = 14
LINE_H = 21
LEGEND_ROW = 30
MARKER = 15  # "radius" of a marker
ROW_GAP = 6
TOO_CLOSE = MARKER * 1.2  # markers closer than this are moved apart

# Light fills for the four quadrants (top-left, top-right, bottom-left, bottom-right).
QUADRANT_FILLS = {"low-high": "#f4f7fb", "high-high": "#fbf3e8", "low-low": "#f7f7f7", "high-low": "#f1f7ee"}

SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "pentagon", "hexagon")
# A fixed shape per series class, so a party keeps its shape whether or not the others have points.
SHAPE_OF_CLASS = {
    "party-0": "circle",
    "party-1": "square",
    "party-2": "triangle",
    "party-3": "triangle-down",
    "party-4": "pentagon",
    "party-5": "hexagon",
    "overall": "diamond",
}


@dataclass(frozen=True)
class MatrixPoint:
    """One series' position of one item (e.g. Gemeente's mean impact and probability of item 2)."""

    item_index: int  # 0-based index into ``items``; the marker shows ``item_index + 1``
    series_name: str
    css_class: str  # "party-0" .. "party-5" or "overall": picks the colour and the shape
    x: float
    y: float


def shape_for(css_class: str, index: int) -> str:
    for name in css_class.split():
        if name in SHAPE_OF_CLASS:
            return SHAPE_OF_CLASS[name]
    return SHAPES[index % len(SHAPES)]


def _polygon(cx: float, cy: float, r: float, corners: int, rotation: float) -> str:
    coords = []
    for k in range(corners):
        angle = math.radians(rotation + 360 * k / corners)
        coords.append(f"{num(cx + r * math.cos(angle))},{num(cy + r * math.sin(angle))}")
    return " ".join(coords)


def marker(shape: str, cx: float, cy: float, r: float, *, fill: str, css_class: str) -> str:
    """A marker of the given shape centred on (cx, cy); ``r`` is about its radius."""
    attrs = f'class="matrix-marker {escape(css_class)}" data-shape="{shape}" fill="{fill}" stroke="#ffffff" '
    attrs += 'stroke-width="2"'
    if shape == "circle":
        return f'<circle {attrs} cx="{num(cx)}" cy="{num(cy)}" r="{num(r)}"/>'
    if shape == "square":
        side = r * 1.8
        return (
            f'<rect {attrs} x="{num(cx - side / 2)}" y="{num(cy - side / 2)}" width="{num(side)}" '
            f'height="{num(side)}"/>'
        )
    polygons = {
        "triangle": (3, -90.0, 1.45),
        "triangle-down": (3, 90.0, 1.45),
        "diamond": (4, -90.0, 1.3),
        "pentagon": (5, -90.0, 1.15),
        "hexagon": (6, 0.0, 1.1),
    }
    corners, rotation, scale = polygons[shape]
    # Triangles are drawn around a centre lowered (or raised) a little, so the number sits in their widest part.
    shift = {"triangle": r * 0.35, "triangle-down": -r * 0.35}.get(shape, 0.0)
    return f'<polygon {attrs} points="{_polygon(cx, cy + shift, r * scale, corners, rotation)}"/>'


def spread(centres: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Markers that would cover each other are laid side by side in a row, centred on where they belong.

    Clusters are made greedily in drawing order: a marker joins the first cluster whose first marker lies closer
    than ``TOO_CLOSE``. A marker alone keeps its exact position.
    """
    clusters: list[list[int]] = []
    for i, (x, y) in enumerate(centres):
        for cluster in clusters:
            fx, fy = centres[cluster[0]]
            if math.hypot(x - fx, y - fy) < TOO_CLOSE:
                cluster.append(i)
                break
        else:
            clusters.append([i])
    placed = list(centres)
    for cluster in clusters:
        if len(cluster) < 2:
            continue
        mx = sum(centres[i][0] for i in cluster) / len(cluster)
        my = sum(centres[i][1] for i in cluster) / len(cluster)
        step = 2 * MARKER + 5
        for k, i in enumerate(cluster):
            placed[i] = (mx + (k - (len(cluster) - 1) / 2) * step, my)
    return placed


def matrix_plot(
    *,
    items: Sequence[str],
    points: Sequence[MatrixPoint],
    x_label: str,
    y_label: str,
    title: str,
    low: int = 1,
    high: int = 5,
    chart_id: str | None = None,
    no_data_text: str = "Nog geen reacties",
    no_position_text: str = "nog geen positie",
    legend_title: str = "",
    position_words: Callable[[float, float], str] | None = None,
    series: Sequence[tuple[str, str]] = (),
) -> Markup:
    """A square scatter plot of ``points`` on a ``low``..``high`` scale on both axes.

    - The four quadrants are shaded lightly and the midlines drawn; the axis names sit under and left of the plot.
    - Each point is a marker in its series' colour and shape (``shape_for``), with the item's number on it.
    - Under the plot: a legend (shape + series name: the ``series`` given as (name, css class), then any other in
      the order they first appear) and a numbered key of the items (``1. text``).
    - ``<title>`` is ``title``; ``<desc>`` describes every item's positions in words, using ``position_words(x, y)``
      (e.g. "hoge impact, lage waarschijnlijkheid") when given, and ``no_position_text`` for items without points.
    - Values outside ``low``..``high`` are clamped onto the plot; the description shows the real value.
    """
    items = list(items)
    points = [p for p in points if 0 <= p.item_index < len(items)]
    if not high > low:
        raise ValueError("high must be larger than low")

    legend: list[tuple[str, str]] = list(dict.fromkeys(series))  # (name, css class): given ones, then as they come
    for p in points:
        if (p.series_name, p.css_class) not in legend:
            legend.append((p.series_name, p.css_class))
    style = {s: (palette.fill_for(s[1], i), shape_for(s[1], i)) for i, s in enumerate(legend)}

    desc_parts = []
    for index, item in enumerate(items):
        mine = [p for p in points if p.item_index == index]
        if not mine:
            desc_parts.append(f"{index + 1}. {item}: {no_position_text}")
            continue
        where = []
        for p in mine:
            words = f" ({position_words(p.x, p.y)})" if position_words else ""
            where.append(f"{p.series_name} {x_label} {p.x:.1f}, {y_label} {p.y:.1f}{words}")
        desc_parts.append(f"{index + 1}. {item}: " + "; ".join(where))
    has_data = bool(items)
    desc = " ".join(part + "." for part in desc_parts) if has_data else no_data_text

    payload = repr((title, items, [tuple(vars(p).values()) for p in points], x_label, y_label, low, high, desc))
    cid = _chart_id(chart_id, payload)
    body: list[str] = []
    if not has_data:
        body.append(_text(PAD, PAD + FS, no_data_text, size=FS, css_class="chart-empty"))
        return _svg(cid, title, desc, PAD * 2 + FS + 8, body)

    top = float(PAD)
    span = high - low + 1  # each scale point gets a cell; the points sit in the middle of their cells
    cell = PLOT / span

    def px(value: float) -> float:
        return LEFT + (min(max(value, low), high) - low + 0.5) * cell

    def py(value: float) -> float:
        return top + PLOT - (min(max(value, low), high) - low + 0.5) * cell

    half = PLOT / 2
    body.append('<g class="matrix-quadrants">')
    for key, (qx, qy) in {
        "low-high": (LEFT, top),
        "high-high": (LEFT + half, top),
        "low-low": (LEFT, top + half),
        "high-low": (LEFT + half, top + half),
    }.items():
        body.append(
            f'<rect class="matrix-quadrant q-{key}" x="{num(qx)}" y="{num(qy)}" width="{num(half)}" '
            f'height="{num(half)}" fill="{QUADRANT_FILLS[key]}"/>'
        )
    body.append("</g>")
    body.append(
        f'<rect class="matrix-frame" x="{LEFT}" y="{num(top)}" width="{PLOT}" height="{PLOT}" fill="none" '
        f'stroke="{palette.MUTED}" stroke-width="1.5"/>'
    )
    mid = LEFT + half
    body.append(
        f'<line class="matrix-midline" x1="{num(mid)}" y1="{num(top)}" x2="{num(mid)}" y2="{num(top + PLOT)}" '
        f'stroke="{palette.MUTED}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    body.append(
        f'<line class="matrix-midline" x1="{LEFT}" y1="{num(top + half)}" x2="{LEFT + PLOT}" '
        f'y2="{num(top + half)}" stroke="{palette.MUTED}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )

    # Scale numbers under the plot and left of it.
    body.append('<g class="chart-axis">')
    for value in range(low, high + 1):
        body.append(
            _text(px(value), top + PLOT + 6 + FS_TICK, str(value), size=FS_TICK, anchor="middle", fill=palette.MUTED)
        )
        body.append(
            _text(LEFT - 8, py(value) + FS_TICK * 0.35, str(value), size=FS_TICK, anchor="end", fill=palette.MUTED)
        )
    body.append("</g>")
    x_name = truncate(x_label, chars_fitting(PLOT, FS)) + " \u2192"
    body.append(
        _text(
            LEFT + half,
            top + PLOT + 12 + FS_TICK + LINE_H,
            x_name,
            size=FS,
            weight=700,
            anchor="middle",
            css_class="matrix-axis-label",
        )
    )
    y_name = truncate(y_label, chars_fitting(PLOT, FS)) + " \u2192"
    ty = top + half
    body.append(
        f'<text class="matrix-axis-label" x="{num(PAD + FS)}" y="{num(ty)}" font-size="{FS}" fill="{palette.TEXT}" '
        f'font-weight="700" text-anchor="middle" transform="rotate(-90 {num(PAD + FS)} {num(ty)})">'
        f"{escape(y_name)}</text>"
    )

    # The markers: parties first, "overall" last so it is never hidden under a party's marker.
    ordered = sorted(
        points, key=lambda p: ("overall" in p.css_class.split(), legend.index((p.series_name, p.css_class)))
    )
    exact = [(px(p.x), py(p.y)) for p in ordered]
    placed = spread(exact)
    body.append('<g class="matrix-points">')
    for (cx, cy), (ax, ay) in zip(placed, exact, strict=True):
        if (cx, cy) != (ax, ay):  # moved aside to stay readable: a thin line and a dot show where it belongs
            body.append(
                f'<line class="matrix-leader" x1="{num(ax)}" y1="{num(ay)}" x2="{num(cx)}" y2="{num(cy)}" '
                f'stroke="{palette.TEXT}" stroke-width="1.5"/>'
                f'<circle class="matrix-anchor" cx="{num(ax)}" cy="{num(ay)}" r="3" fill="{palette.TEXT}"/>'
            )
    for p, (cx, cy) in zip(ordered, placed, strict=True):
        fill, shape = style[(p.series_name, p.css_class)]
        body.append(f'<g class="matrix-point" data-item="{p.item_index + 1}">')
        body.append(marker(shape, cx, cy, MARKER, fill=fill, css_class=p.css_class))
        body.append(
            _text(
                cx,
                cy + FS_NUMBER * 0.35,
                str(p.item_index + 1),
                size=FS_NUMBER,
                weight=700,
                anchor="middle",
                fill="#ffffff",
                css_class="matrix-number",
            )
        )
        body.append("</g>")
    body.append("</g>")

    # Legend: a marker + name per series, flowing onto more rows when needed.
    y = top + PLOT + 12 + FS_TICK + LINE_H + 18
    if legend:
        x = float(PAD)
        if legend_title:
            body.append(_text(x, y + 20, legend_title, size=FS, weight=700, css_class="chart-legend"))
            x += text_width(legend_title, FS) + 12
        for name, css_class in legend:
            fill, shape = style[(name, css_class)]
            label = truncate(name, 30)
            item_w = 2 * MARKER + 8 + text_width(label, FS) + 18
            if x > PAD and x + item_w > WIDTH - PAD:
                x = float(PAD)
                y += LEGEND_ROW
            body.append(marker(shape, x + MARKER, y + 15, MARKER * 0.8, fill=fill, css_class=css_class))
            body.append(_text(x + 2 * MARKER + 6, y + 20, label, size=FS, css_class="chart-legend"))
            x += item_w
        y += LEGEND_ROW + 10

    # The numbered key of the items.
    body.append('<g class="matrix-key">')
    number_w = text_width("15.", FS) + 8
    chars = chars_fitting(WIDTH - 2 * PAD - number_w, FS)
    for index, item in enumerate(items):
        item_lines = wrap(item, chars, 3)
        body.append(_text(PAD, y + FS, f"{index + 1}.", size=FS, weight=700, css_class="matrix-key-number"))
        for k, line in enumerate(item_lines):
            body.append(_text(PAD + number_w, y + FS + k * LINE_H, line, size=FS, css_class="matrix-key-text"))
        y += len(item_lines) * LINE_H + ROW_GAP
    body.append("</g>")
    return _svg(cid, title, desc, y + PAD, body)


def _svg(cid: str, title: str, desc: str, height: float, body: list[str]) -> Markup:
    height = math.ceil(height)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-matrix" id="{cid}" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-labelledby="{cid}-title" '
        f'aria-describedby="{cid}-desc" font-family="{FONT_FAMILY}">'
        f'<title id="{cid}-title">{escape(title)}</title>'
        f'<desc id="{cid}-desc">{escape(desc)}</desc>'
        f'<rect class="chart-bg" x="0" y="0" width="{WIDTH}" height="{height}" fill="{palette.BACKGROUND}"/>'
    )
    # Every piece of user text went through escape(); the rest is markup built here.
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704


__all__ = ["MatrixPoint", "matrix_plot", "shape_for"]
