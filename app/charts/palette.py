"""Fixed colours, written into the SVG as presentation attributes so PDF/DOCX exports (no CSS) look right.

They match the ``--party-N-edge`` variables in app/static/css/app.css; all have high contrast on white.
"""

from __future__ import annotations

TEXT = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d0d0d0"
BACKGROUND = "#ffffff"

PALETTE: dict[str, str] = {
    "party-0": "#0b4f8a",
    "party-1": "#8a4b00",
    "party-2": "#2c6a1d",
    "party-3": "#6b2a7d",
    "party-4": "#8a1c1c",
    "party-5": "#3a4754",
    "overall": "#1a1a1a",
}

_CYCLE = [PALETTE[f"party-{i}"] for i in range(6)]


def fill_for(css_class: str, index: int) -> str:
    """The fill for a series: by its first known class, else by its position."""
    for name in css_class.split():
        if name in PALETTE:
            return PALETTE[name]
    return _CYCLE[index % len(_CYCLE)]
