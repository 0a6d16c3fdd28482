"""User text at the edge: one normalisation for everything people type or import.

Every piece of user text (answers, names, titles, prompts, options, agreements, summaries, comments, imported
files) passes here before it is validated for length and stored:

- Unicode NFC, so the same word is stored the same way whatever keyboard typed it;
- line breaks unified to "\\n";
- control characters other than newline and tab removed (NUL is never stored: PostgreSQL refuses it, and Word and
  Excel files cannot hold control characters), as are lone surrogates and the non-characters U+FFFE and U+FFFF;
- bidi override and isolate characters (U+202A-U+202E, U+2066-U+2069) and zero-width characters (U+200B-U+200D,
  U+2060, U+FEFF) removed, so nobody can make text on the board read differently from what was stored;
- leading and trailing whitespace trimmed.

`block` keeps the lines of a text (answers, summaries, help texts); `line` also folds every run of whitespace into
one space (names, titles, options). Length limits stay with the callers, which know their field and message.
This module imports nothing from the app.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import BeforeValidator

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

# Control characters (C0 without tab and newline, DEL, C1), surrogates, U+FFFE/U+FFFF, bidi controls, zero-width.
_REMOVED = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff" + BIDI_CONTROLS + ZERO_WIDTH + "]",
)
_NEWLINES = re.compile("\r\n?|[\u2028\u2029\x85]")


def block(value: str) -> str:
    """Multi-line text: normalised, lines kept, trimmed."""
    value = _NEWLINES.sub("\n", value)
    value = _REMOVED.sub("", value)
    return unicodedata.normalize("NFC", value).strip()


def line(value: str) -> str:
    """One-line text (names, titles, options): normalised, every run of whitespace one space, trimmed."""
    return " ".join(block(value).split())


def _if_text(clean: Any) -> Any:
    def validate(value: Any) -> Any:
        return clean(value) if isinstance(value, str) else value  # other types fail the field's own validation

    return validate


# For pydantic models of imported files: the same rules as forms.
BlockText = Annotated[str, BeforeValidator(_if_text(block))]
LineText = Annotated[str, BeforeValidator(_if_text(line))]
