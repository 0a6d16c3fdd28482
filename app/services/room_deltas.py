"""What changed in a room, read without reading the room: the answers and people an event names, and the counters.

The live path sends deltas: one changed answer becomes one note appended or replaced on the board and console, plus
small counters; one person who joined becomes one row of the console's people list. Everything here costs the same
whether a step holds 10 answers or 10,000 (a few aggregate queries and the rows named), unlike `load_room`, which
reads every answer of the step and everyone who joined (for snapshots and moderation).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Answer, AnswerStatus, Participant, Party, Step, Workshop
from app.services.agreements import consent_for_step
from app.services.rooms import AnswerView, answer_views, answered_per_party, participants_per_party
from app.services.workshops import list_parties


@dataclass(slots=True)
class RoomCounts:
    """The numbers board and console show around the answers. Attribute names follow RoomState, so the same
    presence partials render either."""

    workshop: Workshop
    parties: list[Party]
    current: Step | None
    participants_per_party: dict[int, int]
    answered_per_party: dict[int, int]
    answers_per_step: dict[int, int]  # only the steps named by the changes
    shown_per_party: dict[int, int] = field(default_factory=dict)  # the notes each party column shows
    shown_per_category: dict[tuple[int, int | None], int] = field(default_factory=dict)
    waiting: int = 0  # answers waiting for approval
    withheld: int = 0  # hidden, merged or of removed participants (not waiting)

    @property
    def participants_total(self) -> int:
        return sum(self.participants_per_party.values())

    @property
    def shown(self) -> int:
        return sum(self.shown_per_party.values())

    @property
    def received(self) -> int:
        return self.shown + self.waiting


@dataclass(slots=True)
class RoomDelta:
    counts: RoomCounts
    answers: list[AnswerView]  # changed answers of the current step, as they are now
    gone: list[int]  # changed answers that no longer exist (deleted)
    people: list[Participant]  # who joined, in order
    people_before: int = 0  # how many had joined before them (numbers "Deelnemer n" in the people list)


async def load_delta(
    db: AsyncSession, *, workshop_id: int, answer_ids: set[int], step_ids: set[int], participant_ids: set[int]
) -> RoomDelta | None:
    workshop = await db.get(Workshop, workshop_id)
    if workshop is None:
        return None
    step = await db.get(Step, workshop.current_step_id) if workshop.current_step_id is not None else None
    counts = RoomCounts(
        workshop=workshop,
        parties=await list_parties(db, workshop_id=workshop_id),
        current=step,
        participants_per_party=await participants_per_party(db, workshop_id=workshop_id),
        answered_per_party={},
        answers_per_step={},
    )
    answers: list[AnswerView] = []
    gone: list[int] = []
    if step is not None:
        # On an agreements step "answered" means consented: that needs the step's (few) agreements.
        consent = (
            await consent_for_step(db, step_id=step.id, parties=counts.parties) if step.kind == "agreements" else None
        )
        counts.answered_per_party = await answered_per_party(db, step=step, consent=consent)
        if answer_ids:
            found = await answer_views(db, workshop_id=workshop_id, step_id=None, ids=answer_ids)
            answers = [a for a in found if a.step_id == step.id]
            gone = sorted(answer_ids - {a.id for a in found})
            await _count_shown(db, counts, step)  # also the current step's count on the agenda
    other_steps = step_ids - ({step.id} if step is not None and answer_ids else set())
    counts.answers_per_step |= await _answers_per_step(db, workshop_id=workshop_id, step_ids=other_steps)
    people: list[Participant] = []
    before = 0
    if participant_ids:
        query = select(Participant).where(Participant.id.in_(participant_ids))
        rows = await db.scalars(query.order_by(Participant.joined_at, Participant.id))
        people = [p for p in rows.all() if p.workshop_id == workshop_id]
        if people:
            before = (
                await db.scalar(
                    select(func.count())
                    .select_from(Participant)
                    .where(
                        Participant.workshop_id == workshop_id,
                        (Participant.joined_at < people[0].joined_at)
                        | ((Participant.joined_at == people[0].joined_at) & (Participant.id < people[0].id)),
                    )
                )
                or 0
            )
    return RoomDelta(counts=counts, answers=answers, gone=gone, people=people, people_before=before)


async def _answers_per_step(db: AsyncSession, *, workshop_id: int, step_ids: set[int]) -> dict[int, int]:
    if not step_ids:
        return {}
    rows = await db.execute(
        select(Answer.step_id, func.count())
        .where(Answer.workshop_id == workshop_id, Answer.step_id.in_(step_ids))
        .group_by(Answer.step_id)
    )
    return {step_id: 0 for step_id in step_ids} | dict(rows.all())


async def _count_shown(db: AsyncSession, counts: RoomCounts, step: Step) -> None:
    """Per party (and category) the answers the board shows; how many wait for approval or are withheld; and the
    step's count of answers on the agenda. One grouped query."""
    rows = await db.execute(
        select(
            Answer.party_id,
            Answer.category,
            Answer.status,
            Answer.merged_into_id.is_(None),
            Participant.removed_at.is_(None),
            func.count(),
        )
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.step_id == step.id)
        .group_by(
            Answer.party_id,
            Answer.category,
            Answer.status,
            Answer.merged_into_id.is_(None),
            Participant.removed_at.is_(None),
        )
    )
    total = 0
    for party_id, category, status, unmerged, present, number in rows.all():
        total += number
        if not present:
            counts.withheld += number
        elif status == AnswerStatus.shown and unmerged:
            counts.shown_per_party[party_id] = counts.shown_per_party.get(party_id, 0) + number
            key = (party_id, category)
            counts.shown_per_category[key] = counts.shown_per_category.get(key, 0) + number
        elif status == AnswerStatus.pending and unmerged:
            counts.waiting += number
        else:
            counts.withheld += number
    counts.answers_per_step[step.id] = total
