"""The step timer on SQLite and PostgreSQL, with the controllable clock: no test sleeps for time to pass."""

import asyncio

import pytest

from app.db import Database
from app.models import Step
from app.services import accounts, agreements, answers, clock, participants, steps, timer, workshops
from app.services.errors import Conflict, Invalid
from app.services.events import EventKind


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze()
    yield
    clock.reset()


async def running(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    gemeente, _ = await workshops.list_parties(db, workshop_id=w.id)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    return w, me


async def view(db, step_id):
    step = await db.get(Step, step_id)
    await db.refresh(step)
    return timer.timer_view(step)


async def test_start_counts_down_with_the_clock(db):
    w, _ = await running(db)
    events = await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes="3")
    assert [e.kind for e in events] == [EventKind.timer]
    t = await view(db, w.current_step_id)
    assert (t.state, t.remaining_seconds, t.clock, t.total_seconds) == ("running", 180, "03:00", 180)
    clock.advance(61.5)
    t = await view(db, w.current_step_id)
    assert (t.state, t.remaining_seconds, t.clock, t.low) == ("running", 119, "01:59", False)
    clock.advance(60)
    assert (await view(db, w.current_step_id)).low


async def test_pause_keeps_the_remaining_time_and_resume_continues(db):
    w, _ = await running(db)
    await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=2)
    clock.advance(30)
    assert [e.kind for e in await timer.pause_timer(db, workshop=w, step_id=w.current_step_id)] == [EventKind.timer]
    clock.advance(600)  # a long pause costs no time
    t = await view(db, w.current_step_id)
    assert (t.state, t.remaining_seconds) == ("paused", 90)
    assert await timer.pause_timer(db, workshop=w, step_id=w.current_step_id) == []  # already paused
    await timer.resume_timer(db, workshop=w, step_id=w.current_step_id)
    clock.advance(10)
    t = await view(db, w.current_step_id)
    assert (t.state, t.remaining_seconds) == ("running", 80)
    assert await timer.resume_timer(db, workshop=w, step_id=w.current_step_id) == []  # already running


async def test_extend_running_paused_and_ended_timers(db):
    w, _ = await running(db)
    step_id = w.current_step_id
    await timer.start_timer(db, workshop=w, step_id=step_id, minutes=1)
    await timer.extend_timer(db, workshop=w, step_id=step_id, minutes=5)
    assert (await view(db, step_id)).remaining_seconds == 360
    await timer.pause_timer(db, workshop=w, step_id=step_id)
    await timer.extend_timer(db, workshop=w, step_id=step_id, minutes="1")
    t = await view(db, step_id)
    assert (t.state, t.remaining_seconds, t.total_seconds) == ("paused", 420, 420)
    await timer.resume_timer(db, workshop=w, step_id=step_id)
    clock.advance(421)
    assert (await view(db, step_id)).state == "ended"
    await timer.extend_timer(db, workshop=w, step_id=step_id, minutes=1)  # time was up: one more minute
    t = await view(db, step_id)
    assert (t.state, t.remaining_seconds) == ("running", 60)


async def test_stop_removes_the_timer(db):
    w, _ = await running(db)
    await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=5, auto_close=True)
    assert [e.kind for e in await timer.stop_timer(db, workshop=w, step_id=w.current_step_id)] == [EventKind.timer]
    assert await view(db, w.current_step_id) is None
    assert await timer.stop_timer(db, workshop=w, step_id=w.current_step_id) == []
    with pytest.raises(Conflict):
        await timer.extend_timer(db, workshop=w, step_id=w.current_step_id, minutes=1)


@pytest.mark.parametrize("minutes", ["0", "-3", "121", "100000", "abc", "", "2.5", " "])
async def test_bad_lengths_are_refused_with_a_clear_message(db, minutes):
    w, _ = await running(db)
    with pytest.raises(Invalid, match="whole minutes"):
        await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=minutes)
    assert await view(db, w.current_step_id) is None


async def test_a_timer_cannot_be_extended_past_the_maximum(db):
    w, _ = await running(db)
    await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=118)
    with pytest.raises(Invalid, match="at most 120"):
        await timer.extend_timer(db, workshop=w, step_id=w.current_step_id, minutes=5)


