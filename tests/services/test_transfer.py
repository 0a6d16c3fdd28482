"""JSON export and import (backup and move) on SQLite and PostgreSQL: a rich workshop survives
export -> import -> export unchanged, a bad document is refused with nothing written, and a document moves
between installations (SQLite -> PostgreSQL)."""

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.db import Database
from app.exports.json_export import render_json, workshop_document
from app.models import (
    Agreement,
    AgreementResponse,
    Answer,
    AnswerStatus,
    Participant,
    ReportReview,
    ReportStatus,
    ReviewVerdict,
    Step,
    Workshop,
    WorkshopStatus,
)
from app.services import accounts, agreements, answers, participants, steps, transfer, workshops
from app.services.errors import Invalid
from tests.conftest import _truncate_postgres


class Form(dict):
    def get(self, key, default=None):
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


EVERY_KIND = [
    ("open", "Wat gaat goed?", {"categories": "Kansen\nZorgen"}),
    ("poll", "Welke vorm?", {"options": "Werkafspraak\nConvenant\nIntentieovereenkomst", "multiple": "true"}),
    ("scale", "Hoe staan we ervoor?", {"statements": "Vertrouwen\nCommitment", "scale": "agree5"}),
    ("dots", "Wat eerst?", {"items": "Zon op daken\nWarmtenet\nBuurtbatterij", "budget": "5", "max_per_item": "3"}),
    ("roles", "Wie doet wat?", {"tasks": "Subsidie\nBewoners informeren"}),
    ("matrix", "Risico's", {"matrix_items": "Netcongestie\nGeen vrijwilligers"}),
    ("agreements", "Welke afspraken maken we?", {}),
]


async def rich_workshop(db, email="anna@example.nl"):
    """Every kind, moderation states, merged answers, removed and on-behalf participants, agreements with consent,
    reviews and summaries; closed with a final report."""
    anna = await accounts.create_facilitator(db, email=email, name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Warmtenet Noord — “slot”")
    await workshops.add_party(db, workshop=w, name="Woningcorporatie")
    for kind, prompt, fields in EVERY_KIND:
        await steps.add_step(db, workshop=w, prompt=prompt, kind=kind, fields=Form(fields), help_text="Uitleg")
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief, corporatie = await workshops.list_parties(db, workshop_id=w.id)
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    by_kind = {s.kind: s for s in agenda}
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id, display_name="Gert", speaks_for="mandate")
    i, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id, speaks_for="organisation")
    c, _, _ = await participants.join(db, workshop=w, party_id=corporatie.id, display_name="Cor")
    open_id = by_kind["open"].id
    a1, _ = await answers.add_answer(
        db, participant=g, step_id=open_id, text="Korte lijnen", idempotency_key="k1", category=0
    )
    a2, _ = await answers.add_answer(
        db, participant=i, step_id=open_id, text="korte lijnen!", idempotency_key="k2", category=0
    )
    a3, _ = await answers.add_answer(
        db, participant=i, step_id=open_id, text="Onduidelijk budget", idempotency_key="k3", category=1
    )
    a4, _ = await answers.add_answer(db, participant=c, step_id=open_id, text="Spam", idempotency_key="k4", category=1)
    a5, _ = await answers.add_answer(
        db, participant=c, step_id=open_id, text="Te laat", idempotency_key="k5", category=1
    )
    responses = [
        ("poll", g, {"choice": ["0", "2"]}),
        ("poll", i, {"choice": ["1"]}),
        ("scale", g, {"rating-0": "4", "rating-1": "2"}),
        ("scale", c, {"rating-0": "5"}),
        ("dots", i, {"dots-0": "3", "dots-1": "2"}),
        ("roles", g, {f"role-0-{gemeente.id}": "lead", f"role-1-{initiatief.id}": "contributor"}),
        ("roles", i, {f"role-0-{initiatief.id}": "lead", f"role-1-{corporatie.id}": "informed"}),
        ("matrix", c, {"x-0": "4", "y-0": "5", "x-1": "2", "y-1": "1"}),
    ]
    for n, (kind, who, fields) in enumerate(responses):
        await answers.submit_response(
            db, participant=who, step_id=by_kind[kind].id, fields=Form(fields), idempotency_key=f"r{n}"
        )
    agreement, _ = await agreements.draft_agreement(
        db,
        workshop=w,
        step_id=by_kind["agreements"].id,
        text="Maandelijks overleg",
        parties=[gemeente, initiatief, corporatie],
        owner_party_id=initiatief.id,
        due_on=datetime(2027, 3, 1).date(),
        type_="plan",
    )
    await agreements.draft_agreement(
        db,
        workshop=w,
        step_id=by_kind["agreements"].id,
        text="Gezamenlijke nieuwsbrief",
        parties=[gemeente, initiatief, corporatie],
    )
    await agreements.respond(db, participant=g, agreement_id=agreement.id, level="agree")
    await agreements.respond(db, participant=i, agreement_id=agreement.id, level="object", reason="Te vaak")
    # What the facilitation controls store (their services are built elsewhere): set on the records directly.
    now = datetime.now(UTC)
    proxy = Participant(
        workshop_id=w.id, party_id=gemeente.id, token_hash="f" * 64, display_name="Wethouder", on_behalf=True
    )
    db.add(proxy)
    await db.flush()
    db.add(
        Answer(
            workshop_id=w.id,
            step_id=open_id,
            participant_id=proxy.id,
            party_id=gemeente.id,
            text="Namens de wethouder",
            idempotency_key="p1",
            category=0,
            cluster="Samenwerking",
        )
    )
    a1.highlighted, a1.cluster = True, "Samenwerking"
    a2.merged_into_id = a1.id
    a3.text, a3.edited_by_facilitator, a3.status = "Onduidelijk budget.", True, AnswerStatus.pending
    a4.status = AnswerStatus.hidden
    a5.merged_into_id = a3.id
    c.removed_at = now
    moderated = by_kind["open"]
    moderated.moderated, moderated.summary, moderated.results_hidden = (
        True,
        "Korte lijnen werken.\nBudget is onduidelijk.",
        True,
    )
    timed = by_kind["poll"]
    timed.timer_seconds, timed.timer_remaining, timed.timer_auto_close, timed.is_open = 120, 45, True, False
    by_kind["scale"].timer_seconds, by_kind["scale"].timer_ends_at = 60, now + timedelta(seconds=30)
    w.summary, w.report_hidden, w.report_for_participants = "Een goed gesprek.", "mark", True
    await db.commit()
    await workshops.close_workshop(db, workshop=w)
    db.add(ReportReview(workshop_id=w.id, party_id=gemeente.id, verdict=ReviewVerdict.approve, reviewer_name="Gert"))
    db.add(
        ReportReview(
            workshop_id=w.id,
            party_id=initiatief.id,
            verdict=ReviewVerdict.comment,
            reviewer_name="Ineke",
            comment='Punt 2 graag "scherper".',
        )
    )
    db.add(ReportReview(workshop_id=w.id, party_id=initiatief.id, verdict=ReviewVerdict.approve, reviewer_name="Ineke"))
    w.report_status, w.finalized_at, w.review_token_hash = ReportStatus.final, datetime.now(UTC), "e" * 64
    await db.commit()
    return anna, w


