"""Role division: settings and response rules, one response per participant (SQLite and PostgreSQL), verdicts per
task (agree, conflict, two leads, open), and the per-party views checked against a plain recount (hypothesis)."""

from collections import Counter
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.i18n import gettext, use_locale
from app.models import Answer
from app.services import accounts, answers, participants, rooms, steps, workshops
from app.services.errors import Invalid
from app.services.kinds import ResponseView, get_kind
from app.services.kinds.roles import AGREE, CONFLICT, OPEN, ROLE_NAMES, ROLES


class Form(dict):
    """A submitted form: a value or a list of values per field."""

    def get(self, key, default=None):
        value = super().get(key, default)
        return value[0] if isinstance(value, list) else value

    def getlist(self, key):
        value = super().get(key, [])
        return value if isinstance(value, list) else [value]


CONFIG = ROLES.config_from_form(Form(tasks="Communicatie met bewoners\n\nSubsidieaanvraag \nVergunningen"))
PARTIES = [SimpleNamespace(id=1, name="Gemeente"), SimpleNamespace(id=2, name="Initiatief")]


def test_settings_one_task_per_line_with_clear_refusals():
    assert CONFIG == {"tasks": ["Communicatie met bewoners", "Subsidieaanvraag", "Vergunningen"]}
    assert get_kind("roles") is ROLES
    for bad in ("", "  \n ", "\n".join(f"Taak {i}" for i in range(16)), "x" * 201, "Taak\nTaak"):
        with pytest.raises(Invalid):
            ROLES.config_from_form(Form(tasks=bad))
    with pytest.raises(Invalid):
        ROLES.parse_config({"tasks": ["A", "A"]})
    with pytest.raises(Invalid) as refused:
        ROLES.config_from_form(Form(tasks="Taak\nTaak"))
    with use_locale("nl"):
        assert gettext(refused.value.message) == "Elke taak mag maar één keer voorkomen."


def test_a_response_gives_roles_per_task_and_party():
    form = Form(
        {
            "csrf_token": "x",
            "step_id": "3",
            "role-0-1": "lead",
            "role-0-2": "contributor",
            "role-2-2": "none",
            "role-1-1": "",  # the empty option: no role given
        }
    )
    assert ROLES.parse_response(CONFIG, form) == {"roles": {"0": {"1": "lead", "2": "contributor"}, "2": {"2": "none"}}}


@pytest.mark.parametrize(
    "fields",
    [
        {},  # nothing chosen
        {"role-0-1": ""},  # only empty options
        {"role-0-1": "boss"},  # not a role
        {"role-3-1": "lead"},  # no fourth task
        {"role-x-1": "lead"},
        {"role-0-gemeente": "lead"},  # a party id is a number
        {"role-0": "lead"},
        {"role-0-1": ["lead", "informed"]},  # two roles for one party in one task
        {"role-0-1": "lead", "role-0-01": "informed"},  # the same party under two names
        {f"role-0-{p}": "informed" for p in range(1, 10)},  # more parties than a workshop can have
    ],
)
def test_bad_responses_are_refused(fields):
    with pytest.raises(Invalid):
        ROLES.parse_response(CONFIG, Form(fields))


def responses(*given: tuple[int, dict]) -> list[ResponseView]:
    """(respondent party id, {task index: {holder party id: role}}) -> response views."""
    return [
        ResponseView(n, party, {"roles": {str(t): {str(h): r for h, r in roles.items()} for t, roles in tasks.items()}})
        for n, (party, tasks) in enumerate(given)
    ]


