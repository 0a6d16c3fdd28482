"""Answers (bijdragen): adding, editing and deleting one's own notes, idempotently."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Answer, AnswerStatus, Participant, Step, Workshop, WorkshopStatus
from app.models.base import utcnow
from app.models.participation import ANSWER_MAX, IDEMPOTENCY_KEY_MAX
from app.services import text as user_text
from app.services import timer
from app.services.errors import N_, Forbidden, Gone, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.kinds import get_kind
from app.services.kinds.base import FormLike
from app.services.kinds.open import OpenKind, parse_category


def clean_text(text: str) -> str:
    text = user_text.block(text)
    if not text:
        raise Invalid(N_("Your answer is empty. Write something first."))
    if len(text) > ANSWER_MAX:
        raise Invalid(N_("Your answer is too long: at most %(max)d characters."), max=ANSWER_MAX)
    return text


def _waits_for_approval(step: Step, participant: Participant) -> bool:
    """On a moderated step a phone's new or changed answer waits for the facilitator's approval; what the
    facilitator entered on someone's behalf does not."""
    return step.moderated and not participant.on_behalf


async def answerable_step(db: AsyncSession, *, participant: Participant, step_id: int | None) -> Step:
    """The step, if this participant may answer it now: not removed, the workshop open, the step open and its
    timer (when it closes the step) not run out. Notes, responses and consent to agreements all pass here."""
    if participant.removed_at is not None:
        raise Forbidden(N_("The facilitator has removed you from this workshop."))
    workshop = await db.get(Workshop, participant.workshop_id)
    if workshop is None or workshop.status != WorkshopStatus.open:
        raise Gone(N_("This workshop has been closed."))
    step = await db.get(Step, step_id) if step_id is not None else None
    if step is None or step.workshop_id != participant.workshop_id:
        raise NotFound(N_("This step does not exist."))
    if not step.is_open:
        raise Invalid(N_("This step is closed for answers."))
    if timer.has_run_out(step):  # exact, even before the ticker has closed the step
        raise Invalid(N_("Time is up: this step no longer takes answers."))
    return step


async def add_answer(
    db: AsyncSession,
    *,
    participant: Participant,
    step_id: int,
    text: str,
    idempotency_key: str,
    category: int | str | None = None,
) -> tuple[Answer, list[Event]]:
    """Add a note. A repeated idempotency key returns the first answer and causes no event.

    When the open question has categories, the note needs one (`category`: its index, as a number or form text).
    """
    existing = await _replayed(db, participant, idempotency_key)
    if existing is not None:
        return existing, []
    text = clean_text(text)
    step = await answerable_step(db, participant=participant, step_id=step_id)
    kind = get_kind(step.kind)
    if kind.structured or not kind.takes_notes:
        raise Invalid(N_("This step asks for a choice, not a note."))
    # Only open questions have categories; a note for another kind of step must not claim one.
    categories = (step.config.get("categories") or []) if isinstance(kind, OpenKind) else []
    category_index = parse_category(categories, category)
    answer = Answer(
        workshop_id=participant.workshop_id,
        step_id=step.id,
        participant_id=participant.id,
        party_id=participant.party_id,
        text=text,
        category=category_index,
        idempotency_key=idempotency_key,
        status=AnswerStatus.pending if _waits_for_approval(step, participant) else AnswerStatus.shown,
    )
    db.add(answer)
    try:
        await db.commit()
    except IntegrityError:
        # The same submission raced us (double tap on two connections): the first one wins.
        await db.rollback()
        existing = await _by_key(db, participant.id, idempotency_key)
        if existing is None:
            raise
        return existing, []
    return answer, [Event(participant.workshop_id, EventKind.answer, step.id, answer_id=answer.id)]


