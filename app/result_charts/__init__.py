"""Step results as charts: each kind's aggregate turned into app.charts bars and tables, in the current language.

One module per kind; each exports TEMPLATE_GLOBALS for its results partial (components/results/_{kind}.html).
The same functions serve the board, the console and the exports.
"""

from __future__ import annotations

from app.result_charts import dots, matrix, poll, roles, scale

TEMPLATE_GLOBALS: dict = {}
for _module in (poll, scale, roles, dots, matrix):
    TEMPLATE_GLOBALS.update(_module.TEMPLATE_GLOBALS)