def test_verdicts_agree_conflict_two_leads_and_open():
    result = ROLES.aggregate(
        CONFIG,
        PARTIES,
        responses(
            # task 0: both see Gemeente as lead and Initiatief as contributor -> agree
            # task 1: Gemeente sees itself as lead, Initiatief sees Initiatief as lead -> conflict
            # task 2: only Gemeente answered -> open
            (1, {0: {1: "lead", 2: "contributor"}, 1: {1: "lead", 2: "informed"}, 2: {1: "informed", 2: "lead"}}),
            (2, {0: {1: "lead", 2: "contributor"}, 1: {1: "informed", 2: "lead"}}),
        ),
    )
    assert [t.verdict for t in result.tasks] == [AGREE, CONFLICT, OPEN]
    assert [t.task for t in result.conflicts] == ["Subsidieaanvraag"]
    agreed = result.tasks[0]
    gemeente_as_holder = agreed.holders[0]
    assert [v.top for v in gemeente_as_holder.views] == ["lead", "lead"]
    assert not gemeente_as_holder.differs
    differing = result.tasks[1]
    assert [h.differs for h in differing.holders] == [True, True]
    assert differing.two_leads == []
    with use_locale("nl"):
        assert [t.verdict_text for t in result.tasks] == ["eens", "verschil", "nog open"]
        header, rows = ROLES.summary_table(result)
    assert header == ["Taak", "Rol van", "volgens Gemeente", "volgens Initiatief", "Oordeel"]
    assert rows[2] == ["Subsidieaanvraag", "Gemeente", "trekker", "geïnformeerd", "verschil"]
    assert rows[5] == ["Vergunningen", "Initiatief", "trekker", "\u2013", "nog open"]


def test_two_leads_seen_by_one_party_is_a_conflict_even_when_the_parties_agree():
    result = ROLES.aggregate(
        CONFIG,
        PARTIES,
        responses(
            (1, {0: {1: "lead", 2: "lead"}}),
            (1, {0: {1: "lead", 2: "lead"}}),
            (2, {0: {1: "lead", 2: "lead"}}),
        ),
    )
    task = result.tasks[0]
    assert not any(h.differs for h in task.holders)
    assert task.verdict == CONFLICT
    assert [(p.name, [h.name for h in leads]) for p, leads in task.two_leads] == [
        ("Gemeente", ["Gemeente", "Initiatief"]),
        ("Initiatief", ["Gemeente", "Initiatief"]),
    ]


def test_a_split_party_keeps_a_task_open_and_unknown_parties_are_ignored():
    result = ROLES.aggregate(
        CONFIG,
        PARTIES,
        responses(
            (1, {0: {1: "lead", 2: "informed", 99: "lead"}}),
            (1, {0: {1: "contributor", 2: "informed"}}),  # Gemeente is split on its own role
            (2, {0: {1: "lead", 2: "informed", 99: "lead"}}),  # 99 is no party of this workshop
        ),
    )
    task = result.tasks[0]
    assert [h.holder.name for h in task.holders] == ["Gemeente", "Initiatief"]
    assert task.holders[0].views[0].split and task.holders[0].views[0].top is None
    assert task.two_leads == []  # the unknown party 99 does not count as a second lead
    assert task.verdict == OPEN
    with use_locale("nl"):
        _, rows = ROLES.summary_table(result)
    assert rows[0][2] == "verdeeld: trekker 1, meedenker 1"


def test_describe_response_names_tasks_and_roles():
    with use_locale("nl"):
        text = ROLES.describe_response(CONFIG, {"roles": {"0": {"1": "lead", "2": "none"}, "2": {"2": "informed"}}})
    assert text == (
        "Communicatie met bewoners: partij 1: trekker, partij 2: niet betrokken; Vergunningen: partij 2: geïnformeerd"
    )
    with use_locale("nl"):
        named = ROLES.describe_response(
            CONFIG,
            {"roles": {"0": {"1": "lead"}, "2": {"2": "informed"}}},
            party_names={1: "Gemeente", 2: "Initiatief"},
        )
    assert named == "Communicatie met bewoners: Gemeente: trekker; Vergunningen: Initiatief: geïnformeerd"


# --- Through the database ---------------------------------------------------------------------------------


async def running_roles(db):
    anna = await accounts.create_facilitator(db, email="anna@example.nl", name="Anna", password="correct horse 12")
    w = await workshops.create_workshop(db, owner_id=anna.id, title="Rollen")
    await steps.add_step(db, workshop=w, prompt="Wie doet wat?", kind="roles", fields=Form(tasks="Bewoners\nSubsidie"))
    await workshops.start_workshop(db, workshop=w)
    gemeente, initiatief = await workshops.list_parties(db, workshop_id=w.id)
    return w, gemeente, initiatief


