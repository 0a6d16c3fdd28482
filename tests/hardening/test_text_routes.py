"""Control characters through the real forms, on SQLite and PostgreSQL: stored clean, never a 500."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.models import Answer, Participant
from tests.conftest import (
    create_started_workshop,
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
