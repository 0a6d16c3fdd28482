"""Server-rendered charts (inline SVG plus an HTML table alternative) for the board, PDF and DOCX exports.

Plain Python: no web framework imports, no scripts, no ``style`` attributes (CSP-safe).
"""

from .bars import grouped_bars
from .palette import PALETTE
from .series import Series
from .table import chart_table

__all__ = ["PALETTE", "Series", "chart_table", "grouped_bars"]
