"""Benchmark of the live loop against a real server: phone answer -> board, and step change -> every phone.

Starts uvicorn as a subprocess on a fresh database, joins N phones (each its own cookie jar), opens N phone
WebSockets and one board WebSocket, then measures:

- answer-to-board latency: from the moment a phone sends its POST until the board's WebSocket receives a
  frame that contains that answer (frames are coalesced, so one frame may carry many answers);
- how long the board keeps receiving frames after the last answer is on it (the fan-out draining);
- step change: from the facilitator's POST /next (or /previous) until every phone's WebSocket received the
  new step's prompt;
- a baseline round trip (GET /healthz) so the figures can be compared across machines as ratios.

Run: `.venv/bin/python bench/live_loop.py [--phones 200] [--answers 200]`; see bench/README.md.
This is a benchmark, not a test: it prints figures, and exits non-zero only when the server misbehaves
(errors, lost updates, closed sockets).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench horse battery staple 42"
EMAIL = "bench@example.nl"
PARTIES = ("Gemeente", "Initiatief")
MARKER = re.compile(r"bench-answer-(\d{5})")
# The prompts of the steps of "leer-elkaar-kennen" as they appear (HTML-escaped) in the frames.
PROMPTS = ["Waarden en doelen", "Welke waarden en doelen", "Werkwijzen", "Kansen, risico"]
STEP_CHANGES = [("next", 1), ("next", 2), ("previous", 1)]  # (action, index of the step it lands on)


def now() -> float:
    return time.perf_counter()


def pct(values: list[float], q: float) -> float:
    """Percentile with linear interpolation (q in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f}"


def out(line: str = "") -> None:
    print(line, flush=True)


# --- the server ---------------------------------------------------------------------------------------------


