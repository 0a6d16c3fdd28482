"""End-to-end fixtures: the system's Chromium driven by Playwright (sync API), a live server, axe-core, a flaky network.

The tests here are plain sync functions: Playwright's sync API refuses to run inside a running asyncio loop, and
pytest-asyncio (auto mode) leaves sync tests alone. The live server runs uvicorn in its own thread.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import PASSWORD, LiveServer, free_port, make_settings

try:
    from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
except ImportError as error:  # the browser fixture turns this into a skip (or a failure with REQUIRE_BROWSER=1)
    PLAYWRIGHT_IMPORT_ERROR: str | None = str(error)
    Browser = BrowserContext = Page = expect = sync_playwright = None  # type: ignore[assignment,misc]
else:
    PLAYWRIGHT_IMPORT_ERROR = None

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]
AXE = Path(__file__).parent / "vendor" / "axe-4.11.1.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 360, "height": 740}
LOCALE = "nl-NL"  # Playwright's default Accept-Language is en-US; the people in the room read Dutch.


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(f"REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser(sqlite_template: Path) -> Iterator[Browser]:
    """One Chromium for all e2e tests.

    Package-scoped rather than session-scoped on purpose: while Playwright's sync API is active, its event loop
    counts as the thread's running loop, so asyncio.run() and every pytest-asyncio test in the same thread would
    fail ("cannot be called from a running event loop"). The browser therefore closes when the e2e package is
    done, before the async tests of the other packages run. It also takes the migrated SQLite template first,
    because making that template calls asyncio.run().
    """
    if PLAYWRIGHT_IMPORT_ERROR is not None:
        _unavailable(f"the playwright package cannot be imported ({PLAYWRIGHT_IMPORT_ERROR})")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"no Chromium at {CHROMIUM} (install the distribution's chromium package)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def new_context(browser: Browser, base_url: str, *, phone: bool = False) -> BrowserContext:
    """One device: its own cookies. Phones get a 360x740 touch viewport."""
    options: dict = {"base_url": base_url, "locale": LOCALE}
    if phone:
        options.update(viewport=PHONE, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    context.set_default_timeout(10_000)
    return context


@pytest.fixture
def devices(browser: Browser, live_server: LiveServer) -> Iterator:
    """Make browser contexts on the test's live server (`devices(phone=True, base_url=...)`); all are closed
    after the test, before the server stops, so no page keeps reconnecting to a server that is gone."""
    made: list[BrowserContext] = []

    def make(*, phone: bool = False, base_url: str | None = None) -> BrowserContext:
        made.append(new_context(browser, base_url or live_server.url, phone=phone))
        return made[-1]

    yield make
    for context in made:
        context.close()


class PageProblems:
    """What a user never sees but a page must not have: uncaught script errors, Content-Security-Policy violations
    and failed loads (a 404 for a missing file, say). Failed WebSocket connects are expected while a phone is
    offline and are left out: Chromium's own message, and htmx logging the socket's error event."""

    EXPECTED = re.compile(r"^(WebSocket connection to '.*' failed|\[object Event\]$)")

    def __init__(self) -> None:
        self.items: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("pageerror", lambda error: self.items.append(f"{page.url}: uncaught {error}"))
        page.on("console", lambda message: self._console(page, message))
        return page

    def _console(self, page: Page, message) -> None:
        if message.type == "error" and not self.EXPECTED.match(message.text):
            self.items.append(f"{page.url}: {message.text}")


# --- Axe ---------------------------------------------------------------------------------------------------


# axe reports what it cannot decide as "incomplete". For contrast that means "no single background colour" and
# needs a human; for every other rule it is a real finding (it caught aria-label on the board's join-code <p>).
NEEDS_A_HUMAN = {"color-contrast", "color-contrast-enhanced"}


def axe_findings(page: Page) -> list[dict]:
    """Run axe-core on the page as it is now (WCAG 2.0/2.1 A and AA rules): its violations, and its undecided
    results outside NEEDS_A_HUMAN.

    `page.add_script_tag(path=...)` inserts an inline <script>, which the app's CSP (script-src 'self') rightly
    refuses. `page.evaluate` runs through the DevTools protocol, which CSP does not govern, so axe is injected
    that way and the page keeps its real policy (no bypass_csp).
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", AXE_TAGS
    )
    undecided = [{**r, "impact": "needs review"} for r in results["incomplete"] if r["id"] not in NEEDS_A_HUMAN]
    return results["violations"] + undecided


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').splitlines()[-1:]}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    findings = axe_findings(page)
    assert not findings, f"axe found {len(findings)} problem(s) on {page.url}:\n{describe(findings)}"


