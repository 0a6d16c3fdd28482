"""Imports are checked as strictly as forms: nesting, size and numbers limited before and while parsing, every
response checked by its kind's own parser; a bad file gets a message naming the place and writes nothing."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import func, select

from app.exports.json_export import workshop_document
from app.methods.yaml_io import MethodFileError, parse_method_yaml
from app.models import Agreement, Answer, Participant, ReportReview, SavedMethod, Step, Workshop
from app.services import transfer
from app.services.errors import Invalid
from tests.conftest import login_new_facilitator
from tests.services.test_transfer import rich_workshop

MODELS = (Workshop, Step, Participant, Answer, Agreement, ReportReview)


async def counts(db) -> list[int]:  # type: ignore[no-untyped-def]
    return [await db.scalar(select(func.count()).select_from(model)) for model in MODELS]


def answer_index(document: dict, kind: str) -> int:
    ref = next(s["ref"] for s in document["steps"] if s["kind"] == kind)
    return next(i for i, a in enumerate(document["answers"]) if a["step"] == ref)


JUNK_VALUES = [
    ("poll", {"choices": "zz"}),
    ("poll", None),
    ("poll", {"choices": [[1]]}),
    ("poll", {"choices": None}),
    ("poll", {"choices": [True]}),
    ("poll", {"choices": [99]}),
    ("poll", {"choices": [0], "extra": 1}),
    ("poll", [0]),
    ("scale", {"ratings": ["4", 2]}),
    ("scale", {"ratings": [9, 2]}),
    ("scale", {"ratings": [4]}),
    ("dots", {"dots": [5, 5, 5]}),
    ("dots", {"dots": {"0": 1}}),
    ("matrix", {"ratings": [[4, 5, 6], None]}),
    ("matrix", {"ratings": [[4.5, 5], None]}),
    ("roles", {"roles": {"0": {"1": "king"}}}),
    ("roles", {"roles": {"0": {"1": ["lead"]}}}),
    ("roles", {"roles": {"x": {"1": "lead"}}}),
    ("open", {"choices": [0]}),
]


@pytest.mark.parametrize(("kind", "value"), JUNK_VALUES, ids=[f"{k}-{json.dumps(v)}" for k, v in JUNK_VALUES])
async def test_junk_responses_are_refused_naming_the_place(db, kind, value):
    _, w = await rich_workshop(db)
    document = await workshop_document(db, workshop=w)
    bad = copy.deepcopy(document)
    index = answer_index(bad, kind)
    bad["answers"][index]["value"] = value
    before = await counts(db)
    with pytest.raises(Invalid) as refused:
        await transfer.import_workshop(db, owner_id=w.owner_id, document=bad)
    assert f"answers[{index}].value" in str(refused.value)
    assert await counts(db) == before


async def test_a_category_the_step_does_not_have_is_refused(db):
    _, w = await rich_workshop(db)
    document = await workshop_document(db, workshop=w)
    index = answer_index(document, "open")
    document["answers"][index]["category"] = 7
    with pytest.raises(Invalid) as refused:
        await transfer.import_workshop(db, owner_id=w.owner_id, document=document)
    assert f"answers[{index}].category" in str(refused.value)


async def test_deep_nesting_and_huge_numbers_are_refused_before_parsing(db):
    _, w = await rich_workshop(db)
    text = json.dumps(await workshop_document(db, workshop=w))
    before = await counts(db)
    deep = text[:-1] + ', "x": ' + "[" * 5000 + "]" * 5000 + "}"
    digits = text.replace('"position": 0', '"position": ' + "9" * 5000, 1)
    above = text.replace('"position": 0', f'"position": {2**31}', 1)
    infinite = text.replace('"position": 0', '"position": 1e999', 1)
    for document, named in ((deep, "nested"), (digits, "too large"), (above, "too large"), (infinite, "too large")):
        with pytest.raises(Invalid) as refused:
            await transfer.import_workshop(db, owner_id=w.owner_id, document=document.encode())
        assert named in str(refused.value)
    assert await counts(db) == before


async def upload(client, url: str, content: bytes, name: str):  # type: ignore[no-untyped-def]
    if not client.cookies.get("olive_csrf"):
        await client.get("/")
    return await client.post(
        url, data={"csrf_token": client.cookies["olive_csrf"]}, files={"file": (name, content, "application/json")}
    )


async def test_the_routes_answer_422_and_write_nothing(any_app, any_client):
    await login_new_facilitator(any_client)
    nested_json = b'{"format": "opgroeiruimte-live/workshop", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    nested_yaml = b"title: T\nsteps:\n  - prompt: x\n    config: " + b"[" * 1000 + b"]" * 1000 + b"\n"
    huge_yaml = b"title: T\nsteps:\n  - prompt: x\n    kind: scale\n    config: {points: " + b"9" * 5000 + b"}\n"
    bomb = (
        b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\ntitle: T\nsteps: [{prompt: x}]\n"
    )
    cases = [
        ("/workshops/import-json", nested_json, "back-up.json"),
        ("/workshops/import-json", b'{"version": ' + b"9" * 5000 + b"}", "back-up.json"),
        ("/workshops/import", nested_yaml, "werkvorm.yaml"),
        ("/workshops/import", huge_yaml, "werkvorm.yaml"),
        ("/workshops/import", bomb, "werkvorm.yaml"),
        ("/methods/import", nested_yaml, "werkvorm.yaml"),
        ("/methods/import", huge_yaml, "werkvorm.yaml"),
    ]
    for url, content, name in cases:
        response = await upload(any_client, url, content, name)
        assert response.status_code == 422, (url, content[:40], response.status_code)
    async with any_app.state.db.reader() as db:
        assert await db.scalar(select(func.count()).select_from(Workshop)) == 0
        assert await db.scalar(select(func.count()).select_from(SavedMethod)) == 0


def test_method_files_name_the_problem():
    with pytest.raises(MethodFileError) as deep:
        parse_method_yaml("title: T\nsteps:\n  - prompt: x\n    config: " + "{a: " * 40 + "1" + "}" * 40)
    assert deep.value.line == 4 and "nested" in deep.value.problem
    with pytest.raises(MethodFileError) as alias:
        parse_method_yaml("title: &t T\nsteps: [{prompt: *t}]\n")
    assert "aliases" in alias.value.problem
    with pytest.raises(MethodFileError) as big:
        parse_method_yaml(f"title: T\nsteps:\n  - prompt: x\n    kind: scale\n    config: {{points: {2**40}}}\n")
    assert "steps[0].config.points" in big.value.problem
    too_many = "title: T\nsteps:\n" + "  - prompt: x\n" * 51
    with pytest.raises(MethodFileError) as long:
        parse_method_yaml(too_many)
    assert "steps" in long.value.problem


async def test_a_backup_with_a_byte_order_mark_still_imports(db):
    _, w = await rich_workshop(db)
    text = json.dumps(await workshop_document(db, workshop=w))
    copy_ = await transfer.import_workshop(db, owner_id=w.owner_id, document=b"\xef\xbb\xbf" + text.encode())
    assert copy_.id != w.id


def test_json_depth_is_decided_without_parsing():
    from app.services.documents import json_too_deep

    assert not json_too_deep('{"a": [1, {"b": "[[[[[[[[[[[[[[[[[[[[[["}]}')  # brackets in strings do not count
    assert not json_too_deep("[" * 16 + "]" * 16) and json_too_deep("[" * 17 + "]" * 17)
    assert json_too_deep("{" * 17) and not json_too_deep("[}" * 1000)  # invalid JSON: json.loads reports it
    assert json_too_deep("[" * 100_000 + "]" * 100_000)
