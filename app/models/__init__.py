"""SQLModel tables, one module per domain area. Importing this package registers every table."""

from app.models.accounts import Facilitator, FacilitatorSession
from app.models.agreements import Agreement, AgreementResponse, AgreementStatus, AgreementType, ConsentLevel
from app.models.participation import Answer, AnswerStatus, Participant, SpeaksFor
from app.models.reports import ReportReview, ReviewVerdict
from app.models.workshops import (
    BoardLink,
    Party,
    ReportHidden,
    ReportStatus,
    SavedMethod,
    Step,
    StepKind,
    Workshop,
    WorkshopStatus,
)

__all__ = [
    "Agreement",
    "AgreementResponse",
    "AgreementStatus",
    "AgreementType",
    "ConsentLevel",
    "Answer",
    "AnswerStatus",
    "BoardLink",
    "Facilitator",
    "FacilitatorSession",
    "Participant",
    "Party",
    "ReportHidden",
    "ReportReview",
    "ReportStatus",
    "ReviewVerdict",
    "SavedMethod",
    "SpeaksFor",
    "Step",
    "StepKind",
    "Workshop",
    "WorkshopStatus",
]
