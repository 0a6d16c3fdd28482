"""Agreements and consent on SQLite and PostgreSQL."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.models import Agreement, AgreementResponse, AgreementStatus, Party
from app.services import accounts, agreements, participants, steps, workshops
from app.services.errors import Gone, Invalid, NotFound
from app.services.room_deltas import load_delta
from app.services.rooms import load_room


async def agreements_workshop(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Borgen")
    await steps.add_step(db, workshop=w, prompt="Welke afspraken maken we?", kind="agreements")
    await workshops.start_workshop(db, workshop=w)
    parties = await workshops.list_parties(db, workshop_id=w.id)
    return w, parties


async def test_draft_respond_and_consent_per_party(db):
    w, (gemeente, initiatief) = await agreements_workshop(db)
    agreement, events = await agreements.draft_agreement(
        db,
        workshop=w,
        step_id=w.current_step_id,
        text="  Maandelijks   overleg ",
        parties=[gemeente, initiatief],
        owner_party_id=gemeente.id,
        type_="working",
    )
    assert events and agreement.text == "Maandelijks overleg" and agreement.status == AgreementStatus.draft
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    i1, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    i2, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    await agreements.respond(db, participant=g, agreement_id=agreement.id, level="agree")
    await agreements.respond(db, participant=i1, agreement_id=agreement.id, level="accept")
    with pytest.raises(Invalid):  # an objection needs a reason
        await agreements.respond(db, participant=i2, agreement_id=agreement.id, level="object", reason="  ")
    await agreements.respond(
        db, participant=i2, agreement_id=agreement.id, level="object", reason="Te vaak voor vrijwilligers"
    )
    await agreements.respond(db, participant=g, agreement_id=agreement.id, level="accept")  # a change replaces
    [consent] = await agreements.consent_for_step(db, step_id=w.current_step_id, parties=[gemeente, initiatief])
    assert consent.owner.id == gemeente.id and consent.responses == 3
    per_party = {p.name: counts for p, counts in consent.per_party}
    assert per_party == {
        "Gemeente": {"agree": 0, "accept": 1, "object": 0},
        "Initiatief": {"agree": 0, "accept": 1, "object": 1},
    }
    assert [(o.party.name, o.reason) for o in consent.objections] == [("Initiatief", "Te vaak voor vrijwilligers")]
    mine = await agreements.my_responses(db, participant=i2, step_id=w.current_step_id)
    assert mine[agreement.id].level == "object"
    # The agenda counts the consents of an agreements step (it said "0 bijdragen" after every consent).
    room = await load_room(db, workshop_id=w.id)
    assert room.answers_per_step[w.current_step_id] == 3
    # A join's delta counts "answered" as the room does: on an agreements step, who consented.
    delta = await load_delta(db, workshop_id=w.id, answer_ids=set(), step_ids=set(), participant_ids={g.id})
    assert delta.counts.answered_per_party == room.answered_per_party == {gemeente.id: 1, initiatief.id: 2}


async def test_bad_drafts_and_responses_are_refused(db):
    w, parties = await agreements_workshop(db)
    with pytest.raises(Invalid):
        await agreements.draft_agreement(db, workshop=w, step_id=w.current_step_id, text=" ", parties=parties)
    with pytest.raises(Invalid):
        await agreements.draft_agreement(
            db, workshop=w, step_id=w.current_step_id, text="x", parties=parties, type_="handshake"
        )
    with pytest.raises(Invalid):
        await agreements.draft_agreement(
            db, workshop=w, step_id=w.current_step_id, text="x", parties=parties, owner_party_id=999_999
        )
    agreement, _ = await agreements.draft_agreement(
        db, workshop=w, step_id=w.current_step_id, text="Ok", parties=parties
    )
    me, _, _ = await participants.join(db, workshop=w, party_id=parties[0].id)
    with pytest.raises(Invalid):
        await agreements.respond(db, participant=me, agreement_id=agreement.id, level="maybe")
    with pytest.raises(NotFound):
        await agreements.respond(db, participant=me, agreement_id=999_999, level="agree")
    await steps.set_step_open(db, workshop=w, step_id=w.current_step_id, is_open=False)
    with pytest.raises(Invalid):
        await agreements.respond(db, participant=me, agreement_id=agreement.id, level="agree")
    await workshops.close_workshop(db, workshop=w)
    with pytest.raises(Gone):
        await agreements.respond(db, participant=me, agreement_id=agreement.id, level="agree")


async def test_status_moves_from_idea_to_agreed(db):
    w, parties = await agreements_workshop(db)
    agreement, _ = await agreements.draft_agreement(
        db, workshop=w, step_id=w.current_step_id, text="Ok", parties=parties
    )
    await agreements.set_status(db, workshop=w, agreement_id=agreement.id, status="agreed")
    assert agreement.status == AgreementStatus.agreed
    with pytest.raises(Invalid):
        await agreements.set_status(db, workshop=w, agreement_id=agreement.id, status="signed in blood")


# --- The tally against a plain recount (hypothesis) -------------------------------------------------------------


PARTIES = [Party(id=1, workshop_id=1, name="Gemeente"), Party(id=2, workshop_id=1, name="Initiatief")]
AGREEMENTS = [Agreement(id=10, workshop_id=1, text="A"), Agreement(id=11, workshop_id=1, text="B")]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([10, 11]), st.sampled_from([1, 2]), st.sampled_from(["agree", "accept", "object"])),
        max_size=40,
    )
)
def test_consent_per_party_matches_a_recount(votes):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    records = [
        AgreementResponse(
            id=i,
            agreement_id=a,
            participant_id=i,
            party_id=p,
            level=level,
            reason=f"reden {i}" if level == "object" else "",
            updated_at=start + timedelta(seconds=i),
        )
        for i, (a, p, level) in enumerate(votes)
    ]
    result = agreements.tally_consent(AGREEMENTS, records, PARTIES)
    for item in result:
        for party, counts in item.per_party:
            for level in ("agree", "accept", "object"):
                expected = sum(1 for a, p, lv in votes if a == item.agreement.id and p == party.id and lv == level)
                assert counts[level] == expected
        expected_objections = [
            (PARTIES[p - 1].name, f"reden {i}")
            for i, (a, p, lv) in enumerate(votes)
            if a == item.agreement.id and lv == "object"
        ]
        assert [(o.party.name, o.reason) for o in item.objections] == expected_objections
        assert item.responses == sum(1 for a, _p, _lv in votes if a == item.agreement.id)