def without_timestamp(document: dict) -> dict:
    return {key: value for key, value in document.items() if key != "exported_at"}


async def count(db, model) -> int:
    return await db.scalar(select(func.count()).select_from(model))


async def test_export_import_export_gives_an_equal_document(db):
    anna, w = await rich_workshop(db)
    first = await workshop_document(db, workshop=w)
    assert first["format"] == "opgroeiruimte-live/workshop" and first["version"] == 1
    assert len(first["steps"]) == 7 and len(first["answers"]) == 14 and len(first["participants"]) == 4
    text = render_json(first)
    assert "token_hash" not in text and "e" * 64 not in text and "join_code" not in text
    merged = [a for a in first["answers"] if a["merged_into"] is not None]
    assert [(a["text"], a["merged_into"]) for a in merged] == [("korte lijnen!", 1), ("Te laat", 3)]
    roles = [a["value"] for a in first["answers"] if a["step"] == 5]
    assert roles[0] == {"roles": {"0": {"1": "lead"}, "1": {"2": "contributor"}}}  # party refs, not ids

    bert = await accounts.create_facilitator(db, email="bert@example.nl", name="Bert", password="correct horse 12")
    copy_ = await transfer.import_workshop(db, owner_id=bert.id, document=text)
    assert copy_.id != w.id and copy_.owner_id == bert.id and copy_.join_code is None
    assert copy_.review_token_hash is None and copy_.status == WorkshopStatus.closed
    second = await workshop_document(db, workshop=copy_)
    assert without_timestamp(second) == without_timestamp(first)

    # Fresh, unknown token hashes for every phone; agreements, consent and reviews restored.
    hashes = set((await db.scalars(select(Participant.token_hash))).all())
    assert len(hashes) == 8 and "f" * 64 in hashes
    assert await count(db, AgreementResponse) == 4 and await count(db, ReportReview) == 6
    assert await count(db, Agreement) == 4


