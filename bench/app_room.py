"""The app's side of a run: a facilitator with board and console, and phones that join through the real pages.

Everything goes through the public pages, forms and WebSockets, as a browser and a phone do; nothing reads the
database or imports the app, so the same generator measures today's app and a changed one.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import yaml
from markupsafe import escape

from bench.devices import Device, FrameLog, Phone, StepWatch, read_socket
from bench.measure import CpuMeter, ProcessTree, now, pct

ROOT = Path(__file__).resolve().parent.parent
METHOD = "leer-elkaar-kennen"
PASSWORD = "bench horse battery staple 42"
EMAIL = "bench@example.nl"
PARTIES = ("Gemeente", "Initiatief")
MARKER = re.compile(r"bench-answer-(\d{6})")


def method_steps() -> list[tuple[str, str]]:
    """(kind, needle) per step of the method the benchmark runs; the needle is the prompt's start as HTML shows it."""
    data = yaml.safe_load((ROOT / "app" / "methods" / "leer_elkaar_kennen.yaml").read_text())
    return [(step["kind"], str(escape(step["prompt"][:24]))) for step in data["steps"]]


@dataclass
class Burst:
    sent: dict[str, float] = field(default_factory=dict)  # marker -> first POST
    acked: set[str] = field(default_factory=set)  # markers answered 2xx
    statuses: Counter = field(default_factory=Counter)  # every response, retries included
    latencies: list[float] = field(default_factory=list)  # POST -> first board frame with the marker, acked only
    missing_on_board: int = 0
    cpu: float = float("nan")
    seconds: float = float("nan")
    board_bytes: int = 0
    console_bytes: int = 0
    board_frames: int = 0


@dataclass
class StepResult:
    phones: int
    frame: list[float]  # request -> phone frame with the new prompt
    form: list[float]  # request -> the new step's form usable on the phone
    board: float
    requests: int  # phone HTTP requests caused by the step change
    cpu: float
    frame_text: str  # a phone's frame that announced the step: the reference fans out the same text
    missing: int


