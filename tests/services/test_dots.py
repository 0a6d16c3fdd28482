"""Dots (prioriteren met stippen): settings and response rules, one distribution per participant (SQLite and
PostgreSQL), carry forward from an open question, and per-party totals and rankings against a plain recount."""

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.methods.yaml_io import MethodFileError, method_to_yaml, parse_method_yaml
from app.models import Answer
from app.services import accounts, answers, participants, steps, workshops
from app.services.carry_forward import add_dots_step_from_notes, as_item, group_by_parties, notes_to_carry
from app.services.errors import Gone, Invalid
from app.services.kinds import ResponseView, get_kind
from app.services.kinds.dots import DOTS
from app.services.rooms import load_room


class Form(dict):
    def get(self, key, default=None):
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


ITEMS = ["Zonnedak school", "Warmtenet Noord", "Buurtbatterij"]
CONFIG = DOTS.parse_config({"items": ITEMS, "budget": 5, "max_per_item": 3})


def dots(*values) -> Form:
    return Form({f"dots-{i}": str(v) for i, v in enumerate(values)})


def test_the_kind_is_registered():
    assert get_kind("dots") is DOTS and DOTS.structured
    assert DOTS.parse_config({"items": ["A", "B"]}) == {"items": ["A", "B"], "budget": 5, "max_per_item": 5}


def test_settings_from_the_console_form():
    config = DOTS.config_from_form(Form(items=" A \n\nB\nC ", budget="7", max_per_item=""))
    assert config == {"items": ["A", "B", "C"], "budget": 7, "max_per_item": 7}
    assert DOTS.config_from_form(Form(items="A\nB"))["budget"] == 5
    assert DOTS.config_from_form(Form(items="A\nB", budget="4", max_per_item="2"))["max_per_item"] == 2
    bad = [
        Form(items="Alleen"),
        Form(items="\n".join(f"Item {i}" for i in range(31))),
        Form(items="A\n" + "x" * 201),
        Form(items="Zon\nzon"),  # the same item, whatever its case
        Form(items="A\nB", budget="0"),
        Form(items="A\nB", budget="21"),
        Form(items="A\nB", budget="vijf"),
        Form(items="A\nB", budget="4", max_per_item="5"),
        Form(items="A\nB", max_per_item="0"),
    ]
    for form in bad:
        with pytest.raises(Invalid):
            DOTS.config_from_form(form)
    with pytest.raises(Invalid):
        DOTS.parse_config({"items": ["A", "B"], "budget": 3, "max_per_item": 4})


def test_a_distribution_within_the_budget_and_the_most_per_item():
    assert DOTS.parse_response(CONFIG, dots(3, 2, 0)) == {"dots": [3, 2, 0]}
    assert DOTS.parse_response(CONFIG, Form({"dots-1": "1"})) == {"dots": [0, 1, 0]}  # empty fields are 0
    assert DOTS.parse_response(CONFIG, dots(1, "", " 2 ")) == {"dots": [1, 0, 2]}


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (dots(3, 3, 0), "You only have %(budget)d dots; you spent %(total)d."),  # 6 of 5
        (dots(2, 2, 2), "You only have %(budget)d dots; you spent %(total)d."),
        (dots(4, 0, 0), "You put too many dots on one item: the most is %(max)d."),
        (dots(-1, 3, 0), "The number of dots cannot be negative."),
        (dots(0, 0, 0), "Put at least one dot on an item."),
        (Form(), "Put at least one dot on an item."),
        (dots("twee", 0, 0), "Enter the number of dots as a whole number."),
        (dots("1.5", 0, 0), "Enter the number of dots as a whole number."),
    ],
)
def test_bad_distributions_are_refused(form, message):
    with pytest.raises(Invalid) as caught:
        DOTS.parse_response(CONFIG, form)
    assert caught.value.message == message


def test_the_budget_message_names_the_budget():
    with pytest.raises(Invalid) as caught:
        DOTS.parse_response(CONFIG, dots(3, 3, 1))
    assert caught.value.params == {"budget": 5, "total": 7}


