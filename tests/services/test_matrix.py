"""2×2 matrix: settings and response rules, one response per participant (SQLite and PostgreSQL), and per-party
means, quadrants and distances checked against a plain recomputation over random answer sets (hypothesis)."""

import math
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.i18n import use_locale
from app.models import Answer
from app.routes.deps import translate_error
from app.services import accounts, answers, participants, steps, workshops
from app.services.errors import Invalid
from app.services.kinds import KINDS, MATRIX, ResponseView, get_kind
from app.services.kinds.matrix import GAP, quadrant_name
from tests.services.test_kinds import Form

CONFIG = MATRIX.parse_config({"items": ["Netcongestie", "Vertraging vergunning", "Te weinig vrijwilligers"]})
PARTIES = [SimpleNamespace(id=1, name="Gemeente"), SimpleNamespace(id=2, name="Initiatief")]


def test_matrix_is_a_registered_kind_with_defaults():
    assert get_kind("matrix") is MATRIX and "matrix" in KINDS and MATRIX.structured
    assert CONFIG == {
        "items": ["Netcongestie", "Vertraging vergunning", "Te weinig vrijwilligers"],
        "x_label": "Impact",
        "y_label": "Waarschijnlijkheid",
        "points": 5,
    }


def test_settings_from_the_console_form():
    config = MATRIX.config_from_form(Form(matrix_items=" Geld \n\n Tijd ", x_label=" Invloed ", y_label="Belang"))
    assert config["items"] == ["Geld", "Tijd"] and (config["x_label"], config["y_label"]) == ("Invloed", "Belang")
    plain = MATRIX.config_from_form(Form(items="Geld\nTijd", x_label="", y_label=""))
    assert plain["items"] == ["Geld", "Tijd"] and plain["x_label"] == "Impact"


def test_settings_rules():
    for bad in (
        {"items": []},
        {"items": ["A", "A"]},
        {"items": ["A", " "]},
        {"items": ["x" * 201]},
        {"items": [f"item {i}" for i in range(16)]},
        {"items": ["A"], "x_label": " "},
        {"items": ["A"], "y_label": "y" * 61},
        {"items": ["A"], "points": 7},
    ):
        with pytest.raises(Invalid):
            MATRIX.parse_config(bad)
    assert len(MATRIX.parse_config({"items": [f"item {i}" for i in range(15)]})["items"]) == 15
    assert MATRIX.parse_config({"items": ["x" * 200]})["items"] == ["x" * 200]
    with pytest.raises(Invalid):
        MATRIX.config_from_form(Form(matrix_items="\n \n"))


def test_a_response_rates_items_on_both_axes_or_skips_them():
    value = MATRIX.parse_response(CONFIG, Form({"x-0": "5", "y-0": "1", "x-2": "3", "y-2": "3"}))
    assert value == {"ratings": [[5, 1], None, [3, 3]]}
    assert MATRIX.parse_response(CONFIG, Form({"x-1": "2", "y-1": "4", "x-0": "", "y-0": ""})) == {
        "ratings": [None, [2, 4], None]
    }
    # A rated item can be cleared again.
    assert MATRIX.parse_response(CONFIG, Form({"x-0": "4", "y-0": "4", "clear-0": "1", "x-1": "1", "y-1": "1"})) == {
        "ratings": [None, [1, 1], None]
    }


def test_bad_responses_are_refused_with_a_clear_message():
    with pytest.raises(Invalid) as one_axis:
        MATRIX.parse_response(CONFIG, Form({"x-1": "4"}))
    with use_locale("nl"):
        message = translate_error(one_axis.value)
    assert "Vertraging vergunning" in message and "impact" in message and "waarschijnlijkheid" in message
    for bad in (
        Form(),
        Form({"x-0": "", "y-0": ""}),
        Form({"y-2": "3"}),
        Form({"x-0": "6", "y-0": "1"}),
        Form({"x-0": "0", "y-0": "1"}),
        Form({"x-0": "3", "y-0": "drie"}),
        Form({"clear-0": "1", "x-0": "3", "y-0": "3"}),
    ):
        with pytest.raises(Invalid):
            MATRIX.parse_response(CONFIG, bad)


