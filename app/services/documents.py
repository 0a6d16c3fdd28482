"""Limits for the documents people upload (JSON backups, YAML method files), checked before and after parsing.

A parser that recurses (json, PyYAML's composer) must never meet nesting deeper than MAX_DEPTH, and no number in
a document may be larger than the database holds: both would otherwise surface as a server error. The checks
return the first problem as a place in the document ("answers[3].value.choices[0]") for the caller's message.
"""

from __future__ import annotations

import math
import re
from typing import Any

from app.models.base import ID_MAX

MAX_DEPTH = 16  # the deepest legitimate document is about 7 levels (answers[i].value.roles.task.party)
INT_MAX = ID_MAX  # PostgreSQL's INTEGER; also far above any count, position, index or number of seconds

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_OPEN_CLOSE = str.maketrans("[{]}", "(())")
_PAIR = re.compile(r"\(\)")


def json_too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Does a JSON text nest arrays and objects more than `limit` deep? Decided without parsing, in C-speed regex
    passes: strings are dropped, brackets kept (of either kind), and each pass removes the innermost pairs, so a
    text of depth d is empty after d passes. Brackets that do not pair up (invalid JSON, which json.loads then
    reports) bound the depth by the passes made plus the openers left over."""
    rest = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text)).translate(_OPEN_CLOSE)
    passes = 0
    while rest and passes < limit:
        rest, removed = _PAIR.subn("", rest)
        if not removed:
            break
        passes += 1
    if not rest:
        return False
    if passes == limit and _PAIR.search(rest):
        return True  # pairs are left after `limit` passes: nested deeper
    return passes + rest.count("(") > limit


def where(path: tuple[Any, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def first_bad_value(data: Any) -> str | None:
    """The place of the first number the database cannot hold (or not finite), or of nesting beyond MAX_DEPTH;
    None when the parsed document is fine. Walks without recursion."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if len(path) > MAX_DEPTH:
            return f"{where(path)}: nested too deeply"
        if isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        if isinstance(value, int):
            if not -INT_MAX <= value <= INT_MAX:
                return f"{where(path)}: number too large"
        elif isinstance(value, float):
            if not math.isfinite(value) or abs(value) > INT_MAX:
                return f"{where(path)}: number too large"
        elif isinstance(value, dict):
            stack.extend(((*path, str(key)), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, index), item) for index, item in reversed(list(enumerate(value))))
    return None
