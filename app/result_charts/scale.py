"""Scale results as a chart and a table: the mean per party for every statement, large gaps marked."""

from __future__ import annotations

from markupsafe import Markup

from app.charts import Series, chart_table, grouped_bars
from app.i18n import gettext as _
from app.result_charts.common import board_layout, chart_texts, party_class
from app.services.kinds.scale import ScaleResult


def scale_series(result: ScaleResult) -> list[Series]:
    parties = [party for party, _ratings in result.statements[0].parties] if result.statements else []
    series = [
        Series(
            name=party.name,
            values=[s.parties[i][1].mean for s in result.statements],
            css_class=party_class(i),
        )
        for i, party in enumerate(parties)
    ]
    series.append(Series(name=_("Everyone"), values=[s.overall.mean for s in result.statements], css_class="overall"))
    return series


def _scale_highlight(result: ScaleResult) -> set[int]:
    return {i for i, s in enumerate(result.statements) if s.highlighted}


def scale_chart(result: ScaleResult, title: str, *, board: bool = False) -> Markup:
    return grouped_bars(
        categories=[s.statement for s in result.statements],
        series=scale_series(result),
        title=title,
        min_value=result.scale.low,
        max_value=result.scale.high,
        value_format="{:.1f}",
        tick_format="{:g}",
        highlight=_scale_highlight(result),
        highlight_text=_("large difference"),
        **board_layout(board),
        **chart_texts(),
    )


def scale_table(result: ScaleResult) -> Markup:
    return chart_table(
        categories=[s.statement for s in result.statements],
        series=scale_series(result),
        caption=_("Mean rating per statement"),
        category_header=_("Statement"),
        value_format="{:.1f}",
        highlight=_scale_highlight(result),
        highlight_text=_("large difference"),
        missing_text="\u2013",
    )


TEMPLATE_GLOBALS = {"scale_chart": scale_chart, "scale_table": scale_table}