async def test_an_open_workshop_comes_in_as_a_draft_without_a_join_code(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Live", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    document = await workshop_document(db, workshop=w)
    copy_ = await transfer.import_workshop(db, owner_id=anna.id, document=document)
    assert w.status == WorkshopStatus.open and w.join_code
    assert copy_.status == WorkshopStatus.draft and copy_.join_code is None
    assert copy_.current_step_id is not None and copy_.current_step_id != w.current_step_id
    await workshops.start_workshop(db, workshop=copy_)  # it can run again, with a code of its own
    assert copy_.join_code and copy_.status == WorkshopStatus.open


def broken(document: dict, change) -> dict:
    bad = copy.deepcopy(document)
    change(bad)
    return bad


BAD_DOCUMENTS = [
    ("wrong version", lambda d: d.update(version=2), "version 2"),
    ("other format", lambda d: d.update(format="iets-anders"), "not a workshop exported"),
    (
        "missing party",
        lambda d: d["participants"][0].update(party=99),
        "participants[0].party: party 99 is not in the file",
    ),
    ("missing answer", lambda d: d["answers"][1].update(merged_into=77), "answers[1].merged_into: answer 77"),
    ("too long", lambda d: d["answers"][0].update(text="x" * 1001), "answers[0].text"),
    ("wrong type", lambda d: d["workshop"].update(show_names="yes"), "workshop.show_names"),
    ("unknown field", lambda d: d["steps"][0].update(secret=1), "steps[0].secret"),
    ("missing field", lambda d: d["workshop"].pop("title"), "workshop.title"),
    ("bad config", lambda d: d["steps"][1]["config"].update(options=["Ja"]), "steps[1].config"),
    ("bad role party", lambda d: d["answers"][10]["value"]["roles"]["0"].update({"42": "lead"}), "party 42"),
    ("duplicate ref", lambda d: d["parties"][1].update(ref=1), "parties[1].ref"),
    ("final but open", lambda d: d["workshop"].update(status="open"), "final report"),
]


@pytest.mark.parametrize(("what", "change", "named"), BAD_DOCUMENTS, ids=[b[0] for b in BAD_DOCUMENTS])
async def test_a_bad_document_is_refused_with_nothing_written(db, what, change, named):
    _, w = await rich_workshop(db)
    document = await workshop_document(db, workshop=w)
    before = [await count(db, model) for model in (Workshop, Step, Participant, Answer, Agreement, ReportReview)]
    with pytest.raises(Invalid) as refused:
        await transfer.import_workshop(db, owner_id=w.owner_id, document=broken(document, change))
    assert named in str(refused.value)
    after = [await count(db, model) for model in (Workshop, Step, Participant, Answer, Agreement, ReportReview)]
    assert after == before


async def test_not_json_is_refused(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    for raw in (b"{not json", b"\xff\xfe", b"[1, 2]", b""):
        with pytest.raises(Invalid):
            await transfer.import_workshop(db, owner_id=anna.id, document=raw)
    with pytest.raises(Invalid) as refused:
        await transfer.import_workshop(db, owner_id=anna.id, document=b'{"format": 1,\n nope}')
    assert "line 2" in str(refused.value)
    assert await count(db, Workshop) == 0


async def test_a_clash_in_the_database_rolls_everything_back(db):
    """Two answers of one participant with the same idempotency key are caught before writing."""
    _, w = await rich_workshop(db)
    document = await workshop_document(db, workshop=w)
    bad = broken(document, lambda d: d["answers"][1].update(participant=1, idempotency_key="k1"))
    with pytest.raises(Invalid) as refused:
        await transfer.import_workshop(db, owner_id=w.owner_id, document=bad)
    assert "idempotency_key" in str(refused.value)
    assert await count(db, Workshop) == 1


@pytest.fixture
def fresh_postgres(postgres_migrated: str) -> str:
    _truncate_postgres(postgres_migrated)
    return postgres_migrated


async def test_move_from_sqlite_to_postgresql(sqlite_url, fresh_postgres):
    """Another installation: export from a SQLite one, import into a fresh PostgreSQL one, export again."""
    source = Database(sqlite_url)
    async with source.writer() as db:
        _, w = await rich_workshop(db)
        text = render_json(await workshop_document(db, workshop=w))
    await source.dispose()

    target = Database(fresh_postgres)
    async with target.writer() as db:
        carla = await accounts.create_facilitator(
            db, email="carla@example.nl", name="Carla", password="correct horse 12"
        )
        moved = await transfer.import_workshop(db, owner_id=carla.id, document=text.encode())
        again = await workshop_document(db, workshop=moved)
    await target.dispose()
    assert without_timestamp(again) == without_timestamp(json.loads(text))
