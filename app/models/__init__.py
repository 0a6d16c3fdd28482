"""SQLModel tables, one module per domain area. Importing this package registers every table."""

from app.models.accounts import Facilitator, FacilitatorSession
from app.models.participation import Answer, Participant, SpeaksFor
from app.models.workshops import BoardLink, Party, Step, StepKind, Workshop, WorkshopStatus

__all__ = [
    "Answer",
    "BoardLink",
    "Facilitator",
    "FacilitatorSession",
    "Participant",
    "Party",
    "SpeaksFor",
    "Step",
    "StepKind",
    "Workshop",
    "WorkshopStatus",
]
