"""Poll results as a chart and a table."""

from __future__ import annotations

from markupsafe import Markup

from app.charts import Series, chart_table, grouped_bars
from app.i18n import gettext as _
from app.result_charts.common import board_layout, chart_texts, party_class
from app.services.kinds.poll import PollResult


def poll_series(result: PollResult) -> list[Series]:
    series = [
        Series(name=party.name, values=list(counts.counts), css_class=party_class(i))
        for i, (party, counts) in enumerate(result.parties)
    ]
    series.append(Series(name=_("Everyone"), values=list(result.overall.counts), css_class="overall"))
    return series


def poll_chart(result: PollResult, title: str, *, board: bool = False) -> Markup:
    return grouped_bars(
        categories=result.options, series=poll_series(result), title=title, **board_layout(board), **chart_texts()
    )


def poll_table(result: PollResult) -> Markup:
    return chart_table(
        categories=result.options,
        series=poll_series(result),
        caption=_("Number of votes per option"),
        category_header=_("Option"),
        missing_text="\u2013",
    )


TEMPLATE_GLOBALS = {"poll_chart": poll_chart, "poll_table": poll_table}
