"""2×2 matrix results as a plot and a table: every party's mean position per item, and everyone's."""

from __future__ import annotations

from markupsafe import Markup, escape

from app.charts.matrix import MatrixPoint, matrix_plot
from app.i18n import gettext as _
from app.result_charts.common import party_class
from app.services.kinds.matrix import LOW, MatrixResult, Position, format_position, level, quadrant_name

HIGHLIGHT_GLYPH = "\u2260"  # ≠


def matrix_points(result: MatrixResult, party: int | None = None) -> list[MatrixPoint]:
    """The plot's points: each party's mean per item plus everyone's (``party``: that party's index only)."""
    points = []
    for item in result.items:
        for k, (p, position) in enumerate(item.parties):
            if (party is None or party == k) and position.count:
                points.append(MatrixPoint(item.number - 1, p.name, party_class(k), position.mean_x, position.mean_y))
    if party is None:
        for item in result.items:
            if item.overall.count:
                o = item.overall
                points.append(MatrixPoint(item.number - 1, _("Everyone"), "overall", o.mean_x, o.mean_y))
    return points


def matrix_series(result: MatrixResult, party: int | None = None) -> list[tuple[str, str]]:
    """The legend: every party (also one without ratings yet, so the room learns the shapes) and everyone."""
    parties = [p for p, _position in result.items[0].parties] if result.items else []
    series = [(p.name, party_class(k)) for k, p in enumerate(parties) if party is None or party == k]
    return series + ([(_("Everyone"), "overall")] if party is None else [])


def matrix_chart(result: MatrixResult, title: str, party: int | None = None, chart_id: str | None = None) -> Markup:
    """One plot: all parties' means as differently shaped markers plus everyone's (or one party's only)."""

    def words(x: float, y: float) -> str:
        quadrant = f"{level(x, LOW, result.high)}/{level(y, LOW, result.high)}"
        return quadrant_name(quadrant, result.x_label, result.y_label)

    return matrix_plot(
        items=[item.item for item in result.items],
        points=matrix_points(result, party),
        x_label=result.x_label,
        y_label=result.y_label,
        title=title,
        low=result.low,
        high=result.high,
        chart_id=chart_id,
        no_data_text=_("No responses yet"),
        no_position_text=_("no position yet"),
        position_words=words,
        series=matrix_series(result, party),
    )


def _cell(position: Position) -> str:
    text = format_position(position)
    if position.count:
        text += f" (n={position.count})"
    return text


def matrix_table(result: MatrixResult) -> Markup:
    """The plot as a table: one row per item, the mean x/y per party and overall, and everyone's quadrant."""
    parties = [party for party, _position in result.items[0].parties] if result.items else []
    caption = _("Mean position per item (%(x)s / %(y)s)") % {"x": result.x_label, "y": result.y_label}
    headers = [_("Item"), *(party.name for party in parties), _("Everyone"), _("Quadrant")]
    gap_text = _("large difference")
    parts = ['<table class="chart-table matrix-table">', f"<caption>{escape(caption)}</caption>", "<thead><tr>"]
    parts += [f'<th scope="col">{escape(header)}</th>' for header in headers]
    parts.append("</tr></thead><tbody>")
    for item in result.items:
        parts.append('<tr class="highlight">' if item.highlighted else "<tr>")
        note = ""
        if item.highlighted:
            note = f' <span class="chart-gap">{HIGHLIGHT_GLYPH} {escape(gap_text)}</span>'
        parts.append(f'<th scope="row">{item.number}. {escape(item.item)}{note}</th>')
        for _party, position in item.parties:
            parts.append(f'<td class="num">{escape(_cell(position))}</td>')
        parts.append(f'<td class="num">{escape(_cell(item.overall))}</td>')
        parts.append(f"<td>{escape(result.quadrant_name(item.overall))}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    # All user text went through escape(); the rest is markup built here.
    return Markup("".join(parts))  # noqa: S704


TEMPLATE_GLOBALS = {"matrix_chart": matrix_chart, "matrix_table": matrix_table}
