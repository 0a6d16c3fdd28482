"""Phones joining a workshop. A participant is anonymous unless they give a display name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Participant, Party, SpeaksFor, Workshop, WorkshopStatus
from app.models.participation import DISPLAY_NAME_MAX
from app.services import text
from app.services.errors import N_, Gone, Invalid
from app.services.events import Event, EventKind
from app.services.tokens import hash_token, new_token


async def join(
    db: AsyncSession,
    *,
    workshop: Workshop,
    party_id: int | None,
    display_name: str = "",
    speaks_for: str = SpeaksFor.self,
) -> tuple[Participant, str, list[Event]]:
    """Join as a party. Returns the participant, the token for the phone's cookie and the events."""
    if workshop.status != WorkshopStatus.open:
        raise Gone(N_("This workshop is not open for joining."))
    party = await db.get(Party, party_id) if party_id is not None else None
    if party is None or party.workshop_id != workshop.id:
        raise Invalid(N_("Choose the party you belong to."))
    display_name = text.line(display_name)
    if len(display_name) > DISPLAY_NAME_MAX:
        raise Invalid(N_("A name can have at most %(max)d characters."), max=DISPLAY_NAME_MAX)
    if speaks_for not in SpeaksFor.__members__:
        raise Invalid(N_("Choose on whose behalf you speak."))
    token = new_token()
    participant = Participant(
        workshop_id=workshop.id,
        party_id=party.id,
        token_hash=hash_token(token),
        display_name=display_name,
        speaks_for=speaks_for,
    )
    db.add(participant)
    await db.commit()
    return participant, token, [Event(workshop.id, EventKind.joined, participant_id=participant.id)]


async def participant_by_token(db: AsyncSession, *, workshop_id: int, token: str | None) -> Participant | None:
    if not token:
        return None
    participant = await db.scalar(select(Participant).where(Participant.token_hash == hash_token(token)))
    if participant is None or participant.workshop_id != workshop_id:
        return None
    return participant