async def submit_response(
    db: AsyncSession, *, participant: Participant, step_id: int, fields: FormLike, idempotency_key: str
) -> tuple[Answer, list[Event]]:
    """A response to a structured step (poll, scale, ...). A participant has one; a new one replaces it."""
    existing = await _replayed(db, participant, idempotency_key)
    if existing is not None:
        return existing, []
    step = await answerable_step(db, participant=participant, step_id=step_id)
    kind = get_kind(step.kind)
    if not kind.structured:
        raise Invalid(N_("This step asks for notes, not a choice."))
    value = kind.parse_response(step.config, fields)
    answer = await my_response(db, participant=participant, step_id=step.id)
    if answer is None:
        answer = Answer(
            workshop_id=participant.workshop_id,
            step_id=step.id,
            participant_id=participant.id,
            party_id=participant.party_id,
            text="",
        )
        db.add(answer)
    answer.value = value
    if _waits_for_approval(step, participant) and answer.status != AnswerStatus.hidden:
        answer.status = AnswerStatus.pending
    answer.idempotency_key = idempotency_key
    answer.updated_at = utcnow()
    try:
        await db.commit()
    except IntegrityError:
        # A concurrent first response of the same participant won; this one replaces it on a retry.
        await db.rollback()
        raise Invalid(N_("Your response crossed another one. Send it again.")) from None
    return answer, [Event(participant.workshop_id, EventKind.answer, step.id, answer_id=answer.id)]


async def my_response(db: AsyncSession, *, participant: Participant, step_id: int) -> Answer | None:
    return await db.scalar(
        select(Answer).where(
            Answer.participant_id == participant.id, Answer.step_id == step_id, Answer.value.is_not(None)
        )
    )


async def _replayed(db: AsyncSession, participant: Participant, idempotency_key: str) -> Answer | None:
    """The answer an earlier submission of the same form made (a double tap or a retry), if any."""
    if not idempotency_key or len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise Invalid(N_("This form is out of date. Reload the page and try again."))
    return await _by_key(db, participant.id, idempotency_key)


async def _by_key(db: AsyncSession, participant_id: int, key: str) -> Answer | None:
    return await db.scalar(select(Answer).where(Answer.participant_id == participant_id, Answer.idempotency_key == key))


async def _own_answer(db: AsyncSession, *, participant: Participant, answer_id: int) -> Answer:
    answer = await db.get(Answer, answer_id)
    if answer is None or answer.workshop_id != participant.workshop_id:
        raise NotFound(N_("This answer does not exist."))
    if answer.participant_id != participant.id:
        raise Forbidden(N_("You can only change your own answers."))
    return answer


async def edit_answer(
    db: AsyncSession, *, participant: Participant, answer_id: int, text: str
) -> tuple[Answer, list[Event]]:
    answer = await _own_answer(db, participant=participant, answer_id=answer_id)
    text = clean_text(text)
    step = await answerable_step(db, participant=participant, step_id=answer.step_id)
    if answer.text == text:
        return answer, []
    answer.text = text
    if _waits_for_approval(step, participant) and answer.status == AnswerStatus.shown:
        answer.status = AnswerStatus.pending  # a changed note is approved again
    answer.updated_at = utcnow()
    await db.commit()
    return answer, [Event(participant.workshop_id, EventKind.answer, answer.step_id, answer_id=answer.id)]


async def delete_answer(db: AsyncSession, *, participant: Participant, answer_id: int) -> list[Event]:
    """Deleting an answer that is already gone is not an error: a retried delete succeeds."""
    answer = await db.get(Answer, answer_id)
    if answer is None:
        return []
    answer = await _own_answer(db, participant=participant, answer_id=answer_id)
    await answerable_step(db, participant=participant, step_id=answer.step_id)
    step_id = answer.step_id
    await db.delete(answer)
    await db.commit()
    return [Event(participant.workshop_id, EventKind.answer, step_id, answer_id=answer_id)]


async def my_answers(db: AsyncSession, *, participant: Participant, step_id: int) -> list[Answer]:
    rows = await db.scalars(
        select(Answer)
        .where(Answer.participant_id == participant.id, Answer.step_id == step_id)
        .order_by(Answer.created_at, Answer.id)
    )
    return list(rows.all())