def test_exports_describe_and_tabulate():
    value = {"ratings": [[5, 1], None, [3, 4]]}
    assert MATRIX.describe_response(CONFIG, value) == (
        "Netcongestie: Impact 5, Waarschijnlijkheid 1; Te weinig vrijwilligers: Impact 3, Waarschijnlijkheid 4"
    )
    responses = [
        ResponseView(1, 1, {"ratings": [[5, 5], [1, 1], None]}),
        ResponseView(2, 2, {"ratings": [[5, 4], [4, 5], None]}),
    ]
    with use_locale("nl"):
        header, rows = MATRIX.summary_table(MATRIX.aggregate(CONFIG, PARTIES, responses))
    assert header[1:] == ["Gemeente x/y", "Initiatief x/y", "Iedereen x/y", "Kwadrant"]
    assert rows[0] == ["1. Netcongestie", "5.0/5.0", "5.0/4.0", "5.0/4.5", "Impact hoog, Waarschijnlijkheid hoog"]
    assert rows[1][0].startswith("2. Vertraging vergunning (") and rows[1][1:3] == ["1.0/1.0", "4.0/5.0"]
    assert rows[2][1:] == ["\u2013", "\u2013", "\u2013", "\u2013"]


def test_quadrant_names():
    with use_locale("nl"):
        assert quadrant_name("high/low", "Impact", "Waarschijnlijkheid") == "Impact hoog, Waarschijnlijkheid laag"
        assert quadrant_name("middle/high", "CO2-uitstoot", "Belang") == "CO2-uitstoot gemiddeld, Belang hoog"
        assert quadrant_name("low/high", "Impact", "Haalbaar") == "Impact laag, Haalbaar hoog"  # an adjective too
    with use_locale("en"):
        assert quadrant_name("low/high", "Influence", "Interest") == "Influence low, Interest high"


async def running_matrix(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Risico's")
    fields = Form(kind="matrix", items="Netcongestie\nVertraging vergunning", x_label="Impact", y_label="Kans")
    await steps.add_step(db, workshop=w, prompt="Welke risico's?", kind="matrix", fields=fields)
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_a_changed_response_replaces_the_old_one(db):
    w, gemeente, _ = await running_matrix(db)
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    step_id = w.current_step_id
    first, events = await answers.submit_response(
        db, participant=me, step_id=step_id, fields=Form({"x-0": "4", "y-0": "2"}), idempotency_key="k1"
    )
    assert events and first.value == {"ratings": [[4, 2], None]}
    again, again_events = await answers.submit_response(
        db, participant=me, step_id=step_id, fields=Form({"x-0": "4", "y-0": "2"}), idempotency_key="k1"
    )
    assert again.id == first.id and again_events == []  # a retried form changes nothing
    changed, _ = await answers.submit_response(
        db, participant=me, step_id=step_id, fields=Form({"x-1": "5", "y-1": "5"}), idempotency_key="k2"
    )
    assert changed.id == first.id and changed.value == {"ratings": [None, [5, 5]]}
    with pytest.raises(Invalid):  # half a rating changes nothing
        await answers.submit_response(
            db, participant=me, step_id=step_id, fields=Form({"x-0": "1"}), idempotency_key="k3"
        )
    rows = (await db.execute(select(Answer.value).where(Answer.step_id == step_id))).scalars().all()
    assert rows == [{"ratings": [None, [5, 5]]}]
    count = await db.scalar(select(func.count()).select_from(Answer).where(Answer.step_id == step_id))
    assert count == 1


# --- Aggregates against a plain recomputation -----------------------------------------------------------------

pair = st.one_of(st.none(), st.tuples(st.integers(1, 5), st.integers(1, 5)).map(list))


def _level(mean: float) -> str:
    return "middle" if mean == 3 else ("high" if mean > 3 else "low")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.lists(pair, min_size=3, max_size=3)), max_size=40))
def test_means_quadrants_and_distances_match_a_recomputation(answers_given):
    responses = [ResponseView(i, party, {"ratings": r}) for i, (party, r) in enumerate(answers_given)]
    result = MATRIX.aggregate(CONFIG, PARTIES, responses)
    assert [item.item for item in result.items] == CONFIG["items"]
    for index, item in enumerate(result.items):
        means = {}
        for party, got in item.parties:
            mine = [r[index] for p, r in answers_given if p == party.id and r[index] is not None]
            assert got.count == len(mine)
            if mine:
                mx = sum(x for x, _ in mine) / len(mine)
                my = sum(y for _, y in mine) / len(mine)
                assert (got.mean_x, got.mean_y) == (pytest.approx(mx), pytest.approx(my))
                assert got.quadrant == f"{_level(round(mx, 9))}/{_level(round(my, 9))}"
                means[party.id] = (mx, my)
            else:
                assert got.mean_x is None and got.mean_y is None and got.quadrant is None
        everyone = [r[index] for _, r in answers_given if r[index] is not None]
        assert item.overall.count == len(everyone)
        if len(means) == 2:
            distance = math.dist(means[1], means[2])
            assert item.distance == pytest.approx(distance)
            assert item.highlighted == (distance >= GAP)
        else:
            assert item.distance is None and not item.highlighted
