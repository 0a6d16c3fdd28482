"""Rights and bad input through the ASGI app: never data without rights, clear messages, nothing changed."""

import re

import httpx

from tests.conftest import (
    PASSWORD,
    create_started_workshop,
    current_step_id_of,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    new_client,
    post,
)


async def second_facilitator(app, client) -> httpx.AsyncClient:
    await post(client, "/facilitators", {"email": "bert@example.nl", "name": "Bert", "password": PASSWORD})
    bert = await new_client(app)
    response = await post(bert, "/login", {"email": "bert@example.nl", "password": PASSWORD})
    assert response.status_code == 303
    return bert


async def test_console_board_and_exports_need_rights(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    anonymous = await new_client(app)
    for url in (f"/workshops/{workshop_id}", f"/board/{workshop_id}", f"/workshops/{workshop_id}/export.csv"):
        response = await anonymous.get(url, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    bert = await second_facilitator(app, client)
    for url in (f"/workshops/{workshop_id}", f"/workshops/{workshop_id}/export.md"):
        response = await bert.get(url)
        assert response.status_code == 404
        assert "Warmtenet" not in response.text
    assert (await bert.get(f"/board/{workshop_id}", follow_redirects=False)).status_code == 303
    forged = await post(bert, f"/workshops/{workshop_id}/close")
    assert forged.status_code == 404
    assert "bezig" in (await client.get("/workshops")).text  # still running
    await anonymous.aclose()
    await bert.aclose()


async def test_board_link_is_exchanged_once_for_a_cookie(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    page = (await post(client, f"/workshops/{workshop_id}/board-link")).text
    link = re.search(r'class="board-link">http://testserver(/b/[^<]+)<', page).group(1)
    projector = await new_client(app)
    response = await projector.get(link, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/board/{workshop_id}"
    board = await projector.get(f"/board/{workshop_id}")
    assert board.status_code == 200 and "Waarden en doelen" in board.text
    # The link is dead after one use, and the cookie opens only this workshop's board.
    other = await new_client(app)
    assert (await other.get(link)).status_code == 404
    assert (await projector.get("/workshops", follow_redirects=False)).status_code == 303
    await projector.aclose()
    await other.aclose()


async def test_closing_kills_the_code_and_keeps_the_data(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Initiatief")
    page = (await phone.get(f"/p/{workshop_id}")).text
    await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": "Blijft bewaard", "idempotency_key": idempotency_key_of(page)},
    )
    await post(client, f"/workshops/{workshop_id}/close")
    dead = await new_client(app)
    response = await dead.get(f"/j/{code}")
    assert response.status_code == 410 and "Deze sessie is afgelopen" in response.text
    via_home = await post(dead, "/join", {"code": code})
    assert via_home.status_code == 410 and "Deze sessie is afgelopen" in via_home.text
    phone_page = (await phone.get(f"/p/{workshop_id}")).text
    assert "afgesloten" in phone_page and 'name="idempotency_key"' not in phone_page
    late = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": "Te laat", "idempotency_key": "late-1"},
    )
    assert late.status_code == 410
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "afgesloten" in board and code not in board
    assert "Blijft bewaard" in (await client.get(f"/workshops/{workshop_id}/export.md")).text
    await phone.aclose()
    await dead.aclose()


async def test_editing_someone_elses_note_is_refused(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    owner, intruder = await new_client(app), await new_client(app)
    await join_phone(owner, code, "Gemeente")
    await join_phone(intruder, code, "Initiatief")
    page = (await owner.get(f"/p/{workshop_id}")).text
    saved = await post(
        owner,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": "Origineel", "idempotency_key": idempotency_key_of(page)},
        headers={"HX-Request": "true"},
    )
    answer_id = re.search(r'id="mine-(\d+)"', saved.text).group(1)
    edit = await post(
        intruder, f"/p/{workshop_id}/answers/{answer_id}", {"text": "Gekaapt"}, headers={"HX-Request": "true"}
    )
    assert edit.status_code == 422 and "eigen" in edit.text
    delete = await post(intruder, f"/p/{workshop_id}/answers/{answer_id}/delete")
    assert delete.status_code == 422
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "Origineel" in board and "Gekaapt" not in board
    # The owner can edit and delete.
    await post(owner, f"/p/{workshop_id}/answers/{answer_id}", {"text": "Verbeterd"})
    assert "Verbeterd" in (await client.get(f"/board/{workshop_id}")).text
    await post(owner, f"/p/{workshop_id}/answers/{answer_id}/delete")
    assert "Verbeterd" not in (await client.get(f"/board/{workshop_id}")).text
    await owner.aclose()
    await intruder.aclose()


async def test_phone_without_joining_gets_a_clear_message(app, client):
    await login_new_facilitator(client)
    workshop_id, _ = await create_started_workshop(client)
    stranger = await new_client(app)
    response = await stranger.get(f"/p/{workshop_id}")
    assert response.status_code == 404
    assert "Je doet op dit apparaat nog niet mee aan deze sessie" in response.text
    await stranger.aclose()


async def test_names_show_on_the_board_only_when_the_workshop_asks(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente", name="Gert")
    page = (await phone.get(f"/p/{workshop_id}")).text
    await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": "Met naam", "idempotency_key": idempotency_key_of(page)},
    )
    assert "Gert" not in (await client.get(f"/board/{workshop_id}")).text
    await post(client, f"/workshops/{workshop_id}/settings", {"title": "Warmtenet Noord", "show_names": "true"})
    assert "Gert" in (await client.get(f"/board/{workshop_id}")).text
    await phone.aclose()


async def test_user_text_is_escaped_everywhere(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    page = (await phone.get(f"/p/{workshop_id}")).text
    evil = '<img src=x onerror=alert(1)> <div hx-get="/logout" hx-trigger="load">'
    await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": evil, "idempotency_key": idempotency_key_of(page)},
    )
    for url in (f"/board/{workshop_id}", f"/workshops/{workshop_id}"):
        html = (await client.get(url)).text
        assert "<img src=x" not in html and '<div hx-get="/logout"' not in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
        assert re.search(r"<[^>]*\bhx-disable\b[^>]*>\s*&lt;img", html)  # inert to htmx too
    await phone.aclose()


async def test_join_and_login_are_rate_limited(tmp_path, sqlite_url):
    # Per day, not per minute: the sliding-window counter weighs the previous fixed window, so a test that
    # straddled a minute boundary could let one request too many through.
    from app.main import create_app
    from tests.conftest import make_settings

    app = create_app(make_settings(tmp_path, sqlite_url, join_rate_limit="3/day", login_rate_limit="2/day"))
    async with app.router.lifespan_context(app):
        client = await new_client(app)
        await login_new_facilitator(client)
        workshop_id, code = await create_started_workshop(client)
        statuses = []
        for _ in range(4):
            phone = await new_client(app)
            page = (await phone.get(f"/j/{code}")).text
            party_id = re.search(r'name="party_id" value="(\d+)"', page).group(1)
            statuses.append((await post(phone, f"/j/{code}", {"party_id": party_id})).status_code)
            await phone.aclose()
        assert statuses == [303, 303, 303, 429]
        attacker = await new_client(app)
        tries = [
            (await post(attacker, "/login", {"email": "anna@example.nl", "password": "wrong password"})).status_code
            for _ in range(3)
        ]
        assert tries == [401, 401, 429]
        await attacker.aclose()
        await client.aclose()


async def test_english_is_available(client):
    english = await client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
    assert 'lang="en"' in english.text and "Join a workshop" in english.text
    dutch = await client.get("/")
    assert 'lang="nl"' in dutch.text and "Doe mee" in dutch.text
    switched = await post(client, "/lang", {"lang": "en"}, headers={"Referer": "http://testserver/login"})
    assert switched.headers["location"] == "/login"
    assert 'lang="en"' in (await client.get("/login")).text
