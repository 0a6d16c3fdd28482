"""Shared helpers for turning kind results into charts."""

from __future__ import annotations

from app.i18n import gettext as _

PARTY_CLASSES = 6


def party_class(index: int) -> str:
    return f"party-{index % PARTY_CLASSES}"


def chart_texts() -> dict[str, str]:
    """The fixed texts of a chart, in the current language."""
    return {"no_data_text": _("No responses yet"), "missing_text": "\u2013"}


BOARD_CHART_WIDTH = 800  # wide and low for a 16:9 projection; the board's CSS scales the drawing to fit


def board_layout(board: bool) -> dict:
    """Bar chart options for the projected board (labels beside the bars); the exports keep the defaults."""
    return {"labels_beside": True, "width": BOARD_CHART_WIDTH} if board else {}
