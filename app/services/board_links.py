"""One-time board links: another computer opens the board without a lasting secret in the URL."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from app.models import BoardLink, Workshop
from app.models.base import utcnow
from app.services.errors import N_, NotFound
from app.services.tokens import hash_token, new_token

LINK_LIFETIME = timedelta(minutes=30)


async def create_board_link(db: AsyncSession, *, workshop: Workshop) -> str:
    token = new_token()
    db.add(BoardLink(token_hash=hash_token(token), workshop_id=workshop.id, expires_at=utcnow() + LINK_LIFETIME))
    await db.commit()
    return token


async def redeem_board_link(db: AsyncSession, *, token: str) -> int:
    """Use a link once; returns the workshop id it opens."""
    link = await db.get(BoardLink, hash_token(token))
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        raise NotFound(N_("This board link has expired or was already used. Ask the facilitator for a new one."))
    link.used_at = utcnow()
    workshop_id = link.workshop_id
    await db.commit()
    return workshop_id
