"""One step's chart as SVG, whatever its kind: the board's chart functions, for the report and its downloads."""

from __future__ import annotations

from markupsafe import Markup

from app.result_charts.dots import dots_chart
from app.result_charts.matrix import matrix_chart
from app.result_charts.poll import poll_chart
from app.result_charts.scale import scale_chart
from app.services.rooms import StepResult


def step_chart(result: StepResult, chart_id: str | None = None) -> Markup | None:
    """The SVG chart of a structured step's results; None for kinds without a chart (open, roles, agreements)."""
    r, title = result.result, result.step.prompt
    if r is None:
        return None
    kind = result.step.kind
    if kind == "poll":
        return poll_chart(r, title)
    if kind == "scale":
        return scale_chart(r, title)
    if kind == "dots":
        return dots_chart(r, title)
    if kind == "matrix":
        return matrix_chart(r, title, chart_id=chart_id or f"report-matrix-{result.step.id}")
    return None
