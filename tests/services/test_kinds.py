"""Step kinds: response rules, one response per participant (SQLite and PostgreSQL), and per-party aggregates
checked against a plain recomputation over random answer sets (hypothesis)."""

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import Answer
from app.services import accounts, answers, participants, steps, workshops
from app.services.errors import Invalid
from app.services.kinds import POLL, SCALE, ResponseView, get_kind
from app.services.kinds.scale import SCALES


class Form(dict):
    """A submitted form: a value or a list of values per field."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


POLL_CONFIG = POLL.parse_config({"options": ["Werkafspraak", "Convenant", "Intentieovereenkomst"]})
MULTI_CONFIG = POLL.parse_config({"options": ["A", "B", "C"], "multiple": True})
SCALE_CONFIG = SCALE.parse_config({"statements": ["Meerwaarde", "Commitment"], "scale": "agree5"})


def test_poll_answer_must_be_one_of_the_options():
    assert POLL.parse_response(POLL_CONFIG, Form(choice="2")) == {"choices": [2]}
    for bad in (Form(), Form(choice="3"), Form(choice="-1"), Form(choice="x"), Form(choice=["0", "1"])):
        with pytest.raises(Invalid):
            POLL.parse_response(POLL_CONFIG, bad)
    assert POLL.parse_response(MULTI_CONFIG, Form(choice=["2", "0"])) == {"choices": [0, 2]}
    with pytest.raises(Invalid):
        POLL.parse_response(MULTI_CONFIG, Form(choice=["0", "0"]))


def test_poll_config_rules():
    for bad in ({"options": ["Alleen"]}, {"options": ["A", "A"]}, {"options": ["A", " "]}, {"options": ["x"] * 13}):
        with pytest.raises(Invalid):
            POLL.parse_config(bad)


def test_scale_ratings_must_lie_on_the_scale():
    assert SCALE.parse_response(SCALE_CONFIG, Form({"rating-0": "5"})) == {"ratings": [5, None]}
    for bad in (Form(), Form({"rating-0": "6"}), Form({"rating-1": "0"}), Form({"rating-0": "vijf"})):
        with pytest.raises(Invalid):
            SCALE.parse_response(SCALE_CONFIG, bad)
    zero10 = SCALE.parse_config({"statements": ["Vertrouwen"], "scale": "zero10"})
    assert SCALE.parse_response(zero10, Form({"rating-0": "0"})) == {"ratings": [0]}


async def running_with(db, kind, fields):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    await steps.add_step(db, workshop=w, prompt="Vraag", kind=kind, fields=Form(fields))
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_a_changed_vote_replaces_the_old_one(db):
    w, gemeente, _ = await running_with(db, "poll", {"options": "Ja\nNee"})
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    first, events = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=Form(choice="0"), idempotency_key="k1"
    )
    assert events and first.value == {"choices": [0]}
    again, again_events = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=Form(choice="0"), idempotency_key="k1"
    )
    assert again.id == first.id and again_events == []  # a retried form changes nothing
    changed, _ = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=Form(choice="1"), idempotency_key="k2"
    )
    assert changed.id == first.id and changed.value == {"choices": [1]}
    count = await db.scalar(select(func.count()).select_from(Answer).where(Answer.step_id == w.current_step_id))
    assert count == 1
    with pytest.raises(Invalid):  # a poll takes a choice, not a note
        await answers.add_answer(db, participant=me, step_id=w.current_step_id, text="Nota", idempotency_key="k3")


async def test_an_open_step_takes_notes_not_choices(db):
    w, gemeente, _ = await running_with(db, "open", {})
    me, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    with pytest.raises(Invalid):
        await answers.submit_response(
            db, participant=me, step_id=w.current_step_id, fields=Form(choice="0"), idempotency_key="k"
        )


# --- Aggregates against a plain recomputation -----------------------------------------------------------------

PARTIES = [SimpleNamespace(id=1, name="Gemeente"), SimpleNamespace(id=2, name="Initiatief")]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([1, 2]), st.sets(st.integers(0, 2), min_size=1, max_size=3)), max_size=40))
def test_poll_counts_per_party_match_a_recount(votes):
    responses = [ResponseView(i, party, {"choices": sorted(c)}) for i, (party, c) in enumerate(votes)]
    result = get_kind("poll").aggregate(MULTI_CONFIG, PARTIES, responses)
    for party, counts in result.parties:
        mine = [set(c) for p, c in votes if p == party.id]
        assert counts.respondents == len(mine)
        assert counts.counts == [sum(option in c for c in mine) for option in range(3)]
    assert result.overall.counts == [sum(counts.counts[o] for _, counts in result.parties) for o in range(3)]
    assert result.overall.respondents == len(votes)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([1, 2]), st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=2, max_size=2)),
        max_size=40,
    )
)
def test_scale_means_and_gaps_match_a_recomputation(ratings):
    responses = [ResponseView(i, party, {"ratings": r}) for i, (party, r) in enumerate(ratings)]
    result = SCALE.aggregate(SCALE_CONFIG, PARTIES, responses)
    for index, statement in enumerate(result.statements):
        means = {}
        for party, got in statement.parties:
            points = [r[index] for p, r in ratings if p == party.id and r[index] is not None]
            assert got.count == len(points)
            assert got.distribution == {point: points.count(point) for point in range(1, 6)}
            if points:
                assert got.mean == pytest.approx(sum(points) / len(points))
                means[party.id] = sum(points) / len(points)
            else:
                assert got.mean is None
        if len(means) == 2:
            gap = abs(means[1] - means[2])
            assert statement.gap == pytest.approx(gap)
            assert statement.highlighted == (gap >= SCALES["agree5"].gap)
        else:
            assert statement.gap is None and not statement.highlighted
