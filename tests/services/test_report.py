"""The report's read model and its edits, on SQLite and PostgreSQL."""

import pytest

from app.models import Step
from app.services import report as reports
from app.services import workshops
from app.services.errors import Conflict, Invalid, NotFound
from tests.report_workshop import AGREEMENT_TEXTS, OPEN_PROMPT, build_report_workshop


def texts(step) -> dict[str, list[tuple[str, tuple[str, ...]]]]:
    return {c.party.name: [(a.text, a.marks) for a in c.answers] for c in step.columns}


async def test_the_report_has_attendance_steps_side_by_side_and_agreements(db):
    w = await build_report_workshop(db)
    report = await reports.build_report(db, workshop=w)
    assert report.title == "Warmtenet <Noord> & Zuid" and report.status == "concept" and not report.final
    # Three per party joined; one of the Initiatief was removed; one Gemeente participant was entered on behalf.
    assert [(a.party.name, a.participants, a.on_behalf) for a in report.attendance] == [
        ("Gemeente", 3, 1),
        ("Initiatief", 2, 0),
    ]
    assert [s.kind for s in report.steps] == [
        "open", "open", "poll", "scale", "dots", "matrix", "roles", "agreements"
    ]  # fmt: skip
    first = report.steps[0]
    assert first.step.prompt == OPEN_PROMPT and first.number == 1
    assert [c.party.name for c in first.columns] == ["Gemeente", "Initiatief"]
    assert all(a.category in ("Kansen", "Zorgen") for c in first.columns for a in c.answers)
    # Structured steps: the kind's aggregate over the counted responses (the removed participant's is not counted).
    poll = report.steps[2]
    assert poll.structured and poll.result.responses == 5
    header, rows = poll.table()
    assert header[0] and len(rows) == 3
    assert [item.agreement.text for item in report.agreements] == AGREEMENT_TEXTS
    # Consent of the removed participant does not count.
    assert report.agreements[0].responses == 5
    header, rows = report.agreements_table()
    assert rows[0][0] == AGREEMENT_TEXTS[0] and rows[0][2] == "Gemeente"


async def test_omit_leaves_withheld_answers_out_and_counts_them(db):
    w = await build_report_workshop(db)
    report = await reports.build_report(db, workshop=w)
    first = texts(report.steps[0])
    written = [t for column in first.values() for t, _marks in column]
    for withheld in ("Verborgen opmerking", "Wacht op goedkeuring", "Dubbele opmerking"):
        assert withheld not in written
    assert "Opmerking van een verwijderde deelnemer" not in written
    # hidden, pending, merged and the removed participant's two notes
    assert report.steps[0].omitted == 5
    assert report.steps[2].omitted == 1  # the removed participant's poll response
    # three moderated notes, and the removed participant's notes in both open steps and five responses
    assert report.omitted_total == 3 + 2 * 2 + 5


async def test_mark_shows_withheld_answers_with_the_reason(db):
    w = await build_report_workshop(db)
    w.report_hidden = "mark"
    report = await reports.build_report(db, workshop=w)
    marks = {t: m for column in texts(report.steps[0]).values() for t, m in column}
    assert marks["Verborgen opmerking"] == ("hidden",)
    assert marks["Wacht op goedkeuring"] == ("pending",)
    assert marks["Dubbele opmerking"] == ("merged",)
    assert marks["Opmerking van een verwijderde deelnemer"] == ("removed",)
    assert report.omitted_total == 0
    poll = report.steps[2]
    assert poll.result.responses == 5  # marked, but still not counted in the chart
    assert [a.marks for c in poll.columns for a in c.withheld] == [("removed",)]


async def test_answers_entered_on_behalf_are_always_marked(db):
    w = await build_report_workshop(db)
    for mode in ("omit", "mark"):
        w.report_hidden = mode
        report = await reports.build_report(db, workshop=w)
        gemeente = report.steps[0].columns[0]
        assert gemeente.answers[0].text == "Namens iemand zonder telefoon"
        assert gemeente.answers[0].marks == ("on_behalf",)
        assert gemeente.on_behalf == 2
        assert report.steps[2].columns[0].on_behalf == 1


async def test_summaries_and_options_are_saved_and_checked(db):
    w = await build_report_workshop(db)
    step = (await workshops.list_steps(db, workshop_id=w.id))[0]
    await reports.set_workshop_summary(db, workshop=w, summary="  Goede sessie.\r\n\r\nVolgende keer: de wijk.  ")
    await reports.set_step_summary(db, workshop=w, step_id=step.id, summary="Vertrouwen staat voorop.")
    await reports.set_report_options(db, workshop=w, report_hidden="mark", report_for_participants=True)
    await db.refresh(w)
    assert w.summary == "Goede sessie.\n\nVolgende keer: de wijk."
    assert (await db.get(Step, step.id)).summary == "Vertrouwen staat voorop."
    assert w.report_hidden == "mark" and w.report_for_participants is True
    with pytest.raises(Invalid):
        await reports.set_workshop_summary(db, workshop=w, summary="x" * 10001)
    with pytest.raises(Invalid):
        await reports.set_report_options(db, workshop=w, report_hidden="shred", report_for_participants=False)
    with pytest.raises(NotFound):
        await reports.set_step_summary(db, workshop=w, step_id=step.id + 1000, summary="x")
    await db.refresh(w)
    assert w.summary == "Goede sessie.\n\nVolgende keer: de wijk."  # nothing lost by the refused edits


async def test_a_final_report_refuses_every_edit(db):
    w = await build_report_workshop(db)
    step = (await workshops.list_steps(db, workshop_id=w.id))[0]
    w.report_status = "final"
    await db.commit()
    with pytest.raises(Conflict):
        workshops.ensure_report_editable(w)
    with pytest.raises(Conflict):
        await reports.set_workshop_summary(db, workshop=w, summary="Later nog iets")
    with pytest.raises(Conflict):
        await reports.set_step_summary(db, workshop=w, step_id=step.id, summary="Later nog iets")
    with pytest.raises(Conflict):
        await reports.set_report_options(db, workshop=w, report_hidden="mark", report_for_participants=True)
    await db.refresh(w)
    assert w.summary == "" and w.report_hidden == "omit"
