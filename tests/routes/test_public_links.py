"""Links phones can use: without BASE_URL the join link, QR code, board and review links use the address the
console or board was opened with (proxy headers honoured); BASE_URL overrides it. The console warns when the join
link points at this computer only."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect

from app.main import create_app
from app.templating import is_local_address
from tests.conftest import (
    LiveServer,
    create_started_workshop,
    free_port,
    login_new_facilitator,
    make_settings,
    post,
)
from tests.realtime.conftest import start_room

WARNING = "local-address-warning"


@pytest.fixture
async def lan_client(tmp_path: Path, sqlite_url: str):
    """The app without BASE_URL, opened as a phone on the room's wifi would: http://192.168.1.20:8000."""
    app = create_app(make_settings(tmp_path, sqlite_url, base_url=""))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://192.168.1.20:8000"
        ) as client:
            yield client


async def test_join_link_is_built_from_the_request_host(lan_client: httpx.AsyncClient) -> None:
    await login_new_facilitator(lan_client)
    workshop_id, code = await create_started_workshop(lan_client)
    console = (await lan_client.get(f"/workshops/{workshop_id}")).text
    assert f"http://192.168.1.20:8000/j/{code}" in console
    assert WARNING not in console
    board = (await lan_client.get(f"/board/{workshop_id}")).text
    assert join_url_of(board) == f"http://192.168.1.20:8000/j/{code}"
    assert "localhost" not in board
    response = await post(lan_client, f"/workshops/{workshop_id}/board-link", headers={"HX-Request": "true"})
    assert "http://192.168.1.20:8000/b/" in response.text


async def test_console_warns_when_the_join_link_points_at_localhost(tmp_path: Path, sqlite_url: str) -> None:
    app = create_app(make_settings(tmp_path, sqlite_url, base_url=""))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1:8010") as c:
            await login_new_facilitator(c)
            workshop_id, code = await create_started_workshop(c)
            console = (await c.get(f"/workshops/{workshop_id}")).text
    assert f"http://127.0.0.1:8010/j/{code}" in console  # the port it really runs on, not :8000
    assert WARNING in console
    assert "telefoons kunnen ze niet openen" in console
    assert "HOST=0.0.0.0" in console


def join_url_of(html: str) -> str:
    """The join link as the board shows it (its text, without the markup that lets it wrap)."""
    shown = re.search(r'<p class="join-url">(.*?)</p>', html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", shown)


async def test_base_url_overrides_the_request_address(tmp_path: Path, sqlite_url: str) -> None:
    app = create_app(make_settings(tmp_path, sqlite_url, base_url="https://olive.example.nl/"))
    async with app.router.lifespan_context(app):
        # An internal address (https, because BASE_URL's scheme makes the cookies Secure).
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="https://10.0.0.5") as c:
            await login_new_facilitator(c)
            workshop_id, code = await create_started_workshop(c)
            console = (await c.get(f"/workshops/{workshop_id}")).text
    assert f"https://olive.example.nl/j/{code}" in console
    assert WARNING not in console


async def test_proxy_headers_give_the_public_scheme_and_host(tmp_path: Path, sqlite_url: str) -> None:
    """Behind a TLS proxy (uvicorn trusts 127.0.0.1 by default): Host and X-Forwarded-Proto make the join link."""
    port = free_port()
    server = LiveServer(make_settings(tmp_path, sqlite_url, base_url=""), port).start()
    try:
        room = await start_room(server)
        console = (
            await room.facilitator.http.get(
                f"/workshops/{room.workshop_id}",
                headers={"Host": "olive.example.nl", "X-Forwarded-Proto": "https"},
            )
        ).text
        assert f"https://olive.example.nl/j/{room.code}" in console
        assert WARNING not in console
        await room.facilitator.close()
    finally:
        server.stop()


async def test_a_board_socket_gets_the_address_of_its_handshake(tmp_path: Path, sqlite_url: str) -> None:
    port = free_port()
    server = LiveServer(make_settings(tmp_path, sqlite_url, base_url=""), port).start()
    try:
        room = await start_room(server)
        cookie = "; ".join(f"{name}={value}" for name, value in room.facilitator.http.cookies.items())
        for host in ("127.0.0.1", "localhost"):
            url = f"http://{host}:{port}"
            async with connect(
                f"ws://{host}:{port}/ws/board/{room.workshop_id}", origin=url, additional_headers={"Cookie": cookie}
            ) as ws:
                assert join_url_of(await ws.recv()) == f"{url}/j/{room.code}"
        await room.facilitator.close()
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("http://localhost:8000", True),
        ("http://127.0.0.1:8010", True),
        ("http://[::1]:8000", True),
        ("http://192.168.1.20:8000", False),
        ("https://olive.example.nl", False),
    ],
)
def test_local_addresses(url: str, local: bool) -> None:
    assert is_local_address(url) is local
