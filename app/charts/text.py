"""Text helpers for SVG charts: width estimates, wrapping, ellipsis, number and value formatting."""

from __future__ import annotations

import math

ELLIPSIS = "\u2026"

# Average advance of a sans-serif glyph relative to the font size (a little generous, so text fits).
_AVG_CHAR = 0.58


def text_width(text: str, font_size: float) -> float:
    """A deterministic estimate of the rendered width of ``text`` (no font metrics available server-side)."""
    return len(text) * font_size * _AVG_CHAR


def chars_fitting(width: float, font_size: float) -> int:
    return max(1, int(width / (font_size * _AVG_CHAR)))


def truncate(text: str, max_chars: int) -> str:
    """``text`` cut to ``max_chars`` characters, ending in an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= max_chars:
        return text
    if max_chars <= 1:
        return ELLIPSIS
    return text[: max_chars - 1].rstrip() + ELLIPSIS


def wrap(text: str, max_chars: int, max_lines: int) -> list[str]:
    """Word-wrap ``text`` into at most ``max_lines`` lines of at most ``max_chars`` characters.

    Words longer than a line are split; when the text does not fit, the last line ends in an ellipsis.
    """
    words = text.split()
    if not words:
        return [""]
    lines: list[str] = []
    current = ""
    for word in words:
        while len(word) > max_chars:  # a very long word: split it hard
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:max_chars])
            word = word[max_chars:]
        if not current:
            current = word
        elif len(current) + 1 + len(word) <= max_chars:
            current = f"{current} {word}"
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    kept = lines[:max_lines]
    # The next line did not fit, so joining it makes the last line too long: truncate() adds the ellipsis.
    kept[-1] = truncate(kept[-1] + " " + lines[max_lines], max_chars)
    return kept


def num(value: float) -> str:
    """A coordinate for SVG output: rounded to 2 decimals, no trailing zeros, never "-0"."""
    rounded = round(value, 2)
    if rounded == 0:
        return "0"
    text = f"{rounded:.2f}".rstrip("0").rstrip(".")
    return text


def is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_value(value: float | None, value_format: str, missing_text: str) -> str:
    if is_missing(value):
        return missing_text
    return value_format.format(value)
