"""Moderation: approve before show, hide, correct, merge, cluster and highlight answers; remove a participant.

Every write refuses once the report is final (the final version is fixed), is allowed while the workshop runs and
after it closed (cleaning up before the report), commits, and returns the events that update board and console.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Answer, AnswerStatus, Participant, Step, Workshop
from app.models.base import utcnow
from app.models.participation import CLUSTER_MAX
from app.services import reviews
from app.services import text as user_text
from app.services.answers import clean_text
from app.services.errors import N_, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.kinds import get_kind
from app.services.steps import step_of
from app.services.workshops import ensure_report_editable


async def answer_of(db: AsyncSession, *, workshop: Workshop, answer_id: int) -> Answer:
    answer = await db.get(Answer, answer_id)
    if answer is None or answer.workshop_id != workshop.id:
        raise NotFound(N_("This answer does not exist."))
    return answer


async def _note_of(db: AsyncSession, *, workshop: Workshop, answer_id: int) -> Answer:
    """An answer that is a note (open question): only notes can be corrected, merged, clustered or highlighted."""
    answer = await answer_of(db, workshop=workshop, answer_id=answer_id)
    if answer.value is not None or get_kind((await db.get(Step, answer.step_id)).kind).structured:
        raise Invalid(N_("Only notes can be corrected, merged, clustered or highlighted."))
    return answer


def _changed(workshop: Workshop, step_id: int, owners: Iterable[int] = ()) -> list[Event]:
    """Board and console show the step again; the phones of `owners` (whose own answers changed: approved,
    hidden, corrected, merged) fetch their answers again."""
    return [Event(workshop.id, EventKind.answers, step_id)] + [
        Event(workshop.id, EventKind.yours, participant_id=owner) for owner in sorted(set(owners))
    ]


async def _commit(db: AsyncSession, workshop: Workshop, step_id: int, owners: Iterable[int] = ()) -> list[Event]:
    await _commit_change(db, workshop)
    return _changed(workshop, step_id, owners)


async def _commit_change(db: AsyncSession, workshop: Workshop) -> None:
    """Moderation changes what the report shows: akkoorden given so far were for another version."""
    await reviews.withdraw_approvals(db, workshop=workshop)
    await db.commit()


async def set_moderated(db: AsyncSession, *, workshop: Workshop, step_id: int, moderated: bool) -> list[Event]:
    """Approve before show: new answers of the step wait for approval. Switching it off leaves waiting ones waiting
    (the facilitator approves them, or all at once)."""
    ensure_report_editable(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    if step.moderated == moderated:
        return []
    step.moderated = moderated
    return await _commit(db, workshop, step.id)


async def approve(db: AsyncSession, *, workshop: Workshop, answer_id: int) -> list[Event]:
    ensure_report_editable(workshop)
    answer = await answer_of(db, workshop=workshop, answer_id=answer_id)
    if answer.status != AnswerStatus.pending:
        return []
    answer.status = AnswerStatus.shown
    return await _commit(db, workshop, answer.step_id, [answer.participant_id])


async def approve_all(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    ensure_report_editable(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    waiting = list(
        (await db.scalars(select(Answer).where(Answer.step_id == step.id, Answer.status == AnswerStatus.pending))).all()
    )
    if not waiting:
        return []
    for answer in waiting:
        answer.status = AnswerStatus.shown
    return await _commit(db, workshop, step.id, [a.participant_id for a in waiting])


async def set_hidden(db: AsyncSession, *, workshop: Workshop, answer_id: int, hidden: bool) -> list[Event]:
    """Hide an answer from board and results, or show it again (showing a waiting answer also approves it)."""
    ensure_report_editable(workshop)
    answer = await answer_of(db, workshop=workshop, answer_id=answer_id)
    status = AnswerStatus.hidden if hidden else AnswerStatus.shown
    if answer.status == status:
        return []
    answer.status = status
    return await _commit(db, workshop, answer.step_id, [answer.participant_id])


async def correct(db: AsyncSession, *, workshop: Workshop, answer_id: int, text: str) -> list[Event]:
    """Correct a typo: the note keeps its author and state and is marked as edited by the facilitator."""
    ensure_report_editable(workshop)
    answer = await _note_of(db, workshop=workshop, answer_id=answer_id)
    text = clean_text(text)
    if answer.text == text:
        return []
    answer.text = text
    answer.edited_by_facilitator = True
    answer.updated_at = utcnow()
    return await _commit(db, workshop, answer.step_id, [answer.participant_id])


async def merge(db: AsyncSession, *, workshop: Workshop, answer_id: int, into_id: int) -> list[Event]:
    """Merge a duplicate into another note of the same step. Notes merged into the duplicate move along, so a
    merge is never more than one level deep and can never form a cycle."""
    ensure_report_editable(workshop)
    if answer_id == into_id:
        raise Invalid(N_("A note cannot be merged into itself."))
    answer = await _note_of(db, workshop=workshop, answer_id=answer_id)
    target = await _note_of(db, workshop=workshop, answer_id=into_id)
    if answer.step_id != target.step_id:
        raise Invalid(N_("Only notes of the same step can be merged."))
    if target.merged_into_id is not None:
        raise Invalid(N_("That note is itself merged into another one. Choose the note it was merged into."))
    if answer.merged_into_id == target.id:
        return []
    for duplicate in (await db.scalars(select(Answer).where(Answer.merged_into_id == answer.id))).all():
        duplicate.merged_into_id = target.id
    answer.merged_into_id = target.id
    return await _commit(db, workshop, answer.step_id, [answer.participant_id])


async def unmerge(db: AsyncSession, *, workshop: Workshop, answer_id: int) -> list[Event]:
    ensure_report_editable(workshop)
    answer = await answer_of(db, workshop=workshop, answer_id=answer_id)
    if answer.merged_into_id is None:
        return []
    answer.merged_into_id = None
    return await _commit(db, workshop, answer.step_id, [answer.participant_id])


def _clean_cluster(name: str) -> str:
    name = user_text.line(name)
    if len(name) > CLUSTER_MAX:
        raise Invalid(N_("A group name can have at most %(max)d characters."), max=CLUSTER_MAX)
    return name


async def set_cluster(db: AsyncSession, *, workshop: Workshop, answer_ids: list[int], cluster: str) -> list[Event]:
    """Put notes into a named group (an empty name takes them out of their group)."""
    ensure_report_editable(workshop)
    cluster = _clean_cluster(cluster)
    if not answer_ids:
        raise Invalid(N_("Choose the notes to group."))
    notes = [await _note_of(db, workshop=workshop, answer_id=answer_id) for answer_id in answer_ids]
    if len({note.step_id for note in notes}) != 1:
        raise Invalid(N_("Only notes of the same step can be grouped together."))
    if all(note.cluster == cluster for note in notes):
        return []
    for note in notes:
        note.cluster = cluster
    return await _commit(db, workshop, notes[0].step_id)


async def rename_cluster(
    db: AsyncSession, *, workshop: Workshop, step_id: int, cluster: str, new_name: str
) -> list[Event]:
    """Rename a group of a step; an empty new name dissolves it (its notes are ungrouped again)."""
    ensure_report_editable(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    cluster, new_name = _clean_cluster(cluster), _clean_cluster(new_name)
    if not cluster:
        raise Invalid(N_("Choose the group to rename."))
    if cluster == new_name:
        return []
    grouped = list((await db.scalars(select(Answer).where(Answer.step_id == step.id, Answer.cluster == cluster))).all())
    if not grouped:
        raise NotFound(N_("This group does not exist."))
    for answer in grouped:
        answer.cluster = new_name
    return await _commit(db, workshop, step.id)


async def set_highlight(db: AsyncSession, *, workshop: Workshop, answer_id: int, highlighted: bool) -> list[Event]:
    ensure_report_editable(workshop)
    answer = await _note_of(db, workshop=workshop, answer_id=answer_id)
    if answer.highlighted == highlighted:
        return []
    answer.highlighted = highlighted
    return await _commit(db, workshop, answer.step_id)


async def participant_of(db: AsyncSession, *, workshop: Workshop, participant_id: int) -> Participant:
    participant = await db.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        raise NotFound(N_("This participant does not exist."))
    return participant


async def remove_participant(db: AsyncSession, *, workshop: Workshop, participant_id: int) -> list[Event]:
    """Remove a participant: their answers and consent stop counting, presence drops them, and their phone is told
    (EventKind.removed closes its connection, on whichever worker it is)."""
    ensure_report_editable(workshop)
    participant = await participant_of(db, workshop=workshop, participant_id=participant_id)
    if participant.removed_at is not None:
        return []
    participant.removed_at = utcnow()
    await _commit_change(db, workshop)
    return [
        Event(workshop.id, EventKind.removed, participant_id=participant.id),
        Event(workshop.id, EventKind.presence),
        Event(workshop.id, EventKind.answers, workshop.current_step_id),
    ]


async def restore_participant(db: AsyncSession, *, workshop: Workshop, participant_id: int) -> list[Event]:
    """Undo a removal: their answers count again. Their phone rejoins when it is opened again."""
    ensure_report_editable(workshop)
    participant = await participant_of(db, workshop=workshop, participant_id=participant_id)
    if participant.removed_at is None:
        return []
    participant.removed_at = None
    await _commit_change(db, workshop)
    return [Event(workshop.id, EventKind.presence), Event(workshop.id, EventKind.answers, workshop.current_step_id)]


async def list_participants(db: AsyncSession, *, workshop_id: int) -> list[Participant]:
    """Everyone who joined (also removed ones and people answered for), in order of joining."""
    rows = await db.scalars(
        select(Participant)
        .where(Participant.workshop_id == workshop_id)
        .order_by(Participant.joined_at, Participant.id)
    )
    return list(rows.all())
