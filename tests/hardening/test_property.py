"""Property-based: arbitrary text and numbers in every kind of form, and arbitrary values in a JSON backup, never
give a 5xx, on SQLite and PostgreSQL. Hypothesis drives the inputs from a thread; the requests run on the test's
event loop against the real app."""

from __future__ import annotations

import asyncio
import json
import re

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import (
    create_started_workshop,
    csrf_of,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    new_client,
)

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=300)  # HTTP carries no lone surrogates
EDGES = ["", "0", "-1", "1", "1e9", "9" * 30, str(2**31), str(2**63), "-" + str(2**63), "0x10", "½", "1.5", " 1", "١"]
NUMBER = st.one_of(st.sampled_from(EDGES), st.integers(min_value=-(2**70), max_value=2**70).map(str), TEXT)
KINDS = st.sampled_from(["open", "poll", "scale", "dots", "roles", "matrix", "agreements", "other", ""])
EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: no flaky suite
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def run_in_thread(loop: asyncio.AbstractEventLoop, check) -> None:  # type: ignore[no-untyped-def]
    """Run the hypothesis test in a worker thread; each example posts on the test's loop and waits."""

    def call(coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, loop).result(timeout=60)

    check(call)


async def test_arbitrary_form_input_never_gives_5xx(any_app, any_client):
    await login_new_facilitator(any_client)
    workshop_id, code = await create_started_workshop(any_client)
    phone = httpx.AsyncClient(  # a 5xx comes back as a response, not as the app's exception
        transport=httpx.ASGITransport(app=any_app, raise_app_exceptions=False), base_url="http://testserver"
    )
    await join_phone(phone, code, "Gemeente")
    page = (await phone.get(f"/p/{workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', page).group(1)
    facilitator_token = csrf_of(any_client)
    phone_token = csrf_of(phone)
    w = f"/workshops/{workshop_id}"

    @EXAMPLES
    @given(text=TEXT, other=TEXT, number=NUMBER, kind=KINDS)
    def check(call, text, other, number, kind):  # type: ignore[no-untyped-def]
        forms = [
            (phone, f"/p/{workshop_id}/answers", {"step_id": step_id, "text": text, "idempotency_key": other[:60]}),
            (phone, f"/p/{workshop_id}/answers", {"step_id": number, "text": text, "idempotency_key": "k"}),
            (phone, f"/j/{code}", {"party_id": number, "display_name": text, "speaks_for": other}),
            (phone, "/join", {"code": text}),
            (any_client, "/workshops", {"title": text, "method": other}),
            (any_client, f"{w}/settings", {"title": text, "held_on": other}),
            (any_client, f"{w}/parties", {"name": text}),
            (
                any_client,
                f"{w}/steps",
                {
                    "prompt": text,
                    "kind": kind,
                    "options": other,
                    "statements": other,
                    "items": other,
                    "tasks": other,
                    "matrix_items": other,
                    "categories": other,
                    "budget": number,
                },
            ),
            (
                any_client,
                f"{w}/agreements",
                {"step_id": number, "text": text, "owner_party_id": other[:20], "due_on": other[:20]},
            ),
            (any_client, f"{w}/steps/{step_id}/timer/start", {"minutes": number, "auto_close": other[:10]}),
            (any_client, f"{w}/steps/{step_id}/timer/extend", {"minutes": number}),
            (any_client, f"{w}/merge", {"answer_id": number, "into_id": number}),
            (any_client, f"{w}/steps/{step_id}/clusters", {"cluster": text, "new_name": other}),
            (any_client, f"{w}/on-behalf/people", {"party_id": number, "display_name": text}),
            (any_client, f"{w}/report/summary", {"summary": text}),
            (any_client, "/lang", {"lang": text[:5]}),
        ]
        for client, url, data in forms:
            token = phone_token if client is phone else facilitator_token
            response = call(client.post(url, data={**data, "csrf_token": token}, headers={"HX-Request": "true"}))
            assert response.status_code < 500, (url, data, response.status_code, response.text[:300])

    loop = asyncio.get_running_loop()
    await asyncio.to_thread(run_in_thread, loop, check)
    await phone.aclose()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)
# Values that break a naive import most often (numbers beyond the database, wrong shapes) get their own branch.
VALUES = st.one_of(
    st.sampled_from([2**31, 2**63, -(2**31) - 1, 10**30, None, "", [], {}, True, 1.5, [[1]], {"choices": "zz"}]),
    st.integers(-(2**70), 2**70),
    JSON_VALUES,
)


def lookup(document, place):  # type: ignore[no-untyped-def]
    for part in place:
        document = document[part]
    return document


def places(document, path=()):  # type: ignore[no-untyped-def]
    """Every place in the document a value can be replaced."""
    items = document.items() if isinstance(document, dict) else enumerate(document)
    for key, value in items:
        yield (*path, key)
        if isinstance(value, dict | list) and value:
            yield from places(value, (*path, key))


async def test_arbitrary_values_in_a_backup_never_give_5xx(any_app, any_client):
    await login_new_facilitator(any_client)
    workshop_id, code = await create_started_workshop(any_client)
    phone = await new_client(any_app)
    await join_phone(phone, code, "Gemeente")
    html = (await phone.get(f"/p/{workshop_id}")).text
    step_id = re.search(r'name="step_id" value="(\d+)"', html).group(1)
    data = {"step_id": step_id, "text": "Een antwoord", "idempotency_key": idempotency_key_of(html)}
    await phone.post(f"/p/{workshop_id}/answers", data={**data, "csrf_token": csrf_of(phone)})
    document = (await any_client.get(f"/workshops/{workshop_id}/export.json")).json()
    every_place = list(places(document))
    numbers = [p for p in every_place if type(lookup(document, p)) is int]
    answers = [("answers", i, "value") for i in range(len(document["answers"]))]
    token = csrf_of(any_client)

    @EXAMPLES
    @given(value=VALUES, place=st.sampled_from(numbers + answers) | st.sampled_from(every_place))
    def check(call, value, place):  # type: ignore[no-untyped-def]
        bad = json.loads(json.dumps(document))
        *parents, last = place
        target = bad
        for part in parents:
            target = target[part]
        target[last] = value
        files = {"file": ("back-up.json", json.dumps(bad).encode(), "application/json")}
        response = call(any_client.post("/workshops/import-json", data={"csrf_token": token}, files=files))
        assert response.status_code < 500, (parents, last, value, response.text[:300])

    loop = asyncio.get_running_loop()
    await asyncio.to_thread(run_in_thread, loop, check)
    await phone.aclose()
