"""Step results as charts: the kinds' aggregates turned into app.charts bars and tables, in the current language.

Used by the templates (board, console) and by exports; one chart per result, the same everywhere.
"""

from __future__ import annotations

from markupsafe import Markup

from app.charts import Series, chart_table, grouped_bars
from app.i18n import gettext as _
from app.services.kinds.poll import PollResult
from app.services.kinds.scale import ScaleResult

PARTY_CLASSES = 6


def _party_class(index: int) -> str:
    return f"party-{index % PARTY_CLASSES}"


def _texts() -> dict[str, str]:
    return {"no_data_text": _("No responses yet"), "missing_text": "\u2013"}


def poll_series(result: PollResult) -> list[Series]:
    series = [
        Series(name=party.name, values=list(counts.counts), css_class=_party_class(i))
        for i, (party, counts) in enumerate(result.parties)
    ]
    series.append(Series(name=_("Everyone"), values=list(result.overall.counts), css_class="overall"))
    return series


def poll_chart(result: PollResult, title: str) -> Markup:
    return grouped_bars(categories=result.options, series=poll_series(result), title=title, **_texts())


def poll_table(result: PollResult) -> Markup:
    return chart_table(
        categories=result.options,
        series=poll_series(result),
        caption=_("Number of votes per option"),
        category_header=_("Option"),
        missing_text="\u2013",
    )


def scale_series(result: ScaleResult) -> list[Series]:
    parties = [party for party, _ratings in result.statements[0].parties] if result.statements else []
    series = [
        Series(
            name=party.name,
            values=[s.parties[i][1].mean for s in result.statements],
            css_class=_party_class(i),
        )
        for i, party in enumerate(parties)
    ]
    series.append(Series(name=_("Everyone"), values=[s.overall.mean for s in result.statements], css_class="overall"))
    return series


def _scale_highlight(result: ScaleResult) -> set[int]:
    return {i for i, s in enumerate(result.statements) if s.highlighted}


def scale_chart(result: ScaleResult, title: str) -> Markup:
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
        **_texts(),
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


TEMPLATE_GLOBALS = {
    "poll_chart": poll_chart,
    "poll_table": poll_table,
    "scale_chart": scale_chart,
    "scale_table": scale_table,
}
