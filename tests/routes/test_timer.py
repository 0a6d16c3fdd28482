"""The timer's routes through the ASGI app: what the console, board and phone show; CSRF, rights and bad input."""

import re

import pytest

from app.services import clock
from tests.conftest import (
    create_started_workshop,
    current_step_id_of,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    new_client,
    post,
)
from tests.routes.test_access import second_facilitator
from tests.routes.test_kinds import POLL, respond, workshop_with

HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def frozen_clock():
    clock.freeze()
    yield
    clock.reset()


async def running_room(client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    console = (await client.get(f"/workshops/{workshop_id}")).text
    step_id = re.search(r"/steps/(\d+)/timer/start", console).group(1)
    return workshop_id, code, step_id


def timer_region(html: str, region: str) -> str:
    return re.search(rf'<section id="{region}".*?</section>', html, re.S).group(0)


async def test_start_pause_extend_and_stop_show_on_console_board_and_phone(app, client):
    workshop_id, code, step_id = await running_room(client)
    base = f"/workshops/{workshop_id}/steps/{step_id}/timer"
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    assert "data-timer" not in timer_region((await phone.get(f"/p/{workshop_id}")).text, "phone-timer")

    assert (await post(client, f"{base}/start", {"preset": "3", "minutes": "7"}, headers=HTMX)).status_code == 204
    console = timer_region((await client.get(f"/workshops/{workshop_id}")).text, "console-timer")
    assert "03:00" in console and "Resterende tijd" in console and "Timer pauzeren" in console
    assert 'data-shortcut="t"' in console
    board = timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")
    assert 'role="timer"' in board and "03:00" in board and 'data-state="running"' in board
    assert 'data-remaining-ms="180000"' in board
    phone_region = timer_region((await phone.get(f"/p/{workshop_id}")).text, "phone-timer")
    assert "03:00" in phone_region and "De tijd is om" in phone_region  # the text timer.js announces at 0

    clock.advance(20)
    assert (await post(client, f"{base}/pause", headers=HTMX)).status_code == 204
    clock.advance(300)
    console = timer_region((await client.get(f"/workshops/{workshop_id}")).text, "console-timer")
    assert "Timer gepauzeerd" in console and "02:40" in console and "Timer hervatten" in console
    await post(client, f"{base}/extend", {"minutes": "1"}, headers=HTMX)
    assert "03:40" in timer_region((await phone.get(f"/p/{workshop_id}")).text, "phone-timer")
    await post(client, f"{base}/resume", headers=HTMX)
    await post(client, f"{base}/extend", {"minutes": "5"}, headers=HTMX)
    assert "08:40" in timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")

    await post(client, f"{base}/stop", headers=HTMX)
    assert "data-timer" not in timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")
    console = timer_region((await client.get(f"/workshops/{workshop_id}")).text, "console-timer")
    assert "Een timer starten" in console
    await phone.aclose()


async def test_the_free_number_of_minutes_and_a_plain_form_post(client):
    workshop_id, _, step_id = await running_room(client)
    response = await post(client, f"/workshops/{workshop_id}/steps/{step_id}/timer/start", {"minutes": " 12 "})
    assert response.status_code == 303 and response.headers["location"].endswith("#console-timer")
    assert "12:00" in timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")


@pytest.mark.parametrize("minutes", ["0", "-5", "121", "99999999999999999999", "tien", "", "2,5"])
async def test_bad_minutes_get_a_clear_message_and_change_nothing(client, minutes):
    workshop_id, _, step_id = await running_room(client)
    response = await post(
        client, f"/workshops/{workshop_id}/steps/{step_id}/timer/start", {"minutes": minutes}, headers=HTMX
    )
    assert response.status_code == 422
    assert "Vul de tijd in hele minuten in, van 1 tot en met 120." in response.text
    assert response.headers["HX-Reswap"] == "none"
    page = await post(client, f"/workshops/{workshop_id}/steps/{step_id}/timer/start", {"minutes": minutes})
    assert page.status_code == 422 and "hele minuten" in page.text
    assert "data-timer" not in timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")


async def test_extend_without_a_timer_and_past_the_maximum(client):
    workshop_id, _, step_id = await running_room(client)
    base = f"/workshops/{workshop_id}/steps/{step_id}/timer"
    response = await post(client, f"{base}/extend", {"minutes": "1"}, headers=HTMX)
    assert response.status_code == 409 and "Start er eerst een" in response.text
    await post(client, f"{base}/start", {"minutes": "119"}, headers=HTMX)
    response = await post(client, f"{base}/extend", {"minutes": "5"}, headers=HTMX)
    assert response.status_code == 422 and "hoogstens 120 minuten" in response.text


async def test_timer_routes_need_csrf(client):
    workshop_id, _, step_id = await running_room(client)
    for action in ("start", "pause", "resume", "extend", "stop"):
        response = await client.post(
            f"/workshops/{workshop_id}/steps/{step_id}/timer/{action}", data={"minutes": "3"}, headers=HTMX
        )
        assert response.status_code == 403, action
    assert "data-timer" not in timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")


async def test_another_facilitator_cannot_touch_the_timer(app, client):
    workshop_id, _, step_id = await running_room(client)
    base = f"/workshops/{workshop_id}/steps/{step_id}/timer"
    await post(client, f"{base}/start", {"minutes": "5"}, headers=HTMX)
    bert = await second_facilitator(app, client)
    for action in ("start", "pause", "resume", "extend", "stop"):
        assert (await post(bert, f"{base}/{action}", {"minutes": "1"}, headers=HTMX)).status_code == 404, action
    anonymous = await new_client(app)
    assert (await post(anonymous, f"{base}/stop", headers=HTMX)).status_code == 401
    board = timer_region((await client.get(f"/board/{workshop_id}")).text, "board-timer")
    assert "05:00" in board and 'data-state="running"' in board
    # A step of another workshop is not reachable through one's own workshop either.
    bert_workshop, _ = await create_started_workshop(bert, "Andere sessie")
    own = await post(bert, f"/workshops/{bert_workshop}/steps/{step_id}/timer/stop", headers=HTMX)
    assert own.status_code == 404
    await bert.aclose()
    await anonymous.aclose()


async def test_after_time_is_up_the_phone_keeps_the_typed_text_and_then_shows_the_locked_step(app, client):
    workshop_id, code, step_id = await running_room(client)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    page = (await phone.get(f"/p/{workshop_id}")).text
    key = idempotency_key_of(page)
    form = {"step_id": step_id, "text": "Op tijd", "idempotency_key": key}
    saved = await post(phone, f"/p/{workshop_id}/answers", form, headers=HTMX)
    assert saved.status_code == 200
    await post(client, f"/workshops/{workshop_id}/steps/{step_id}/timer/start", {"preset": "1", "auto_close": "true"})
    page = (await phone.get(f"/p/{workshop_id}")).text
    key = idempotency_key_of(page)
    clock.advance(60)
    late = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(page), "text": "Net te laat getypt", "idempotency_key": key},
        headers=HTMX,
    )
    assert late.status_code == 422
    assert "De tijd is om: dit onderdeel neemt geen bijdragen meer aan." in late.text
    assert "Net te laat getypt</textarea>" in late.text  # what was typed stays in the form

    await app.state.ticker.tick()  # the background ticker does this within a second
    page = (await phone.get(f"/p/{workshop_id}")).text
    assert "Dit onderdeel is gesloten voor bijdragen." in page
    assert "Op tijd" in page and 'id="answer-text"' not in page  # own answers visible, no form
    board = (await client.get(f"/board/{workshop_id}")).text
    assert "Gesloten voor bijdragen" in board and 'data-state="ended"' in board
    console = (await client.get(f"/workshops/{workshop_id}")).text
    assert "Openen voor bijdragen" in console and "Een nieuwe timer starten" in console
    await phone.aclose()


async def test_a_locked_poll_shows_the_phone_its_own_response_without_a_form(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await workshop_with(client, POLL)
    phone = await new_client(app)
    await join_phone(phone, code, "Gemeente")
    assert (await respond(phone, workshop_id, {"choice": "1"})).status_code == 200
    step_id = re.search(r"/steps/(\d+)/timer/start", (await client.get(f"/workshops/{workshop_id}")).text).group(1)
    await post(client, f"/workshops/{workshop_id}/steps/{step_id}/timer/start", {"preset": "1", "auto_close": "true"})
    clock.advance(60)
    await app.state.ticker.tick()
    page = (await phone.get(f"/p/{workshop_id}")).text
    assert "Je antwoord:</strong> <span hx-disable>Convenant</span>" in page
    assert 'name="choice"' not in page and "/responses" not in page
    await phone.aclose()
