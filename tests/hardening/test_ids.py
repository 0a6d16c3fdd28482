"""Ids from outside are bounded integers: out of range is 404 (path) or 422 (form, query), never a 500."""

from __future__ import annotations

import pytest
from annotated_types import Ge, Le
from fastapi.routing import APIRoute, APIWebSocketRoute
from websockets.exceptions import InvalidStatus

from app.models.base import ID_MAX
from tests.conftest import (
    create_started_workshop,
    current_step_id_of,
    idempotency_key_of,
    join_phone,
    login_new_facilitator,
    new_client,
    post,
)
from tests.realtime.conftest import Browser

HUGE = "9" * 30
ABOVE_63 = str(2**63)
ABOVE_31 = str(2**31)


def _params(dependant):  # type: ignore[no-untyped-def]
    yield from dependant.path_params + dependant.query_params + dependant.body_params
    for sub in dependant.dependencies:
        yield from _params(sub)


def _routes(routes):  # type: ignore[no-untyped-def]
    """Every route, also those of included routers (FastAPI keeps them as routers of their own)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _routes(included.routes)
        elif isinstance(route, APIRoute | APIWebSocketRoute):
            yield route


def test_every_int_parameter_of_every_route_is_bounded(app):
    checked = 0
    for route in _routes(app.routes):
        for field in _params(route.dependant):
            annotation = field.field_info.annotation
            if annotation not in (int, int | None):
                continue
            bounds = {type(m): m for m in field.field_info.metadata}
            where = f"{route.path} {field.name}"
            assert Ge in bounds and Le in bounds, f"{where} is an int without bounds"
            assert -(2**31) <= bounds[Ge].ge and bounds[Le].le <= ID_MAX, where
            checked += 1
    assert checked > 60  # the walk really saw the routes' ids


async def test_out_of_range_ids_give_404_or_422_never_500(any_app, any_client):
    await login_new_facilitator(any_client)
    workshop_id, code = await create_started_workshop(any_client)
    for number in (HUGE, ABOVE_63, ABOVE_31, "0"):
        for url in (
            f"/workshops/{number}",
            f"/board/{number}",
            f"/workshops/{number}/report",
            f"/methods/{number}/edit",
        ):
            response = await any_client.get(url)
            assert response.status_code == 404, (url, response.status_code)
            assert "bestaat niet" in response.text
        response = await post(any_client, f"/workshops/{workshop_id}/steps/{number}/delete")
        assert response.status_code == 404
        response = await post(any_client, f"/workshops/{workshop_id}/go", {"step_id": number})
        assert response.status_code == 422 and "niet is toegestaan" in response.text

    # Without an account: joining with a party id above 2^63.
    stranger = await new_client(any_app)
    response = await post(
        stranger, f"/j/{code}", {"party_id": "99999999999999999999", "display_name": "", "speaks_for": "self"}
    )
    assert response.status_code == 422
    # As a participant: an answer to a step id above 2^63 and 2^31, a query id out of range.
    phone = await new_client(any_app)
    await join_phone(phone, code, "Gemeente")
    html = (await phone.get(f"/p/{workshop_id}")).text
    for number in (HUGE, ABOVE_31):
        response = await post(
            phone,
            f"/p/{workshop_id}/answers",
            {"step_id": number, "text": "Hallo", "idempotency_key": idempotency_key_of(html)},
        )
        assert response.status_code == 422
    assert (await phone.get(f"/p/{workshop_id}?edit={HUGE}")).status_code == 422
    assert (await phone.get(f"/p/{HUGE}")).status_code == 404
    # The real step still takes the answer.
    response = await post(
        phone,
        f"/p/{workshop_id}/answers",
        {"step_id": current_step_id_of(html), "text": "Hallo", "idempotency_key": idempotency_key_of(html)},
    )
    assert response.status_code == 303
    await phone.aclose()
    await stranger.aclose()


async def test_an_unparsable_owner_or_method_choice_is_refused(client):
    await login_new_facilitator(client)
    response = await post(client, "/workshops", {"title": "T", "method": f"own-{HUGE}"})
    assert response.status_code == 404
    response = await post(client, "/methods/duplicate", {"source": "own-\u00b2"})
    assert response.status_code == 404


@pytest.mark.parametrize("socket", ["board", "console", "phone"])
async def test_websocket_ids_above_2_63_are_refused(live_server, socket):
    browser = Browser(live_server)
    with pytest.raises(InvalidStatus) as refused:
        await browser.websocket(f"/ws/{socket}/{ABOVE_63}")
    assert refused.value.response.status_code == 403
    await browser.close()
