"""Open questions with categories (stored per note, checked on SQLite and PostgreSQL) and the word cloud's counts
checked against a plain recount (hypothesis)."""

import re
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.services import accounts, answers, participants, steps, workshops
from app.services.errors import Invalid
from app.services.kinds import OPEN
from app.services.kinds.open import CLOUD_SIZES, STOP_WORDS, word_cloud, word_counts
from app.services.rooms import load_room, workshop_results
from tests.services.test_kinds import Form

CATEGORIES = "Kansen\nRisico's\nOnzekerheden"


def test_open_config_rules():
    assert OPEN.parse_config({}) == {"categories": [], "display": "notes"}
    config = OPEN.config_from_form(Form(categories=" Kansen \n\nRisico's\n", display="wordcloud"))
    assert config == {"categories": ["Kansen", "Risico's"], "display": "wordcloud"}
    assert OPEN.parse_config(config) == config  # stored configs validate again unchanged
    for bad in (
        {"categories": ["Kansen", "kansen"]},
        {"categories": ["x" * 61]},
        {"categories": [" "]},
        {"categories": [str(i) for i in range(7)]},
        {"display": "taartdiagram"},
    ):
        with pytest.raises(Invalid):
            OPEN.parse_config(bad)


def test_a_category_is_required_and_must_exist():
    config = OPEN.parse_config({"categories": ["Kansen", "Risico's"]})
    assert OPEN.parse_category(config, "1") == 1
    assert OPEN.parse_category(config, 0) == 0
    for bad in (None, "", "2", "-1", "kansen"):
        with pytest.raises(Invalid):
            OPEN.parse_category(config, bad)
    plain = OPEN.parse_config({})
    assert OPEN.parse_category(plain, None) is None and OPEN.parse_category(plain, "") is None
    with pytest.raises(Invalid):
        OPEN.parse_category(plain, "0")


async def running_open(db, fields):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="W")
    await steps.add_step(db, workshop=w, prompt="Wat zie je?", kind="open", fields=Form(fields))
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_notes_are_stored_and_grouped_per_party_and_category(db):
    w, gemeente, initiatief = await running_open(db, {"categories": CATEGORIES})
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    i, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    step_id = w.current_step_id
    with pytest.raises(Invalid, match="categorie|category"):
        await answers.add_answer(db, participant=g, step_id=step_id, text="Zonder", idempotency_key="k0")
    with pytest.raises(Invalid):
        await answers.add_answer(db, participant=g, step_id=step_id, text="Buiten", idempotency_key="k0", category=3)
    first, events = await answers.add_answer(
        db, participant=g, step_id=step_id, text="Lokale banen", idempotency_key="k1", category="0"
    )
    assert events and first.category == 0 and first.value is None
    # Several notes per participant, also in one category: notes are not structured responses.
    await answers.add_answer(db, participant=g, step_id=step_id, text="Draagvlak", idempotency_key="k2", category=0)
    await answers.add_answer(db, participant=g, step_id=step_id, text="Netcongestie", idempotency_key="k3", category=1)
    await answers.add_answer(
        db, participant=i, step_id=step_id, text="Subsidie stopt", idempotency_key="k4", category=2
    )

    room = await load_room(db, workshop_id=w.id)
    columns = {c.party.name: c for c in room.current.columns}
    assert [(g.name, [a.text for a in g.answers]) for g in columns["Gemeente"].groups] == [
        ("Kansen", ["Lokale banen", "Draagvlak"]),
        ("Risico's", ["Netcongestie"]),
        ("Onzekerheden", []),
    ]
    assert [len(g.answers) for g in columns["Initiatief"].groups] == [0, 0, 1]
    _, results = await workshop_results(db, workshop_id=w.id)
    assert [a.category for a in results[0].columns[0].answers] == [0, 0, 1]


async def test_a_question_without_categories_refuses_one(db):
    w, gemeente, _ = await running_open(db, {})
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    with pytest.raises(Invalid):
        await answers.add_answer(
            db, participant=g, step_id=w.current_step_id, text="Ja", idempotency_key="k", category=0
        )
    note, _ = await answers.add_answer(db, participant=g, step_id=w.current_step_id, text="Ja", idempotency_key="k2")
    assert note.category is None
    room = await load_room(db, workshop_id=w.id)
    assert room.current.columns[0].groups == [] and room.current.columns[0].cloud == []


async def test_the_word_cloud_is_counted_per_party(db):
    w, gemeente, initiatief = await running_open(db, {"display": "wordcloud"})
    g, _, _ = await participants.join(db, workshop=w, party_id=gemeente.id)
    i, _, _ = await participants.join(db, workshop=w, party_id=initiatief.id)
    for n, text in enumerate(["Vertrouwen en tijd", "vertrouwen!", "Tijd, geld"]):
        await answers.add_answer(db, participant=g, step_id=w.current_step_id, text=text, idempotency_key=f"g{n}")
    await answers.add_answer(db, participant=i, step_id=w.current_step_id, text="Geld", idempotency_key="i")
    room = await load_room(db, workshop_id=w.id)
    clouds = {c.party.name: [(word.word, word.count, word.size) for word in c.cloud] for c in room.current.columns}
    assert clouds["Gemeente"] == [("tijd", 2, 5), ("vertrouwen", 2, 5), ("geld", 1, 3)]
    assert clouds["Initiatief"] == [("geld", 1, 5)]


# --- Word counts against a plain recount ------------------------------------------------------------------------

WORDS = ["Warmte", "warmte", "WARMTE", "net", "de", "het", "zon", "Zon", "wij", "vertrouwen", "a", "ab", "geld", "tijd"]


def recount(texts: list[str]) -> Counter:
    counted: Counter = Counter()
    for text in texts:
        for word in re.split(r"[^a-zA-Z]+", text):
            word = word.lower()
            if len(word) >= 3 and word not in STOP_WORDS:
                counted[word] += 1
    return counted


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(st.sampled_from(WORDS), st.sampled_from([" ", ", ", "! ", "\n", " - ", "."])), max_size=12
        ).map(lambda pairs: "".join(word + sep for word, sep in pairs)),
        max_size=20,
    ),
    st.integers(1, 50),
)
def test_word_counts_match_a_plain_recount(texts, limit):
    expected = recount(texts)
    assert word_counts(texts) == expected
    cloud = word_cloud(texts, limit=limit)
    assert len(cloud) == min(limit, len(expected))
    assert all(expected[w.word] == w.count for w in cloud)
    left_out = set(expected) - {w.word for w in cloud}
    assert all(expected[word] <= cloud[-1].count for word in left_out)  # only the most frequent words show
    assert [w.count for w in cloud] == sorted((w.count for w in cloud), reverse=True)
    assert all(1 <= w.size <= CLOUD_SIZES for w in cloud) and (not cloud or cloud[0].size == CLOUD_SIZES)


def test_the_cloud_keeps_the_top_40():
    texts = [" ".join(f"woord{chr(97 + i % 26)}{chr(97 + i // 26)}" for _ in range(i + 1)) for i in range(60)]
    cloud = word_cloud(texts)
    assert len(cloud) == 40 and cloud[0].count == 60 and cloud[-1].count == 21