async def test_a_changed_response_replaces_the_old_one_and_the_room_shows_the_verdicts(db):
    w, gemeente, initiatief = await running_roles(db)
    g, i = gemeente.id, initiatief.id
    me, _, _ = await participants.join(db, workshop=w, party_id=g)
    other, _, _ = await participants.join(db, workshop=w, party_id=i)
    first, events = await answers.submit_response(
        db, participant=me, step_id=w.current_step_id, fields=Form({f"role-0-{g}": "informed"}), idempotency_key="k1"
    )
    assert events and first.value == {"roles": {"0": {str(g): "informed"}}}
    changed, _ = await answers.submit_response(
        db,
        participant=me,
        step_id=w.current_step_id,
        fields=Form(
            {f"role-0-{g}": "lead", f"role-0-{i}": "contributor", f"role-1-{g}": "informed", f"role-1-{i}": "lead"}
        ),
        idempotency_key="k2",
    )
    assert changed.id == first.id
    assert changed.value == {
        "roles": {"0": {str(g): "lead", str(i): "contributor"}, "1": {str(g): "informed", str(i): "lead"}}
    }
    with pytest.raises(Invalid):  # a bad response changes nothing
        await answers.submit_response(
            db, participant=me, step_id=w.current_step_id, fields=Form({f"role-0-{g}": "baas"}), idempotency_key="k3"
        )
    assert (await answers.my_response(db, participant=me, step_id=w.current_step_id)).value == changed.value
    await answers.submit_response(
        db,
        participant=other,
        step_id=w.current_step_id,
        fields=Form({f"role-0-{g}": "lead", f"role-0-{i}": "contributor", f"role-1-{g}": "lead"}),
        idempotency_key="k4",
    )
    count = await db.scalar(select(func.count()).select_from(Answer).where(Answer.step_id == w.current_step_id))
    assert count == 2
    room = await rooms.load_room(db, workshop_id=w.id)
    result = room.current.result
    assert room.current.responses == 2
    assert [t.verdict for t in result.tasks] == [AGREE, CONFLICT]
    subsidie = result.tasks[1]
    # Gemeente says Initiatief leads the subsidy and Gemeente is informed; Initiatief says Gemeente leads.
    assert [v.top for v in subsidie.holders[0].views] == ["informed", "lead"] and subsidie.holders[0].differs
    assert [v.top for v in subsidie.holders[1].views] == ["lead", None] and not subsidie.holders[1].differs


# --- The views against a plain recount ---------------------------------------------------------------------

ROLE_OR_NOTHING = st.one_of(st.none(), st.sampled_from(sorted(ROLE_NAMES)))
ONE_RESPONSE = st.tuples(
    st.sampled_from([1, 2]),
    st.lists(st.tuples(ROLE_OR_NOTHING, ROLE_OR_NOTHING), min_size=3, max_size=3),  # per task: role of 1, of 2
)


@settings(max_examples=150, deadline=None)
@given(st.lists(ONE_RESPONSE, max_size=30))
def test_views_and_most_common_roles_match_a_recount(given_responses):
    views = [
        ResponseView(
            n,
            party,
            {
                "roles": {
                    str(t): {str(h): r for h, r in zip((1, 2), pair, strict=True) if r is not None}
                    for t, pair in enumerate(tasks)
                }
            },
        )
        for n, (party, tasks) in enumerate(given_responses)
    ]
    result = ROLES.aggregate(CONFIG, PARTIES, views)
    for t, task in enumerate(result.tasks):
        tops: dict[tuple[int, int], str | None] = {}
        for h, holder in enumerate(task.holders):
            assert holder.holder is PARTIES[h]
            for view in holder.views:
                said = Counter(
                    tasks[t][h] for party, tasks in given_responses if party == view.respondent.id and tasks[t][h]
                )
                assert view.distribution == {role: said[role] for role in ROLE_NAMES}
                ranked = said.most_common()
                expected = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]) else None
                assert view.top == expected
                tops[(view.respondent.id, holder.holder.id)] = expected
        differs = any(len({tops[(p, h)] for p in (1, 2)} - {None}) > 1 for h in (1, 2))
        two_leads = any(tops[(p, 1)] == tops[(p, 2)] == "lead" for p in (1, 2))
        complete = all(tops[(p, h)] is not None for p in (1, 2) for h in (1, 2))
        expected_verdict = CONFLICT if differs or two_leads else AGREE if complete else OPEN
        assert task.verdict == expected_verdict
