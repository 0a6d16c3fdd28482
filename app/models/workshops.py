from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.models.base import utcnow

TITLE_MAX = 200
PARTY_NAME_MAX = 60
PROMPT_MAX = 500
HELP_MAX = 2000
NOTES_MAX = 4000
JOIN_CODE_LENGTH = 6
SUMMARY_MAX = 10000


class ReportStatus(StrEnum):
    """The report's state: a concept until the facilitator makes it final; the final version is fixed."""

    concept = "concept"
    final = "final"


class ReportHidden(StrEnum):
    """What the report does with hidden, removed and unapproved answers."""

    omit = "omit"
    mark = "mark"


class WorkshopStatus(StrEnum):
    draft = "draft"
    open = "open"
    closed = "closed"


class StepKind(StrEnum):
    open = "open"
    poll = "poll"
    scale = "scale"
    agreements = "agreements"
    matrix = "matrix"
    dots = "dots"
    roles = "roles"


class Workshop(SQLModel, table=True):
    """One live meeting with a join code (sessie)."""

    __table_args__ = (
        # A join code is unique among open workshops; closed workshops give their code back.
        Index(
            "uq_workshop_open_join_code",
            "join_code",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="facilitator.id", index=True)
    title: str = Field(max_length=TITLE_MAX)
    held_on: date | None = None
    status: str = Field(default=WorkshopStatus.draft, max_length=10)
    join_code: str | None = Field(default=None, max_length=JOIN_CODE_LENGTH)
    show_names: bool = False
    current_step_id: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    closed_at: datetime | None = None
    # The report (verslag): the facilitator's overall summary, its state, and who may download it.
    summary: str = Field(default="", max_length=SUMMARY_MAX, sa_column_kwargs={"server_default": ""})
    report_status: str = Field(
        default=ReportStatus.concept, max_length=10, sa_column_kwargs={"server_default": "concept"}
    )
    report_hidden: str = Field(default=ReportHidden.omit, max_length=10, sa_column_kwargs={"server_default": "omit"})
    report_for_participants: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    finalized_at: datetime | None = None
    # The review link (for the parties' representatives): only its hash is stored.
    review_token_hash: str | None = Field(default=None, max_length=64)


class Party(SQLModel, table=True):
    """A side at the table (partij): Gemeente, Initiatief, ..."""

    __table_args__ = (UniqueConstraint("workshop_id", "name", name="uq_party_workshop_name"),)

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=PARTY_NAME_MAX)
    position: int = 0


class Step(SQLModel, table=True):
    """One activity on the workshop's agenda (onderdeel)."""

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    position: int = 0
    kind: str = Field(default=StepKind.open, max_length=20)
    prompt: str = Field(max_length=PROMPT_MAX)
    help_text: str = Field(default="", max_length=HELP_MAX)
    facilitator_notes: str = Field(default="", max_length=NOTES_MAX)
    is_open: bool = True
    # Hidden until reveal: answers are collected but the board shows only how many came in.
    results_hidden: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Settings of the step's kind (poll options, scale statements, ...), validated by services.kinds.
    config: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False, server_default="{}"))
    # Moderation: new answers wait for the facilitator's approval before the board shows them.
    moderated: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # Timer: running while timer_ends_at is set; paused while timer_remaining (seconds) is set instead.
    timer_seconds: int | None = None  # the length the facilitator set (plus extensions)
    timer_ends_at: datetime | None = None
    timer_remaining: int | None = None
    timer_auto_close: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # The facilitator's summary of this step for the report.
    summary: str = Field(default="", max_length=SUMMARY_MAX, sa_column_kwargs={"server_default": ""})


class BoardLink(SQLModel, table=True):
    """A one-time link that lets another computer open the board; exchanged once for a cookie."""

    __tablename__ = "board_link"

    token_hash: str = Field(primary_key=True, max_length=64)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    expires_at: datetime
    used_at: datetime | None = None


class SavedMethod(SQLModel, table=True):
    """A facilitator's own method (werkvorm): saved from a workshop's agenda, duplicated or imported, editable."""

    __tablename__ = "saved_method"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(foreign_key="facilitator.id", index=True, ondelete="CASCADE")
    title: str = Field(max_length=TITLE_MAX)
    # The method as validated data (app.methods.Method without its key), so it reads back exactly.
    data: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
