from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from app.models.base import utcnow

REVIEW_COMMENT_MAX = 2000
REVIEWER_NAME_MAX = 60


class ReviewVerdict(StrEnum):
    approve = "approve"  # akkoord
    comment = "comment"  # een opmerking


class ReportReview(SQLModel, table=True):
    """A party representative's response to the concept report through the review link."""

    __tablename__ = "report_review"

    id: int | None = Field(default=None, primary_key=True)
    workshop_id: int = Field(foreign_key="workshop.id", index=True, ondelete="CASCADE")
    party_id: int = Field(foreign_key="party.id", index=True, ondelete="CASCADE")
    verdict: str = Field(max_length=10)
    reviewer_name: str = Field(default="", max_length=REVIEWER_NAME_MAX)
    comment: str = Field(default="", max_length=REVIEW_COMMENT_MAX)
    created_at: datetime = Field(default_factory=utcnow)