async def test_auto_close_refuses_answers_exactly_at_expiry(db):
    w, me = await running(db)
    step_id = w.current_step_id
    await timer.start_timer(db, workshop=w, step_id=step_id, minutes=1, auto_close=True)
    clock.advance(59.9)
    await answers.add_answer(db, participant=me, step_id=step_id, text="Net op tijd", idempotency_key="k1")
    clock.advance(0.1)
    # The ticker has not run yet: the answer is refused all the same.
    with pytest.raises(Invalid, match="Time is up"):
        await answers.add_answer(db, participant=me, step_id=step_id, text="Te laat", idempotency_key="k2")
    events = await timer.close_expired_timers(db, now=clock.now())
    assert {(e.kind, e.step_id) for e in events} == {(EventKind.timer, step_id), (EventKind.step, step_id)}
    step = await db.get(Step, step_id)
    assert not step.is_open
    assert timer.timer_view(step).state == "ended"
    with pytest.raises(Invalid, match="closed for answers"):
        await answers.add_answer(db, participant=me, step_id=step_id, text="Te laat", idempotency_key="k3")
    assert [a.text for a in await answers.my_answers(db, participant=me, step_id=step_id)] == ["Net op tijd"]


async def test_without_auto_close_the_step_stays_open(db):
    w, me = await running(db)
    step_id = w.current_step_id
    await timer.start_timer(db, workshop=w, step_id=step_id, minutes=1)
    clock.advance(61)
    events = await timer.close_expired_timers(db, now=clock.now())
    assert [e.kind for e in events] == [EventKind.timer]
    step = await db.get(Step, step_id)
    assert step.is_open and timer.timer_view(step).state == "ended"
    await answers.add_answer(db, participant=me, step_id=step_id, text="Mag nog", idempotency_key="k1")


async def test_extending_an_auto_closed_timer_reopens_the_step(db):
    w, me = await running(db)
    step_id = w.current_step_id
    await timer.start_timer(db, workshop=w, step_id=step_id, minutes=1, auto_close=True)
    clock.advance(60)
    await timer.close_expired_timers(db, now=clock.now())
    events = await timer.extend_timer(db, workshop=w, step_id=step_id, minutes=1)
    assert {e.kind for e in events} == {EventKind.timer, EventKind.step}
    assert (await db.get(Step, step_id)).is_open
    await answers.add_answer(db, participant=me, step_id=step_id, text="Extra minuut", idempotency_key="k1")


async def test_the_ticker_closes_once_when_called_twice(db):
    w, _ = await running(db)
    await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=1, auto_close=True)
    assert not await timer.any_expired(db, now=clock.now())
    assert await timer.close_expired_timers(db, now=clock.now()) == []  # not due yet
    clock.advance(60)
    assert await timer.any_expired(db, now=clock.now())
    assert len(await timer.close_expired_timers(db, now=clock.now())) == 2
    assert await timer.close_expired_timers(db, now=clock.now()) == []
    assert not await timer.any_expired(db, now=clock.now())


async def test_concurrent_tickers_close_each_timer_once(database_url):
    """Several workers tick at the same moment: the conditional UPDATE lets exactly one end each timer."""
    database = Database(database_url)
    async with database.writer() as db:
        w, _ = await running(db)
        await timer.start_timer(db, workshop=w, step_id=w.current_step_id, minutes=1, auto_close=True)
    clock.advance(60)

    async def tick():
        async with database.writer() as db:
            return await timer.close_expired_timers(db, now=clock.now())

    results = await asyncio.gather(*(tick() for _ in range(4)))
    await database.dispose()
    assert sorted(len(events) for events in results) == [0, 0, 0, 2]


async def test_consent_to_an_agreement_follows_the_same_timer(db):
    w, me = await running(db)
    await steps.add_step(db, workshop=w, prompt="Afspraken", kind="agreements")
    step = (await workshops.list_steps(db, workshop_id=w.id))[-1]
    step_id = step.id
    await workshops.go_to_step(db, workshop=w, step_id=step_id)
    parties = await workshops.list_parties(db, workshop_id=w.id)
    agreement, _ = await agreements.draft_agreement(db, workshop=w, step_id=step_id, text="Overleg", parties=parties)
    agreement_id = agreement.id
    await timer.start_timer(db, workshop=w, step_id=step_id, minutes=1, auto_close=True)
    await agreements.respond(db, participant=me, agreement_id=agreement_id, level="agree")
    clock.advance(60)
    with pytest.raises(Invalid, match="Time is up"):
        await agreements.respond(db, participant=me, agreement_id=agreement_id, level="accept")