class Server:
    """uvicorn in a subprocess on a fresh data directory; always stopped by `stop()`."""

    def __init__(self, *, database_url: str, redis_url: str) -> None:
        self.database_url = database_url
        self.redis_url = redis_url
        self.tmp = tempfile.TemporaryDirectory(prefix="olive-bench-")
        self.data_dir = Path(self.tmp.name)
        self.log_path = self.data_dir / "server.log"
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DATA_DIR=str(self.data_dir),
            DATABASE_URL=self.database_url,  # empty: SQLite in DATA_DIR
            REDIS_URL=self.redis_url,  # empty: the in-memory hub
            HUB_NAMESPACE=f"bench-{secrets.token_hex(4)}",  # never mix with other users of the same Redis
            BASE_URL=self.url,
            JOIN_RATE_LIMIT="100000/minute",
            ANSWER_RATE_LIMIT="100000/minute",
            LOGIN_RATE_LIMIT="1000/minute",
        )
        env.pop("SECRET_KEY", None)  # generated in DATA_DIR
        return env

    def start(self) -> None:
        bin_dir = ROOT / ".venv" / "bin"
        if not bin_dir.exists():
            bin_dir = Path(sys.executable).parent
        env = self.env()
        migrated = subprocess.run(
            [str(bin_dir / "alembic"), "upgrade", "head"], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"alembic upgrade head failed:\n{migrated.stdout}{migrated.stderr}")
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                [str(bin_dir / "uvicorn"), "app.main:create_app", "--factory", "--host", "127.0.0.1"]
                + ["--port", str(self.port), "--log-level", "warning"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches only the benchmark, which then stops the server itself
            )

    async def wait_ready(self, seconds: float = 30) -> None:
        try:
            async with asyncio.timeout(seconds), httpx.AsyncClient(base_url=self.url, timeout=2) as client:
                while True:
                    if self.process is None or self.process.poll() is not None:
                        raise RuntimeError(f"the server exited during start-up:\n{self.log_tail()}")
                    try:
                        if (await client.get("/healthz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.1)
        except TimeoutError:
            raise RuntimeError(f"the server did not answer /healthz within {seconds} s:\n{self.log_tail()}") from None

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server process so far (Linux /proc); NaN elsewhere."""
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, AttributeError, IndexError, ValueError):
            return float("nan")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def problems(self) -> list[str]:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return []
        return [line for line in text.splitlines() if "Traceback" in line or line.startswith(("ERROR", "CRITICAL"))]

    def stop(self) -> str:
        """SIGTERM (uvicorn's graceful shutdown), SIGKILL after 15 s; says how it went."""
        if self.process is None:
            return "server was not started"
        if self.process.poll() is not None:
            return f"!! the server had already exited (code {self.process.returncode})"
        start = now()
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
            return f"server stopped {now() - start:.1f} s after SIGTERM"
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
            return "!! the server did not stop within 15 s of SIGTERM and was killed"

    def cleanup(self) -> None:
        self.tmp.cleanup()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def client_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Cpu:
    """CPU seconds used by the server and by this client between two points."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.start = server.cpu_seconds(), client_cpu_seconds()

    def __str__(self) -> str:
        server, client = self.server.cpu_seconds() - self.start[0], client_cpu_seconds() - self.start[1]
        return f"CPU used: server {server:.1f} s, benchmark client {client:.1f} s"


# --- the clients --------------------------------------------------------------------------------------------


class Device:
    """One browser or phone: its own cookie jar; WebSockets carry its cookies and the server's Origin."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=60)
        self.step_id = ""
        self.form_key = ""  # the idempotency key of the rendered form, used for this device's first answer

    async def post(self, path: str, data: dict | None = None, **kwargs) -> httpx.Response:
        if not self.http.cookies.get("olive_csrf"):
            await self.http.get("/")
        form = {**(data or {}), "csrf_token": self.http.cookies["olive_csrf"]}
        return await self.http.post(path, data=form, **kwargs)

    async def websocket(self, path: str) -> ClientConnection:
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        return await connect(
            self.url.replace("http", "ws", 1) + path,
            origin=self.url,
            additional_headers={"Cookie": cookie},
            open_timeout=60,
            ping_interval=None,  # no client keep-alive pings (noise); the server's pings are still answered
            max_size=None,
        )


@dataclass
class Expectation:
    """Wait for `needle` to arrive on `count` sockets; arrival time per socket index."""

    needle: str
    count: int
    arrivals: dict[int, float] = field(default_factory=dict)
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def see(self, index: int, frame: str, at: float) -> None:
        if index not in self.arrivals and self.needle in frame:
            self.arrivals[index] = at
            if len(self.arrivals) >= self.count:
                self.done.set()


@dataclass
class Listeners:
    """What the background readers of every socket record."""

    phone_arrivals: list[list[float]]  # per phone: arrival time of every frame after the snapshot
    phone_expect: Expectation | None = None
    board_expect: Expectation | None = None
    board_frames: list[tuple[float, int, int]] = field(default_factory=list)  # (arrival, hash, length)
    board_markers: dict[str, float] = field(default_factory=dict)  # marker -> first board frame with it
    markers_wanted: int = 0
    markers_done: asyncio.Event = field(default_factory=asyncio.Event)
    closed: Counter = field(default_factory=Counter)  # "board|phone <close code>" -> sockets closed by the server


async def read_board(ws: ClientConnection, state: Listeners) -> None:
    try:
        async for frame in ws:
            at = now()
            text = frame if isinstance(frame, str) else frame.decode()
            state.board_frames.append((at, hash(text), len(text)))
            for marker in MARKER.findall(text):
                state.board_markers.setdefault(marker, at)
            if state.markers_wanted and len(state.board_markers) >= state.markers_wanted:
                state.markers_done.set()
            if state.board_expect is not None:
                state.board_expect.see(0, text, at)
    except ConnectionClosed as closed:
        state.closed[f"board {closed.rcvd.code if closed.rcvd else 'without close frame'}"] += 1


async def read_phone(index: int, ws: ClientConnection, state: Listeners) -> None:
    try:
        async for frame in ws:
            at = now()
            state.phone_arrivals[index].append(at)
            if state.phone_expect is not None:
                state.phone_expect.see(index, frame if isinstance(frame, str) else frame.decode(), at)
    except ConnectionClosed as closed:
        state.closed[f"phone {closed.rcvd.code if closed.rcvd else 'without close frame'}"] += 1


def phone_frames(state: Listeners) -> int:
    return sum(len(times) for times in state.phone_arrivals)


# --- the phases ---------------------------------------------------------------------------------------------


async def baseline(server: Server, rounds: int = 300) -> tuple[list[float], list[float]]:
    """Sequential GET /healthz on an idle server over one keep-alive connection: once through httpx (the client
    every request of this benchmark uses), once as raw bytes on a socket (the server's share alone)."""
    via_httpx, raw = [], []
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        for i in range(rounds + 20):
            start = now()
            response = await client.get("/healthz")
            if i >= 20:
                via_httpx.append(now() - start)
            response.raise_for_status()
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\n\r\n".encode()
    for i in range(rounds + 20):
        start = now()
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(re.search(rb"content-length: *(\d+)", head, re.IGNORECASE).group(1))
        await reader.readexactly(length)
        if i >= 20:
            raw.append(now() - start)
    writer.close()
    await writer.wait_closed()
    return via_httpx, raw


async def open_workshop(facilitator: Device) -> tuple[int, str]:
    response = await facilitator.post("/setup", {"email": EMAIL, "name": "Bench", "password": PASSWORD})
    if response.status_code != 303:  # a reused database (PostgreSQL): the facilitator exists already
        response = await facilitator.post("/login", {"email": EMAIL, "password": PASSWORD})
    if response.status_code != 303:
        raise RuntimeError(f"facilitator setup/login failed: HTTP {response.status_code}")
    response = await facilitator.post("/workshops", {"title": "Benchmark", "method": "leer-elkaar-kennen"})
    if response.status_code != 303:
        raise RuntimeError(f"creating the workshop failed: HTTP {response.status_code}")
    workshop_id = int(response.headers["location"].rsplit("/", 1)[1])
    response = await facilitator.post(f"/workshops/{workshop_id}/start")
    if response.status_code >= 400:
        raise RuntimeError(f"starting the workshop failed: HTTP {response.status_code}")
    console = (await facilitator.http.get(f"/workshops/{workshop_id}")).text
    found = re.search(r'class="join-code-small">([A-Z0-9]+)<', console)
    if not found:
        raise RuntimeError("no join code on the console page")
    return workshop_id, found.group(1)


async def join(phone: Device, index: int, code: str, workshop_id: int) -> None:
    """What a phone does after scanning the code: join page, join, then the answer page it is sent to."""
    page = (await phone.http.get(f"/j/{code}")).text
    party = PARTIES[index % len(PARTIES)]
    found = re.search(rf'name="party_id" value="(\d+)"[^>]*>\s*<span>{party}</span>', page)
    if not found:
        raise RuntimeError(f"party {party} not on the join page")
    response = await phone.post(
        f"/j/{code}", {"party_id": found.group(1), "display_name": f"Telefoon {index}", "speaks_for": "self"}
    )
    if response.status_code != 303:
        raise RuntimeError(f"join failed: HTTP {response.status_code}")
    page = (await phone.http.get(f"/p/{workshop_id}")).text
    step = re.search(r'name="step_id" value="(\d+)"', page)
    key = re.search(r'name="idempotency_key" value="(\w+)"', page)
    if not step or not key:
        raise RuntimeError("the phone page has no answer form")
    phone.step_id, phone.form_key = step.group(1), key.group(1)


async def bounded(limit: int, jobs: list) -> list:
    """Run coroutine factories with at most `limit` in flight; results in order."""
    gate = asyncio.Semaphore(limit)

    async def one(job):  # type: ignore[no-untyped-def]
        async with gate:
            return await job()

    return await asyncio.gather(*(one(job) for job in jobs))


@dataclass
class AnswerRun:
    sent: dict[str, float]  # marker -> POST start
    response_times: list[float]
    statuses: Counter
    first: float  # first POST start
    last_response: float


async def post_answers(
    phones: list[Device], workshop_id: int, count: int, in_flight: int, state: Listeners
) -> AnswerRun:
    sent: dict[str, float] = {}
    response_times: list[float] = []
    statuses: Counter = Counter()
    state.markers_wanted = count
    gate = asyncio.Semaphore(in_flight)

    async def answer(i: int) -> None:
        phone = phones[i % len(phones)]
        marker = f"{i:05d}"
        key = phone.form_key if i < len(phones) else uuid.uuid4().hex
        text = f"Betaalbare warmte en eerlijke verdeling, bijdrage bench-answer-{marker} van telefoon {i % len(phones)}"
        async with gate:
            sent[marker] = start = now()
            try:
                response = await phone.post(
                    f"/p/{workshop_id}/answers",
                    {"step_id": phone.step_id, "text": text, "idempotency_key": key},
                    headers={"HX-Request": "true"},
                )
                statuses[response.status_code] += 1
            except httpx.HTTPError as error:
                statuses[type(error).__name__] += 1
            response_times.append(now() - start)

    first = now()
    await asyncio.gather(*(answer(i) for i in range(count)))
    return AnswerRun(sent, response_times, statuses, first, now())


async def board_quiet(state: Listeners, quiet: float, limit: float) -> float:
    """Wait until the board received no frame for `quiet` seconds (at most `limit`); time of its last frame."""
    deadline = now() + limit
    while now() < deadline:
        last = state.board_frames[-1][0] if state.board_frames else 0.0
        if now() - last >= quiet:
            return last
        await asyncio.sleep(0.05)
    return state.board_frames[-1][0]


@dataclass
class StepRun:
    label: str
    response: float
    phone_latencies: list[float]
    board_latency: float
    missing: int


async def change_step(
    facilitator: Device, workshop_id: int, action: str, target: int, phones: int, state: Listeners, wait: float
) -> StepRun:
    needle = PROMPTS[target]
    state.phone_expect = Expectation(needle, phones)
    state.board_expect = Expectation(needle, 1)
    start = now()
    response = await facilitator.post(f"/workshops/{workshop_id}/{action}", headers={"HX-Request": "true"})
    response_time = now() - start
    if response.status_code >= 400:
        raise RuntimeError(f"POST /{action} failed: HTTP {response.status_code}")
    try:
        await asyncio.wait_for(asyncio.gather(state.phone_expect.done.wait(), state.board_expect.done.wait()), wait)
    except TimeoutError:
        pass
    phone_latencies = sorted(t - start for t in state.phone_expect.arrivals.values())
    board = state.board_expect.arrivals.get(0)
    run = StepRun(
        label=f"{action} -> step {target + 1} ({needle})",
        response=response_time,
        phone_latencies=phone_latencies,
        board_latency=(board - start) if board is not None else float("nan"),
        missing=phones - len(phone_latencies),
    )
    state.phone_expect = state.board_expect = None
    return run


# --- the run ------------------------------------------------------------------------------------------------


async def run(server: Server, args: argparse.Namespace) -> int:
    backend = "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite"
    hub = "Redis hub" if args.redis_url else "in-memory hub"
    out("Opgroeiruimte Live: live loop benchmark")
    out(f"  server   uvicorn (1 worker) + {backend} + {hub}, fresh data directory")
    out(f"  load     {args.phones} phones, {args.answers} answers, at most {args.in_flight} HTTP requests in flight")
    out(
        f"  machine  {os.cpu_count()} CPU cores, Python {platform.python_version()}, {platform.system()}, "
        f"load average {os.getloadavg()[0]:.1f} at the start. Client and server share these cores:"
    )
    out("           every latency includes the benchmark client's own CPU time; compare runs by the ratios.")
    out()
    problems = 0

    via_httpx, raw = await baseline(server)
    base = statistics.median(via_httpx)

    def x(value: float) -> str:
        return f"{value / base:6.0f}x"

    out("Baseline  GET /healthz, idle server, one keep-alive connection, 300 sequential requests")
    out(f"  via httpx  p50 {ms(base)} ms   p99 {ms(pct(via_httpx, 0.99))} ms   <- the unit of the 'x' ratios below")
    out(f"  raw socket p50 {ms(statistics.median(raw))} ms   p99 {ms(pct(raw, 0.99))} ms   (server + loopback only)")
    out()

    facilitator = Device(server.url)
    phones = [Device(server.url) for _ in range(args.phones)]
    state = Listeners(phone_arrivals=[[] for _ in phones])
    readers: list[asyncio.Task] = []
    sockets: list[ClientConnection] = []
    try:
        workshop_id, code = await open_workshop(facilitator)

        # Joining: join page, join, answer page; in parallel, as when a room scans the QR code at once.
        cpu = Cpu(server)
        start = now()
        join_times: list[float] = []

        def joiner(i: int):  # type: ignore[no-untyped-def]
            async def job() -> None:
                begin = now()
                await join(phones[i], i, code, workshop_id)
                join_times.append(now() - begin)

            return job

        await bounded(args.in_flight, [joiner(i) for i in range(args.phones)])
        out(f"Join      {args.phones} phones: GET /j/CODE, POST /j/CODE, GET /p/ID each")
        out(
            f"  all joined in {now() - start:5.2f} s   per phone p50 {ms(statistics.median(join_times))} ms   "
            f"p99 {ms(pct(join_times, 0.99))} ms"
        )

        # Sockets: the board, then every phone; each first receives its snapshot.
        board = await facilitator.websocket(f"/ws/board/{workshop_id}")
        sockets.append(board)
        if PROMPTS[0] not in await asyncio.wait_for(board.recv(), 30):
            raise RuntimeError("the board snapshot does not show the first step")
        opened: list[float] = []

        def opener(i: int):  # type: ignore[no-untyped-def]
            async def job() -> ClientConnection:
                begin = now()
                ws = await phones[i].websocket(f"/ws/phone/{workshop_id}")
                sockets.append(ws)
                snapshot = await asyncio.wait_for(ws.recv(), 60)
                opened.append(now() - begin)
                if PROMPTS[0] not in snapshot:
                    raise RuntimeError("a phone snapshot does not show the first step")
                return ws

            return job

        start = now()
        phone_sockets = await bounded(args.in_flight, [opener(i) for i in range(args.phones)])
        out(f"Connect   1 board + {args.phones} phone WebSockets: handshake + snapshot")
        out(
            f"  all open in {now() - start:5.2f} s     per phone p50 {ms(statistics.median(opened))} ms   "
            f"p99 {ms(pct(opened, 0.99))} ms"
        )
        out(f"  {cpu}  (join + connect)")
        out()
        readers.append(asyncio.create_task(read_board(board, state)))
        readers.extend(asyncio.create_task(read_phone(i, ws, state)) for i, ws in enumerate(phone_sockets))
        await board_quiet(state, 0.5, 10)  # let the room settle (presence updates of the last joins)

        # Answers: phone POST -> first board frame that shows the answer.
        phone_frames_before = phone_frames(state)
        frames_before = len(state.board_frames)
        cpu = Cpu(server)
        result = await post_answers(phones, workshop_id, args.answers, args.in_flight, state)
        try:
            await asyncio.wait_for(state.markers_done.wait(), args.wait)
        except TimeoutError:
            pass
        cpu_answers = str(cpu)
        shown = {m: state.board_markers[m] for m in result.sent if m in state.board_markers}
        latencies = [shown[m] - result.sent[m] for m in shown]
        last_shown = max(shown.values(), default=float("nan"))
        quiet_at = await board_quiet(state, 0.5, args.wait)
        frames = state.board_frames[frames_before:]
        during = [f for f in frames if f[0] <= last_shown]
        after = [f for f in frames if f[0] > last_shown]
        repeats = sum(1 for a, b in zip(frames, frames[1:], strict=False) if a[1] == b[1])

        post_p50, post_p99 = statistics.median(result.response_times), pct(result.response_times, 0.99)
        statuses = ", ".join(f"{k} x{v}" for k, v in sorted(result.statuses.items(), key=str))
        out(f"Answers   {args.answers} x POST /p/ID/answers ({args.in_flight} in flight), HTTP {statuses}")
        out("                      p50         p99         max")
        out(
            f"  POST response   {ms(post_p50)} ms  {ms(post_p99)} ms  {ms(max(result.response_times))} ms   "
            f"= {x(post_p50)} {x(post_p99)} {x(max(result.response_times))} baseline"
        )
        if latencies:
            lat_p50, lat_p99, lat_max = statistics.median(latencies), pct(latencies, 0.99), max(latencies)
            out(
                f"  POST -> board   {ms(lat_p50)} ms  {ms(lat_p99)} ms  {ms(lat_max)} ms   "
                f"= {x(lat_p50)} {x(lat_p99)} {x(lat_max)} baseline"
            )
        accepted = result.last_response - result.first
        on_board = last_shown - result.first
        out(
            f"  throughput      {args.answers / accepted:5.1f} answers/s answered (all in {accepted:.2f} s), "
            f"{len(shown) / on_board:5.1f} answers/s on the board (all after {on_board:.2f} s)"
        )
        out(
            f"  board frames    {len(during)} frames until the last answer was shown "
            f"({len(shown) / max(len(during), 1):.1f} answers per frame, {sum(f[2] for f in during) / 1e6:.1f} MB)"
        )
        out(
            f"  after the burst {len(after)} more frames over {max(quiet_at - last_shown, 0) * 1000:.0f} ms "
            f"after the last answer was shown; {repeats} frames were identical to the frame before"
        )
        out(f"  {cpu_answers}  (answers)")
        if len(shown) < args.answers:
            out(f"  !! {args.answers - len(shown)} answers never reached the board within {args.wait:.0f} s")
            problems += 1
        if sum(v for k, v in result.statuses.items() if k != 200):
            out("  !! not every answer POST returned 200")
            problems += 1
        if phone_frames(state) != phone_frames_before:
            out(f"  note: phones received {phone_frames(state) - phone_frames_before} frames during the answers")
        out()

        # Step changes: facilitator POST -> every phone shows the new prompt.
        out(f"Step      POST /workshops/ID/next|previous -> new prompt on the board and on all {args.phones} phones")
        out(f"  {'ms':<34}{'POST':>8}{'board':>8}{'first':>8}{'p50':>8}{'p99':>8}{'last':>8}")
        for action, target in STEP_CHANGES:
            await board_quiet(state, 0.3, 10)
            cpu = Cpu(server)
            frames_before = phone_frames(state)
            step = await change_step(facilitator, workshop_id, action, target, args.phones, state, args.wait)
            lat = step.phone_latencies
            cells = [step.response, step.board_latency]
            cells += [lat[0], statistics.median(lat), pct(lat, 0.99), lat[-1]] if lat else [float("nan")] * 4
            out(f"  {step.label:<34}" + "".join(f"{c * 1000:8.1f}" for c in cells))
            extra = phone_frames(state) - frames_before - len(lat)
            out(
                f"  {'  x baseline':<34}" + "".join(f"{c / base:7.0f}x" for c in cells) + f"   {cpu}"
                f"{f', {extra} extra phone frames' if extra else ''}"
            )
            if step.missing:
                out(f"  !! {step.missing} phones did not get the new step within {args.wait:.0f} s")
                problems += 1
        out()
    finally:
        for task in readers:
            task.cancel()
        await asyncio.gather(*readers, return_exceptions=True)
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)
        await asyncio.gather(*(d.http.aclose() for d in [facilitator, *phones]), return_exceptions=True)

    if state.closed:
        out(f"!! sockets closed by the server during the run: {dict(state.closed)}")
        problems += 1
    server_problems = server.problems()
    if server_problems:
        out(f"!! the server log has {len(server_problems)} error lines; the first: {server_problems[0]}")
        problems += 1
    out(
        "Latencies run from the client sending a request to the client receiving the frame: they include the\n"
        "server's coalescing window (COALESCE_WINDOW, default 50 ms) and the client's own CPU time on shared cores."
    )
    return 1 if problems else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=200, help="phones that join and keep a WebSocket open")
    parser.add_argument("--answers", type=int, default=200, help="answers posted (round-robin over the phones)")
    parser.add_argument("--in-flight", type=int, default=20, help="concurrent HTTP requests (joins and answers)")
    parser.add_argument("--database-url", default="", help="e.g. postgresql+asyncpg://…/olive_bench (default SQLite)")
    parser.add_argument("--redis-url", default="", help="e.g. redis://127.0.0.1:6379/0 (default in-memory hub)")
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for frames before giving up")
    args = parser.parse_args(argv)
    if args.phones < 1 or args.answers < 1 or args.in_flight < 1:
        parser.error("--phones, --answers and --in-flight must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally` below: never leave a server behind
    # Every phone holds an HTTP connection and a WebSocket: make sure the file descriptor limit allows it
    # (the server inherits the raised limit).
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 4 * args.phones + 256))
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    server = Server(database_url=args.database_url, redis_url=args.redis_url)
    try:
        server.start()
        asyncio.run(server.wait_ready())
        return asyncio.run(run(server, args))
    except Exception as error:
        print(f"\nbenchmark failed: {type(error).__name__}: {error}", file=sys.stderr)
        tail = server.log_tail()
        if tail:
            print(f"--- server log (last lines) ---\n{tail}", file=sys.stderr)
        return 2
    finally:
        out(server.stop())
        server.cleanup()


if __name__ == "__main__":
    sys.exit(main())
