"""The data a chart draws: one series per party (or an overall series), one value per category."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Series:
    """One row of bars: a party ("Gemeente", "Initiatief") or an overall series ("Totaal").

    ``values`` has one entry per category; ``None`` means "no value" (e.g. nobody of that party answered).
    ``css_class`` goes on the bars ("party-0" .. "party-5", "overall") and picks the default fill.
    """

    name: str
    values: list[float | None]
    css_class: str
