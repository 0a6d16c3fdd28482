"""Browsers and phones as the load generator plays them: each its own cookie jar, HTTP connection and WebSocket.

A phone does what phone.html and app.js make a browser do, read from the HTML it receives rather than assumed:
it keeps the answer form it was last given (step id and idempotency key), and after every WebSocket frame it
applies app.js's rule for its own part: when the frame's `#phone-step` carries another `data-state` than its
`#phone-mine`, it GETs `#phone-mine`'s `hx-get` URL (the same for `[data-follows]` parts). A frame that itself
carries `#phone-mine` (an out-of-band swap) replaces it first, as htmx would. So the figures stay honest whether the
step's form comes with the frame or needs a request.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from bench.measure import now

_SSL = ssl.create_default_context()  # one context for every client: creating one per phone costs milliseconds
FORM = re.compile(r"<form\b.*?</form>", re.DOTALL)
ATTR = re.compile(r'([\w:-]+)="([^"]*)"')


def tag_attrs(html: str, element_id: str) -> dict[str, str] | None:
    """The attributes of the opening tag with id="element_id", or None."""
    found = re.search(rf'<[a-z][\w-]*\b[^>]*\bid="{re.escape(element_id)}"[^>]*>', html)
    return dict(ATTR.findall(found.group(0))) if found else None


def answer_forms(html: str) -> list[tuple[str, str]]:
    """(step id, idempotency key) of every answer form in the html."""
    forms = []
    for form in FORM.findall(html):
        step = re.search(r'name="step_id" value="(\d+)"', form)
        key = re.search(r'name="idempotency_key" value="([^"]+)"', form)
        if step:
            forms.append((step.group(1), key.group(1) if key else ""))
    return forms


class Device:
    """One browser: its own cookie jar and connection; WebSockets carry its cookies and the server's Origin."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = httpx.AsyncClient(base_url=url, follow_redirects=False, timeout=120, verify=_SSL)

    def csrf(self) -> str:
        return self.http.cookies.get("olive_csrf") or ""

    async def post(self, path: str, data: dict | None = None, **kwargs) -> httpx.Response:
        if not self.csrf():
            await self.http.get("/")
        form = {**(data or {}), "csrf_token": self.csrf()}
        return await self.http.post(path, data=form, **kwargs)

    async def websocket(self, path: str) -> ClientConnection:
        cookie = "; ".join(f"{name}={value}" for name, value in self.http.cookies.items())
        return await connect(
            self.url.replace("http", "ws", 1) + path,
            origin=self.url,  # type: ignore[arg-type]
            additional_headers={"Cookie": cookie},
            open_timeout=120,
            ping_interval=None,  # no client keep-alive pings (noise); the server's pings are still answered
            max_size=None,
        )

    async def close(self) -> None:
        await self.http.aclose()


@dataclass
class FrameLog:
    """What one socket received: frame count and payload bytes (after permessage-deflate), close codes."""

    frames: int = 0
    bytes: int = 0


async def read_socket(ws: ClientConnection, log: FrameLog, closed: Counter, label: str, on_frame: Callable) -> None:
    try:
        async for frame in ws:
            at = now()
            text = frame if isinstance(frame, str) else frame.decode()
            log.frames += 1
            log.bytes += len(text.encode())
            on_frame(text, at)
    except ConnectionClosed as error:
        closed[f"{label} {error.rcvd.code if error.rcvd else 'without close frame'}"] += 1


@dataclass
class StepWatch:
    """One step change as one phone lives it: first frame with the new prompt, and the new step's form."""

    needle: str
    old_step: str
    frame_at: float | None = None
    form_at: float | None = None
    requests: int = 0  # HTTP requests the phone made because of the step change
    frame_text: str = ""  # the frame that announced the step
    done: asyncio.Event = field(default_factory=asyncio.Event)


class Phone(Device):
    def __init__(self, url: str, index: int) -> None:
        super().__init__(url)
        self.index = index
        self.workshop_id = 0
        self.step_id = ""
        self.form_key = ""
        self.parts: dict[str, dict[str, str]] = {}  # own parts that follow a live region: id -> attributes
        self.log = FrameLog()
        self.watch: StepWatch | None = None
        self.fetches: set[asyncio.Task] = set()
        self.statuses: Counter = Counter()

    def take_html(self, html: str, at: float) -> None:
        """Whatever HTML reaches the phone (page, fragment, frame): keep the form, see whether the step is usable."""
        forms = answer_forms(html)
        if forms:
            self.step_id, self.form_key = forms[-1]
            watch = self.watch
            if watch and watch.form_at is None and any(step != watch.old_step for step, _ in forms):
                watch.form_at = at
                if watch.frame_at is not None:
                    watch.done.set()
        mine = tag_attrs(html, "phone-mine")
        if mine is not None:
            self.parts["phone-mine"] = {**mine, "follows": "phone-step"}
        for part in re.findall(r'<[^>]*\bdata-follows="[^"]*"[^>]*>', html):
            attrs = dict(ATTR.findall(part))
            if "id" in attrs:
                self.parts[attrs["id"]] = {**attrs, "follows": attrs["data-follows"]}

    def on_frame(self, text: str, at: float) -> None:
        self.take_html(text, at)  # an out-of-band swap of an own part comes first, as htmx applies the frame
        watch = self.watch
        if watch and watch.frame_at is None and watch.needle in text:
            watch.frame_at, watch.frame_text = at, text
            if watch.form_at is not None:
                watch.done.set()
        for part_id, part in list(self.parts.items()):  # app.js: a part follows its live region's data-state
            source = tag_attrs(text, part["follows"])
            if source is None or "data-state" not in source or source["data-state"] == part.get("data-state"):
                continue
            part["data-state"] = source["data-state"]
            url = part.get("hx-get")
            if url:
                task = asyncio.create_task(self.refresh(part_id, url))
                self.fetches.add(task)
                task.add_done_callback(self.fetches.discard)

    async def refresh(self, part_id: str, url: str) -> None:
        """htmx.trigger(part, "refresh"): GET the part's hx-get with htmx's headers; the answer replaces it."""
        if self.watch:
            self.watch.requests += 1
        headers = {"HX-Request": "true", "HX-Trigger": part_id, "HX-Target": part_id, "X-CSRF-Token": self.csrf()}
        try:
            response = await self.http.get(url, headers=headers)
        except httpx.HTTPError as error:
            self.statuses[type(error).__name__] += 1
            return
        self.statuses[response.status_code] += 1
        if response.status_code == 200:
            self.take_html(response.text, now())
