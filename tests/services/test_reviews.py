"""Approval before final on SQLite and PostgreSQL: the review link, akkoord per party, comments, withdrawal on a
change, and a final report that refuses every change."""

import pytest
from sqlalchemy import func, select

from app.models import ReportReview, ReportStatus
from app.services import accounts, report, reviews, workshops
from app.services.errors import Conflict, Invalid, NotFound


async def closed_workshop(db, close=True):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Borgen", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    if close:
        await workshops.close_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_a_new_link_replaces_the_old_one(db):
    w, _, _ = await closed_workshop(db)
    first = await reviews.create_review_link(db, workshop=w)
    assert (await reviews.workshop_for_review(db, token=first)).id == w.id
    assert w.review_token_hash != first and len(w.review_token_hash) == 64  # only the hash is stored
    second = await reviews.create_review_link(db, workshop=w)
    assert (await reviews.workshop_for_review(db, token=second)).id == w.id
    for dead in (first, "", "x" * 200):
        with pytest.raises(NotFound):
            await reviews.workshop_for_review(db, token=dead)


async def test_akkoord_per_party_replaces_earlier_and_comments_are_kept(db):
    w, gemeente, initiatief = await closed_workshop(db)
    submit = reviews.submit_review
    await submit(db, workshop=w, party_id=gemeente.id, reviewer_name="Gert", verdict="comment", comment="Punt 2?")
    await submit(db, workshop=w, party_id=gemeente.id, reviewer_name="Gert", verdict="approve", comment="")
    await submit(db, workshop=w, party_id=gemeente.id, reviewer_name="  Greet  ", verdict="approve", comment="x")
    await submit(db, workshop=w, party_id=initiatief.id, reviewer_name="Ineke", verdict="comment", comment="Mooi")
    status = await reviews.review_status(db, workshop=w)
    assert [(p.party.name, p.approval and p.approval.reviewer_name) for p in status.parties] == [
        ("Gemeente", "Greet"),
        ("Initiatief", None),
    ]
    assert [(party.name, c.comment) for party, c in status.comments] == [
        ("Gemeente", "Punt 2?"),
        ("Initiatief", "Mooi"),
    ]
    assert not status.all_approved and status.approved == 1
    assert await db.scalar(select(func.count()).select_from(ReportReview)) == 3


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"party_id": None}, "Choose the party"),
        ({"reviewer_name": "  "}, "Fill in your name"),
        ({"reviewer_name": "x" * 61}, "at most 60"),
        ({"verdict": "comment", "comment": " "}, "Write your comment"),
        ({"verdict": "maybe"}, "akkoord or a comment"),
        ({"comment": "x" * 2001}, "at most 2000"),
    ],
)
async def test_bad_reviews_are_refused(db, fields, message):
    w, gemeente, _ = await closed_workshop(db)
    values = {"party_id": gemeente.id, "reviewer_name": "Gert", "verdict": "approve", "comment": "", **fields}
    with pytest.raises(Invalid) as refused:
        await reviews.submit_review(db, workshop=w, **values)
    assert message in str(refused.value)
    assert await db.scalar(select(func.count()).select_from(ReportReview)) == 0


async def test_a_change_to_the_report_withdraws_the_akkoorden(db):
    w, gemeente, initiatief = await closed_workshop(db)
    for party, name in ((gemeente, "Gert"), (initiatief, "Ineke")):
        await reviews.submit_review(
            db, workshop=w, party_id=party.id, reviewer_name=name, verdict="approve", comment=""
        )
    await reviews.submit_review(db, workshop=w, party_id=gemeente.id, reviewer_name="G", verdict="comment", comment="!")
    await report.set_workshop_summary(db, workshop=w, summary="")  # unchanged: nothing withdrawn
    assert (await reviews.review_status(db, workshop=w)).all_approved
    step_id = (await workshops.list_steps(db, workshop_id=w.id))[0].id
    await report.set_step_summary(db, workshop=w, step_id=step_id, summary="Nieuw inzicht")
    status = await reviews.review_status(db, workshop=w)
    assert status.approved == 0 and len(status.comments) == 1


async def test_final_needs_a_closed_workshop_and_every_akkoord_or_a_confirmation(db):
    w, gemeente, initiatief = await closed_workshop(db, close=False)
    with pytest.raises(Conflict):
        await reviews.make_final(db, workshop=w, confirmed=True)
    await workshops.close_workshop(db, workshop=w)
    await reviews.submit_review(
        db, workshop=w, party_id=gemeente.id, reviewer_name="Gert", verdict="approve", comment=""
    )
    with pytest.raises(Conflict):
        await reviews.make_final(db, workshop=w)
    await reviews.submit_review(
        db, workshop=w, party_id=initiatief.id, reviewer_name="Ina", verdict="approve", comment=""
    )
    events = await reviews.make_final(db, workshop=w)
    assert events and w.report_status == ReportStatus.final and w.finalized_at is not None


async def test_final_anyway_and_then_fixed(db):
    w, gemeente, _ = await closed_workshop(db)
    await reviews.make_final(db, workshop=w, confirmed=True)
    assert w.report_status == ReportStatus.final
    step_id = (await workshops.list_steps(db, workshop_id=w.id))[0].id
    for change in (
        reviews.submit_review(db, workshop=w, party_id=gemeente.id, reviewer_name="G", verdict="approve", comment=""),
        report.set_workshop_summary(db, workshop=w, summary="Later"),
        report.set_step_summary(db, workshop=w, step_id=step_id, summary="Later"),
        report.set_report_options(db, workshop=w, report_hidden="mark", report_for_participants=True),
        reviews.make_final(db, workshop=w, confirmed=True),
    ):
        with pytest.raises(Conflict):
            await change
    assert w.summary == "" and not w.report_for_participants
