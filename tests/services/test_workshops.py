"""Workshop services on SQLite and PostgreSQL (every test runs on both)."""

import pytest

from app.models import WorkshopStatus
from app.services import accounts, steps, workshops
from app.services.errors import Conflict, Gone, Invalid, NotFound, WorkshopEnded
from app.services.events import EventKind
from app.services.tokens import JOIN_CODE_ALPHABET


async def owner(db, email="anna@example.nl"):
    return await accounts.create_facilitator(db, email=email, name="Anna", password="correct horse battery")


async def test_builtin_method_gives_the_four_steps_and_default_parties(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Warmtenet", method_key="leer-elkaar-kennen")
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    assert [s.prompt.split(":")[0] for s in agenda] == [
        "Waarden en doelen",
        "Welke waarden en doelen zijn voor jou het belangrijkst?",
        "Werkwijzen",
        "Kansen, risico's en onzekerheden",
        "Hoe groot en hoe waarschijnlijk zijn de risico's?",
        "Rolverdeling",
    ]
    assert all(s.facilitator_notes for s in agenda)
    assert [p.name for p in await workshops.list_parties(db, workshop_id=w.id)] == ["Gemeente", "Initiatief"]


async def test_start_gives_an_unambiguous_code_and_the_first_step(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
    events = await workshops.start_workshop(db, workshop=w)
    assert [e.kind for e in events] == [EventKind.workshop]
    assert w.status == WorkshopStatus.open
    assert len(w.join_code) == 6 and set(w.join_code) <= set(JOIN_CODE_ALPHABET)
    assert w.current_step_id == (await workshops.list_steps(db, workshop_id=w.id))[0].id
    found = await workshops.open_workshop_by_code(db, code=f" {w.join_code.lower()[:3]}-{w.join_code[3:]} ")
    assert found.id == w.id


async def test_join_codes_are_unique_among_open_workshops_only(db, monkeypatch):
    anna = await owner(db)
    first = await workshops.create_workshop(db, owner_id=anna.id, title="A")
    second = await workshops.create_workshop(db, owner_id=anna.id, title="B")
    codes = iter(["AAAAAA", "AAAAAA", "CCCCCC"])
    monkeypatch.setattr(workshops, "new_join_code", lambda: next(codes))
    await workshops.start_workshop(db, workshop=first)
    await workshops.start_workshop(db, workshop=second)  # AAAAAA is taken: the unique index makes it retry
    await db.refresh(first)  # the retry's rollback expired the other loaded objects
    assert (first.join_code, second.join_code) == ("AAAAAA", "CCCCCC")
    # A closed workshop's code is dead (it says which workshop ended) and free again.
    await workshops.close_workshop(db, workshop=first)
    with pytest.raises(WorkshopEnded) as ended:
        await workshops.open_workshop_by_code(db, code="AAAAAA")
    assert ended.value.workshop_id == first.id
    third = await workshops.create_workshop(db, owner_id=first.owner_id, title="C")
    monkeypatch.setattr(workshops, "new_join_code", lambda: "AAAAAA")
    await workshops.start_workshop(db, workshop=third)
    assert (await workshops.open_workshop_by_code(db, code="AAAAAA")).id == third.id


async def test_navigation_and_step_editing(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    with pytest.raises(Invalid):
        await workshops.go_relative(db, workshop=w, offset=1)
    for prompt in ("Een", "Twee", "Drie"):
        await steps.add_step(db, workshop=w, prompt=prompt)
    await workshops.start_workshop(db, workshop=w)
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    assert w.current_step_id == agenda[0].id
    events = await workshops.go_relative(db, workshop=w, offset=1)
    assert events[0].kind == EventKind.step and w.current_step_id == agenda[1].id
    await workshops.go_relative(db, workshop=w, offset=5)
    assert w.current_step_id == agenda[2].id
    assert await workshops.go_relative(db, workshop=w, offset=1) == []  # at the end: nothing changes
    # Reorder during the workshop: move "Drie" to the top.
    await steps.move_step(db, workshop=w, step_id=agenda[2].id, offset=-1)
    await steps.move_step(db, workshop=w, step_id=agenda[2].id, offset=-1)
    assert [s.prompt for s in await workshops.list_steps(db, workshop_id=w.id)] == ["Drie", "Een", "Twee"]
    events = await steps.update_step(db, workshop=w, step_id=agenda[2].id, prompt="Drie!", help_text="hulp")
    assert {e.kind for e in events} == {EventKind.agenda, EventKind.step}  # it is the current step
    with pytest.raises(Invalid):
        await steps.update_step(db, workshop=w, step_id=agenda[2].id, prompt="  ", help_text="")
    with pytest.raises(Conflict):
        await steps.delete_step(db, workshop=w, step_id=agenda[2].id)  # the current step
    await steps.delete_step(db, workshop=w, step_id=agenda[0].id)
    assert len(await workshops.list_steps(db, workshop_id=w.id)) == 2


async def test_parties_add_rename_remove(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    await workshops.add_party(db, workshop=w, name="Netbeheerder")
    parties = await workshops.list_parties(db, workshop_id=w.id)
    assert [p.name for p in parties] == ["Gemeente", "Initiatief", "Netbeheerder"]
    with pytest.raises(Conflict):
        await workshops.add_party(db, workshop=w, name="Gemeente")
    parties = await workshops.list_parties(db, workshop_id=w.id)
    await workshops.rename_party(db, workshop=w, party_id=parties[1].id, name="Energiecoöperatie")
    await workshops.remove_party(db, workshop=w, party_id=parties[2].id)
    assert [p.name for p in await workshops.list_parties(db, workshop_id=w.id)] == ["Gemeente", "Energiecoöperatie"]
    with pytest.raises(Invalid):
        await workshops.add_party(db, workshop=w, name="x" * 61)


async def test_a_facilitator_only_reaches_their_own_workshops(db):
    anna = await owner(db)
    bert = await owner(db, "bert@example.nl")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    assert (await workshops.get_owned_workshop(db, owner_id=anna.id, workshop_id=w.id)).id == w.id
    with pytest.raises(NotFound):
        await workshops.get_owned_workshop(db, owner_id=bert.id, workshop_id=w.id)
    assert await workshops.list_workshops(db, owner_id=bert.id) == []


async def test_closed_workshop_refuses_changes(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    await workshops.close_workshop(db, workshop=w)
    assert w.closed_at is not None
    with pytest.raises(Gone):
        await steps.add_step(db, workshop=w, prompt="Nog één")
    with pytest.raises(Gone):
        await workshops.start_workshop(db, workshop=w)
    assert await workshops.close_workshop(db, workshop=w) == []


async def test_results_can_be_hidden_until_reveal(db):
    anna = await owner(db)
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key="leer-elkaar-kennen")
    await workshops.start_workshop(db, workshop=w)
    events = await steps.set_results_hidden(db, workshop=w, step_id=w.current_step_id, hidden=True)
    assert {e.kind for e in events} == {EventKind.agenda, EventKind.step}
    assert await steps.set_results_hidden(db, workshop=w, step_id=w.current_step_id, hidden=True) == []
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    assert agenda[0].results_hidden and not agenda[1].results_hidden
