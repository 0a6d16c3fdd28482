"""Helpers for tests that talk to a real server over HTTP and real WebSockets."""

from __future__ import annotations

import asyncio
import re

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect

from tests.conftest import PASSWORD, LiveServer


class Browser:
    """One device: an HTTP client with its own cookie jar, which can also open WebSockets with those cookies."""

    def __init__(self, server: LiveServer) -> None:
        self.server = server
        self.http = httpx.AsyncClient(base_url=server.url, follow_redirects=False, timeout=10)

    async def post(self, url: str, data: dict | None = None, **kwargs) -> httpx.Response:
        if not self.http.cookies.get("olive_csrf"):
            await self.http.get("/")
        return await self.http.post(url, data={**(data or {}), "csrf_token": self.http.cookies["olive_csrf"]}, **kwargs)

    async def get(self, url: str) -> httpx.Response:
        return await self.http.get(url)

    async def websocket(self, path: str, origin: str | None = None) -> ClientConnection:
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        return await connect(
            self.server.url.replace("http", "ws") + path,
            origin=origin or self.server.url,
            additional_headers={"Cookie": cookie},
            open_timeout=5,
        )

    async def close(self) -> None:
        await self.http.aclose()


class Sink:
    """The transport end of a connection: records what would go over the wire."""

    def __init__(self):
        self.frames: list[str] = []

    async def send_text(self, frame: str) -> None:
        self.frames.append(frame)

    async def close(self, code: int) -> None:
        return None


async def receive_until(ws: ClientConnection, needle: str, timeout: float = 5.0) -> str:
    """Frames until one contains `needle`; returns that frame."""
    async with asyncio.timeout(timeout):
        while True:
            frame = await ws.recv()
            if needle in frame:
                return frame


async def no_frame(ws: ClientConnection, wait: float = 0.3) -> bool:
    try:
        async with asyncio.timeout(wait):
            await ws.recv()
    except TimeoutError:
        return True
    return False


class Room:
    """A started workshop with a logged-in facilitator."""

    def __init__(self, facilitator: Browser, workshop_id: int, code: str) -> None:
        self.facilitator = facilitator
        self.workshop_id = workshop_id
        self.code = code

    async def phone(self, party: str, name: str = "") -> Browser:
        phone = Browser(self.facilitator.server)
        page = (await phone.get(f"/j/{self.code}")).text
        party_id = re.search(rf'name="party_id" value="(\d+)"[^>]*>\s*<span>{party}</span>', page).group(1)
        response = await phone.post(f"/j/{self.code}", {"party_id": party_id, "display_name": name})
        assert response.status_code == 303
        return phone

    async def answer(self, phone: Browser, text: str, key: str | None = None) -> httpx.Response:
        page = (await phone.get(f"/p/{self.workshop_id}")).text
        step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
        key = key or re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
        return await phone.post(
            f"/p/{self.workshop_id}/answers",
            {"step_id": step_id, "text": text, "idempotency_key": key},
            headers={"HX-Request": "true"},
        )


async def start_room(server: LiveServer, email: str = "anna@example.nl") -> Room:
    facilitator = Browser(server)
    response = await facilitator.post("/setup", {"email": email, "name": "Anna", "password": PASSWORD})
    if response.status_code != 303:
        response = await facilitator.post("/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 303
    response = await facilitator.post("/workshops", {"title": "Warmtenet Noord", "method": "leer-elkaar-kennen"})
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    await facilitator.post(f"/workshops/{workshop_id}/start")
    console = (await facilitator.get(f"/workshops/{workshop_id}")).text
    code = re.search(r'class="join-code-small">([A-Z0-9]{6})<', console).group(1)
    return Room(facilitator, workshop_id, code)


@pytest.fixture
async def room(live_server: LiveServer):
    room = await start_room(live_server)
    yield room
    await room.facilitator.close()
