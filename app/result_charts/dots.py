"""Dots results as a chart and a table: the dots per item per party and overall, items in the overall ranking."""

from __future__ import annotations

from markupsafe import Markup

from app.charts import Series, chart_table, grouped_bars
from app.i18n import gettext as _
from app.result_charts.common import board_layout, chart_texts, party_class
from app.services.kinds.dots import DotsResult


def dots_series(result: DotsResult) -> list[Series]:
    order = result.order
    series = [
        Series(name=party.name, values=[tally.dots[i] for i in order], css_class=party_class(n))
        for n, (party, tally) in enumerate(result.parties)
    ]
    series.append(Series(name=_("Everyone"), values=[result.overall.dots[i] for i in order], css_class="overall"))
    return series


def _ranked_items(result: DotsResult) -> list[str]:
    return [result.items[i] for i in result.order]


def dots_chart(result: DotsResult, title: str, *, board: bool = False) -> Markup:
    return grouped_bars(
        categories=_ranked_items(result),
        series=dots_series(result),
        title=title,
        **board_layout(board),
        **chart_texts(),
    )


def dots_table(result: DotsResult) -> Markup:
    return chart_table(
        categories=_ranked_items(result),
        series=dots_series(result),
        caption=_("Number of dots per item, most dots first"),
        category_header=_("Item"),
        missing_text="\u2013",
    )


TEMPLATE_GLOBALS = {"dots_chart": dots_chart, "dots_table": dots_table}
