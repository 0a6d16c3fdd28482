"""Shared helpers for turning kind results into charts."""

from __future__ import annotations

from app.i18n import gettext as _

PARTY_CLASSES = 6


def party_class(index: int) -> str:
    return f"party-{index % PARTY_CLASSES}"


def chart_texts() -> dict[str, str]:
    """The fixed texts of a chart, in the current language."""
    return {"no_data_text": _("No responses yet"), "missing_text": "\u2013"}
