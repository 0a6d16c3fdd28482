"""A full room for the projector tests: two parties, an open question with 40 notes per party and one step of
every chart kind with responses, built fast through the services (not by typing on phones). The board is opened
through a one-time board link, as on the projector's own computer."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

from app.db import Database
from app.models import Workshop
from app.services import accounts, answers, board_links, participants, steps, workshops
from tests.report_workshop import Form

T = TypeVar("T")

NOTES_PER_PARTY = 40
PEOPLE_PER_PARTY = 8
OPEN_PROMPT = "Wat is voor jullie de kern van een goede samenwerking tussen gemeente en initiatief?"
POLL_OPTIONS = [
    "Een werkafspraak die we elk halfjaar samen bijstellen",
    "Een convenant met de gemeenteraad",
    "Een intentieovereenkomst met heldere rollen",
    "Nog geen vastlegging: eerst samen een pilot in één straat",
]
STATEMENTS = [
    "Er is meerwaarde in samenwerken",
    "Er is voldoende commitment bij beide partijen",
    "We vertrouwen elkaar",
    "De rollen zijn duidelijk",
]
DOT_ITEMS = ["Warmtenet", "Isolatie", "Zonnedaken", "Participatie", "Financiering", "Communicatie"]
MATRIX_ITEMS = ["Wijkaanpak", "Energiecoach", "Collectieve inkoop", "Buurtbatterij", "Warmtescan"]
TASKS = ["Communicatie met bewoners", "Subsidieaanvraag", "Technische haalbaarheid", "Vergunningen"]
PHRASES = [
    "Elkaar op tijd informeren",
    "Duidelijke rollen en besluiten",
    "Afspraken nakomen, fouten eerlijk bespreken",
    "Tempo van vrijwilligers respecteren",
    "Geld voor procesbegeleiding",
]
STEPS = [
    ("open", OPEN_PROMPT, Form()),
    ("poll", "Welke vorm past bij onze afspraken?", Form(options="\n".join(POLL_OPTIONS))),
    ("scale", "Hoe staat de samenwerking ervoor?", Form(statements="\n".join(STATEMENTS), scale="agree5")),
    ("dots", "Waar beginnen we mee?", Form(items="\n".join(DOT_ITEMS), budget="5")),
    ("matrix", "Impact en haalbaarheid", Form(items="\n".join(MATRIX_ITEMS), x_label="Impact", y_label="Haalbaar")),
    ("roles", "Wie doet wat?", Form(tasks="\n".join(TASKS))),
]
KINDS = [kind for kind, _prompt, _form in STEPS]


def run_async(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to the end in a thread of its own: Playwright's sync API occupies this thread's loop."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(make())  # type: ignore[arg-type]
        except BaseException as error:  # handed to the caller
            box["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


async def _with_db(url: str, work: Callable) -> object:  # type: ignore[type-arg]
    database = Database(url)
    try:
        async with database.writer() as db:
            return await work(db)
    finally:
        await database.dispose()


async def _build(db, notes_per_party: int) -> int:  # type: ignore[no-untyped-def]
    owner = await accounts.create_facilitator(db, email="bord@example.nl", name="Anna", password="x" * 16)
    w = await workshops.create_workshop(db, owner_id=owner.id, title="Warmtenet Noord: tweede sessie")
    for kind, prompt, fields in STEPS:
        await steps.add_step(db, workshop=w, prompt=prompt, kind=kind, fields=fields)
    await workshops.start_workshop(db, workshop=w)
    parties = await workshops.list_parties(db, workshop_id=w.id)
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    people = {party.id: [] for party in parties}
    for party in parties:
        for n in range(PEOPLE_PER_PARTY):
            p, _token, _events = await participants.join(db, workshop=w, party_id=party.id)
            people[party.id].append(p)
    key = 0
    for party in parties:
        for n in range(notes_per_party):
            key += 1
            p = people[party.id][n % PEOPLE_PER_PARTY]
            text = f"{PHRASES[n % len(PHRASES)]} ({party.name} {n + 1})"
            await answers.add_answer(db, participant=p, step_id=agenda[0].id, text=text, idempotency_key=f"k{key}")
    for index, party in enumerate(parties):
        for n, p in enumerate(people[party.id]):
            structured = [
                (agenda[1], Form(choice=str((n + index) % len(POLL_OPTIONS)))),
                (agenda[2], Form({f"rating-{i}": str(1 if i == 0 else 1 + (n + i + index) % 5) for i in range(4)})),
                (agenda[3], Form({f"dots-{(n + index) % 6}": "3", f"dots-{(n + 2) % 6}": "2"})),
                (agenda[4], Form({k: str(1 + (n + i + index) % 5) for i in range(5) for k in (f"x-{i}", f"y-{i}")})),
                (agenda[5], Form({f"role-{t}-{parties[(t + index) % 2].id}": "lead" for t in range(len(TASKS))})),
            ]
            for step, form in structured:
                key += 1
                await answers.submit_response(
                    db, participant=p, step_id=step.id, fields=form, idempotency_key=f"k{key}"
                )
    return w.id


def build_room(database_url: str, notes_per_party: int = NOTES_PER_PARTY) -> int:
    """The workshop (open, on its open question); returns its id."""
    return run_async(lambda: _with_db(database_url, lambda db: _build(db, notes_per_party)))  # type: ignore[return-value]


def board_link(database_url: str, workshop_id: int) -> str:
    """A one-time board link path (/b/{token}) for the workshop."""

    async def make(db) -> str:  # type: ignore[no-untyped-def]
        return "/b/" + await board_links.create_board_link(db, workshop=await db.get(Workshop, workshop_id))

    return run_async(lambda: _with_db(database_url, make))  # type: ignore[return-value]


def go_to_kind(database_url: str, workshop_id: int, kind: str) -> None:
    """Make the step of this kind the current one (the board is reloaded by the caller)."""

    async def go(db) -> None:  # type: ignore[no-untyped-def]
        w = await db.get(Workshop, workshop_id)
        agenda = await workshops.list_steps(db, workshop_id=workshop_id)
        await workshops.go_to_step(db, workshop=w, step_id=agenda[KINDS.index(kind)].id)

    run_async(lambda: _with_db(database_url, go))


def set_status(database_url: str, workshop_id: int, *, closed: bool = False, no_step: bool = False) -> None:
    """Close the workshop, or take it off every step (the lobby)."""

    async def change(db) -> None:  # type: ignore[no-untyped-def]
        w = await db.get(Workshop, workshop_id)
        if no_step:
            w.current_step_id = None
            await db.commit()
        if closed:
            await workshops.close_workshop(db, workshop=w)

    run_async(lambda: _with_db(database_url, change))
