"""A busy database is answered 503 with Retry-After, never 500; the same form sent again is saved once."""

import re

import httpx

from app import db as db_module
from app.main import create_app
from tests.conftest import (
    create_started_workshop,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    make_settings,
    post,
)


async def test_a_writer_kept_busy_gets_503_and_the_retry_saves_once(tmp_path, sqlite_url, monkeypatch):
    monkeypatch.setattr(db_module, "WRITE_WAIT", 0.3)
    app = create_app(make_settings(tmp_path, sqlite_url))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as facilitator,
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as phone,
        ):
            await login_new_facilitator(facilitator)
            workshop_id, code = await create_started_workshop(facilitator)
            await join_phone(phone, code, "Gemeente")
            page = (await phone.get(f"/p/{workshop_id}")).text
            form = {
                "step_id": re.search(r'name="step_id" value="(\d+)"', page).group(1),
                "idempotency_key": idempotency_key_of(page),
                "text": "Betaalbare warmte",
            }
            # Something else holds the database's one writer connection longer than a writer waits.
            async with app.state.db.writer() as holder:
                await holder.connection()
                busy = await post(phone, f"/p/{workshop_id}/answers", form, headers={"HX-Request": "true"})
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "2"
            assert "druk" in busy.text
            # The phone sends the same form again (same key), twice even: one answer.
            again = await post(phone, f"/p/{workshop_id}/answers", form, headers={"HX-Request": "true"})
            twice = await post(phone, f"/p/{workshop_id}/answers", form, headers={"HX-Request": "true"})
            assert again.status_code == twice.status_code == 200
            mine = (await phone.get(f"/p/{workshop_id}")).text
            assert mine.count('<li id="mine-') == 1 and "Betaalbare warmte" in mine


async def test_a_plain_form_post_gets_a_page_that_says_so(tmp_path, sqlite_url, monkeypatch):
    monkeypatch.setattr(db_module, "WRITE_WAIT", 0.3)
    app = create_app(make_settings(tmp_path, sqlite_url))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
            await login_new_facilitator(client)
            async with app.state.db.writer() as holder:
                await holder.connection()
                response = await post(client, "/workshops", {"title": "W", "method": ""})
            assert response.status_code == 503
            assert "<html" in response.text and "druk" in response.text
