"""Methods as YAML files: export a workshop's agenda, import it again, and clear messages for broken files."""

import re

import yaml

from app.methods import builtin_methods
from app.methods.yaml_io import MethodFileError, method_to_yaml, parse_method_yaml
from tests.conftest import login_new_facilitator, post


async def upload(client, content: bytes):
    if not client.cookies.get("olive_csrf"):
        await client.get("/")
    return await client.post(
        "/workshops/import",
        data={"csrf_token": client.cookies["olive_csrf"]},
        files={"file": ("werkvorm.yaml", content, "application/yaml")},
    )


async def test_export_then_import_gives_the_same_agenda(client):
    await login_new_facilitator(client)
    created = await post(client, "/workshops", {"title": "Startgesprek Noord", "method": "startgesprek"})
    workshop_id = int(created.headers["location"].rsplit("/", 1)[1])
    exported = await client.get(f"/workshops/{workshop_id}/method.yaml")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    data = yaml.safe_load(exported.text)
    assert [s["kind"] for s in data["steps"]] == ["scale", "open", "poll"]

    imported = await upload(client, exported.content)
    assert imported.status_code == 303
    new_id = int(imported.headers["location"].rsplit("/", 1)[1])
    assert new_id != workshop_id
    again = yaml.safe_load((await client.get(f"/workshops/{new_id}/method.yaml")).text)
    assert again == data  # export -> import -> export gives the same method


def test_every_builtin_method_survives_a_yaml_round_trip():
    for method in builtin_methods().values():
        assert parse_method_yaml(method_to_yaml(method)) == method


async def test_broken_files_name_the_line_and_create_nothing(client):
    await login_new_facilitator(client)
    before = (await client.get("/workshops")).text.count('href="/workshops/')

    syntax = await upload(client, b"title: Kapot\nsteps:\n  - prompt: [niet afgesloten\n")
    assert syntax.status_code == 422
    assert re.search(r"Regel [34]", syntax.text), syntax.text

    bad_poll = (
        "title: Peiling\n"
        "steps:\n"
        "  - kind: open\n"
        "    prompt: Eerst dit\n"
        "  - kind: poll\n"
        "    prompt: Kies\n"
        "    config:\n"
        "      options: [Alleen deze]\n"
    )
    response = await upload(client, bad_poll.encode())
    assert response.status_code == 422
    assert "Regel 8" in response.text and "options" in response.text

    no_steps = await upload(client, b"title: Leeg\nsteps: []\n")
    assert no_steps.status_code == 422 and "steps" in no_steps.text
    not_text = await upload(client, b"\xff\xfe\x00binary")
    assert not_text.status_code == 422
    assert (await client.get("/workshops")).text.count('href="/workshops/') == before  # nothing half-imported


def test_parse_errors_carry_a_line():
    try:
        parse_method_yaml(
            "title: T\nsteps:\n  - kind: scale\n    prompt: P\n    config: {scale: agree7, statements: [A]}\n"
        )
    except MethodFileError as error:
        assert error.line == 5 and "scale" in error.problem
    else:
        raise AssertionError("expected a MethodFileError")
