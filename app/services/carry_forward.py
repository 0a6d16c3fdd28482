"""Carry forward: the notes of an open question become the items of a new dots step.

The facilitator sees the distinct notes (the same text from several people counts once, whatever its case), grouped
by the parties that wrote them, picks the ones worth prioritising, and gets a dots step right after the question.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Answer, Party, StepKind, Workshop
from app.services import steps
from app.services.errors import N_, Invalid
from app.services.events import Event
from app.services.kinds.dots import ITEM_MAX, MAX_ITEMS, MIN_ITEMS
from app.services.workshops import ensure_not_closed, list_parties, list_steps

ELLIPSIS = "\u2026"


@dataclass(slots=True)
class CarriedNote:
    """One distinct note of an open question, as it would read as a dots item."""

    text: str
    parties: list[Party] = field(default_factory=list)  # who wrote it, in the workshop's party order
    count: int = 0  # how many notes said it

    @property
    def key(self) -> str:
        return self.text.casefold()


@dataclass(frozen=True, slots=True)
class NoteGroup:
    """The notes written by exactly these parties (one party, or several that wrote the same)."""

    parties: list[Party]
    notes: list[CarriedNote]


def as_item(text: str) -> str:
    """A note as a dots item: one line, at most ITEM_MAX characters (a longer note is shortened with "…")."""
    line = " ".join(text.split())
    return line if len(line) <= ITEM_MAX else line[: ITEM_MAX - 1].rstrip() + ELLIPSIS


async def notes_to_carry(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[CarriedNote]:
    """The distinct notes of an open-question step with their parties: first the notes of one party (in party
    order), then those that several parties wrote; within that, in the order they were first written."""
    step = await steps.step_of(db, workshop=workshop, step_id=step_id)
    if step.kind != StepKind.open:
        raise Invalid(N_("Only the notes of an open question can be carried forward."))
    parties = await list_parties(db, workshop_id=workshop.id)
    rank = {p.id: i for i, p in enumerate(parties)}
    rows = await db.scalars(
        select(Answer).where(Answer.step_id == step.id, Answer.value.is_(None)).order_by(Answer.created_at, Answer.id)
    )
    notes: dict[str, CarriedNote] = {}
    for answer in rows.all():
        text = as_item(answer.text)
        if not text:
            continue
        note = notes.setdefault(text.casefold(), CarriedNote(text=text))
        note.count += 1
        party = next((p for p in parties if p.id == answer.party_id), None)
        if party is not None and all(p.id != party.id for p in note.parties):
            note.parties.append(party)
    for note in notes.values():
        note.parties.sort(key=lambda p: rank[p.id])
    first_seen = {key: i for i, key in enumerate(notes)}
    return sorted(
        notes.values(),
        key=lambda n: (len(n.parties) != 1, [rank[p.id] for p in n.parties], first_seen[n.key]),
    )


def group_by_parties(notes: list[CarriedNote]) -> list[NoteGroup]:
    """Consecutive notes with the same parties in one group (notes_to_carry already sorts them so)."""
    groups: list[NoteGroup] = []
    for note in notes:
        if groups and [p.id for p in groups[-1].parties] == [p.id for p in note.parties]:
            groups[-1].notes.append(note)
        else:
            groups.append(NoteGroup(parties=list(note.parties), notes=[note]))
    return groups


class _Fields(dict):
    """The dots settings as if typed in the console's form."""

    def getlist(self, key: str) -> list:
        return [self[key]] if key in self else []


async def add_dots_step_from_notes(
    db: AsyncSession, *, workshop: Workshop, source_step_id: int, selected: list[str], prompt: str, budget: int
) -> list[Event]:
    """A new dots step right after the open question, with the facilitator's selection of its notes as items
    (in the order notes_to_carry lists them). A selection that is not among the notes changes nothing."""
    ensure_not_closed(workshop)
    notes = await notes_to_carry(db, workshop=workshop, step_id=source_step_id)
    wanted = {as_item(s).casefold() for s in selected if s.strip()}
    if wanted - {n.key for n in notes}:
        raise Invalid(N_("A chosen note is no longer among the answers. Check the list and try again."))
    items = [n.text for n in notes if n.key in wanted]
    if len(items) < MIN_ITEMS:
        raise Invalid(N_("Choose at least %(min)d notes."), min=MIN_ITEMS)
    if len(items) > MAX_ITEMS:
        raise Invalid(N_("Choose at most %(max)d notes."), max=MAX_ITEMS)
    events = await steps.add_step(
        db,
        workshop=workshop,
        prompt=prompt,
        kind=StepKind.dots,
        fields=_Fields(items="\n".join(items), budget=str(budget)),
    )
    await _place_after(db, workshop=workshop, step_id=events[0].step_id, after_id=source_step_id)
    return events


async def _place_after(db: AsyncSession, *, workshop: Workshop, step_id: int, after_id: int) -> None:
    agenda = await list_steps(db, workshop_id=workshop.id)
    new = next(s for s in agenda if s.id == step_id)
    agenda.remove(new)
    at = next((i for i, s in enumerate(agenda) if s.id == after_id), len(agenda) - 1) + 1
    agenda.insert(at, new)
    for position, step in enumerate(agenda):
        step.position = position
    await db.commit()
