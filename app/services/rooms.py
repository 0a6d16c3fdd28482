"""Read models: the state of a workshop as the board, the console, the phones and the exports see it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Agreement, AgreementResponse, Answer, Participant, Party, Step, Workshop
from app.services.agreements import consent_for_step
from app.services.kinds import ResponseView, get_kind
from app.services.kinds.open import CloudWord, word_cloud
from app.services.workshops import list_parties, list_steps


@dataclass(frozen=True, slots=True)
class AnswerView:
    id: int
    step_id: int
    participant_id: int
    party_id: int
    text: str
    value: dict | None
    category: int | None  # open notes: the index of the step's category, if it has categories
    author: str  # display name; empty when anonymous
    speaks_for: str
    created_at: datetime
    # Moderation (see app.models.participation.Answer): only visible answers reach the board and the results.
    status: str = "shown"
    highlighted: bool = False
    cluster: str = ""
    merged_into_id: int | None = None
    merged_texts: tuple[str, ...] = ()  # the duplicates merged into this answer
    edited_by_facilitator: bool = False
    on_behalf: bool = False  # entered by the facilitator for someone without a phone
    removed: bool = False  # its participant was removed from the workshop

    @property
    def visible(self) -> bool:
        return self.status == "shown" and self.merged_into_id is None and not self.removed


@dataclass(frozen=True, slots=True)
class CategoryGroup:
    """The notes of one party in one category of an open question. `name` is empty for notes without one."""

    index: int | None
    name: str
    answers: list[AnswerView]


@dataclass(slots=True)
class PartyColumn:
    party: Party
    answers: list[AnswerView] = field(default_factory=list)
    participants: int = 0
    groups: list[CategoryGroup] = field(default_factory=list)  # open questions with categories
    cloud: list[CloudWord] = field(default_factory=list)  # open questions shown as a word cloud

    def group(self, categories: list[str]) -> None:
        """Sort the notes into the categories (every category shows, even empty); stray notes go last."""
        self.groups = [
            CategoryGroup(i, name, [a for a in self.answers if a.category == i]) for i, name in enumerate(categories)
        ]
        stray = [a for a in self.answers if a.category is None or not 0 <= a.category < len(categories)]
        if stray:
            self.groups.append(CategoryGroup(None, "", stray))


@dataclass(slots=True)
class StepResult:
    step: Step
    columns: list[PartyColumn]
    result: Any = None  # the aggregate of a structured kind (PollResult, ScaleResult, ...)
    responses: int = 0
    # Answers kept off the board and out of the results: pending approval, hidden, merged or of removed participants.
    withheld: list[AnswerView] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(c.answers) for c in self.columns)

    @property
    def waiting(self) -> list[AnswerView]:
        """Answers waiting for the facilitator's approval (not merged, not of removed participants)."""
        return [a for a in self.withheld if a.status == "pending" and a.merged_into_id is None and not a.removed]

    @property
    def received(self) -> int:
        """Answers that are in: counted, or waiting for approval."""
        return self.total + len(self.waiting)


@dataclass(slots=True)
class RoomState:
    workshop: Workshop
    parties: list[Party]
    steps: list[Step]
    current: StepResult | None
    participants_per_party: dict[int, int]
    answers_per_step: dict[int, int]
    answered_per_party: dict[int, int] = field(default_factory=dict)  # participants who answered the current step
    people: list[Participant] = field(default_factory=list)  # everyone who joined, also removed (console: moderation)

    @property
    def participants_total(self) -> int:
        return sum(self.participants_per_party.values())

    @property
    def current_index(self) -> int | None:
        if self.current is None:
            return None
        return next((i for i, s in enumerate(self.steps) if s.id == self.current.step.id), None)


async def answer_views(
    db: AsyncSession, *, workshop_id: int, step_id: int | None, ids: set[int] | None = None
) -> list[AnswerView]:
    """The answers of one step (or all steps), or only those with these ids, as the room sees them."""
    query = (
        select(Answer, Participant.display_name, Participant.speaks_for, Participant.removed_at, Participant.on_behalf)
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.workshop_id == workshop_id)
        .order_by(Answer.created_at, Answer.id)
    )
    if step_id is not None:
        query = query.where(Answer.step_id == step_id)
    if ids is not None:
        query = query.where(Answer.id.in_(ids))
    rows = (await db.execute(query)).all()
    merged: dict[int, list[str]] = {}
    if ids is None:
        for a, *_ in rows:
            if a.merged_into_id is not None:
                merged.setdefault(a.merged_into_id, []).append(a.text)
    elif rows:  # the duplicates merged into these answers are not among the rows
        duplicates = await db.execute(
            select(Answer.merged_into_id, Answer.text)
            .where(Answer.merged_into_id.in_(ids))
            .order_by(Answer.created_at, Answer.id)
        )
        for into, text in duplicates.all():
            merged.setdefault(into, []).append(text)
    return [
        AnswerView(
            id=a.id,
            step_id=a.step_id,
            participant_id=a.participant_id,
            party_id=a.party_id,
            text=a.text,
            value=a.value,
            category=a.category,
            author=name,
            speaks_for=speaks_for,
            created_at=a.created_at,
            status=a.status,
            highlighted=a.highlighted,
            cluster=a.cluster,
            merged_into_id=a.merged_into_id,
            merged_texts=tuple(merged.get(a.id, ())),
            edited_by_facilitator=a.edited_by_facilitator,
            on_behalf=on_behalf,
            removed=removed_at is not None,
        )
        for a, name, speaks_for, removed_at, on_behalf in rows
    ]