async def running_with(db, kind="dots", fields=None, method_key=None):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W", method_key=method_key)
    await steps.add_step(db, workshop=w, prompt="Vraag", kind=kind, fields=Form(fields or {}))
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_a_changed_distribution_replaces_the_old_one(db):
    w, gemeente, initiatief = await running_with(db, fields={"items": "\n".join(ITEMS), "budget": "5"})
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    first, events = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=dots(5, 0, 0), idempotency_key="k1"
    )
    assert events and first.value == {"dots": [5, 0, 0]}
    changed, _ = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=dots(1, 1, 3), idempotency_key="k2"
    )
    assert changed.id == first.id and changed.value == {"dots": [1, 1, 3]}
    with pytest.raises(Invalid):  # over the budget: refused, the stored distribution stays
        await answers.submit_response(
            db, participant=me, step_id=w.current_step_id, fields=dots(3, 3, 0), idempotency_key="k3"
        )
    count = await db.scalar(select(func.count()).select_from(Answer).where(Answer.step_id == w.current_step_id))
    assert count == 1
    assert (await answers.my_response(db, participant=me, step_id=w.current_step_id)).value == {"dots": [1, 1, 3]}

    other, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    await answers.submit_response(
        db, participant=other, step_id=w.current_step_id, fields=dots(0, 4, 1), idempotency_key="k4"
    )
    result = (await load_room(db, workshop_id=w.id)).current.result
    assert [t.dots for _p, t in result.parties] == [[1, 1, 3], [0, 4, 1]]
    assert result.overall.dots == [1, 5, 4] and result.order == [1, 2, 0]
    header, rows = DOTS.summary_table(result)
    assert header[1:] == ["Gemeente", "Initiatief", "Iedereen"]  # Dutch by default
    assert rows == [
        ["Warmtenet Noord", "1", "4", "5"],
        ["Buurtbatterij", "3", "1", "4"],
        ["Zonnedak school", "1", "0", "1"],
    ]
    assert DOTS.describe_response(CONFIG, {"dots": [1, 0, 3]}) == "Zonnedak school: 1; Buurtbatterij: 3"
    with pytest.raises(Invalid):  # a dots step takes dots, not a note
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Nota", idempotency_key="k5")


# --- Carry forward ---------------------------------------------------------------------------------------------


async def open_question_with_notes(db):
    w, gemeente, initiatief = await running_with(db, kind="open")
    notes = [
        (gemeente, "Zonnedak op de school"),
        (gemeente, "Warmtenet   Noord"),
        (initiatief, "warmtenet noord"),  # the same as Gemeente's, other case and spacing
        (initiatief, "Buurtbatterij"),
        (gemeente, "zonnedak op de school"),  # the same as before, same party
        (initiatief, "Lang " + "verhaal " * 40),
    ]
    for n, (party, text) in enumerate(notes):
        me, _, _ = await participants.join(db, workshop=w, party_id=party.id)
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text=text, idempotency_key=f"n{n}")
    return w, gemeente, initiatief


async def test_carry_forward_lists_distinct_notes_per_party(db):
    w, gemeente, initiatief = await open_question_with_notes(db)
    notes = await notes_to_carry(db, workshop=w, step_id=w.current_step_id)
    by_text = {n.text: n for n in notes}
    long_text = as_item("Lang " + "verhaal " * 40)
    assert len(long_text) == 200 and long_text.endswith("\u2026")
    assert [n.text for n in notes] == ["Zonnedak op de school", "Buurtbatterij", long_text, "Warmtenet Noord"]
    assert [p.name for p in by_text["Warmtenet Noord"].parties] == ["Gemeente", "Initiatief"]
    assert by_text["Zonnedak op de school"].count == 2
    groups = group_by_parties(notes)
    assert [[p.name for p in g.parties] for g in groups] == [["Gemeente"], ["Initiatief"], ["Gemeente", "Initiatief"]]
    assert [len(g.notes) for g in groups] == [1, 2, 1]