def goto_live(page: Page, path: str, timeout: float = 10.0) -> Page:
    """Open a live page and wait until its WebSocket delivered the first frame (the snapshot) and htmx swapped it."""
    frames: list = []

    def on_socket(websocket) -> None:
        websocket.on("framereceived", lambda payload: frames.append(payload))

    page.on("websocket", on_socket)
    page.goto(path)
    deadline = time.monotonic() + timeout
    while not frames:
        assert time.monotonic() < deadline, f"no WebSocket frame on {path}"
        page.wait_for_timeout(25)  # lets Playwright deliver pending events
    page.remove_listener("websocket", on_socket)
    page.wait_for_timeout(50)  # htmx swaps the frame; settle classes are removed after 20 ms
    return page


# --- A network that can be cut ------------------------------------------------------------------------------


class FlakyNetwork:
    """A TCP relay in front of the live server: the phone's Wi-Fi, which a test can cut and restore.

    Chromium's offline emulation (context.set_offline) fails new requests but leaves WebSockets that are already
    open untouched: the "offline" phone would keep receiving live updates. Cutting this relay drops the phone's
    TCP connections without a closing handshake (the browser sees 1006, abnormal closure, as on real Wi-Fi loss)
    and refuses new ones until it is restored.
    """

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.online = True
        self.cuts = 0
        self._sockets: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.online:
                _drop(client)
                continue
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                _drop(client)
                continue
            with self._lock:
                self._sockets.update((client, server))
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                with self._lock:
                    self._sockets.discard(sock)
                _drop(sock)

    def cut(self) -> None:
        self.online = False
        self.cuts += 1
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            _drop(sock)

    def restore(self) -> None:
        self.online = True

    def close(self) -> None:
        self.cut()
        self.listener.close()


def _drop(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


@pytest.fixture
def flaky_network(live_server: LiveServer) -> Iterator[FlakyNetwork]:
    network = FlakyNetwork(live_server.port)
    yield network
    network.close()


# --- A room for checks that only look (axe): one server and one set of devices per module --------------------


@dataclass
class Room:
    server: LiveServer
    facilitator: BrowserContext
    workshop_id: int
    code: str
    phones: list[BrowserContext] = field(default_factory=list)


def set_up_facilitator(page: Page, email: str = "anna@example.nl") -> None:
    """First run: the home page offers to create the first facilitator (Dutch UI)."""
    page.goto("/")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Naam").fill("Anna")
    page.get_by_label("Wachtwoord (minstens 12 tekens)").fill(PASSWORD)
    page.get_by_role("button", name="Account aanmaken").click()
    page.wait_for_url("**/workshops")


def create_and_start_workshop(page: Page, title: str = "Warmtenet Noord") -> tuple[int, str]:
    page.goto("/workshops")
    page.get_by_label("Titel").fill(title)
    page.get_by_role("radio", name=re.compile("^Leer elkaar kennen")).check()
    page.get_by_role("button", name="Sessie aanmaken").click()
    page.wait_for_url(re.compile(r"/workshops/\d+$"))
    workshop_id = int(page.url.rsplit("/", 1)[1])
    page.get_by_role("button", name="Sessie starten").click()
    code = page.locator(".join-code-small")
    expect(code).to_have_text(re.compile(r"^[A-Z0-9]{6}$"))
    return workshop_id, code.inner_text()


def join(page: Page, link: str, party: str) -> None:
    """Open the join link (/j/{code}, absolute or relative) and take part as `party`."""
    page.goto(link)
    page.get_by_role("radio", name=party).check()
    page.get_by_role("button", name="Doe mee").click()
    page.wait_for_url(re.compile(r"/p/\d+$"))


def send_answer(page: Page, text: str) -> None:
    """Type and send an answer, once the phone's form belongs to the step it shows (after a step change the form
    is fetched again: typing into the old one would answer the previous step)."""
    step_id = page.locator("#phone-step").get_attribute("data-state").split(":")[0]
    expect(page.locator("#phone-mine input[name=step_id]")).to_have_value(step_id)
    page.locator("#answer-text").fill(text)
    page.get_by_role("button", name="Versturen").click()
    expect(page.locator("#phone-mine .my-notes")).to_contain_text(text)


@pytest.fixture(scope="module")
def room_with_answers(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[Room]:
    """A started workshop with two phones that each answered; pages are opened by the tests themselves."""
    tmp = tmp_path_factory.mktemp("e2e-room")
    shutil.copy(sqlite_template, tmp / "room.db")
    port = free_port()
    settings = make_settings(tmp, f"sqlite+aiosqlite:///{tmp / 'room.db'}", base_url=f"http://127.0.0.1:{port}")
    server = LiveServer(settings, port).start()
    facilitator = new_context(browser, server.url)
    page = facilitator.new_page()
    set_up_facilitator(page)
    workshop_id, code = create_and_start_workshop(page)
    page.close()
    room = Room(server, facilitator, workshop_id, code)
    for party, text in (("Gemeente", "Betaalbare warmte voor iedereen"), ("Initiatief", "Samen eigenaar zijn")):
        phone = new_context(browser, server.url, phone=True)
        page = phone.new_page()
        join(page, f"/j/{code}", party)
        send_answer(page, text)
        page.close()
        room.phones.append(phone)
    yield room
    for context in (facilitator, *room.phones):
        context.close()
    server.stop()
