"""The agenda: adding, editing, reordering and removing steps, and opening or closing them for answers."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.methods import MAX_STEPS
from app.models import Answer, Step, StepKind, Workshop
from app.models.workshops import HELP_MAX, PROMPT_MAX
from app.services import text
from app.services.errors import N_, Conflict, Invalid, NotFound
from app.services.events import Event, EventKind
from app.services.kinds import get_kind
from app.services.kinds.base import FormLike
from app.services.workshops import ensure_not_closed, list_steps


class _NoFields:
    def get(self, key: str, default: object = None) -> object:
        return default

    def getlist(self, key: str) -> list:
        return []


def _clean(prompt: str, help_text: str) -> tuple[str, str]:
    prompt, help_text = text.block(prompt), text.block(help_text)
    if not prompt:
        raise Invalid(N_("Write the question for this step."))
    if len(prompt) > PROMPT_MAX:
        raise Invalid(N_("The question can have at most %(max)d characters."), max=PROMPT_MAX)
    if len(help_text) > HELP_MAX:
        raise Invalid(N_("The help text can have at most %(max)d characters."), max=HELP_MAX)
    return prompt, help_text


async def step_of(db: AsyncSession, *, workshop: Workshop, step_id: int) -> Step:
    step = await db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        raise NotFound(N_("This step does not exist."))
    return step


def _events(workshop: Workshop, step: Step) -> list[Event]:
    events = [Event(workshop.id, EventKind.agenda, step.id)]
    if workshop.current_step_id == step.id:
        events.append(Event(workshop.id, EventKind.step, step.id))
    return events


async def add_step(
    db: AsyncSession,
    *,
    workshop: Workshop,
    prompt: str,
    help_text: str = "",
    kind: str = StepKind.open,
    fields: FormLike | None = None,
) -> list[Event]:
    """Add a step of a kind; `fields` are the kind's settings as the facilitator typed them (options, ...)."""
    ensure_not_closed(workshop)
    prompt, help_text = _clean(prompt, help_text)
    step_kind = get_kind(kind)
    config = step_kind.config_from_form(fields or _NoFields())
    steps = await list_steps(db, workshop_id=workshop.id)
    if len(steps) >= MAX_STEPS:
        raise Invalid(N_("An agenda can have at most %(max)d steps."), max=MAX_STEPS)
    step = Step(
        workshop_id=workshop.id,
        position=max((s.position for s in steps), default=-1) + 1,
        kind=step_kind.name,
        prompt=prompt,
        help_text=help_text,
        config=config,
    )
    db.add(step)
    await db.flush()
    if workshop.status == "open" and workshop.current_step_id is None:
        workshop.current_step_id = step.id
    await db.commit()
    return _events(workshop, step)


async def update_step(
    db: AsyncSession, *, workshop: Workshop, step_id: int, prompt: str, help_text: str
) -> list[Event]:
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    step.prompt, step.help_text = _clean(prompt, help_text)
    await db.commit()
    return _events(workshop, step)


async def move_step(db: AsyncSession, *, workshop: Workshop, step_id: int, offset: int) -> list[Event]:
    """Move a step up (-1) or down (+1) on the agenda."""
    ensure_not_closed(workshop)
    steps = await list_steps(db, workshop_id=workshop.id)
    ids = [s.id for s in steps]
    if step_id not in ids:
        raise NotFound(N_("This step does not exist."))
    index = ids.index(step_id)
    target = min(max(index + offset, 0), len(steps) - 1)
    if target == index:
        return []
    steps.insert(target, steps.pop(index))
    for position, step in enumerate(steps):
        step.position = position
    await db.commit()
    return [Event(workshop.id, EventKind.agenda, step_id)]


async def delete_step(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    answers = await db.scalar(select(func.count()).select_from(Answer).where(Answer.step_id == step.id))
    if answers:
        raise Conflict(N_("This step already has answers; it cannot be removed."))
    if workshop.current_step_id == step.id:
        raise Conflict(N_("This is the current step. Move to another step before removing it."))
    await db.delete(step)
    await db.commit()
    return [Event(workshop.id, EventKind.agenda, step_id)]


async def _set_flag(db: AsyncSession, *, workshop: Workshop, step_id: int, flag: str, value: bool) -> list[Event]:
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    if getattr(step, flag) == value:
        return []
    setattr(step, flag, value)
    await db.commit()
    return _events(workshop, step)


async def set_step_open(db: AsyncSession, *, workshop: Workshop, step_id: int, is_open: bool) -> list[Event]:
    return await _set_flag(db, workshop=workshop, step_id=step_id, flag="is_open", value=is_open)


async def set_results_hidden(db: AsyncSession, *, workshop: Workshop, step_id: int, hidden: bool) -> list[Event]:
    """Hide a step's results from the board until the facilitator reveals them (answers keep coming in)."""
    return await _set_flag(db, workshop=workshop, step_id=step_id, flag="results_hidden", value=hidden)
