"""Limits for the documents people upload (JSON backups, YAML method files), checked before and after parsing.

A parser that recurses (json, PyYAML's composer) must never meet nesting deeper than MAX_DEPTH, and no number in
a document may be larger than the database holds: both would otherwise surface as a server error. The checks
return the first problem as a place in the document ("answers[3].value.choices[0]") for the caller's message.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

MAX_DEPTH = 16  # the deepest legitimate document is about 7 levels (answers[i].value.roles.task.party)
INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER; also far above any count, position, index or number of seconds

_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_JSON_BRACKETS = re.compile(r"[\[\]{}]")


def json_depth(text: str) -> int:
    """How deeply a JSON text nests arrays and objects (strings skipped), without parsing it."""
    brackets = _JSON_BRACKETS.findall(_JSON_STRING.sub("", text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def depth_of_events(events: Iterable[tuple[str, int]]) -> int:
    """The deepest nesting of a stream of ("start" | "end", line) events; stops as soon as it exceeds MAX_DEPTH."""
    depth = 0
    for kind, _line in events:
        depth += 1 if kind == "start" else -1
        if depth > MAX_DEPTH:
            return depth
    return depth


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
