"""The step timer: start, pause, resume, extend, stop, and the automatic close when time runs out.

State lives on the step (app.models.workshops.Step), so any worker can serve it and a restart resumes it:
- running: `timer_ends_at` is set;
- paused: `timer_remaining` holds the seconds left (more than 0), `timer_ends_at` is empty;
- ended: `timer_remaining` is 0 (set by `close_expired_timers`, which also closes an auto-closing step);
- no timer: `timer_seconds` is empty.
All time comes from app.services.clock, which tests set or advance.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, false, select, true, update
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import Step, Workshop
from app.services import clock
from app.services.errors import N_, Conflict, Invalid
from app.services.events import Event, EventKind
from app.services.steps import step_of
from app.services.workshops import ensure_not_closed

MAX_MINUTES = 120
PRESETS = (1, 2, 3, 5, 10)
EXTENSIONS = (1, 5)
ONE_MINUTE = 60


@dataclass(frozen=True, slots=True)
class TimerView:
    """A step's timer as the board, the phones and the console show it, at one moment."""

    step_id: int
    state: str  # running, paused or ended
    remaining_ms: int
    total_seconds: int
    auto_close: bool

    @property
    def remaining_seconds(self) -> int:
        return math.ceil(self.remaining_ms / 1000)

    @property
    def clock(self) -> str:
        """mm:ss (h:mm:ss from an hour), rounded up: 0:00 shows only when the time is really up."""
        return format_clock(self.remaining_seconds)

    @property
    def low(self) -> bool:
        return self.state == "running" and self.remaining_ms <= ONE_MINUTE * 1000


