"""Walk a workshop through the running container (called by .ci/container-smoke), then restart it.

setup of the first facilitator -> a workshop -> start -> a phone joins and answers over HTTP -> the board's
WebSocket shows the answer -> `docker restart`: the open board socket is closed with 1012 (service restart, so
browsers reconnect) -> healthy again -> after a new login, the board's snapshot still shows the answer (the volume).
Exits non-zero with a message at the first thing that is wrong.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import secrets
import subprocess
import sys
import time

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

EMAIL = "smoke@example.nl"
PASSWORD = "container smoke battery staple"
SERVICE_RESTART = 1012


class SmokeFailure(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SmokeFailure(message)


class Device:
    """A browser or a phone: its own cookies; form posts carry the CSRF token, sockets the Origin."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(base_url=url, timeout=30)

    async def post(self, path: str, data: dict[str, str]) -> httpx.Response:
        if not self.http.cookies.get("olive_csrf"):
            await self.http.get("/login")
        return await self.http.post(path, data={**data, "csrf_token": self.http.cookies["olive_csrf"]})

    async def websocket(self, path: str) -> ClientConnection:
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        return await connect(
            self.url.replace("http", "ws", 1) + path, origin=self.url, additional_headers={"Cookie": cookie}
        )

    async def close(self) -> None:
        await self.http.aclose()


async def frame_with(ws: ClientConnection, needle: str, seconds: float = 15) -> str:
    """The first frame (snapshot or update) that contains `needle`."""
    async with asyncio.timeout(seconds):
        while True:
            frame = await ws.recv()
            text = frame if isinstance(frame, str) else frame.decode()
            if needle in text:
                return text


async def first_half(url: str, marker: str) -> int:
    facilitator = Device(url)
    phone = Device(url)
    try:
        response = await facilitator.post("/setup", {"email": EMAIL, "name": "Smoke", "password": PASSWORD})
        check(response.status_code == 303, f"setup of the first facilitator: HTTP {response.status_code}")
        response = await facilitator.post("/workshops", {"title": "Container smoke", "method": "leer-elkaar-kennen"})
        check(response.status_code == 303, f"creating a workshop: HTTP {response.status_code}")
        workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
        response = await facilitator.post(f"/workshops/{workshop_id}/start", {})
        check(response.status_code == 303, f"starting the workshop: HTTP {response.status_code}")
        console = (await facilitator.http.get(f"/workshops/{workshop_id}")).text
        code = re.search(r'class="join-code-small">([A-Z0-9]+)<', console)
        check(code is not None, "no join code on the console")
        print(f"  workshop {workshop_id} started, join code {code.group(1)}")

        board = await facilitator.websocket(f"/ws/board/{workshop_id}")
        await board.recv()  # the snapshot

        join_page = (await phone.http.get(f"/j/{code.group(1)}")).text
        party = re.search(r'name="party_id" value="(\d+)"[^>]*>\s*<span>Gemeente</span>', join_page)
        check(party is not None, "no party Gemeente on the join page")
        response = await phone.post(
            f"/j/{code.group(1)}", {"party_id": party.group(1), "display_name": "Telefoon", "speaks_for": "self"}
        )
        check(response.status_code == 303, f"joining: HTTP {response.status_code}")
        phone_ws = await phone.websocket(f"/ws/phone/{workshop_id}")
        check("Waarden en doelen" in await phone_ws.recv(), "the phone's snapshot lacks the current step")
        page = (await phone.http.get(f"/p/{workshop_id}")).text
        step = re.search(r'name="step_id" value="(\d+)"', page)
        key = re.search(r'name="idempotency_key" value="(\w+)"', page)
        check(step is not None and key is not None, "the phone page has no answer form")
        response = await phone.post(
            f"/p/{workshop_id}/answers",
            {"step_id": step.group(1), "text": f"Samen warmte, {marker}", "idempotency_key": key.group(1)},
        )
        check(response.status_code < 400, f"answering: HTTP {response.status_code}")
        await frame_with(board, marker)
        print("  the phone's answer reached the board over its WebSocket")
        await phone_ws.close()

        # Restart while the board is connected: uvicorn closes the socket with 1012 so browsers reconnect.
        started = time.monotonic()
        restart = asyncio.create_task(asyncio.to_thread(docker, "restart", "--time", "20", CONTAINER))
        try:
            async with asyncio.timeout(30):
                while True:
                    await board.recv()
        except ConnectionClosed as closed:
            code_received = closed.rcvd.code if closed.rcvd else None
            check(code_received == SERVICE_RESTART, f"board socket closed with {code_received}, not 1012")
        print(f"  on stop the board's socket was closed with 1012 after {time.monotonic() - started:.1f} s")
        await restart
        return workshop_id
    finally:
        await facilitator.close()
        await phone.close()


async def second_half(url: str, workshop_id: int, marker: str) -> None:
    await wait_healthy(url)
    facilitator = Device(url)
    try:
        ready = await facilitator.http.get("/readyz")
        check(ready.status_code == 200, f"/readyz after the restart: HTTP {ready.status_code} {ready.text}")
        response = await facilitator.post("/login", {"email": EMAIL, "password": PASSWORD})
        check(response.status_code == 303, f"login after the restart: HTTP {response.status_code}")
        board = await facilitator.websocket(f"/ws/board/{workshop_id}")
        snapshot = await board.recv()
        check(marker in snapshot, "after the restart the board's snapshot lacks the answer")
        await board.close()
        print("  after the restart the answer is still on the board (data kept in the volume)")
    finally:
        await facilitator.close()


async def wait_healthy(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=3) as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)
        else:
            raise SmokeFailure(f"/healthz did not answer within {seconds:.0f} s")
    while time.monotonic() < deadline:  # Docker's own HEALTHCHECK, as an orchestrator would see it
        if docker("inspect", "--format", "{{.State.Health.Status}}", CONTAINER) == "healthy":
            return
        await asyncio.sleep(1)
    raise SmokeFailure("the container's HEALTHCHECK did not report healthy")


def docker(*args: str) -> str:
    done = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=120)
    if done.returncode != 0:
        raise SmokeFailure(f"docker {' '.join(args)} failed: {done.stderr.strip()}")
    return done.stdout.strip()


async def main(url: str) -> None:
    marker = f"smoke-{secrets.token_hex(4)}"
    started = time.monotonic()
    await wait_healthy(url)
    print(f"  healthy {time.monotonic() - started:.1f} s after start")
    workshop_id = await first_half(url, marker)
    await second_half(url, workshop_id, marker)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", required=True)
    parser.add_argument("--container", required=True)
    args = parser.parse_args()
    CONTAINER = args.container
    try:
        asyncio.run(main(args.url))
    except (SmokeFailure, TimeoutError, ConnectionClosed, httpx.HTTPError) as error:
        print(f"container smoke FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        raise SystemExit(1) from None
