"""The projected board in a real browser at projector sizes, with 40 notes per party and every chart kind: one
screen without scrolling, the prompt, the join code, the newest notes and every chart option inside the viewport,
type that meets its share of the screen height; lobby and end screens; themes and blank screen checked by axe.

Each test keeps its screenshots in tests/e2e/screenshots/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import LiveServer, free_port, make_settings
from tests.e2e import board_room
from tests.e2e.conftest import LOCALE, PHONE, assert_accessible, expect, goto_live, join, send_answer

SCREENSHOTS = Path(__file__).parent / "screenshots"
SIZES = [(1280, 720), (1920, 1080)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]

# What the room must read from the back: shares of the screen height.
NOTE_MIN = 1 / 40
CODE_MIN = 1 / 15
QR_MIN = 1 / 4

BOXES = """selector => Array.from(document.querySelectorAll(selector)).map(e => {
  const r = e.getBoundingClientRect(), style = getComputedStyle(e);
  return {text: e.textContent.trim(), top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height,
          width: r.width, font: parseFloat(style.fontSize), shown: style.visibility !== 'hidden' && r.height > 0};
})"""


@dataclass
class BoardRoom:
    server: LiveServer
    database_url: str
    workshop_id: int


def _room(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, notes: int) -> Iterator[BoardRoom]:
    tmp = tmp_path_factory.mktemp("board-room")
    shutil.copy(sqlite_template, tmp / "room.db")
    url = f"sqlite+aiosqlite:///{tmp / 'room.db'}"
    port = free_port()
    server = LiveServer(make_settings(tmp, url, base_url=f"http://127.0.0.1:{port}"), port).start()
    workshop_id = board_room.build_room(url, notes_per_party=notes)
    yield BoardRoom(server, url, workshop_id)
    server.stop()


@pytest.fixture(scope="module")
def full_room(browser, tmp_path_factory, sqlite_template) -> Iterator[BoardRoom]:
    """40 notes per party on the open question, responses on every chart step."""
    yield from _room(tmp_path_factory, sqlite_template, board_room.NOTES_PER_PARTY)


@pytest.fixture
def open_board(browser):
    """Open the room's board through a one-time board link at a viewport size (as the projector's computer)."""
    made = []

    def make(room: BoardRoom, width: int, height: int, theme: str = ""):
        context = browser.new_context(
            base_url=room.server.url, locale=LOCALE, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        made.append(context)
        if theme:
            context.add_init_script(f"try {{ localStorage.setItem('board-theme', '{theme}'); }} catch (e) {{}}")
        page = goto_live(context.new_page(), board_room.board_link(room.database_url, room.workshop_id))
        page.wait_for_timeout(150)  # fitNotes runs after the snapshot's swap
        return page

    yield make
    for context in made:
        context.close()


def boxes(page, selector: str) -> list[dict]:
    return page.evaluate(BOXES, selector)


def inside(box: dict, width: int, height: int) -> bool:
    return box["shown"] and box["top"] >= 0 and box["left"] >= 0 and box["bottom"] <= height and box["right"] <= width


def one_screen(page, width: int, height: int) -> None:
    scroll = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert scroll[0] <= width and scroll[1] <= height, f"the board scrolls: {scroll} on {width}x{height}"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_notes_prompt_and_join_panel_fit_the_projector(full_room, open_board, width, height):
    board_room.go_to_kind(full_room.database_url, full_room.workshop_id, "open")
    page = open_board(full_room, width, height)
    shoot(page, f"board-notes-{width}x{height}")
    one_screen(page, width, height)

    [prompt] = boxes(page, ".board-prompt")
    [code] = boxes(page, ".join-code")
    [qr] = boxes(page, ".qr-figure")
    [url] = boxes(page, ".join-url")
    for box in (prompt, code, qr, url):
        assert inside(box, width, height), box
    notes = boxes(page, "#board-answers .note")
    assert len(notes) == 2 * board_room.NOTES_PER_PARTY
    shown = [n for n in notes if inside(n, width, height)]
    assert all(n["font"] >= height * NOTE_MIN for n in notes)
    assert prompt["font"] > notes[0]["font"] * 1.4
    assert all(h["font"] >= notes[0]["font"] for h in boxes(page, ".party-column h3"))
    assert code["font"] >= height * CODE_MIN
    assert qr["height"] >= height * QR_MIN
    assert url["font"] >= height * NOTE_MIN

    # The newest note of each party is on top of its column, and the rest say how many do not fit.
    for party in ("Gemeente", "Initiatief"):
        column = page.get_by_role("region", name=re.compile(f"^{party}"))
        newest = [n for n in shown if n["text"].endswith(f"({party} {board_room.NOTES_PER_PARTY})")]
        assert newest, f"the newest note of {party} is not in view"
        column_notes = [n for n in shown if f"({party} " in n["text"]]
        assert newest[0]["top"] == min(n["top"] for n in column_notes)
        hidden = board_room.NOTES_PER_PARTY - len(column_notes)
        assert hidden > 0  # 40 notes never fit at this size: the list says so
        expect(column.locator(".notes-more")).to_have_text(f"+{hidden} meer")
    print(f"{width}x{height}: {len(shown)} of {len(notes)} notes in view; note {notes[0]['font']}px")


def test_a_new_note_lands_on_top_in_view(full_room, open_board, browser):
    board_room.go_to_kind(full_room.database_url, full_room.workshop_id, "open")
    page = open_board(full_room, 1280, 720)
    phone_context = browser.new_context(base_url=full_room.server.url, locale=LOCALE, viewport=PHONE, is_mobile=True)
    try:
        phone = phone_context.new_page()
        code = page.locator(".join-code [aria-hidden]").inner_text()
        join(phone, f"/j/{code}", "Initiatief")
        send_answer(phone, "De allernieuwste bijdrage")
    finally:
        phone_context.close()
    note = page.locator("#board-answers .note", has_text="De allernieuwste bijdrage")
    expect(note).to_be_visible()
    page.wait_for_timeout(100)
    [box] = [b for b in boxes(page, "#board-answers .note") if b["text"] == "De allernieuwste bijdrage"]
    assert inside(box, 1280, 720)
    older = [b for b in boxes(page, "#board-answers .note") if "(Initiatief " in b["text"] and b["shown"]]
    assert box["top"] < min(b["top"] for b in older)  # above every older note of its party
    expect(page.get_by_role("region", name=re.compile("^Initiatief")).locator(".notes-more")).to_have_text(
        re.compile(r"^\+\d+ meer$")
    )
    shoot(page, "board-new-note-1280x720")


CHART_TEXTS = {
    "poll": board_room.POLL_OPTIONS,
    "scale": board_room.STATEMENTS,
    "dots": board_room.DOT_ITEMS,
    "matrix": board_room.MATRIX_ITEMS,
    "roles": board_room.TASKS,
}


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("kind", sorted(CHART_TEXTS))
def test_every_chart_fits_one_screen(full_room, open_board, kind, width, height):
    board_room.go_to_kind(full_room.database_url, full_room.workshop_id, kind)
    page = open_board(full_room, width, height)
    shoot(page, f"board-{kind}-{width}x{height}")
    one_screen(page, width, height)
    [prompt] = boxes(page, ".board-prompt")
    assert inside(prompt, width, height)
    [code] = boxes(page, ".join-code")
    assert inside(code, width, height)
    if kind == "roles":
        cells = boxes(page, "#board-answers .roles-table th, #board-answers .roles-table td")
        outside = [c for c in cells if not inside(c, width, height)]
        assert cells and not outside, outside[:3]
        labels = " ".join(c["text"] for c in cells)
        assert all(c["font"] >= height * NOTE_MIN * 0.9 for c in cells)
    else:
        drawn = boxes(page, "#board-answers svg.chart text")
        outside = [t for t in drawn if not inside(t, width, height)]
        assert drawn and not outside, outside[:3]
        labels = " ".join(t["text"] for t in drawn)
    for text in CHART_TEXTS[kind]:  # every option, statement, item and task, wrapped over lines or not
        assert all(word in labels for word in text.split()), f"{text!r} is not on the board"
    if kind == "matrix":  # the legend: a shape and a name per party and for everyone
        legend = [t["text"] for t in boxes(page, "#board-answers .chart-legend")]
        assert legend == ["Gemeente", "Initiatief", "Iedereen"]


def test_themes_and_blank_screen_are_accessible(full_room, open_board):
    board_room.go_to_kind(full_room.database_url, full_room.workshop_id, "open")
    page = open_board(full_room, 1280, 720)
    button = page.locator("[data-board-theme]")
    expect(button).to_have_text("Thema: licht")
    for theme, label in (("dark", "Thema: donker"), ("contrast", "Thema: hoog contrast")):
        button.click()
        expect(button).to_have_text(label)
        assert page.evaluate(f"document.body.classList.contains('theme-{theme}')")
        assert_accessible(page)
        shoot(page, f"board-theme-{theme}-1280x720")
    page.reload()  # this screen keeps its theme
    page.wait_for_timeout(200)
    assert page.evaluate("document.body.classList.contains('theme-contrast')")
    expect(button).to_have_text("Thema: hoog contrast")
    button.click()
    themes = page.evaluate("Array.from(document.body.classList).filter(name => name.startsWith('theme-'))")
    assert themes == ["theme-light"]
    assert_accessible(page)

    blank = page.locator(".board-blank")
    expect(blank).to_be_hidden()
    page.keyboard.press("b")
    expect(blank).to_be_visible()
    [cover] = boxes(page, ".board-blank")
    assert cover["width"] == 1280 and cover["height"] == 720
    expect(page.get_by_role("button", name=re.compile("^Scherm leeg"))).to_have_attribute("aria-pressed", "true")
    shoot(page, "board-blank-1280x720")
    page.keyboard.press("b")
    expect(blank).to_be_hidden()


@pytest.mark.parametrize("theme", ["light", "dark", "contrast"])
def test_charts_accessible_in_every_theme(full_room, open_board, theme):
    board_room.go_to_kind(full_room.database_url, full_room.workshop_id, "scale")
    page = open_board(full_room, 1920, 1080, theme=theme)
    assert page.evaluate(f"document.body.classList.contains('theme-{theme}')")
    assert_accessible(page)
    shoot(page, f"board-scale-{theme}-1920x1080")


@pytest.fixture
def small_room(browser, tmp_path_factory, sqlite_template) -> Iterator[BoardRoom]:
    yield from _room(tmp_path_factory, sqlite_template, 3)


@pytest.mark.parametrize(("width", "height"), SIZES, ids=SIZE_IDS)
def test_lobby_and_end_screen(small_room, open_board, width, height):
    board_room.set_status(small_room.database_url, small_room.workshop_id, no_step=True)
    page = open_board(small_room, width, height, theme="dark")
    expect(page.locator("#board-step")).to_have_attribute("data-view", "lobby")
    expect(page.locator(".board-prompt")).to_have_count(0)
    shoot(page, f"board-lobby-{width}x{height}")
    one_screen(page, width, height)
    [qr] = boxes(page, ".qr-figure")
    [code] = boxes(page, ".join-code")
    assert inside(qr, width, height) and qr["height"] >= height / 2
    assert inside(code, width, height) and code["font"] >= height / 10
    presence = page.locator("#board-presence")
    expect(presence).to_contain_text(re.compile(r"Gemeente:\s*8"))
    expect(presence).to_contain_text(re.compile(r"Initiatief:\s*8"))
    assert all(inside(b, width, height) for b in boxes(page, "#board-presence .presence-item"))
    assert_accessible(page)

    # Closed: the end screen (the same regions; the services here publish no event, so the board is reloaded).
    board_room.set_status(small_room.database_url, small_room.workshop_id, closed=True)
    page.reload()
    page.wait_for_timeout(200)
    expect(page.locator("#board-step")).to_have_attribute("data-view", "end")
    expect(page.locator(".board-thanks")).to_have_text("Bedankt!")
    expect(presence).to_contain_text("Deelgenomen")
    expect(presence).to_contain_text(re.compile(r"Gemeente:\s*8"))
    expect(page.locator(".join-code")).to_have_count(0)
    assert all(inside(b, width, height) for b in boxes(page, "#board-presence .presence-item"))
    [thanks] = boxes(page, ".board-thanks")
    assert inside(thanks, width, height) and thanks["font"] >= height / 15
    one_screen(page, width, height)
    shoot(page, f"board-end-{width}x{height}")
    assert_accessible(page)
