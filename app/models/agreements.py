from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import utcnow

AGREEMENT_MAX = 500
REASON_MAX = 500


class AgreementType(StrEnum):
    working = "working"  # werkafspraak
    plan = "plan"  # plan van aanpak
    intent = "intent"  # intentieovereenkomst
    collaboration = "collaboration"  # samenwerkingsovereenkomst
    covenant = "covenant"  # convenant


class AgreementStatus(StrEnum):
    idea = "idea"  # idee
    draft = "draft"  # concept
    agreed = "agreed"  # akkoord


class ConsentLevel(StrEnum):
    agree = "agree"  # eens
    accept = "accept"  # kan ermee leven
    object = "object"  # bezwaar (needs a reason)


class Agreement(SQLModel, table=True):
    """An agreement (afspraak) drafted in a workshop: its own record, to be carried across workshops later."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    step_id: int | None = Field(default=None, foreign_key="step.id", index=True, ondelete="SET NULL")
    text: str = Field(max_length=AGREEMENT_MAX)
    owner_party_id: int | None = Field(default=None, foreign_key="party.id", ondelete="SET NULL")
    due_on: date | None = None
    type: str = Field(default=AgreementType.working, max_length=20)
    status: str = Field(default=AgreementStatus.idea, max_length=10)
    position: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AgreementResponse(SQLModel, table=True):
    """A participant's consent to an agreement; one per participant, a new one replaces it."""

    __tablename__ = "agreement_response"
    __table_args__ = (UniqueConstraint("agreement_id", "participant_id", name="uq_agreement_response_participant"),)

    id: int | None = Field(default=None, primary_key=True)
    agreement_id: int = Field(foreign_key="agreement.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id")
    level: str = Field(max_length=10)
    reason: str = Field(default="", max_length=REASON_MAX)
    updated_at: datetime = Field(default_factory=utcnow)
