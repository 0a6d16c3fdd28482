"""The live loop through the ASGI app over HTTP, asserting on the HTML people see."""

import re

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


async def test_first_run_offers_setup_once(client):
    home = await client.get("/")
    assert "Eerste begeleider instellen" in home.text
    response = await post(client, "/setup", {"email": "Anna@Example.nl", "name": "Anna", "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["location"] == "/workshops"
    assert "olive_login" in response.headers["set-cookie"]
    # The setup form is gone and cannot be used a second time.
    again = await post(client, "/setup", {"email": "eve@example.nl", "name": "Eve", "password": PASSWORD})
    assert again.status_code == 422
    assert 'action="/setup"' not in (await client.get("/")).text


async def test_setup_rejects_short_password_and_keeps_input(client):
    response = await post(client, "/setup", {"email": "anna@example.nl", "name": "Anna", "password": "short"})
    assert response.status_code == 422
    assert "12" in response.text
    assert 'value="anna@example.nl"' in response.text


async def test_login_logout_and_new_session_id(client):
    await login_new_facilitator(client)
    first = client.cookies.get("olive_login")
    await post(client, "/logout")
    assert (await client.get("/workshops")).status_code == 303
    bad = await post(client, "/login", {"email": "anna@example.nl", "password": "wrong password!!"})
    assert bad.status_code == 401
    good = await post(client, "/login", {"email": "anna@example.nl", "password": PASSWORD, "next": "/workshops"})
    assert good.status_code == 303
    assert client.cookies.get("olive_login") != first
    assert (await client.get("/workshops")).status_code == 200


async def test_login_redirect_never_leaves_the_site(client):
    await login_new_facilitator(client)
    await post(client, "/logout")
    response = await post(
        client, "/login", {"email": "anna@example.nl", "password": PASSWORD, "next": "//evil.example"}
    )
    assert response.headers["location"] == "/workshops"


async def test_prepare_and_run_a_workshop_with_two_phones(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Waarden en doelen" in console
    assert "Gemeente" in console and "Initiatief" in console

    gemeente, initiatief = await new_client(app), await new_client(app)
    assert await join_phone(gemeente, code, "Gemeente", name="Gert") == workshop_id
    await join_phone(initiatief, code.lower(), "Initiatief")
    phone = (await gemeente.get(f"/p/{workshop_id}")).text
    assert "Waarden en doelen" in phone

    step_id = current_step_id_of(phone)
    key = idempotency_key_of(phone)
    saved = await post(
        gemeente,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "Betaalbare warmte", "idempotency_key": key},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    assert "Betaalbare warmte" in saved.text
    # The retry of the same form (same key) does not make a second answer.
    retry = await post(
        gemeente,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "Betaalbare warmte", "idempotency_key": key},
        headers={"HX-Request": "true"},
    )
    assert retry.status_code == 200
    phone_i = (await initiatief.get(f"/p/{workshop_id}")).text
    await post(
        initiatief,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "Zeggenschap voor bewoners", "idempotency_key": idempotency_key_of(phone_i)},
    )

    board = (await client.get(f"/board/{workshop_id}")).text
    assert board.count("Betaalbare warmte") == 1
    assert "Zeggenschap voor bewoners" in board
    assert code in board and "<svg" in board
    # Anonymous by default: the name given on the phone is not on the board.
    assert "Gert" not in board

    markdown = (await client.get(f"/workshops/{workshop_id}/export.md")).text
    assert "### Gemeente" in markdown and "- Betaalbare warmte" in markdown
    csv_text = (await client.get(f"/workshops/{workshop_id}/export.csv")).text
    assert csv_text.count("Betaalbare warmte") == 1

    await gemeente.aclose()
    await initiatief.aclose()


async def test_bad_input_changes_nothing(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    page = (await phone.get(f"/p/{workshop_id}")).text
    step_id = current_step_id_of(page)

    empty = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "   ", "idempotency_key": idempotency_key_of(page)},
    )
    assert empty.status_code == 422
    too_long = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "x" * 1001, "idempotency_key": idempotency_key_of(page)},
        headers={"HX-Request": "true"},
    )
    assert too_long.status_code == 422
    assert "x" * 1001 in too_long.text  # the text is given back, not lost
    unknown = await phone.get("/j/ZZZZZZ")
    assert unknown.status_code == 404
    assert "ZZZZZZ" in unknown.text

    # Closing the step: an answer is refused with a clear message.
    await post(client, f"/workshops/{workshop_id}/steps/{step_id}/open", {"is_open": "false"})
    closed = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": step_id, "text": "te laat", "idempotency_key": idempotency_key_of(page)},
    )
    assert closed.status_code == 422
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "te laat" not in board
    await phone.aclose()


async def test_csrf_is_required(client):
    await client.get("/")
    response = await client.post("/setup", data={"email": "a@b.nl", "name": "A", "password": PASSWORD})
    assert response.status_code == 403
    assert 'action="/setup"' in (await client.get("/")).text  # nothing was created


async def test_security_headers(client):
    response = await client.get("/")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.text) is None  # no inline scripts


async def test_the_link_of_a_closed_workshop_says_it_has_ended(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    stranger = await new_client(app)
    await post(client, f"/workshops/{workshop_id}/close")
    # Someone scanning the QR code afterwards reads that it is over, not that something is wrong.
    ended = await stranger.get(f"/j/{code}")
    assert ended.status_code == 410
    assert "Deze sessie is afgelopen" in ended.text
    # A phone that took part goes to its own page, which shows the workshop as closed.
    again = await phone.get(f"/j/{code}")
    assert again.status_code == 303 and again.headers["location"] == f"/p/{workshop_id}"
    assert "gesloten" in (await phone.get(f"/p/{workshop_id}")).text
    # Joining is refused the same way.
    refused = await post(stranger, f"/j/{code}", {"party_id": "1"})
    assert refused.status_code == 410
    await phone.aclose()
    await stranger.aclose()


async def test_a_draft_console_shows_the_agenda_it_will_start_with(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "Concept", "method": "leer-elkaar-kennen"})
    console = (await client.get(response.headers["location"])).text
    controls = re.search(r'<section id="console-controls".*?</section>', console, re.S).group(0)
    assert "De agenda heeft 6 onderdelen" in controls and "Waarden en doelen" in controls
    assert "Nog geen onderdeel" not in controls
