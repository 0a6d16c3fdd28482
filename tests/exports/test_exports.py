"""Markdown and CSV exports, read back."""

import csv
import io

from app.exports.csv_export import render_csv, safe_cell
from app.exports.markdown import escape, render_markdown
from app.services import accounts, answers, participants, workshops
from app.services.report import build_report
from tests.report_workshop import build_report_workshop


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
    rows = list(csv.reader(io.StringIO(render_csv(await build_report(db, workshop=w)))))
    header = ["Onderdeel", "Vraag", "Partij", "Naam", "Spreekt", "Bijdrage", "Tijd (UTC)", "Categorie", "Markering"]
    assert rows[0] == header
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
    text = render_markdown(await build_report(db, workshop=w))
    assert text.startswith("# Warmtenet \\*Noord\\*\n")
    first_step = text.split("## 2.")[0]
    assert "### Gemeente" in first_step and "### Initiatief" in first_step
    assert first_step.index("HYPERLINK") < first_step.index("### Initiatief")
    assert "- Eigen \\# kop met \\[link\\]\\(x\\)" in first_step
    assert "Wekelijks overleg" in text.split("## 3.")[1]
    assert "Gert" not in text


def test_escape_makes_text_literal():
    assert escape("*a* _b_ `c` <d>") == "\\*a\\* \\_b\\_ \\`c\\` \\<d\\>"


async def test_csv_follows_the_report_omit_or_mark_and_on_behalf(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    omitted = list(csv.reader(io.StringIO(render_csv(await build_report(sqlite_db, workshop=w)))))
    first = [r for r in omitted[1:] if r[0] == "1"]
    assert len(first) == 7  # 12 notes minus hidden, pending, merged and the removed participant's two
    assert ["Namens iemand zonder telefoon", "namens iemand ingevoerd"] in [[r[5], r[8]] for r in first]
    assert not any("Verborgen" in r[5] for r in omitted)
    w.report_hidden = "mark"
    marked = list(csv.reader(io.StringIO(render_csv(await build_report(sqlite_db, workshop=w)))))
    marks = {r[5]: r[8] for r in marked[1:] if r[0] == "1"}
    assert marks["Verborgen opmerking"] == "verborgen"
    assert marks["Wacht op goedkeuring"] == "niet goedgekeurd"
    assert marks["Dubbele opmerking"] == "samengevoegd"
    assert marks["Opmerking van een verwijderde deelnemer"] == "deelnemer verwijderd"
    # Every text cell is safe: the fixture's "=HYPERLINK(...)" answer gets a quote.
    cells = [c for r in marked[1:] for c in r]
    assert '\'=HYPERLINK("http://example.com","klik")' in cells
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)


async def test_csv_escapes_every_formula_prefix_in_user_text(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    party = (await workshops.list_parties(sqlite_db, workshop_id=w.id))[0]
    p, _token, _events = await participants.join(sqlite_db, workshop=w, party_id=party.id, display_name="@naam")
    w.show_names = True
    step = (await workshops.list_steps(sqlite_db, workshop_id=w.id))[0]
    dangerous = ["=1+1", "+1", "-1", "@SUM(A1)", "\tTab", "\rCR"]
    for n, text in enumerate(dangerous):
        await answers.add_answer(
            sqlite_db, participant=p, step_id=step.id, text=text, idempotency_key=f"f{n}", category=0
        )
    rows = list(csv.reader(io.StringIO(render_csv(await build_report(sqlite_db, workshop=w)), newline="")))
    mine = [r for r in rows[1:] if r[3].endswith("@naam")]
    assert [r[3] for r in mine] == ["'@naam"] * len(mine)
    written = [r[5] for r in mine]
    # The services trim surrounding whitespace; whatever reaches the file starts with a quote when dangerous.
    assert written[:4] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)"]
    assert all(not c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows[1:] for c in r)


async def test_markdown_has_summaries_marks_and_agreements(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    w.summary = "Goede sessie."
    w.report_hidden = "mark"
    text = render_markdown(await build_report(sqlite_db, workshop=w))
    assert "## Samenvatting\n\nGoede sessie\\.\n" in text
    assert "Namens iemand zonder telefoon _\\[namens iemand ingevoerd\\]_" in text
    assert "Verborgen opmerking _\\[verborgen\\]_" in text
    assert "## Afspraken en actiepunten" in text and "We overleggen elke maand over de voortgang" in text
