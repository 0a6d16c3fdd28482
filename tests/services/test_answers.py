"""Participants and answers on SQLite and PostgreSQL: idempotency, ownership, closed steps and workshops."""

import asyncio

import pytest

from app.db import Database
from app.models import Answer
from app.services import accounts, answers, participants, steps, workshops
from app.services.errors import Forbidden, Gone, Invalid, NotFound
from app.services.rooms import load_room, workshop_results


async def running(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_join_validates_party_name_and_behalf(db):
    w, gemeente, _ = await running(db)
    with pytest.raises(Invalid):
        await participants.join(db, workshop=w, party_id=None)
    with pytest.raises(Invalid):
        await participants.join(db, workshop=w, party_id=gemeente.id, display_name="x" * 61)
    with pytest.raises(Invalid):
        await participants.join(db, workshop=w, party_id=gemeente.id, speaks_for="the king")
    me, token, events = await participants.join(
        db, workshop=w, party_id=gemeente.id, display_name="  Gert   de  Vries ", speaks_for="mandate"
    )
    assert me.display_name == "Gert de Vries" and me.speaks_for == "mandate" and events
    assert (await participants.participant_by_token(db, workshop_id=w.id, token=token)).id == me.id
    assert await participants.participant_by_token(db, workshop_id=w.id + 1, token=token) is None
    assert me.token_hash != token  # only the hash is stored


async def test_idempotency_key_never_makes_a_second_answer(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    first, events = await answers.add_answer(
        db, participant=me, step_id=w.current_step_id, text="Eerlijk", idempotency_key="k1"
    )
    again, again_events = await answers.add_answer(
        db, participant=me, step_id=w.current_step_id, text="Eerlijk", idempotency_key="k1"
    )
    assert again.id == first.id and events and again_events == []
    await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Tweede", idempotency_key="k2")
    assert [a.text for a in await answers.my_answers(db, participant=me, step_id=w.current_step_id)] == [
        "Eerlijk",
        "Tweede",
    ]


async def test_concurrent_double_submit_makes_one_answer(database_url):
    """Two connections submit the same form at the same moment: the unique index lets exactly one in."""
    database = Database(database_url)
    async with database.writer() as db:
        w, gemeente, _ = await running(db)
        me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
        step_id = w.current_step_id

    async def submit():
        async with database.writer() as db:
            return await answers.add_answer(db, participant=me, step_id=step_id, text="Dubbel", idempotency_key="tap")

    results = await asyncio.gather(*(submit() for _ in range(5)))
    assert len({answer.id for answer, _ in results}) == 1
    assert sum(1 for _, events in results if events) == 1
    async with database.reader() as db:
        assert len(await answers.my_answers(db, participant=me, step_id=step_id)) == 1
    await database.dispose()


async def test_bad_answers_are_refused_and_change_nothing(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    with pytest.raises(Invalid):
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="   ", idempotency_key="a")
    with pytest.raises(Invalid):
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="x" * 1001, idempotency_key="b")
    with pytest.raises(Invalid):
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="ok", idempotency_key="")
    with pytest.raises(NotFound):
        await answers.add_answer(db, participant=me, step_id=999_999, text="ok", idempotency_key="c")
    await steps.set_step_open(db, workshop=w, step_id=w.current_step_id, is_open=False)
    with pytest.raises(Invalid):
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="dicht", idempotency_key="d")
    assert await answers.my_answers(db, participant=me, step_id=w.current_step_id) == []


async def test_answers_to_another_workshops_step_are_refused(db):
    w, gemeente, _ = await running(db)
    other = await workshops.create_workshop(db, owner_id=w.owner_id, title="Ander", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=other)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    with pytest.raises(NotFound):
        await answers.add_answer(db, participant=me, step_id=other.current_step_id, text="x", idempotency_key="k")


async def test_only_own_answers_can_be_edited_or_deleted(db):
    w, gemeente, initiatief = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    other, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    mine, _ = await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Mijn", idempotency_key="1")
    with pytest.raises(Forbidden):
        await answers.edit_answer(db, participant=other, answer_id=mine.id, text="Gekaapt")
    with pytest.raises(Forbidden):
        await answers.delete_answer(db, participant=other, answer_id=mine.id)
    edited, events = await answers.edit_answer(db, participant=me, answer_id=mine.id, text="Mijn, verbeterd")
    assert edited.text == "Mijn, verbeterd" and events
    assert await answers.delete_answer(db, participant=me, answer_id=mine.id)
    assert await answers.delete_answer(db, participant=me, answer_id=mine.id) == []  # a retried delete is fine
    assert await db.get(Answer, mine.id) is None


async def test_closed_workshop_keeps_data_and_refuses_answers(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Blijft", idempotency_key="1")
    await workshops.close_workshop(db, workshop=w)
    with pytest.raises(Gone):
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Te laat", idempotency_key="2")
    with pytest.raises(Gone):
        await participants.join(db, workshop=w, party_id=gemeente.id)
    _, results = await workshop_results(db, workshop_id=w.id)
    assert [a.text for a in results[0].columns[0].answers] == ["Blijft"]


async def test_room_state_groups_answers_per_party(db):
    w, gemeente, initiatief = await running(db)
    g1, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    g2, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    i1, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id, display_name="Ina")
    for who, text in ((g1, "G-een"), (i1, "I-een"), (g2, "G-twee")):
        await answers.add_answer(db, participant=who, step_id=w.current_step_id, text=text, idempotency_key=text)
    room = await load_room(db, workshop_id=w.id)
    assert room.participants_per_party == {gemeente.id: 2, initiatief.id: 1}
    columns = {c.party.name: [a.text for a in c.answers] for c in room.current.columns}
    assert columns == {"Gemeente": ["G-een", "G-twee"], "Initiatief": ["I-een"]}
    assert room.current.columns[1].answers[0].author == "Ina"
    assert room.answers_per_step == {w.current_step_id: 3}
