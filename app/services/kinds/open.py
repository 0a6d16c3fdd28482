"""Open question: free notes; a participant may add several."""

from __future__ import annotations

from app.services.errors import N_
from app.services.kinds.base import Kind


class OpenKind(Kind):
    name = "open"
    label = N_("Open question")
    structured = False


OPEN = OpenKind()
