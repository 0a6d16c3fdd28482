"""The XLSX, opened with openpyxl: an overview, a sheet per step, one row per answer, cells safe from formulas."""

import io

from openpyxl import load_workbook

from app.exports.xlsx_export import cell, render_xlsx, sheet_name
from app.services import report as reports
from tests.report_workshop import OPEN_PROMPT, build_report_workshop


async def test_a_sheet_per_step_with_a_row_per_answer(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    book = load_workbook(io.BytesIO(render_xlsx(await reports.build_report(sqlite_db, workshop=w))))
    assert book.sheetnames[0] == "Overzicht" and len(book.sheetnames) == 9
    assert book.sheetnames[1] == "1. Wat is voor jullie de kern v"  # 31 characters
    assert all(len(name) <= 31 for name in book.sheetnames)
    overview = [[c for c in row if c is not None] for row in book["Overzicht"].iter_rows(values_only=True)]
    assert overview[0] == ["Warmtenet <Noord> & Zuid"]
    assert ["Gemeente", 3, 1] in overview and ["Initiatief", 2, 0] in overview
    first = list(book.worksheets[1].iter_rows(values_only=True))
    assert first[0][0] == f"1. {OPEN_PROMPT}"
    header = first.index(("Partij", "Naam", "Spreekt", "Bijdrage", "Categorie", "Markering", "Tijd (UTC)"))
    rows = first[header + 1 :]
    assert len(rows) == 3 * 2 + 2 * 2 - 3  # counted notes: 5 participants x 2, minus hidden, pending, merged
    assert {r[0] for r in rows} == {"Gemeente", "Initiatief"}
    assert ("Namens iemand zonder telefoon", "namens iemand ingevoerd") in {(r[3], r[5]) for r in rows}
    # The dangerous phrases of the fixture are text, not formulas.
    answers = [r[3] for r in rows]
    assert '\'=HYPERLINK("http://example.com","klik")' in answers
    assert not any(str(a).startswith(("=", "+", "-", "@")) for a in answers)
    poll = list(book.worksheets[3].iter_rows(values_only=True))
    assert (
        sum(
            1
            for r in poll
            if r[0] in ("Gemeente", "Initiatief") and r[3] in ("Werkafspraak", "Convenant", "Intentieovereenkomst")
        )
        == 5
    )


def test_cells_are_escaped_against_formulas_and_numbers_stay_numbers():
    for dangerous in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert cell(dangerous) == "'" + dangerous
    assert cell(3) == 3 and cell("Gewoon") == "Gewoon" and cell("a\x00b\x1f") == "ab"


def test_sheet_names_are_valid_and_unique():
    taken: set[str] = set()
    names = [sheet_name(t, taken) for t in ("Wie? Wat/Waar: [x]*", "Wie? Wat/Waar: [x]*", "'quoted'", "", "a" * 40)]
    assert names[0] == "Wie Wat Waar x" and names[1] == "Wie Wat Waar x (2)"
    assert names[2] == "quoted" and names[3] == "-" and names[4] == "a" * 31
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)


async def test_formula_injection_in_every_text_cell(sqlite_db):
    w = await build_report_workshop(sqlite_db)
    w.title = "=cmd|' /C calc'!A0"
    w.summary = "@SUM(1)"
    book = load_workbook(io.BytesIO(render_xlsx(await reports.build_report(sqlite_db, workshop=w))))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), c.value
