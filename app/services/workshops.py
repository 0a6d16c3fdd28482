"""Workshops: preparing, starting, moving through the agenda, closing. Parties live here too."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.methods import Method, builtin_methods
from app.models import Participant, Party, ReportStatus, Step, Workshop, WorkshopStatus
from app.models.base import utcnow
from app.models.workshops import PARTY_NAME_MAX, TITLE_MAX
from app.services import text
from app.services.errors import N_, Conflict, Gone, Invalid, NotFound, WorkshopEnded
from app.services.events import Event, EventKind
from app.services.tokens import new_join_code, normalise_join_code

DEFAULT_PARTIES = ("Gemeente", "Initiatief")
MAX_PARTIES = 8
JOIN_CODE_ATTEMPTS = 20


def _clean_title(title: str) -> str:
    title = text.line(title)
    if not title:
        raise Invalid(N_("Give the workshop a title."))
    if len(title) > TITLE_MAX:
        raise Invalid(N_("The title can have at most %(max)d characters."), max=TITLE_MAX)
    return title


def _clean_party_name(name: str) -> str:
    name = text.line(name)
    if not name:
        raise Invalid(N_("Give the party a name."))
    if len(name) > PARTY_NAME_MAX:
        raise Invalid(N_("A party name can have at most %(max)d characters."), max=PARTY_NAME_MAX)
    return name


async def create_workshop(
    db: AsyncSession,
    *,
    owner_id: int,
    title: str,
    held_on: date | None = None,
    method_key: str | None = None,
    method: Method | None = None,
    party_names: tuple[str, ...] = DEFAULT_PARTIES,
) -> Workshop:
    """A new workshop in preparation, with the agenda of a built-in method (`method_key`), of a method read
    from a file (`method`), or empty."""
    if method_key:
        method = builtin_methods().get(method_key)
        if method is None:
            raise Invalid(N_("Unknown method."))
    workshop = Workshop(owner_id=owner_id, title=_clean_title(title), held_on=held_on)
    db.add(workshop)
    await db.flush()
    for position, name in enumerate(party_names):
        db.add(Party(workshop_id=workshop.id, name=_clean_party_name(name), position=position))
    if method is not None:
        for position, step in enumerate(method.steps):
            db.add(
                Step(
                    workshop_id=workshop.id,
                    position=position,
                    kind=step.kind,
                    prompt=step.prompt,
                    help_text=step.help_text,
                    facilitator_notes=step.facilitator_notes,
                    config=step.config,
                )
            )
    await db.commit()
    return workshop


async def list_workshops(db: AsyncSession, *, owner_id: int) -> list[Workshop]:
    rows = await db.scalars(select(Workshop).where(Workshop.owner_id == owner_id).order_by(Workshop.created_at.desc()))
    return list(rows.all())


async def get_owned_workshop(db: AsyncSession, *, owner_id: int, workshop_id: int) -> Workshop:
    """A facilitator only reaches their own workshops; anything else looks like it does not exist."""
    workshop = await db.get(Workshop, workshop_id)
    if workshop is None or workshop.owner_id != owner_id:
        raise NotFound(N_("This workshop does not exist or is not yours."))
    return workshop


async def open_workshop_by_code(db: AsyncSession, *, code: str) -> Workshop:
    """The workshop behind a join code. A closed workshop's code no longer lets anyone join: WorkshopEnded says so
    (and which workshop it was, so its own phones can still look at it)."""
    normalised = normalise_join_code(code)
    if not normalised:
        raise NotFound(N_("Enter the code shown on the screen."))
    workshop = await db.scalar(
        select(Workshop).where(Workshop.join_code == normalised, Workshop.status == WorkshopStatus.open)
    )
    if workshop is None:
        ended = await db.scalar(
            select(Workshop.id)
            .where(Workshop.join_code == normalised, Workshop.status == WorkshopStatus.closed)
            .order_by(Workshop.id.desc())
            .limit(1)
        )
        if ended is not None:
            raise WorkshopEnded(ended)
        raise NotFound(
            N_("There is no open workshop with code %(code)s. Check the code on the screen."), code=normalised
        )
    return workshop


def ensure_not_closed(workshop: Workshop) -> None:
    if workshop.status == WorkshopStatus.closed:
        raise Gone(N_("This workshop has been closed."))


def ensure_report_editable(workshop: Workshop) -> None:
    """The final report is fixed: refuse every change to what it shows (summaries, options, moderation, reviews)."""
    if workshop.report_status == ReportStatus.final:
        raise Conflict(N_("The report is final and can no longer be changed."))


async def update_workshop(
    db: AsyncSession, *, workshop: Workshop, title: str, held_on: date | None, show_names: bool
) -> list[Event]:
    workshop.title = _clean_title(title)
    workshop.held_on = held_on
    workshop.show_names = show_names
    await db.commit()
    return [Event(workshop.id, EventKind.workshop)]


async def list_parties(db: AsyncSession, *, workshop_id: int) -> list[Party]:
    rows = await db.scalars(select(Party).where(Party.workshop_id == workshop_id).order_by(Party.position, Party.id))
    return list(rows.all())


async def _party_of(db: AsyncSession, workshop: Workshop, party_id: int) -> Party:
    party = await db.get(Party, party_id)
    if party is None or party.workshop_id != workshop.id:
        raise NotFound(N_("This party does not exist."))
    return party


async def _commit_party_change(db: AsyncSession, workshop: Workshop) -> list[Event]:
    try:
        await db.commit()
    except IntegrityError:
        await db.rollback()
        await db.refresh(workshop)  # the rollback expired it; the caller still holds it
        raise Conflict(N_("There already is a party with this name.")) from None
    return [Event(workshop.id, EventKind.workshop)]


async def add_party(db: AsyncSession, *, workshop: Workshop, name: str) -> list[Event]:
    ensure_not_closed(workshop)
    parties = await list_parties(db, workshop_id=workshop.id)
    if len(parties) >= MAX_PARTIES:
        raise Invalid(N_("A workshop can have at most %(max)d parties."), max=MAX_PARTIES)
    position = max((p.position for p in parties), default=-1) + 1
    db.add(Party(workshop_id=workshop.id, name=_clean_party_name(name), position=position))
    return await _commit_party_change(db, workshop)


async def rename_party(db: AsyncSession, *, workshop: Workshop, party_id: int, name: str) -> list[Event]:
    party = await _party_of(db, workshop, party_id)
    party.name = _clean_party_name(name)
    return await _commit_party_change(db, workshop)


async def remove_party(db: AsyncSession, *, workshop: Workshop, party_id: int) -> list[Event]:
    party = await _party_of(db, workshop, party_id)
    joined = await db.scalar(select(func.count()).select_from(Participant).where(Participant.party_id == party.id))
    if joined:
        raise Conflict(
            N_("Participants have joined as %(party)s; this party can no longer be removed."), party=party.name
        )
    if len(await list_parties(db, workshop_id=workshop.id)) <= 1:
        raise Invalid(N_("A workshop needs at least one party."))
    await db.delete(party)
    await db.commit()
    return [Event(workshop.id, EventKind.workshop)]


async def list_steps(db: AsyncSession, *, workshop_id: int) -> list[Step]:
    rows = await db.scalars(select(Step).where(Step.workshop_id == workshop_id).order_by(Step.position, Step.id))
    return list(rows.all())


async def start_workshop(db: AsyncSession, *, workshop: Workshop) -> list[Event]:
    """Give the workshop a join code (unique among open workshops) and put it on its first step."""
    if workshop.status == WorkshopStatus.open:
        return []
    ensure_not_closed(workshop)
    steps = await list_steps(db, workshop_id=workshop.id)
    workshop_id = workshop.id
    for _ in range(JOIN_CODE_ATTEMPTS):
        workshop.join_code = new_join_code()
        workshop.status = WorkshopStatus.open
        workshop.started_at = utcnow()
        if workshop.current_step_id is None and steps:
            workshop.current_step_id = steps[0].id
        try:
            await db.commit()
            return [Event(workshop_id, EventKind.workshop)]
        except IntegrityError:
            # Another open workshop holds this code: try another one.
            await db.rollback()
            workshop = await db.get(Workshop, workshop_id)
    raise Conflict(N_("No free join code could be found. Try again."))


async def close_workshop(db: AsyncSession, *, workshop: Workshop) -> list[Event]:
    if workshop.status == WorkshopStatus.closed:
        return []
    workshop.status = WorkshopStatus.closed
    workshop.closed_at = utcnow()
    await db.commit()
    return [Event(workshop.id, EventKind.workshop)]


async def go_to_step(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    ensure_not_closed(workshop)
    step = await db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        raise NotFound(N_("This step does not exist."))
    if workshop.current_step_id == step.id:
        return []
    workshop.current_step_id = step.id
    await db.commit()
    return [Event(workshop.id, EventKind.step, step.id)]


async def go_relative(db: AsyncSession, *, workshop: Workshop, offset: int) -> list[Event]:
    """Next (+1) or previous (-1) step; stays put at either end."""
    steps = await list_steps(db, workshop_id=workshop.id)
    if not steps:
        raise Invalid(N_("The agenda is empty. Add a step first."))
    ids = [s.id for s in steps]
    index = ids.index(workshop.current_step_id) if workshop.current_step_id in ids else -1
    target = min(max(index + offset, 0), len(ids) - 1)
    return await go_to_step(db, workshop=workshop, step_id=ids[target])