async def test_carry_forward_keeps_only_the_selection_right_after_the_question(db):
    w, _, _ = await open_question_with_notes(db)
    source = w.current_step_id
    await steps.add_step(db, workshop=w, prompt="Afsluiting")
    events = await add_dots_step_from_notes(
        db,
        workshop=w,
        source_step_id=source,
        selected=["WARMTENET NOORD", "Zonnedak op de school"],
        prompt="Waar wil je je stippen op zetten?",
        budget=3,
    )
    agenda = await workshops.list_steps(db, workshop_id=w.id)
    assert [s.prompt for s in agenda] == ["Vraag", "Waar wil je je stippen op zetten?", "Afsluiting"]
    new = agenda[1]
    assert events and events[0].step_id == new.id
    assert new.kind == "dots"
    assert new.config == {"items": ["Zonnedak op de school", "Warmtenet Noord"], "budget": 3, "max_per_item": 3}


async def test_a_bad_carry_forward_changes_nothing(db):
    w, _, _ = await open_question_with_notes(db)
    source = w.current_step_id
    bad = [
        {"selected": ["Buurtbatterij"]},  # one is not enough
        {"selected": ["Buurtbatterij", "Iets wat niemand schreef"]},
        {"selected": ["Buurtbatterij", "Warmtenet Noord"], "budget": 0},
        {"selected": ["Buurtbatterij", "Warmtenet Noord"], "prompt": "  "},
    ]
    for case in bad:
        kwargs = {"prompt": "Stippen", "budget": 5, **case}
        with pytest.raises(Invalid):
            await add_dots_step_from_notes(db, workshop=w, source_step_id=source, **kwargs)
    assert len(await workshops.list_steps(db, workshop_id=w.id)) == 1


async def test_only_an_open_question_can_be_carried_forward(db):
    w, _, _ = await running_with(db, fields={"items": "A\nB"})
    step_id = w.current_step_id
    with pytest.raises(Invalid):
        await notes_to_carry(db, workshop=w, step_id=step_id)
    await workshops.close_workshop(db, workshop=w)
    with pytest.raises(Gone):
        await add_dots_step_from_notes(db, workshop=w, source_step_id=step_id, selected=[], prompt="x", budget=5)


# --- Aggregates against a plain recount ------------------------------------------------------------------------

PARTIES = [SimpleNamespace(id=1, name="Gemeente"), SimpleNamespace(id=2, name="Initiatief")]
FOUR = DOTS.parse_config({"items": ["A", "B", "C", "D"], "budget": 6})


@st.composite
def distributions(draw):
    """A valid distribution of at most 6 dots over 4 items."""
    spent = [0, 0, 0, 0]
    for _ in range(draw(st.integers(1, 6))):
        spent[draw(st.integers(0, 3))] += 1
    return spent


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2]), distributions()), max_size=30))
def test_dots_totals_and_ranking_per_party_match_a_recount(responses):
    views = [ResponseView(i, party, {"dots": d}) for i, (party, d) in enumerate(responses)]
    result = DOTS.aggregate(FOUR, PARTIES, views)
    groups = [(t, [d for p, d in responses if p == party.id]) for party, t in result.parties]
    groups.append((result.overall, [d for _p, d in responses]))
    for tally, mine in groups:
        totals = [sum(d[i] for d in mine) for i in range(4)]
        assert tally.respondents == len(mine)
        assert tally.dots == totals
        # The ranking: every item once; more dots first; on equal dots, the item listed first comes first.
        expected = []
        for count in sorted(set(totals), reverse=True):
            expected += [i for i in range(4) if totals[i] == count]
        assert tally.ranking == expected
        assert tally.top(3) == [i for i in expected if totals[i] > 0][:3]
    assert result.order == result.overall.ranking
    header, rows = DOTS.summary_table(result)
    assert [row[0] for row in rows] == [FOUR["items"][i] for i in result.order]
    assert all(int(row[-1]) == sum(int(c) for c in row[1:-1]) for row in rows)


def test_a_dots_step_survives_a_method_file_round_trip():
    text = (
        "title: Prioriteren\nsteps:\n"
        "  - kind: dots\n    prompt: Waar beginnen we?\n"
        "    config: {items: [Zonnedak, Warmtenet], budget: 3}\n"
    )
    method = parse_method_yaml(text)
    assert method.steps[0].config == {"items": ["Zonnedak", "Warmtenet"], "budget": 3, "max_per_item": 3}
    assert parse_method_yaml(method_to_yaml(method)) == method
    with pytest.raises(MethodFileError):  # the kind's rules hold in method files too
        parse_method_yaml(text.replace("budget: 3", "budget: 3, max_per_item: 4"))