def format_clock(seconds: int) -> str:
    hours, rest = divmod(max(seconds, 0), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def timer_view(step: Step | None, now: datetime | None = None) -> TimerView | None:
    """None when the step has no timer."""
    if step is None or step.timer_seconds is None:
        return None
    now = now or clock.now()
    if step.timer_ends_at is not None:
        left = (step.timer_ends_at - now).total_seconds()
        state, remaining = ("running", left) if left > 0 else ("ended", 0.0)
    elif step.timer_remaining:
        state, remaining = "paused", float(step.timer_remaining)
    else:
        state, remaining = "ended", 0.0
    return TimerView(
        step_id=step.id,
        state=state,
        remaining_ms=max(0, int(remaining * 1000)),
        total_seconds=step.timer_seconds,
        auto_close=step.timer_auto_close,
    )


def has_run_out(step: Step, now: datetime | None = None) -> bool:
    """An auto-closing timer whose time is up, even if the ticker has not closed the step yet."""
    return step.timer_auto_close and step.timer_ends_at is not None and step.timer_ends_at <= (now or clock.now())


def parse_minutes(raw: str | int) -> int:
    """Whole minutes from 1 to MAX_MINUTES, as a number or as typed in a form."""
    text = str(raw).strip()
    try:
        minutes = int(text)
    except ValueError:
        minutes = 0
    if not 1 <= minutes <= MAX_MINUTES:
        raise Invalid(N_("Enter the time in whole minutes, from 1 to %(max)d."), max=MAX_MINUTES)
    return minutes


def _events(workshop: Workshop, step: Step, *, opened: bool = False) -> list[Event]:
    events = [Event(workshop.id, EventKind.timer, step.id)]
    if opened:
        events.append(Event(workshop.id, EventKind.step, step.id))
    return events


def _reopen_for(step: Step) -> bool:
    """A timer that closes the step when time is up gives the room time to answer: its step opens."""
    if step.timer_auto_close and not step.is_open:
        step.is_open = True
        return True
    return False


async def start_timer(
    db: AsyncSession, *, workshop: Workshop, step_id: int, minutes: str | int, auto_close: bool = False
) -> list[Event]:
    """Start (or restart) the step's timer. With `auto_close`, the step closes for answers when time is up."""
    ensure_not_closed(workshop)
    seconds = parse_minutes(minutes) * 60
    step = await step_of(db, workshop=workshop, step_id=step_id)
    step.timer_seconds = seconds
    step.timer_ends_at = clock.now() + timedelta(seconds=seconds)
    step.timer_remaining = None
    step.timer_auto_close = auto_close
    opened = _reopen_for(step)
    await db.commit()
    return _events(workshop, step, opened=opened)


async def pause_timer(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    view = timer_view(step)
    if view is None or view.state != "running":
        return []  # not running, or time is up and the ticker ends it
    step.timer_remaining = max(1, view.remaining_seconds)
    step.timer_ends_at = None
    await db.commit()
    return _events(workshop, step)


async def resume_timer(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    view = timer_view(step)
    if view is None or view.state != "paused":
        return []
    step.timer_ends_at = clock.now() + timedelta(seconds=step.timer_remaining or 0)
    step.timer_remaining = None
    await db.commit()
    return _events(workshop, step)


async def extend_timer(db: AsyncSession, *, workshop: Workshop, step_id: int, minutes: str | int) -> list[Event]:
    """More time. A timer whose time is up starts again with the extra time (and reopens a step it closed)."""
    ensure_not_closed(workshop)
    extra = parse_minutes(minutes) * 60
    step = await step_of(db, workshop=workshop, step_id=step_id)
    view = timer_view(step)
    if view is None:
        raise Conflict(N_("This step has no timer. Start one first."))
    if view.remaining_seconds + extra > MAX_MINUTES * 60:
        raise Invalid(N_("A timer can run for at most %(max)d minutes."), max=MAX_MINUTES)
    opened = False
    if view.state == "running":
        step.timer_ends_at = step.timer_ends_at + timedelta(seconds=extra)
    elif view.state == "paused":
        step.timer_remaining = (step.timer_remaining or 0) + extra
    else:
        step.timer_ends_at = clock.now() + timedelta(seconds=extra)
        step.timer_remaining = None
        opened = _reopen_for(step)
    step.timer_seconds = (step.timer_seconds or 0) + extra
    await db.commit()
    return _events(workshop, step, opened=opened)


async def stop_timer(db: AsyncSession, *, workshop: Workshop, step_id: int) -> list[Event]:
    """Remove the timer (the step stays open or closed as it is)."""
    ensure_not_closed(workshop)
    step = await step_of(db, workshop=workshop, step_id=step_id)
    if step.timer_seconds is None:
        return []
    step.timer_seconds = step.timer_ends_at = step.timer_remaining = None
    step.timer_auto_close = False
    await db.commit()
    return _events(workshop, step)


async def any_expired(db: AsyncSession, *, now: datetime) -> bool:
    """A cheap read for the ticker: is any running timer's time up?"""
    found = await db.scalar(select(Step.id).where(Step.timer_ends_at.is_not(None), Step.timer_ends_at <= now).limit(1))
    return found is not None


async def close_expired_timers(db: AsyncSession, *, now: datetime) -> list[Event]:
    """End every running timer whose time is up; close the steps of auto-closing ones.

    One conditional UPDATE: with several workers (or ticks) at once, each expired timer is ended exactly once,
    by whichever gets the row first; the others match nothing and cause no events.
    """
    table = Step.__table__
    result = await db.execute(
        update(table)
        .where(table.c.timer_ends_at.is_not(None), table.c.timer_ends_at <= now)
        .values(
            timer_ends_at=None,
            timer_remaining=0,
            is_open=case((table.c.timer_auto_close == true(), false()), else_=table.c.is_open),
        )
        .returning(table.c.id, table.c.workshop_id, table.c.timer_auto_close)
    )
    rows = result.all()
    await db.commit()
    ended = {row[0] for row in rows}
    for loaded in list(db.identity_map.values()):  # steps this session already holds show the new state
        if isinstance(loaded, Step) and loaded.id in ended:
            await db.refresh(loaded)
    events: list[Event] = []
    for step_id, workshop_id, auto_close in rows:
        events.append(Event(workshop_id, EventKind.timer, step_id))
        if auto_close:
            events.append(Event(workshop_id, EventKind.step, step_id))
    return events
