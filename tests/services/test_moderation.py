"""Moderation on SQLite and PostgreSQL: approve before show, hide, correct, merge, cluster, highlight, remove a
participant; refusals; and what the read model (board columns, withheld, aggregates) then shows."""

import pytest

from app.models import Answer, Participant
from app.services import accounts, agreements, answers, moderation, participants, reviews, steps, workshops
from app.services.errors import Conflict, Forbidden, Invalid, NotFound
from app.services.events import EventKind
from app.services.rooms import load_room, workshop_results
from tests.services.test_kinds import Form


async def running(db, email="anna@example.nl"):
    anna = await accounts.create_facilitator(db, email=email, name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    await steps.add_step(db, workshop=w, prompt="Wat vind je belangrijk?")
    await steps.add_step(db, workshop=w, prompt="Stem", kind="poll", fields=Form(options="Ja\nNee"))
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def note(db, who, w, text, key=None):
    answer, _ = await answers.add_answer(
        db, participant=who, step_id=w.current_step_id, text=text, idempotency_key=key or text
    )
    return answer


async def board(db, w):
    """The texts per party column the board shows, and the withheld ones."""
    room = await load_room(db, workshop_id=w.id)
    columns = {c.party.name: [a.text for a in c.answers] for c in room.current.columns}
    return columns, [a.text for a in room.current.withheld], room


async def test_a_moderated_step_shows_answers_only_after_approval(db):
    w, gemeente, initiatief = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    events = await moderation.set_moderated(db, workshop=w, step_id=w.current_step_id, moderated=True)
    assert [e.kind for e in events] == [EventKind.answers]
    first = await note(db, me, w, "Eerlijkheid")
    second = await note(db, me, w, "Tempo")
    assert first.status == "pending"
    columns, withheld, _ = await board(db, w)
    assert columns == {"Gemeente": [], "Initiatief": []} and withheld == ["Eerlijkheid", "Tempo"]

    assert await moderation.approve(db, workshop=w, answer_id=first.id)
    assert await moderation.approve(db, workshop=w, answer_id=first.id) == []  # already shown: nothing happens
    columns, withheld, _ = await board(db, w)
    assert columns["Gemeente"] == ["Eerlijkheid"] and withheld == ["Tempo"]

    # Editing an approved note makes it wait again; editing a waiting one keeps it waiting.
    await answers.edit_answer(db, participant=me, answer_id=first.id, text="Eerlijkheid en openheid")
    await answers.edit_answer(db, participant=me, answer_id=second.id, text="Tempo maken")
    columns, withheld, _ = await board(db, w)
    assert columns["Gemeente"] == [] and withheld == ["Eerlijkheid en openheid", "Tempo maken"]

    assert await moderation.approve_all(db, workshop=w, step_id=w.current_step_id)
    assert await moderation.approve_all(db, workshop=w, step_id=w.current_step_id) == []
    columns, withheld, _ = await board(db, w)
    assert columns["Gemeente"] == ["Eerlijkheid en openheid", "Tempo maken"] and withheld == []


async def test_unmoderated_steps_show_answers_at_once(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    assert (await note(db, me, w, "Direct")).status == "shown"
    await answers.edit_answer(db, participant=me, answer_id=(await note(db, me, w, "Twee")).id, text="Twee!")
    columns, _, _ = await board(db, w)
    assert columns["Gemeente"] == ["Direct", "Twee!"]


async def test_pending_poll_responses_do_not_count_until_approved(db):
    w, gemeente, initiatief = await running(db)
    poll_step = (await workshops.list_steps(db, workshop_id=w.id))[1]
    await workshops.go_to_step(db, workshop=w, step_id=poll_step.id)
    await moderation.set_moderated(db, workshop=w, step_id=poll_step.id, moderated=True)
    a, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    b, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    first, _ = await answers.submit_response(
        db, participant=a, step_id=poll_step.id, fields=Form(choice="0"), idempotency_key="a1"
    )
    await answers.submit_response(
        db, participant=b, step_id=poll_step.id, fields=Form(choice="1"), idempotency_key="b1"
    )
    room = await load_room(db, workshop_id=w.id)
    assert room.current.result.overall.counts == [0, 0] and room.current.responses == 0
    assert len(room.current.withheld) == 2
    await moderation.approve(db, workshop=w, answer_id=first.id)
    room = await load_room(db, workshop_id=w.id)
    assert room.current.result.overall.counts == [1, 0] and room.current.responses == 1
    # A changed response waits again; a hidden one stays hidden when changed.
    await answers.submit_response(
        db, participant=a, step_id=poll_step.id, fields=Form(choice="1"), idempotency_key="a2"
    )
    room = await load_room(db, workshop_id=w.id)
    assert room.current.result.overall.counts == [0, 0]
    await moderation.set_hidden(db, workshop=w, answer_id=first.id, hidden=True)
    again, _ = await answers.submit_response(
        db, participant=a, step_id=poll_step.id, fields=Form(choice="0"), idempotency_key="a3"
    )
    assert again.status == "hidden"


async def test_hide_unhide_correct_and_highlight(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    answer = await note(db, me, w, "Warmtnet")
    assert await moderation.set_hidden(db, workshop=w, answer_id=answer.id, hidden=True)
    columns, withheld, _ = await board(db, w)
    assert columns["Gemeente"] == [] and withheld == ["Warmtnet"]
    assert await moderation.set_hidden(db, workshop=w, answer_id=answer.id, hidden=False)
    assert await moderation.correct(db, workshop=w, answer_id=answer.id, text="  Warmtenet ") != []
    assert await moderation.correct(db, workshop=w, answer_id=answer.id, text="Warmtenet") == []
    with pytest.raises(Invalid):
        await moderation.correct(db, workshop=w, answer_id=answer.id, text="   ")
    await moderation.set_highlight(db, workshop=w, answer_id=answer.id, highlighted=True)
    _, _, room = await board(db, w)
    view = room.current.columns[0].answers[0]
    assert view.text == "Warmtenet" and view.edited_by_facilitator and view.highlighted
    # The participant sees the corrected text among their own notes.
    assert [a.text for a in await answers.my_answers(db, participant=me, step_id=w.current_step_id)] == ["Warmtenet"]


async def test_merge_duplicates_and_unmerge(db):
    w, gemeente, initiatief = await running(db)
    a, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    b, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    x = await note(db, a, w, "Betaalbaar")
    y = await note(db, b, w, "Betaalbaarheid")
    z = await note(db, b, w, "Lage kosten")
    with pytest.raises(Invalid):
        await moderation.merge(db, workshop=w, answer_id=x.id, into_id=x.id)
    assert await moderation.merge(db, workshop=w, answer_id=x.id, into_id=y.id)
    with pytest.raises(Invalid):  # y stands for x: merging y into x would make a cycle
        await moderation.merge(db, workshop=w, answer_id=y.id, into_id=x.id)
    columns, withheld, room = await board(db, w)
    assert columns == {"Gemeente": [], "Initiatief": ["Betaalbaarheid", "Lage kosten"]}
    assert withheld == ["Betaalbaar"]
    assert room.current.columns[1].answers[0].merged_texts == ("Betaalbaar",)
    # Merging y (with x in it) into z moves x along: never more than one level deep.
    await moderation.merge(db, workshop=w, answer_id=y.id, into_id=z.id)
    _, _, room = await board(db, w)
    assert sorted(room.current.columns[1].answers[0].merged_texts) == ["Betaalbaar", "Betaalbaarheid"]
    assert await moderation.unmerge(db, workshop=w, answer_id=x.id)
    assert await moderation.unmerge(db, workshop=w, answer_id=x.id) == []
    columns, _, _ = await board(db, w)
    assert columns == {"Gemeente": ["Betaalbaar"], "Initiatief": ["Lage kosten"]}


async def test_merge_refuses_other_steps_and_structured_answers(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    x = await note(db, me, w, "Eerste vraag")
    poll_step = (await workshops.list_steps(db, workshop_id=w.id))[1]
    await workshops.go_to_step(db, workshop=w, step_id=poll_step.id)
    vote, _ = await answers.submit_response(
        db, participant=me, step_id=poll_step.id, fields=Form(choice="0"), idempotency_key="v"
    )
    with pytest.raises(Invalid):
        await moderation.merge(db, workshop=w, answer_id=x.id, into_id=vote.id)
    with pytest.raises(Invalid):
        await moderation.set_highlight(db, workshop=w, answer_id=vote.id, highlighted=True)
    # Notes of two different open steps.
    await steps.add_step(db, workshop=w, prompt="Nog een vraag")
    third = (await workshops.list_steps(db, workshop_id=w.id))[2]
    await workshops.go_to_step(db, workshop=w, step_id=third.id)
    y = await note(db, me, w, "Derde vraag")
    with pytest.raises(Invalid):
        await moderation.merge(db, workshop=w, answer_id=x.id, into_id=y.id)


async def test_clusters_group_rename_and_dissolve(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    x, y, z = [await note(db, me, w, t) for t in ("Zon", "Wind", "Isolatie")]
    await moderation.set_cluster(db, workshop=w, answer_ids=[x.id, y.id], cluster="  Opwek ")
    await moderation.set_cluster(db, workshop=w, answer_ids=[z.id], cluster="Besparen")
    _, _, room = await board(db, w)
    assert {a.text: a.cluster for a in room.current.columns[0].answers} == {
        "Zon": "Opwek",
        "Wind": "Opwek",
        "Isolatie": "Besparen",
    }
    await moderation.rename_cluster(db, workshop=w, step_id=w.current_step_id, cluster="Opwek", new_name="Energie")
    await moderation.rename_cluster(db, workshop=w, step_id=w.current_step_id, cluster="Besparen", new_name="")
    _, _, room = await board(db, w)
    assert {a.text: a.cluster for a in room.current.columns[0].answers} == {
        "Zon": "Energie",
        "Wind": "Energie",
        "Isolatie": "",
    }
    with pytest.raises(NotFound):
        await moderation.rename_cluster(db, workshop=w, step_id=w.current_step_id, cluster="Nergens", new_name="X")
    with pytest.raises(Invalid):
        await moderation.set_cluster(db, workshop=w, answer_ids=[x.id], cluster="x" * 61)
    with pytest.raises(Invalid):
        await moderation.set_cluster(db, workshop=w, answer_ids=[], cluster="Leeg")


async def test_another_workshops_answer_or_participant_is_not_reachable(db):
    w, gemeente, _ = await running(db)
    other, other_party, _ = await running(db, email="bert@example.nl")
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    answer = await note(db, me, w, "Van mij")
    theirs, _, _ = await participants.join(db, workshop=other, party_id=other_party.id)
    their_note = await note(db, theirs, other, "Van hen")
    for action in (
        moderation.approve(db, workshop=other, answer_id=answer.id),
        moderation.set_hidden(db, workshop=other, answer_id=answer.id, hidden=True),
        moderation.correct(db, workshop=other, answer_id=answer.id, text="Gehackt"),
        moderation.set_highlight(db, workshop=other, answer_id=answer.id, highlighted=True),
        moderation.unmerge(db, workshop=other, answer_id=answer.id),
        moderation.merge(db, workshop=w, answer_id=answer.id, into_id=their_note.id),
        moderation.set_cluster(db, workshop=other, answer_ids=[answer.id], cluster="X"),
        moderation.remove_participant(db, workshop=other, participant_id=me.id),
        moderation.approve_all(db, workshop=other, step_id=w.current_step_id),
    ):
        with pytest.raises(NotFound):
            await action
    await db.refresh(answer)
    assert answer.text == "Van mij" and answer.status == "shown" and answer.merged_into_id is None


async def test_a_final_report_refuses_every_moderation_write(db):
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    answer = await note(db, me, w, "Vast")
    await workshops.close_workshop(db, workshop=w)
    # After closing (cleaning up before the report) moderation still works.
    assert await moderation.set_highlight(db, workshop=w, answer_id=answer.id, highlighted=True)
    w.report_status = "final"
    await db.commit()
    for action in (
        moderation.set_moderated(db, workshop=w, step_id=w.current_step_id, moderated=True),
        moderation.approve(db, workshop=w, answer_id=answer.id),
        moderation.approve_all(db, workshop=w, step_id=w.current_step_id),
        moderation.set_hidden(db, workshop=w, answer_id=answer.id, hidden=True),
        moderation.correct(db, workshop=w, answer_id=answer.id, text="Anders"),
        moderation.merge(db, workshop=w, answer_id=answer.id, into_id=answer.id + 1),
        moderation.unmerge(db, workshop=w, answer_id=answer.id),
        moderation.set_cluster(db, workshop=w, answer_ids=[answer.id], cluster="X"),
        moderation.rename_cluster(db, workshop=w, step_id=w.current_step_id, cluster="X", new_name="Y"),
        moderation.set_highlight(db, workshop=w, answer_id=answer.id, highlighted=False),
        moderation.remove_participant(db, workshop=w, participant_id=me.id),
        moderation.restore_participant(db, workshop=w, participant_id=me.id),
    ):
        with pytest.raises(Conflict):
            await action


async def test_removing_a_participant_hides_their_answers_presence_and_consent(db):
    w, gemeente, initiatief = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    other, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    await note(db, me, w, "Onzin")
    await note(db, other, w, "Serieus")
    events = await moderation.remove_participant(db, workshop=w, participant_id=me.id)
    removed = [e for e in events if e.kind == EventKind.removed]
    assert removed and removed[0].participant_id == me.id
    assert {e.kind for e in events} >= {EventKind.presence, EventKind.answers}
    assert await moderation.remove_participant(db, workshop=w, participant_id=me.id) == []
    columns, withheld, room = await board(db, w)
    assert columns == {"Gemeente": [], "Initiatief": ["Serieus"]} and withheld == ["Onzin"]
    assert room.participants_per_party == {initiatief.id: 1}
    assert room.answered_per_party.get(gemeente.id, 0) == 0
    _, results = await workshop_results(db, workshop_id=w.id)
    assert [a.text for c in results[0].columns for a in c.answers] == ["Serieus"]
    # The removed phone can no longer answer.
    me = await db.get(Participant, me.id)
    with pytest.raises(Forbidden):
        await note(db, me, w, "Nog eens")
    # Undo: they count again.
    assert await moderation.restore_participant(db, workshop=w, participant_id=me.id)
    columns, _, _ = await board(db, w)
    assert columns == {"Gemeente": ["Onzin"], "Initiatief": ["Serieus"]}


async def test_a_removed_participants_consent_no_longer_counts(db):
    w, gemeente, _ = await running(db)
    await steps.add_step(db, workshop=w, prompt="Afspraken", kind="agreements")
    step = (await workshops.list_steps(db, workshop_id=w.id))[-1]
    await workshops.go_to_step(db, workshop=w, step_id=step.id)
    parties = await workshops.list_parties(db, workshop_id=w.id)
    agreement, _ = await agreements.draft_agreement(
        db, workshop=w, step_id=step.id, text="Maandelijks overleg", parties=parties
    )
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    await agreements.respond(db, participant=me, agreement_id=agreement.id, level="agree")
    before = await agreements.consent_for_step(db, step_id=step.id, parties=parties)
    assert sum(sum(levels.values()) for _, levels in before[0].per_party) == 1
    await moderation.remove_participant(db, workshop=w, participant_id=me.id)
    after = await agreements.consent_for_step(db, step_id=step.id, parties=parties)
    assert sum(sum(levels.values()) for _, levels in after[0].per_party) == 0
    with pytest.raises(Forbidden):  # and they cannot give it again
        await agreements.respond(db, participant=me, agreement_id=agreement.id, level="object", reason="Toch niet")


async def test_answers_of_a_removed_participant_stay_in_the_database(db):
    """Removal hides, it does not delete: restoring brings everything back and the report can mark them."""
    w, gemeente, _ = await running(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    answer = await note(db, me, w, "Bewaard")
    await moderation.remove_participant(db, workshop=w, participant_id=me.id)
    assert (await db.get(Answer, answer.id)).text == "Bewaard"


async def test_moderation_after_an_akkoord_withdraws_it_because_the_report_changed(db):
    w, gemeente, initiatief = await running(db)
    ria, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    answer = await note(db, ria, w, "Eerlijke verdeling")
    answer_id = answer.id
    await workshops.close_workshop(db, workshop=w)
    for party in (gemeente, initiatief):
        await reviews.submit_review(db, workshop=w, party_id=party.id, reviewer_name="R", verdict="approve", comment="")
    assert (await reviews.review_status(db, workshop=w)).all_approved
    await moderation.set_highlight(db, workshop=w, answer_id=answer_id, highlighted=False)  # no change: kept
    assert (await reviews.review_status(db, workshop=w)).all_approved
    await moderation.set_hidden(db, workshop=w, answer_id=answer_id, hidden=True)
    assert (await reviews.review_status(db, workshop=w)).approved == 0


async def test_a_hidden_steps_count_leaves_out_hidden_and_removed_answers_but_counts_waiting_ones(db):
    w, gemeente, initiatief = await running(db)
    await steps.set_results_hidden(db, workshop=w, step_id=w.current_step_id, hidden=True)
    ria, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    ivo, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    kept = await note(db, ria, w, "Telt mee")
    hidden = await note(db, ria, w, "Verborgen")
    await note(db, ivo, w, "Van een verwijderde deelnemer")
    hidden_id, ivo_id = hidden.id, ivo.id
    await moderation.set_moderated(db, workshop=w, step_id=kept.step_id, moderated=True)
    await note(db, ria, w, "Wacht op goedkeuring")
    await moderation.set_hidden(db, workshop=w, answer_id=hidden_id, hidden=True)
    await moderation.remove_participant(db, workshop=w, participant_id=ivo_id)
    _, _, room = await board(db, w)
    assert room.current.received == 2  # "Telt mee" and the waiting one
