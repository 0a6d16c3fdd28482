"""SQLModel tables, one module per domain area. Importing this package registers every table."""

from app.models.accounts import Facilitator, FacilitatorSession
from app.models.agreements import Agreement, AgreementResponse, AgreementStatus, AgreementType, ConsentLevel
from app.models.participation import Answer, Participant, SpeaksFor
from app.models.workshops import BoardLink, Party, SavedMethod, Step, StepKind, Workshop, WorkshopStatus

__all__ = [
    "Agreement",
    "AgreementResponse",
    "AgreementStatus",
    "AgreementType",
    "ConsentLevel",
    "Answer",
    "BoardLink",
    "Facilitator",
    "FacilitatorSession",
    "Participant",
    "Party",
    "SavedMethod",
    "SpeaksFor",
    "Step",
    "StepKind",
    "Workshop",
    "WorkshopStatus",
]
