"""Agreements and consent on SQLite and PostgreSQL."""

import pytest

from app.models import AgreementStatus
from app.services import accounts, agreements, participants, steps, workshops
from app.services.errors import Gone, Invalid, NotFound


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
