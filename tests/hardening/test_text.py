"""The one normalisation of user text (app/services/text.py) and that every entry point applies it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.methods.yaml_io import parse_method_yaml
from app.models import ReportReview
from app.services import (
    accounts,
    agreements,
    answers,
    moderation,
    participants,
    proxy,
    report,
    reviews,
    steps,
    text,
    workshops,
)
from app.services.kinds import get_kind


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("kleur\x1b[31mrood", "kleur[31mrood"),
        ("a\x00b", "ab"),
        ('\x01=HYPERLINK("http://evil.example")', '=HYPERLINK("http://evil.example")'),
        ("abc\u202edcba", "abcdcba"),  # right-to-left override
        ("\u2066x\u2069", "x"),  # isolates
        ("zero\u200bwidth\u200c\u200d\u2060\ufeff", "zerowidth"),
        ("C1\x85 control\x9b", "C1\n control"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("e\u0301", "\u00e9"),  # NFC
        ("  één\r\ntwee\rdrie\t vier  ", "één\ntwee\ndrie\t vier"),
        ("\x7f", ""),
    ],
)
def test_block(typed: str, stored: str) -> None:
    assert text.block(typed) == stored


def test_line_folds_whitespace() -> None:
    assert text.line("  Gert \n\t de\x00  Vries\u202e ") == "Gert de Vries"


def test_idempotent() -> None:
    messy = " a\x00\u202e b\r\n\u200bc "
    assert text.block(text.block(messy)) == text.block(messy)
    assert text.line(text.line(messy)) == text.line(messy)


async def running(db):
    anna = await accounts.create_facilitator(
        db, email="anna@example.nl", name="Anna\x07 \u202eB", password="correct horse 12"
    )
    assert anna.name == "Anna B"
    w = await workshops.create_workshop(db, owner_id=anna.id, title="\x1bTitel\u200b", method_key="leer-elkaar-kennen")
    assert w.title == "Titel"
    await workshops.start_workshop(db, workshop=w)
    return anna, w


async def test_every_service_entry_point_cleans(db):
    anna, w = await running(db)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    await workshops.add_party(db, workshop=w, name="Bewoners\x00\u202e")
    assert [p.name for p in await workshops.list_parties(db, workshop_id=w.id)][-1] == "Bewoners"
    await workshops.rename_party(db, workshop=w, party_id=gemeente.id, name="Gemeente\u2066\x1b")
    assert gemeente.name == "Gemeente"

    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id, display_name="\x01=Gert\u200b")
    assert me.display_name == "=Gert"
    person, _ = await proxy.add_person(db, workshop=w, party_id=initiatief.id, display_name="Ria\x00")
    assert person.display_name == "Ria"

    answer, _ = await answers.add_answer(
        db, participant=me, step_id=w.current_step_id, text="kleur\x1b[31mrood\x00", idempotency_key="k1"
    )
    assert answer.text == "kleur[31mrood"
    edited, _ = await answers.edit_answer(db, participant=me, answer_id=answer.id, text="nieuw\x00\u202e")
    assert edited.text == "nieuw"
    await moderation.correct(db, workshop=w, answer_id=answer.id, text="gecorrigeerd\x1b")
    await db.refresh(answer)
    assert answer.text == "gecorrigeerd"
    await moderation.set_cluster(db, workshop=w, answer_ids=[answer.id], cluster="Groep\x00 \u200b1")
    await db.refresh(answer)
    assert answer.cluster == "Groep 1"

    await steps.add_step(db, workshop=w, prompt="Vraag\x00?", help_text="hulp\x1b\nregel", kind="open")
    step = (await workshops.list_steps(db, workshop_id=w.id))[-1]
    assert (step.prompt, step.help_text) == ("Vraag?", "hulp\nregel")
    config = get_kind("poll").parse_config({"options": ["Ja\x00", "Nee\u202e"]})
    assert config["options"] == ["Ja", "Nee"]

    await steps.add_step(db, workshop=w, prompt="Afspraken", kind="agreements")
    agreements_step = (await workshops.list_steps(db, workshop_id=w.id))[-1]
    agreement, _ = await agreements.draft_agreement(
        db, workshop=w, step_id=agreements_step.id, text="Wij\x00 doen\u202e dit", parties=[gemeente, initiatief]
    )
    assert agreement.text == "Wij doen dit"
    await workshops.go_to_step(db, workshop=w, step_id=agreements_step.id)
    await agreements.respond(db, participant=me, agreement_id=agreement.id, level="object", reason="Nee\x00\u202e!")
    assert (await agreements.my_responses(db, participant=me, step_id=agreements_step.id))[
        agreement.id
    ].reason == "Nee!"

    await report.set_workshop_summary(db, workshop=w, summary="Samen\x00vatting\r\nregel 2\x1b")
    assert w.summary == "Samenvatting\nregel 2"
    await workshops.close_workshop(db, workshop=w)
    await reviews.submit_review(
        db, workshop=w, party_id=gemeente.id, reviewer_name="Kees\x00", verdict="comment", comment="op\x1bmerking"
    )
    review = (await db.scalars(select(ReportReview))).one()
    assert (review.reviewer_name, review.comment) == ("Kees", "opmerking")


def test_method_files_are_cleaned() -> None:
    method = parse_method_yaml(
        'title: "Eigen\\u202e werkvorm\\0"\nsteps:\n  - prompt: "Vraag\\x1b?"\n    kind: poll\n'
        '    config: {options: ["Ja\\0", "Nee"]}\n'
    )
    assert method.title == "Eigen werkvorm"
    assert method.steps[0].prompt == "Vraag?"
    assert method.steps[0].config["options"] == ["Ja", "Nee"]
