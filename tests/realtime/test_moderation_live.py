"""Moderation over real WebSockets: the board's frames never carry a waiting or hidden answer's text (and do
after approval or unhiding); a removed participant's phone socket is closed with its own code, also when the
phone is connected to another process (PostgreSQL + Redis)."""

import asyncio
import re

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from app.realtime.connections import CLOSE_REMOVED
from tests.realtime.conftest import receive_until
from tests.realtime.test_redis import form_post, postgres_url, redis_url, two_processes  # noqa: F401  (fixtures)
from tests.realtime.test_reveal import frames_for

HTMX = {"HX-Request": "true"}


def step_id_of(console: str) -> str:
    return re.search(r"/steps/(\d+)/hidden", console).group(1)


def answer_id_of(html: str, text: str) -> str:
    return re.search(r'id="mod-answer-(\d+)"[^>]*>\s*<p class="note-text" hx-disable>' + re.escape(text), html).group(1)


async def closed_with(ws) -> int:
    with pytest.raises(ConnectionClosed):
        async with asyncio.timeout(5):
            while True:
                await ws.recv()
    return ws.close_code


async def test_waiting_and_hidden_answers_never_reach_the_board(room):
    facilitator = room.facilitator
    console_page = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    step_id = step_id_of(console_page)
    moderated = await facilitator.post(
        f"/workshops/{room.workshop_id}/steps/{step_id}/moderated", {"moderated": "true"}, headers=HTMX
    )
    assert moderated.status_code == 204
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    console = await facilitator.websocket(f"/ws/console/{room.workshop_id}")
    board_frames = [await board.recv()]
    await console.recv()
    phone = await room.phone("Gemeente")
    secret = "Nog niet goedgekeurd"
    assert (await room.answer(phone, secret)).status_code == 200
    frame = await receive_until(console, secret)  # the facilitator sees it, with its approve button
    answer_id = answer_id_of(frame, secret)
    board_frames.append(await receive_until(board, "1 bijdrage wacht op goedkeuring"))
    board_frames += await frames_for(board, 0.3)
    assert not any(secret in f for f in board_frames)

    await facilitator.post(f"/workshops/{room.workshop_id}/answers/{answer_id}/approve", headers=HTMX)
    assert 'id="board-answers"' in await receive_until(board, secret)

    await facilitator.post(
        f"/workshops/{room.workshop_id}/answers/{answer_id}/hidden", {"hidden": "true"}, headers=HTMX
    )
    hidden_frame = await receive_until(board, 'id="board-answers"')
    later = [hidden_frame] + await frames_for(board, 0.3)
    assert not any(secret in f for f in later)
    await facilitator.post(
        f"/workshops/{room.workshop_id}/answers/{answer_id}/hidden", {"hidden": "false"}, headers=HTMX
    )
    assert secret in await receive_until(board, secret)
    for ws in (board, console):
        await ws.close()
    await phone.close()


async def test_a_removed_participants_phone_is_closed_with_its_code(room):
    facilitator = room.facilitator
    phone = await room.phone("Initiatief", "Storend")
    other = await room.phone("Gemeente")
    assert (await room.answer(phone, "Storende bijdrage")).status_code == 200
    phone_ws = await phone.websocket(f"/ws/phone/{room.workshop_id}")
    other_ws = await other.websocket(f"/ws/phone/{room.workshop_id}")
    board = await facilitator.websocket(f"/ws/board/{room.workshop_id}")
    await phone_ws.recv()
    await other_ws.recv()
    assert "Storende bijdrage" in await board.recv()
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    participant_id = re.search(r'id="person-(\d+)"[^>]*>\s*<span hx-disable>Storend', console).group(1)
    removed = await facilitator.post(
        f"/workshops/{room.workshop_id}/participants/{participant_id}/remove", headers=HTMX
    )
    assert removed.status_code == 204
    assert await closed_with(phone_ws) == CLOSE_REMOVED
    frame = await receive_until(board, 'id="board-answers"')
    assert "Storende bijdrage" not in frame
    # Reconnecting with the same cookie is closed at once, with the same code; the other phone stays connected.
    again = await phone.websocket(f"/ws/phone/{room.workshop_id}")
    assert await closed_with(again) == CLOSE_REMOVED
    await other_ws.ping()
    await other_ws.close()
    await board.close()
    await phone.close()
    await other.close()