def _step_result(step: Step, parties: list[Party], answers: list[AnswerView], counts: dict[int, int]) -> StepResult:
    """Notes per party for open steps; for structured kinds also the kind's aggregate of the responses.

    Only visible answers count; the others are kept apart in `withheld` for the console and a marked report."""
    withheld = [a for a in answers if not a.visible]
    answers = [a for a in answers if a.visible]
    columns = {p.id: PartyColumn(party=p, participants=counts.get(p.id, 0)) for p in parties}
    for answer in answers:
        if answer.party_id in columns:
            columns[answer.party_id].answers.append(answer)
    kind = get_kind(step.kind)
    if not kind.structured:
        categories = step.config.get("categories") or []
        for column in columns.values():
            if categories:
                column.group(categories)
            if step.config.get("display") == "wordcloud":
                column.cloud = word_cloud(a.text for a in column.answers)
        return StepResult(step=step, columns=list(columns.values()), withheld=withheld)
    responses = [ResponseView(a.participant_id, a.party_id, a.value) for a in answers if a.value is not None]
    return StepResult(
        step=step,
        columns=list(columns.values()),
        result=kind.aggregate(step.config, parties, responses),
        responses=len(responses),
        withheld=withheld,
    )


async def participants_per_party(db: AsyncSession, *, workshop_id: int) -> dict[int, int]:
    rows = await db.execute(
        select(Participant.party_id, func.count())
        .where(Participant.workshop_id == workshop_id, Participant.removed_at.is_(None))
        .group_by(Participant.party_id)
    )
    return {party_id: count for party_id, count in rows.all()}


async def load_room(
    db: AsyncSession, *, workshop_id: int, answers: bool = True, people: bool = True
) -> RoomState | None:
    """The room as every audience sees it. `answers=False` skips loading the current step's answers (phones);
    `people=False` skips the list of everyone who joined (only the console's presence region shows it)."""
    workshop = await db.get(Workshop, workshop_id)
    if workshop is None:
        return None
    parties = await list_parties(db, workshop_id=workshop_id)
    steps = await list_steps(db, workshop_id=workshop_id)
    counts = await participants_per_party(db, workshop_id=workshop_id)
    per_step = await answers_per_step(db, workshop_id=workshop_id, steps=steps)
    current_step = next((s for s in steps if s.id == workshop.current_step_id), None)
    current = None
    if current_step is not None:
        views = await answer_views(db, workshop_id=workshop_id, step_id=current_step.id) if answers else []
        current = _step_result(current_step, parties, views, counts)
        if current_step.kind == "agreements":  # phones too: their step state lists the agreements
            current.result = await consent_for_step(db, step_id=current_step.id, parties=parties)
        answered = await answered_per_party(db, step=current_step, consent=current.result)
    joined = await _people(db, workshop_id=workshop_id) if people else []
    return RoomState(
        workshop=workshop,
        parties=parties,
        steps=steps,
        current=current,
        participants_per_party=counts,
        answers_per_step=per_step,
        answered_per_party=answered if current_step is not None else {},
        people=joined,
    )


async def answers_per_step(db: AsyncSession, *, workshop_id: int, steps: list[Step]) -> dict[int, int]:
    """What the agenda counts per step: answers, and for an agreements step the consents given to its agreements."""
    rows = await db.execute(
        select(Answer.step_id, func.count()).where(Answer.workshop_id == workshop_id).group_by(Answer.step_id)
    )
    per_step = dict(rows.all())
    agreement_steps = [s.id for s in steps if s.kind == "agreements"]
    if agreement_steps:
        consents = await db.execute(
            select(Agreement.step_id, func.count())
            .join(AgreementResponse, AgreementResponse.agreement_id == Agreement.id)
            .where(Agreement.step_id.in_(agreement_steps))
            .group_by(Agreement.step_id)
        )
        for step_id, number in consents.all():
            per_step[step_id] = per_step.get(step_id, 0) + number
    return per_step


async def _people(db: AsyncSession, *, workshop_id: int) -> list[Participant]:
    rows = await db.scalars(
        select(Participant)
        .where(Participant.workshop_id == workshop_id)
        .order_by(Participant.joined_at, Participant.id)
    )
    return list(rows.all())


async def answered_per_party(db: AsyncSession, *, step: Step, consent: Any) -> dict[int, int]:
    """How many participants of each party answered this step (for agreements: gave consent to any)."""
    if step.kind == "agreements":
        who = {(r.party_id, r.participant_id) for item in consent or [] for r in item.records}
        return {party_id: sum(1 for p, _ in who if p == party_id) for party_id, _ in who}
    rows = await db.execute(
        select(Answer.party_id, func.count(func.distinct(Answer.participant_id)))
        .join(Participant, Participant.id == Answer.participant_id)
        .where(Answer.step_id == step.id, Participant.removed_at.is_(None))
        .group_by(Answer.party_id)
    )
    return dict(rows.all())


async def workshop_results(db: AsyncSession, *, workshop_id: int) -> tuple[list[Party], list[StepResult]]:
    """Every step with its answers per party: what the exports write."""
    parties = await list_parties(db, workshop_id=workshop_id)
    steps = await list_steps(db, workshop_id=workshop_id)
    counts = await participants_per_party(db, workshop_id=workshop_id)
    answers = await answer_views(db, workshop_id=workshop_id, step_id=None)
    by_step: dict[int, list[AnswerView]] = {}
    for answer in answers:
        by_step.setdefault(answer.step_id, []).append(answer)
    results = [_step_result(s, parties, by_step.get(s.id, []), counts) for s in steps]
    for result in results:
        if result.step.kind == "agreements":
            result.result = await consent_for_step(db, step_id=result.step.id, parties=parties)
    return parties, results