class AppRoom:
    def __init__(self, url: str, tree: ProcessTree) -> None:
        self.url = url
        self.tree = tree
        self.steps = method_steps()
        self.step_index = 0
        self.facilitator = Device(url)
        self.workshop_id = 0
        self.code = ""
        self.phones: list[Phone] = []
        self.board_log, self.console_log = FrameLog(), FrameLog()
        self.board_markers: dict[str, float] = {}
        self.markers_wanted: set[str] = set()
        self.markers_done = asyncio.Event()
        self.board_needle: tuple[str, float] | None = None
        self.board_seen: float | None = None
        self.last_frame = now()
        self.closed: Counter = Counter()
        self.join_statuses: Counter = Counter()  # every join request's status
        self.tasks: list[asyncio.Task] = []
        self.sockets: list = []
        self.next_marker = 0

    # --- setting up ---------------------------------------------------------------------------------------------

    async def open(self) -> None:
        f = self.facilitator
        response = await f.post("/setup", {"email": EMAIL, "name": "Bench", "password": PASSWORD})
        if response.status_code != 303:  # a reused database (PostgreSQL): the facilitator exists already
            response = await f.post("/login", {"email": EMAIL, "password": PASSWORD})
        if response.status_code != 303:
            raise RuntimeError(f"facilitator setup/login failed: HTTP {response.status_code}")
        response = await f.post("/workshops", {"title": "Benchmark", "method": METHOD})
        if response.status_code != 303:
            raise RuntimeError(f"creating the workshop failed: HTTP {response.status_code}")
        self.workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
        response = await f.post(f"/workshops/{self.workshop_id}/start")
        if response.status_code >= 400:
            raise RuntimeError(f"starting the workshop failed: HTTP {response.status_code}")
        console = (await f.http.get(f"/workshops/{self.workshop_id}")).text
        found = re.search(r'class="join-code-small">([A-Z0-9]+)<', console)
        if not found:
            raise RuntimeError("no join code on the console page")
        self.code = found.group(1)
        for path, log in (
            (f"/ws/board/{self.workshop_id}", self.board_log),
            (f"/ws/console/{self.workshop_id}", self.console_log),
        ):
            ws = await f.websocket(path)
            self.sockets.append(ws)
            audience = path.split("/")[2]
            snapshot = await asyncio.wait_for(ws.recv(), 60)
            if self.steps[0][1] not in snapshot:
                raise RuntimeError(f"the {audience} snapshot does not show the first step")
            handler = self.on_board if audience == "board" else self.on_console
            self.tasks.append(asyncio.create_task(read_socket(ws, log, self.closed, audience, handler)))

    def on_board(self, text: str, at: float) -> None:
        self.last_frame = at
        for marker in MARKER.findall(text):
            self.board_markers.setdefault(marker, at)
        if self.markers_wanted and self.markers_wanted <= self.board_markers.keys():
            self.markers_done.set()
        if self.board_needle and self.board_seen is None and self.board_needle[0] in text:
            self.board_seen = at

    def on_console(self, text: str, at: float) -> None:
        self.last_frame = at

    async def _request(self, call, ok: tuple[int, ...]):  # type: ignore[no-untyped-def]
        """A join request as a person would make it: on a server error or 429 wait a moment and try again."""
        for _attempt in range(10):
            try:
                response = await call()
            except httpx.HTTPError as error:
                self.join_statuses[type(error).__name__] += 1
                await asyncio.sleep(1)
                continue
            self.join_statuses[response.status_code] += 1
            if response.status_code in ok:
                return response
            if response.status_code < 500 and response.status_code != 429:
                raise RuntimeError(f"join failed: HTTP {response.status_code}")
            await asyncio.sleep(float(response.headers.get("retry-after", "1") or 1))
        raise RuntimeError("join failed 10 times")

    async def join(self, phone: Phone) -> None:
        """What a phone does after scanning the code: join page, join, the answer page, then its WebSocket."""
        page = (await self._request(lambda: phone.http.get(f"/j/{self.code}"), (200,))).text
        party = PARTIES[phone.index % len(PARTIES)]
        found = re.search(rf'name="party_id" value="(\d+)"[^>]*>\s*<span>{party}</span>', page)
        if not found:
            raise RuntimeError(f"party {party} not on the join page")
        data = {"party_id": found.group(1), "display_name": f"Telefoon {phone.index}", "speaks_for": "self"}
        response = await self._request(lambda: phone.post(f"/j/{self.code}", data), (303,))
        location = response.headers["location"]
        page = (await self._request(lambda: phone.http.get(location), (200,))).text
        phone.take_html(page, now())
        if not phone.step_id:
            raise RuntimeError("the phone page has no answer form")
        phone.workshop_id = self.workshop_id
        ws = await phone.websocket(f"/ws/phone/{self.workshop_id}")
        self.sockets.append(ws)
        snapshot = await asyncio.wait_for(ws.recv(), 120)
        phone.on_frame(snapshot if isinstance(snapshot, str) else snapshot.decode(), now())

        def handler(text: str, at: float) -> None:
            self.last_frame = at
            phone.on_frame(text, at)

        self.tasks.append(asyncio.create_task(read_socket(ws, phone.log, self.closed, "phone", handler)))

    async def join_many(self, count: int, in_flight: int) -> list[float]:
        """`count` more phones join, at most `in_flight` at a time; seconds per phone (pages + socket)."""
        new = [Phone(self.url, len(self.phones) + i) for i in range(count)]
        self.phones.extend(new)
        gate = asyncio.Semaphore(in_flight)
        times: list[float] = []

        async def one(phone: Phone) -> None:
            async with gate:
                start = now()
                await self.join(phone)
                times.append(now() - start)

        await asyncio.gather(*(one(phone) for phone in new))
        return times

    async def quiet(self, seconds: float = 0.3, limit: float = 60) -> None:
        """Until no socket received a frame for `seconds` and no phone is still fetching (at most `limit`)."""
        deadline = now() + limit
        while now() < deadline:
            busy = any(phone.fetches for phone in self.phones)
            if not busy and now() - self.last_frame >= seconds:
                return
            await asyncio.sleep(0.05)

    async def idle_cpu_rate(self, seconds: float = 3.0) -> float:
        """CPU seconds per second of the server at rest with this room connected (pings, timers)."""
        await self.quiet()
        meter = CpuMeter(self.tree)
        await asyncio.sleep(seconds)
        return meter.stop() / seconds

    # --- answers --------------------------------------------------------------------------------------------

    def marker(self) -> str:
        self.next_marker += 1
        return f"{self.next_marker:06d}"

    async def answer(self, phone: Phone, marker: str, burst: Burst, fresh_key: bool = False) -> None:
        """POST an answer as the phone's form does; on 503 retry after Retry-After with the same key (as app.js).
        `fresh_key`: a second answer of the same phone in flight at once (its form's key is taken)."""
        text = f"Betaalbare warmte en eerlijke verdeling, bench-answer-{marker} van telefoon {phone.index}"
        key = uuid.uuid4().hex if fresh_key or not phone.form_key else phone.form_key
        data = {"step_id": phone.step_id, "text": text, "idempotency_key": key}
        headers = {"HX-Request": "true", "HX-Target": "phone-mine", "X-CSRF-Token": phone.csrf()}
        burst.sent[marker] = now()
        for _attempt in range(20):
            try:
                response = await phone.post(f"/p/{self.workshop_id}/answers", data, headers=headers)
            except Exception as error:  # noqa: BLE001 - counted, as a phone would show "no connection"
                burst.statuses[type(error).__name__] += 1
                return
            burst.statuses[response.status_code] += 1
            if response.status_code == 503:
                await asyncio.sleep(float(response.headers.get("retry-after", "1") or 1))
                continue
            if 200 <= response.status_code < 300:
                burst.acked.add(marker)
                phone.take_html(response.text, now())  # the fresh form (and its new idempotency key)
            return

    async def burst(self, count: int, spread: float, wait: float, idle_rate: float) -> Burst:
        """`count` answers from as many phones, sent at scheduled times over `spread` seconds (open loop)."""
        result = Burst()
        phones = [self.phones[i % len(self.phones)] for i in range(count)]
        markers = [self.marker() for _ in range(count)]
        self.markers_wanted, self.markers_done = set(markers), asyncio.Event()
        board, console = (self.board_log.bytes, self.board_log.frames), self.console_log.bytes
        meter = CpuMeter(self.tree)
        start = now()

        async def shot(i: int) -> None:
            await asyncio.sleep(max(0.0, start + spread * i / count - now()))
            await self.answer(phones[i], markers[i], result, fresh_key=i >= len(self.phones))

        await asyncio.gather(*(shot(i) for i in range(count)))
        self.markers_wanted = set(result.acked)
        if not self.markers_wanted <= self.board_markers.keys():
            try:
                await asyncio.wait_for(self.markers_done.wait(), wait)
            except TimeoutError:
                pass
        await self.quiet(0.5, wait)
        result.seconds = now() - start
        result.cpu = max(0.0, meter.stop() - idle_rate * result.seconds)
        result.latencies = [self.board_markers[m] - result.sent[m] for m in result.acked if m in self.board_markers]
        result.missing_on_board = len(result.acked - self.board_markers.keys())
        result.board_bytes = self.board_log.bytes - board[0]
        result.board_frames = self.board_log.frames - board[1]
        result.console_bytes = self.console_log.bytes - console
        self.markers_wanted = set()
        return result

    async def probe(self, count: int, idle_rate: float) -> tuple[float, float, float]:
        """`count` single answers, one at a time on a quiet room: CPU, board bytes and console bytes per answer."""
        await self.quiet()
        board, console = self.board_log.bytes, self.console_log.bytes
        meter = CpuMeter(self.tree)
        start = now()
        result = Burst()
        for i in range(count):
            marker = self.marker()
            self.markers_wanted, self.markers_done = {marker}, asyncio.Event()
            await self.answer(self.phones[i % len(self.phones)], marker, result)
            if marker in result.acked:
                try:
                    await asyncio.wait_for(self.markers_done.wait(), 30)
                except TimeoutError:
                    pass
            await self.quiet(0.3, 30)
        self.markers_wanted = set()
        cpu = max(0.0, meter.stop() - idle_rate * (now() - start))
        return cpu / count, (self.board_log.bytes - board) / count, (self.console_log.bytes - console) / count

    # --- step change ------------------------------------------------------------------------------------------

    async def change_step(self, wait: float, idle_rate: float) -> StepResult:
        """The facilitator's POST /next: until every phone shows the new prompt and has the new step's form."""
        await self.quiet()
        self.step_index += 1
        needle = self.steps[self.step_index][1]
        for phone in self.phones:
            phone.watch = StepWatch(needle=needle, old_step=phone.step_id)
        self.board_needle, self.board_seen = (needle, 0.0), None
        meter = CpuMeter(self.tree)
        start = now()
        response = await self.facilitator.post(f"/workshops/{self.workshop_id}/next", headers={"HX-Request": "true"})
        if response.status_code >= 400:
            raise RuntimeError(f"POST /next failed: HTTP {response.status_code}")
        watches = [phone.watch for phone in self.phones if phone.watch]
        try:
            await asyncio.wait_for(asyncio.gather(*(w.done.wait() for w in watches)), wait)
        except TimeoutError:
            pass
        await self.quiet(0.3, wait)
        cpu = max(0.0, meter.stop() - idle_rate * (now() - start))
        result = StepResult(
            phones=len(watches),
            frame=[w.frame_at - start for w in watches if w.frame_at is not None],
            form=[w.form_at - start for w in watches if w.form_at is not None],
            board=(self.board_seen - start) if self.board_seen else float("nan"),
            requests=sum(w.requests for w in watches),
            cpu=cpu,
            frame_text=next((w.frame_text for w in watches if w.frame_text), ""),
            missing=sum(1 for w in watches if not w.done.is_set()),
        )
        for phone in self.phones:
            phone.watch = None
        self.board_needle = None
        return result

    @property
    def current_kind(self) -> str:
        return self.steps[self.step_index][0]

    # --- checks ---------------------------------------------------------------------------------------------

    async def stored_markers(self) -> Counter:
        """How often every benchmark marker is stored: from the workshop's JSON export (the facilitator's download)."""
        response = await self.facilitator.http.get(f"/workshops/{self.workshop_id}/export.json")
        response.raise_for_status()
        return Counter(MARKER.findall(response.text))

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await asyncio.gather(*(d.close() for d in [self.facilitator, *self.phones]), return_exceptions=True)


def summary(values: list[float]) -> tuple[float, float, float]:
    return pct(values, 0.5), pct(values, 0.99), max(values, default=float("nan"))
