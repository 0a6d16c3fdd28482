"""The app's clock for everything that counts time (the step timer). Tests set or advance it instead of sleeping.

A module-level clock: the live server in tests runs in a thread of the test process, so a test that advances
this clock advances the server's too.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from app.models.base import utcnow

_frozen: datetime | None = None
_offset = timedelta(0)


def now() -> datetime:
    """Aware UTC time (like app.models.base.utcnow), as set or advanced by tests."""
    return (_frozen if _frozen is not None else utcnow()) + _offset


def freeze(at: datetime | None = None) -> datetime:
    """Stop the clock at `at` (default: now). Returns the frozen moment."""
    global _frozen, _offset
    _frozen, _offset = (at or now()), timedelta(0)
    return _frozen


def advance(seconds: float) -> datetime:
    """Move the clock forward (frozen or running)."""
    global _offset
    _offset += timedelta(seconds=seconds)
    return now()


def reset() -> None:
    """Back to real time."""
    global _frozen, _offset
    _frozen, _offset = None, timedelta(0)
