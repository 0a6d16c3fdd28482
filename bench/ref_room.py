"""The reference's side of a run: as many WebSockets as the app has phones, and broadcast events through POST /emit."""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import ClientConnection, connect

from bench.devices import FrameLog, read_socket
from bench.measure import CpuMeter, ProcessTree, now

AUDIENCE = 2  # sockets an answer event goes to: the app sends an answer to its board and its console
MARKER = re.compile(r"ref-event-(\d{6})")
# A burst event: about the size of one answer's note as a board shows it.
NOTE = (
    '<li class="note" id="note-{marker}"><p class="note-text">Betaalbare warmte en eerlijke verdeling, '
    "ref-event-{marker} van telefoon {phone}</p></li>"
)


@dataclass
class Fanout:
    sockets: int
    latencies: list[float]
    cpu: float
    missing: int


@dataclass
class RefBurst:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    cpu: float = float("nan")
    missing: int = 0


class RefRoom:
    def __init__(self, url: str, tree: ProcessTree) -> None:
        self.url = url
        self.tree = tree
        self.sockets: list[ClientConnection] = []
        self.logs: list[FrameLog] = []
        self.tasks: list[asyncio.Task] = []
        self.closed: Counter = Counter()
        self.last_frame = now()
        self.needle = ""
        self.arrivals: dict[int, float] = {}
        self.wanted = 0
        self.all_arrived = asyncio.Event()
        self.first_socket_markers: dict[str, float] = {}
        self.emitter = httpx.AsyncClient(base_url=url, timeout=120, limits=httpx.Limits(max_connections=1000))
        self.next_marker = 0

    def on_frame(self, index: int, text: str, at: float) -> None:
        self.last_frame = at
        for marker in MARKER.findall(text):
            self.first_socket_markers.setdefault(marker, at)
        if self.needle and index not in self.arrivals and self.needle in text:
            self.arrivals[index] = at
            if len(self.arrivals) >= self.wanted:
                self.all_arrived.set()

    async def connect_one(self) -> None:
        ws = await connect(
            self.url.replace("http", "ws", 1) + "/ws", open_timeout=120, ping_interval=None, max_size=None
        )
        index = len(self.sockets)  # taken after the await: sockets connect concurrently
        self.sockets.append(ws)
        log = FrameLog()
        self.logs.append(log)
        self.tasks.append(
            asyncio.create_task(
                read_socket(ws, log, self.closed, "reference", lambda t, at: self.on_frame(index, t, at))
            )
        )

    async def connect_many(self, count: int, in_flight: int) -> None:
        gate = asyncio.Semaphore(in_flight)

        async def one() -> None:
            async with gate:
                await self.connect_one()

        await asyncio.gather(*(one() for _ in range(count)))

    async def quiet(self, seconds: float = 0.3, limit: float = 60) -> None:
        deadline = now() + limit
        while now() < deadline and now() - self.last_frame < seconds:
            await asyncio.sleep(0.05)

    async def idle_cpu_rate(self, seconds: float = 3.0) -> float:
        await self.quiet()
        meter = CpuMeter(self.tree)
        await asyncio.sleep(seconds)
        return meter.stop() / seconds

    def marker(self) -> str:
        self.next_marker += 1
        return f"{self.next_marker:06d}"

    async def fanout(self, frame: str, wait: float, idle_rate: float) -> Fanout:
        """One frame (the app's own step frame, marked) to every socket: POST /emit -> each socket's arrival."""
        await self.quiet()
        self.needle = f"ref-event-{self.marker()}"
        self.arrivals, self.wanted, self.all_arrived = {}, len(self.sockets), asyncio.Event()
        meter = CpuMeter(self.tree)
        start = now()
        response = await self.emitter.post("/emit", content=f"<!-- {self.needle} -->{frame}")
        response.raise_for_status()
        try:
            await asyncio.wait_for(self.all_arrived.wait(), wait)
        except TimeoutError:
            pass
        await self.quiet()
        result = Fanout(
            sockets=len(self.sockets),
            latencies=[at - start for at in self.arrivals.values()],
            cpu=max(0.0, meter.stop() - idle_rate * (now() - start)),
            missing=len(self.sockets) - len(self.arrivals),
        )
        self.needle = ""
        return result

    async def burst(self, count: int, spread: float, wait: float, idle_rate: float) -> RefBurst:
        """`count` events at scheduled times over `spread` s, each a note-sized frame to the first `AUDIENCE` sockets
        (an answer's audience in the app: a board and a console), timed from the POST to the first frame."""
        result = RefBurst()
        markers = [self.marker() for _ in range(count)]
        sent: dict[str, float] = {}
        meter = CpuMeter(self.tree)
        start = now()

        async def shot(i: int) -> None:
            await asyncio.sleep(max(0.0, start + spread * i / count - now()))
            sent[markers[i]] = now()
            try:
                response = await self.emitter.post(
                    f"/emit?to={AUDIENCE}", content=NOTE.format(marker=markers[i], phone=i)
                )
                result.statuses[response.status_code] += 1
            except httpx.HTTPError as error:
                result.statuses[type(error).__name__] += 1

        await asyncio.gather(*(shot(i) for i in range(count)))
        deadline = now() + wait
        while now() < deadline and not set(markers) <= self.first_socket_markers.keys():
            await asyncio.sleep(0.05)
        await self.quiet(0.5, wait)
        seconds = now() - start
        result.cpu = max(0.0, meter.stop() - idle_rate * seconds)
        result.latencies = [self.first_socket_markers[m] - sent[m] for m in markers if m in self.first_socket_markers]
        result.missing = count - len(result.latencies)
        return result

    def rss(self) -> int:
        return self.tree.rss_bytes()

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await asyncio.gather(*(ws.close() for ws in self.sockets), return_exceptions=True)
        await self.emitter.aclose()
