"""Step kinds: what a step asks, what a response may contain, and how responses add up per party.

Each kind is a small module with a `Kind` object; the registry below is the one place that lists them.
"""

from __future__ import annotations

from app.services.errors import N_, Invalid
from app.services.kinds.agreements import AGREEMENTS
from app.services.kinds.base import Kind, ResponseView
from app.services.kinds.dots import DOTS
from app.services.kinds.matrix import MATRIX
from app.services.kinds.open import OPEN
from app.services.kinds.poll import POLL
from app.services.kinds.roles import ROLES
from app.services.kinds.scale import SCALE

KINDS: dict[str, Kind] = {kind.name: kind for kind in (OPEN, POLL, SCALE, DOTS, ROLES, MATRIX, AGREEMENTS)}


def get_kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise Invalid(N_("Unknown kind of step.")) from None


__all__ = ["KINDS", "OPEN", "POLL", "SCALE", "Kind", "ResponseView", "get_kind"]
