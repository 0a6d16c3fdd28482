"""Answering on someone's behalf, on SQLite and PostgreSQL: the person, their answers with the phone's rules,
the mark in the read model, and what cannot be done with them."""

import pytest

from app.services import answers, moderation, participants, proxy, workshops
from app.services.errors import Conflict, Invalid, NotFound
from app.services.rooms import load_room
from tests.services.test_kinds import Form
from tests.services.test_moderation import running


async def test_a_person_without_a_phone_answers_through_the_facilitator(db):
    w, gemeente, initiatief = await running(db)
    person, events = await proxy.add_person(db, workshop=w, party_id=initiatief.id, display_name="  Joke  Smit ")
    assert person.on_behalf and person.display_name == "Joke Smit" and events
    assert await participants.participant_by_token(db, workshop_id=w.id, token="") is None
    first, events = await answers.add_answer(
        db, participant=person, step_id=w.current_step_id, text="Vertrouwen", idempotency_key="k1"
    )
    again, again_events = await answers.add_answer(
        db, participant=person, step_id=w.current_step_id, text="Vertrouwen", idempotency_key="k1"
    )
    assert again.id == first.id and events and again_events == []  # a double click makes one answer
    room = await load_room(db, workshop_id=w.id)
    view = room.current.columns[1].answers[0]
    assert view.text == "Vertrouwen" and view.on_behalf and view.author == "Joke Smit"
    assert room.participants_per_party.get(initiatief.id) == 1
    assert [p.id for p in await proxy.list_people(db, workshop_id=w.id)] == [person.id]


async def test_on_behalf_answers_on_a_moderated_step_need_no_approval(db):
    w, gemeente, _ = await running(db)
    await moderation.set_moderated(db, workshop=w, step_id=w.current_step_id, moderated=True)
    person, _ = await proxy.add_person(db, workshop=w, party_id=gemeente.id)
    answer, _ = await answers.add_answer(
        db, participant=person, step_id=w.current_step_id, text="Door begeleider", idempotency_key="k"
    )
    assert answer.status == "shown"


async def test_structured_steps_take_the_persons_response(db):
    w, gemeente, _ = await running(db)
    poll_step = (await workshops.list_steps(db, workshop_id=w.id))[1]
    await workshops.go_to_step(db, workshop=w, step_id=poll_step.id)
    person, _ = await proxy.add_person(db, workshop=w, party_id=gemeente.id, display_name="Piet")
    await answers.submit_response(
        db, participant=person, step_id=poll_step.id, fields=Form(choice="1"), idempotency_key="p1"
    )
    room = await load_room(db, workshop_id=w.id)
    assert room.current.result.overall.counts == [0, 1]
    with pytest.raises(Invalid):
        await answers.submit_response(
            db, participant=person, step_id=poll_step.id, fields=Form(choice="7"), idempotency_key="p2"
        )


async def test_people_are_checked(db):
    w, gemeente, _ = await running(db)
    other, other_party, _ = await running(db, email="bert@example.nl")
    with pytest.raises(Invalid):
        await proxy.add_person(db, workshop=w, party_id=other_party.id)
    with pytest.raises(Invalid):
        await proxy.add_person(db, workshop=w, party_id=None)
    with pytest.raises(Invalid):
        await proxy.add_person(db, workshop=w, party_id=gemeente.id, display_name="x" * 61)
    phone, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    person, _ = await proxy.add_person(db, workshop=w, party_id=gemeente.id)
    with pytest.raises(NotFound):  # a phone's participant is never answered for
        await proxy.person_of(db, workshop=w, participant_id=phone.id)
    with pytest.raises(NotFound):  # nor another workshop's person
        await proxy.person_of(db, workshop=other, participant_id=person.id)
    assert (await proxy.person_of(db, workshop=w, participant_id=person.id)).id == person.id
    await moderation.remove_participant(db, workshop=w, participant_id=person.id)
    with pytest.raises(NotFound):
        await proxy.person_of(db, workshop=w, participant_id=person.id)
    assert await proxy.list_people(db, workshop_id=w.id) == []
    await moderation.restore_participant(db, workshop=w, participant_id=person.id)
    w.report_status = "final"
    await db.commit()
    with pytest.raises(Conflict):
        await proxy.person_of(db, workshop=w, participant_id=person.id)
