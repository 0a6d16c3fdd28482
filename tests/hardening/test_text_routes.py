"""Control characters through the real forms, on SQLite and PostgreSQL: stored clean, never a 500."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import Answer, Participant
from tests.conftest import (
    create_started_workshop,
    csrf_of,
    current_step_id_of,
    idempotency_key_of,
    login_new_facilitator,
    new_client,
    post,
)


async def test_nul_and_control_characters_in_answers_and_names(any_app, any_client):
    await login_new_facilitator(any_client)
    workshop_id, code = await create_started_workshop(any_client)
    phone = await new_client(any_app)
    page = (await phone.get(f"/j/{code}")).text

    party_id = re.search(r'name="party_id" value="(\d+)"', page).group(1)
    joined = await post(
        phone, f"/j/{code}", {"party_id": party_id, "display_name": "\x00Gert\u202e\x1b", "speaks_for": "self"}
    )
    assert joined.status_code == 303, joined.text
    html = (await phone.get(f"/p/{workshop_id}")).text
    for i, typed in enumerate(["kleur\x1b[31mrood", "nul\x00byte", "\u202eomgekeerd", "\x01=2+2"]):
        saved = await post(
            phone,
            f"/p/{workshop_id}/answers",
            {"step_id": current_step_id_of(html), "text": typed, "idempotency_key": f"{idempotency_key_of(html)}{i}"},
        )
        assert saved.status_code in (200, 303), saved.text
    async with any_app.state.db.reader() as db:
        texts = sorted((await db.scalars(select(Answer.text))).all())
        name = (await db.scalars(select(Participant.display_name))).one()
    assert texts == sorted(["kleur[31mrood", "nulbyte", "omgekeerd", "=2+2"])
    assert name == "Gert"
    await phone.aclose()


async def test_a_file_where_text_belongs_is_refused_not_a_500(any_app, any_client):
    await login_new_facilitator(any_client)
    workshop_id, code = await create_started_workshop(any_client)
    w = f"/workshops/{workshop_id}"
    upload = ("a.txt", b"Ja\nNee", "text/plain")
    settings_fields = [("poll", "options"), ("scale", "statements"), ("dots", "items"), ("open", "categories")]
    settings_fields += [("matrix", "matrix_items"), ("matrix", "x_label"), ("roles", "tasks")]
    for kind, field in settings_fields:
        data = {"prompt": "Vraag", "kind": kind, "csrf_token": csrf_of(any_client)}
        response = await any_client.post(f"{w}/steps", data=data, files={field: upload})
        # The file counts as an empty field: required settings are missing (422); categories are optional.
        assert response.status_code == (303 if field == "categories" else 422), (kind, field, response.status_code)
    # A matrix step, then a phone that sends a file as its rating.
    data = {"prompt": "Matrix", "kind": "matrix", "matrix_items": "A\nB", "csrf_token": csrf_of(any_client)}
    assert (await any_client.post(f"{w}/steps", data=data)).status_code == 303
    html = (await any_client.get(w)).text
    matrix_id = re.findall(r'action="/workshops/\d+/steps/(\d+)/delete"', html)[-1]
    assert (await post(any_client, f"{w}/go", {"step_id": matrix_id})).status_code == 303
    phone = await new_client(any_app)
    page = (await phone.get(f"/j/{code}")).text
    party_id = re.search(r'name="party_id" value="(\d+)"', page).group(1)
    await post(phone, f"/j/{code}", {"party_id": party_id})
    data = {"step_id": matrix_id, "idempotency_key": "k1", "y-0": "3", "csrf_token": csrf_of(phone)}
    response = await phone.post(f"/p/{workshop_id}/responses", data=data, files={"x-0": upload})
    assert response.status_code == 422
    await phone.aclose()
