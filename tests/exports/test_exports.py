"""Markdown and CSV exports, read back."""

import csv
import io

from app.exports.csv_export import render_csv, safe_cell
from app.exports.markdown import escape, render_markdown
from app.services import accounts, answers, participants, workshops
from app.services.rooms import workshop_results


async def filled_workshop(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(
        db, owner_id=anna.id, title="Warmtenet *Noord*", method_key="leer-elkaar-kennen"
    )
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id, display_name="Gert")
    i, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id, speaks_for="mandate")
    step_ids = [s.id for s in await workshops.list_steps(db, workshop_id=w.id)]
    await answers.add_answer(db, participant=g, step_id=step_ids[0], text='=HYPERLINK("x")', idempotency_key="1")
    await answers.add_answer(
        db, participant=i, step_id=step_ids[0], text="Eigen # kop\nmet [link](x)", idempotency_key="2"
    )
    await answers.add_answer(db, participant=i, step_id=step_ids[2], text="Wekelijks overleg", idempotency_key="3")
    return w


async def test_csv_has_one_row_per_answer_and_is_safe_in_spreadsheets(db):
    w = await filled_workshop(db)
    parties, results = await workshop_results(db, workshop_id=w.id)
    rows = list(csv.reader(io.StringIO(render_csv(w, parties, results))))
    assert rows[0] == ["Onderdeel", "Vraag", "Partij", "Naam", "Spreekt", "Bijdrage", "Tijd (UTC)", "Categorie"]
    body = rows[1:]
    assert len(body) == 3
    assert [(r[0], r[2]) for r in body] == [("1", "Gemeente"), ("1", "Initiatief"), ("3", "Initiatief")]
    assert body[0][5] == '\'=HYPERLINK("x")'
    assert body[0][3] == ""  # names only when the workshop shows them


def test_formula_prefixes_are_neutralised():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(dangerous).startswith("'")
    assert safe_cell("Gewoon tekst") == "Gewoon tekst"
    assert safe_cell(None) == ""


async def test_markdown_groups_answers_per_party_and_escapes_markup(db):
    w = await filled_workshop(db)
    parties, results = await workshop_results(db, workshop_id=w.id)
    text = render_markdown(w, parties, results)
    assert text.startswith("# Warmtenet \\*Noord\\*\n")
    first_step = text.split("## 2.")[0]
    assert "### Gemeente" in first_step and "### Initiatief" in first_step
    assert first_step.index("HYPERLINK") < first_step.index("### Initiatief")
    assert "- Eigen \\# kop met \\[link\\]\\(x\\)" in first_step
    assert "Wekelijks overleg" in text.split("## 3.")[1]
    assert "Gert" not in text


def test_escape_makes_text_literal():
    assert escape("*a* _b_ `c` <d>") == "\\*a\\* \\_b\\_ \\`c\\` \\<d\\>"
