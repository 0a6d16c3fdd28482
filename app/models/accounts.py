from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import utcnow

EMAIL_MAX = 254
NAME_MAX = 100
PASSWORD_MIN = 12
PASSWORD_MAX = 1024


class Facilitator(SQLModel, table=True):
    """An account that prepares and runs workshops (begeleider)."""

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=EMAIL_MAX, unique=True, index=True)
    name: str = Field(max_length=NAME_MAX)
    password_hash: str = Field(max_length=255)
    created_at: datetime = Field(default_factory=utcnow)


class FacilitatorSession(SQLModel, table=True):
    """A login. The cookie holds a random token; only its SHA-256 is stored."""

    __tablename__ = "facilitator_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    facilitator_id: int = Field(foreign_key="facilitator.id", index=True, ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utcnow)
    expires_at: datetime
