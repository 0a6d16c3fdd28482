"""Answering on someone's behalf: the facilitator enters answers for a person without a phone.

Such a person is a Participant with `on_behalf=True` and a token nobody knows (only the hash of a random token
that is thrown away), so no phone can ever act as them. Their answers go through services.answers with the same
rules as a phone's.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Participant, Party, SpeaksFor, Workshop
from app.models.participation import DISPLAY_NAME_MAX
from app.services import text
from app.services.errors import N_, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.tokens import hash_token, new_token
from app.services.workshops import ensure_not_closed, ensure_report_editable


async def add_person(
    db: AsyncSession, *, workshop: Workshop, party_id: int | None, display_name: str = ""
) -> tuple[Participant, list[Event]]:
    """Someone without a phone, of a party, optionally with a name."""
    ensure_not_closed(workshop)
    ensure_report_editable(workshop)
    party = await db.get(Party, party_id) if party_id is not None else None
    if party is None or party.workshop_id != workshop.id:
        raise Invalid(N_("Choose the party of the person you answer for."))
    display_name = text.line(display_name)
    if len(display_name) > DISPLAY_NAME_MAX:
        raise Invalid(N_("A name can have at most %(max)d characters."), max=DISPLAY_NAME_MAX)
    person = Participant(
        workshop_id=workshop.id,
        party_id=party.id,
        token_hash=hash_token(new_token()),  # the token itself is never kept: nobody can use it
        display_name=display_name,
        speaks_for=SpeaksFor.self,
        on_behalf=True,
    )
    db.add(person)
    await db.commit()
    return person, [Event(workshop.id, EventKind.joined, participant_id=person.id)]


async def list_people(db: AsyncSession, *, workshop_id: int) -> list[Participant]:
    """The people the facilitator answers for (not removed), in the order they were added."""
    rows = await db.scalars(
        select(Participant)
        .where(
            Participant.workshop_id == workshop_id, Participant.on_behalf.is_(True), Participant.removed_at.is_(None)
        )
        .order_by(Participant.joined_at, Participant.id)
    )
    return list(rows.all())


async def person_of(db: AsyncSession, *, workshop: Workshop, participant_id: int) -> Participant:
    """One of the workshop's people answered for; never a phone's participant."""
    ensure_report_editable(workshop)
    person = await db.get(Participant, participant_id)
    if person is None or person.workshop_id != workshop.id or not person.on_behalf or person.removed_at is not None:
        raise NotFound(N_("Choose the person you answer for."))
    return person
