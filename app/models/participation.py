from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import utcnow

DISPLAY_NAME_MAX = 60
ANSWER_MAX = 1000
IDEMPOTENCY_KEY_MAX = 64
CLUSTER_MAX = 60


class AnswerStatus(StrEnum):
    """Moderation state of an answer."""

    shown = "shown"
    pending = "pending"  # waits for the facilitator's approval (a moderated step)
    hidden = "hidden"  # hidden by the facilitator


class SpeaksFor(StrEnum):
    """Namens wie spreek je?"""

    self = "self"
    organisation = "organisation"
    mandate = "mandate"


class Participant(SQLModel, table=True):
    """One phone in one workshop (deelnemer). The phone's cookie holds a token; only its hash is stored."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    display_name: str = Field(default="", max_length=DISPLAY_NAME_MAX)
    speaks_for: str = Field(default=SpeaksFor.self, max_length=20)
    joined_at: datetime = Field(default_factory=utcnow)
    # Removed by the facilitator: their answers are hidden and their phone is told.
    removed_at: datetime | None = None
    # Entered by the facilitator for someone without a phone (answers on their behalf); has no phone token.
    on_behalf: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Answer(SQLModel, table=True):
    """What a participant put into a step (bijdrage)."""

    __table_args__ = (
        # A double tap or a retried form carries the same key: never a second answer.
        UniqueConstraint("participant_id", "idempotency_key", name="uq_answer_participant_idempotency"),
        # Structured kinds (poll, scale, ...) keep one response per participant and step: a new vote replaces it.
        Index(
            "uq_answer_one_response",
            "participant_id",
            "step_id",
            unique=True,
            sqlite_where=text("value IS NOT NULL"),
            postgresql_where=text("value IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    step_id: int = Field(foreign_key="step.id", index=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", index=True)
    text: str = Field(max_length=ANSWER_MAX)
    # The response of a structured kind (poll choices, scale ratings, ...); NULL for open notes.
    value: dict | None = Field(default=None, sa_column=Column(JSON(none_as_null=True), nullable=True))
    # An open note's category: an index into the step's config["categories"]; NULL when the step has none.
    category: int | None = Field(default=None)
    idempotency_key: str = Field(max_length=IDEMPOTENCY_KEY_MAX)
    # Moderation: shown, pending approval or hidden; highlighted; clustered into a named group; merged into another
    # answer (a duplicate: it no longer shows on its own, the answer it was merged into counts it).
    status: str = Field(default=AnswerStatus.shown, max_length=10, sa_column_kwargs={"server_default": "shown"})
    highlighted: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    cluster: str = Field(default="", max_length=CLUSTER_MAX, sa_column_kwargs={"server_default": ""})
    merged_into_id: int | None = Field(default=None, foreign_key="answer.id", ondelete="SET NULL")
    edited_by_facilitator: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