async def test_removal_reaches_a_phone_on_another_process(two_processes):  # noqa: F811
    one, two = two_processes
    facilitator = httpx.AsyncClient(timeout=10)
    phone = httpx.AsyncClient(timeout=10)
    try:
        await form_post(
            facilitator,
            f"{two.url}/setup",
            {"email": "anna@example.nl", "name": "Anna", "password": "correct horse battery staple"},
        )
        created = await form_post(
            facilitator, f"{two.url}/workshops", {"title": "Twee", "method": "leer-elkaar-kennen"}
        )
        workshop_id = int(created.headers["location"].rsplit("/", 1)[1])
        await form_post(facilitator, f"{two.url}/workshops/{workshop_id}/start", {})
        console = (await facilitator.get(f"{two.url}/workshops/{workshop_id}")).text
        code = re.search(r'class="join-code-small">([A-Z0-9]{6})<', console).group(1)
        join_page = (await phone.get(f"{one.url}/j/{code}")).text
        party_id = re.search(r'name="party_id" value="(\d+)"[^>]*>\s*<span>Initiatief</span>', join_page).group(1)
        await form_post(phone, f"{one.url}/j/{code}", {"party_id": party_id, "display_name": "Ver weg"})
        phone_cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
        phone_ws = await connect(
            f"ws://127.0.0.1:{one.port}/ws/phone/{workshop_id}",
            origin=one.url,
            additional_headers={"Cookie": phone_cookie},
        )
        await phone_ws.recv()
        console = (await facilitator.get(f"{two.url}/workshops/{workshop_id}")).text
        participant_id = re.search(r'id="person-(\d+)"[^>]*>\s*<span hx-disable>Ver weg', console).group(1)
        removed = await form_post(
            facilitator, f"{two.url}/workshops/{workshop_id}/participants/{participant_id}/remove", {}, headers=HTMX
        )
        assert removed.status_code == 204
        assert await closed_with(phone_ws) == CLOSE_REMOVED
    finally:
        await facilitator.aclose()
        await phone.aclose()


async def test_only_the_authors_phone_is_nudged_when_the_facilitator_changes_its_answer(room):
    facilitator = room.facilitator
    author = await room.phone("Gemeente", "Auteur")
    other = await room.phone("Initiatief")
    assert (await room.answer(author, "Warmtenet met tyop")).status_code == 200
    author_ws = await author.websocket(f"/ws/phone/{room.workshop_id}")
    other_ws = await other.websocket(f"/ws/phone/{room.workshop_id}")
    await author_ws.recv()
    await other_ws.recv()
    console = (await facilitator.get(f"/workshops/{room.workshop_id}")).text
    answer_id = answer_id_of(console, "Warmtenet met tyop")
    corrected = await facilitator.post(
        f"/workshops/{room.workshop_id}/answers/{answer_id}/text", {"text": "Warmtenet met typo"}, headers=HTMX
    )
    assert corrected.status_code == 204
    nudge = await receive_until(author_ws, 'id="phone-nudge"')
    assert "typo" not in nudge  # only a nudge: the phone fetches its own answers itself
    assert not any('id="phone-nudge"' in f for f in await frames_for(other_ws, 0.3))
    mine = (await author.get(f"/p/{room.workshop_id}/mine")).text
    assert "Warmtenet met typo" in mine and "Verbeterd door de begeleider" in mine
    for ws in (author_ws, other_ws):
        await ws.close()
    await author.close()
    await other.close()
