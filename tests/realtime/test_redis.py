"""The Redis hub, and two uvicorn processes serving one room together on PostgreSQL + Redis."""

import asyncio
import os
import re
import secrets
import subprocess
import sys
import time

import httpx
import pytest
from websockets.asyncio.client import connect

from app.realtime.hub import RedisHub
from app.services.events import Event, EventKind
from tests.conftest import PASSWORD, TEST_REDIS_URL, _truncate_postgres, free_port, requires
from tests.realtime.conftest import receive_until


@pytest.fixture
def redis_url() -> str:
    requires(TEST_REDIS_URL, "TEST_REDIS_URL")
    return TEST_REDIS_URL


async def wait_for(condition, timeout=5.0):
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_events_cross_processes_through_redis(redis_url):
    namespace = f"test-{secrets.token_hex(4)}"
    sender, receiver = RedisHub(redis_url, namespace), RedisHub(redis_url, namespace)
    received: list[Event] = []
    receiver.on_event = received.append
    await sender.start()
    await receiver.start()
    try:
        await receiver.subscribe(7)
        await asyncio.sleep(0.1)
        await sender.publish(Event(7, EventKind.answers, 3))
        await sender.publish(Event(8, EventKind.answers, 4))  # a workshop the receiver does not serve
        await wait_for(lambda: received)
        await asyncio.sleep(0.1)
        assert received == [Event(7, EventKind.answers, 3)]
        await receiver.unsubscribe(7)
        await asyncio.sleep(0.1)
        await sender.publish(Event(7, EventKind.step, 5))
        await asyncio.sleep(0.2)
        assert len(received) == 1
    finally:
        await sender.stop()
        await receiver.stop()


async def test_a_malformed_hub_message_is_ignored(redis_url):
    import redis.asyncio as redis

    namespace = f"test-{secrets.token_hex(4)}"
    hub = RedisHub(redis_url, namespace)
    received: list[Event] = []
    hub.on_event = received.append
    await hub.start()
    raw = redis.from_url(redis_url)
    try:
        await hub.subscribe(1)
        await asyncio.sleep(0.1)
        await raw.publish(f"{namespace}:workshop:1", "{not json")
        await raw.publish(f"{namespace}:workshop:1", '{"workshop_id": 1, "kind": "answers", "step_id": 2}')
        await wait_for(lambda: received)
        assert received == [Event(1, EventKind.answers, 2)]
    finally:
        await raw.aclose()
        await hub.stop()


@pytest.fixture
def postgres_url(postgres_migrated: str) -> str:
    _truncate_postgres(postgres_migrated)
    return postgres_migrated


class ServerProcess:
    def __init__(self, port: int, env: dict) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env={**os.environ, **env, "BASE_URL": self.url},
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60  # a loaded 2-core machine takes a while to import and migrate
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("server process exited")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server process did not become ready")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def two_processes(tmp_path, postgres_url, redis_url):
    env = {
        "DATABASE_URL": postgres_url,
        "REDIS_URL": redis_url,
        "HUB_NAMESPACE": f"test-{secrets.token_hex(4)}",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "DATA_DIR": str(tmp_path / "data"),
    }
    servers = [ServerProcess(free_port(), env), ServerProcess(free_port(), env)]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            server.stop()


async def form_post(client: httpx.AsyncClient, url: str, data: dict, **kwargs) -> httpx.Response:
    if not client.cookies.get("olive_csrf"):
        await client.get(url.split("/", 3)[0] + "//" + url.split("/", 3)[2] + "/")
    return await client.post(url, data={**data, "csrf_token": client.cookies["olive_csrf"]}, **kwargs)


async def test_an_answer_posted_to_one_process_reaches_a_board_on_the_other(two_processes):
    one, two = two_processes
    facilitator = httpx.AsyncClient(timeout=10)
    phone = httpx.AsyncClient(timeout=10)
    try:
        # The facilitator works on process two; cookies hold for both (same host, the data lives in PostgreSQL).
        await form_post(
            facilitator, f"{two.url}/setup", {"email": "anna@example.nl", "name": "Anna", "password": PASSWORD}
        )
        created = await form_post(
            facilitator, f"{two.url}/workshops", {"title": "Twee", "method": "leer-elkaar-kennen"}
        )
        workshop_id = int(created.headers["location"].rsplit("/", 1)[1])
        await form_post(facilitator, f"{two.url}/workshops/{workshop_id}/start", {})
        console = (await facilitator.get(f"{two.url}/workshops/{workshop_id}")).text
        code = re.search(r'class="join-code-small">([A-Z0-9]{6})<', console).group(1)
        cookie = "; ".join(f"{k}={v}" for k, v in facilitator.cookies.items())
        board = await connect(
            f"ws://127.0.0.1:{two.port}/ws/board/{workshop_id}", origin=two.url, additional_headers={"Cookie": cookie}
        )
        await board.recv()

        # The phone talks to process one only.
        join_page = (await phone.get(f"{one.url}/j/{code}")).text
        party_id = re.search(r'name="party_id" value="(\d+)"[^>]*>\s*<span>Initiatief</span>', join_page).group(1)
        await form_post(phone, f"{one.url}/j/{code}", {"party_id": party_id})
        page = (await phone.get(f"{one.url}/p/{workshop_id}")).text
        step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
        key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', page).group(1)
        response = await form_post(
            phone,
            f"{one.url}/p/{workshop_id}/answers",
            {"step_id": step_id, "text": "Via proces een", "idempotency_key": key},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 200
        frame = await receive_until(board, "Via proces een")
        assert 'hx-swap-oob="beforeend:#board-notes-' in frame  # the note as a delta, rendered on process two

        # And a step change made on process two reaches a phone connected to process one.
        phone_cookie = "; ".join(f"{k}={v}" for k, v in phone.cookies.items())
        phone_ws = await connect(
            f"ws://127.0.0.1:{one.port}/ws/phone/{workshop_id}",
            origin=one.url,
            additional_headers={"Cookie": phone_cookie},
        )
        await phone_ws.recv()
        await form_post(facilitator, f"{two.url}/workshops/{workshop_id}/next", {})
        assert "Welke waarden en doelen" in await receive_until(phone_ws, "Welke waarden en doelen")
        await board.close()
        await phone_ws.close()
    finally:
        await facilitator.aclose()
        await phone.aclose()


async def test_after_losing_redis_the_hub_reconnects_and_asks_rooms_to_resync(redis_url):
    import redis.asyncio as redis

    namespace = f"test-{secrets.token_hex(4)}"
    hub, sender = RedisHub(redis_url, namespace), RedisHub(redis_url, namespace)
    received: list[Event] = []
    resyncs: list[bool] = []
    hub.on_event = received.append
    hub.on_resync = lambda: resyncs.append(True)
    await hub.start()
    await sender.start()
    admin = redis.from_url(redis_url)
    try:
        await hub.subscribe(3)
        await asyncio.sleep(0.1)
        # Cut the hub's pub/sub connection (what a Redis restart or a network cut does).
        clients = await admin.client_list(_type="pubsub")
        ours = [c["id"] for c in clients if c.get("name") == f"{namespace}-hub"]
        assert len(ours) == 2  # the hub's and the sender's subscriber connections
        for client_id in ours:
            await admin.execute_command("CLIENT", "KILL", "ID", client_id)
        await wait_for(lambda: resyncs, timeout=15)
        await sender.publish(Event(3, EventKind.presence))
        await wait_for(lambda: received, timeout=5)
        assert received == [Event(3, EventKind.presence)]
    finally:
        await admin.aclose()
        await hub.stop()
        await sender.stop()
