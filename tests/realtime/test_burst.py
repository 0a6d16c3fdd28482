"""A burst of concurrent answers against SQLite through a real server: no 5xx, nothing lost, nothing doubled, and
the board's snapshot equals the database afterwards."""

import asyncio
import random
import re
import uuid
from collections import Counter

import httpx
from sqlalchemy import func, select

from app.models import Answer
from tests.realtime.conftest import Browser


async def _send(phone: Browser, url: str, form: dict) -> int:
    """Like the phone's script: a 503 is sent again after Retry-After (with jitter), with the same key; so is a
    request whose connection dropped (a keep-alive connection the server closed just then), like a person would."""
    for _ in range(30):
        try:
            response = await phone.post(url, form, headers={"HX-Request": "true"})
        except httpx.TransportError:
            await asyncio.sleep(random.random())
            continue
        if response.status_code != 503:
            return response.status_code
        await asyncio.sleep(float(response.headers["retry-after"]) * random.random())
    return 503


async def test_300_answers_at_once_are_each_stored_once_and_all_reach_the_board(room, live_server):
    phones = [await room.phone("Gemeente" if i % 2 else "Initiatief") for i in range(60)]
    page = (await phones[0].get(f"/p/{room.workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
    url = f"/p/{room.workshop_id}/answers"
    sends = []
    for i in range(300):
        form = {"step_id": step_id, "text": f"Bijdrage {i:03d}", "idempotency_key": uuid.uuid4().hex}
        phone = phones[i % len(phones)]
        sends.append(_send(phone, url, form))
        if i % 10 == 0:  # a double tap: the same form twice at once
            sends.append(_send(phone, url, dict(form)))
    statuses = Counter(await asyncio.gather(*sends))
    assert statuses == Counter({200: 330}), statuses

    async with live_server.app.state.db.reader() as db:
        texts = (await db.scalars(select(Answer.text).where(Answer.workshop_id == room.workshop_id))).all()
        assert await db.scalar(select(func.count()).select_from(Answer)) == 300
    assert sorted(texts) == [f"Bijdrage {i:03d}" for i in range(300)]

    board = await room.facilitator.websocket(f"/ws/board/{room.workshop_id}")
    snapshot = await board.recv()
    on_board = re.findall(r'<span class="note-text" hx-disable>(Bijdrage \d{3})</span>', snapshot)
    assert sorted(on_board) == sorted(texts)
    await board.close()
    for phone in phones:
        await phone.close()
