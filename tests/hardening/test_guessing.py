"""Guessing is bounded: failed lookups of join codes, review links and board links are limited per client address
(and logged without the guess), while 60 phones behind one wifi address still join a real code."""

from __future__ import annotations

import logging

import httpx
from sqlalchemy import func, select

from app.models import Participant
from tests.conftest import create_started_workshop, join_phone, login_new_facilitator, post


def device(app, address: str = "10.0.0.7") -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=(address, 50000)), base_url="http://testserver"
    )


async def test_the_21st_wrong_code_gets_429_and_the_guesses_are_logged(app, client, caplog):
    await login_new_facilitator(client)
    _, code = await create_started_workshop(client)
    guesser = device(app)
    caplog.set_level(logging.WARNING, logger="app.routes.deps")
    wrong = [f"QQQQ{a}{b}" for a in "QRSTUVWXYZ" for b in "QR"]
    assert code not in wrong
    for n, guess in enumerate(wrong):  # 20 wrong codes, by link and by the join form
        response = await guesser.get(f"/j/{guess}") if n % 2 else await post(guesser, "/join", {"code": guess})
        assert response.status_code == 404, (n, response.status_code)
    refused = await guesser.get(f"/j/{code}")  # the 21st lookup: even a right code waits now
    assert refused.status_code == 429
    assert "Te veel onjuiste codes" in refused.text
    form = await post(guesser, "/join", {"code": "QQQQQS"})
    assert form.status_code == 429 and "Te veel onjuiste codes" in form.text
    # Failed guesses are logged with the address, never with the whole guess.
    messages = [r.getMessage() for r in caplog.records]
    assert sum("failed join code lookup from 10.0.0.7" in m for m in messages) == 20
    assert not any(guess in m for m in messages for guess in wrong)
    # Another address is not affected.
    other = device(app, "10.0.0.8")
    assert (await other.get(f"/j/{code}")).status_code == 200
    await guesser.aclose()
    await other.aclose()


async def test_sixty_phones_on_one_address_join_a_real_code(app, client):
    await login_new_facilitator(client)
    workshop_id, code = await create_started_workshop(client)
    for n in range(60):
        phone = device(app)
        if n % 20 == 0:  # now and then a typo first
            assert (await post(phone, "/join", {"code": "QQQQQQ"})).status_code == 404
        assert (await post(phone, "/join", {"code": code.lower()})).status_code == 303
        assert await join_phone(phone, code, "Gemeente" if n % 2 else "Initiatief") == workshop_id
        await phone.aclose()
    async with app.state.db.reader() as db:
        assert await db.scalar(select(func.count()).select_from(Participant)) == 60


async def test_wrong_review_and_board_links_are_limited_too(app, client):
    await login_new_facilitator(client)
    await create_started_workshop(client)
    guesser = device(app, "10.0.0.9")
    for n in range(20):
        url = f"/r/wrong-review-token-{n}" if n % 2 else f"/b/wrong-board-token-{n}"
        assert (await guesser.get(url)).status_code == 404
    for url in ("/r/another-wrong-one", "/b/another-wrong-one"):
        response = await guesser.get(url)
        assert response.status_code == 429 and "Te veel onjuiste codes" in response.text
    await guesser.aclose()


async def test_forwarded_for_counts_only_from_a_configured_proxy(app, client):
    """uvicorn's --proxy-headers, as the README configures it (FORWARDED_ALLOW_IPS=the proxy): a client that
    rotates X-Forwarded-For itself stays one address for the limits; behind the proxy, the address the proxy
    appended (the last untrusted one) counts, whatever the client put in front of it."""
    from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

    behind_proxy = ProxyHeadersMiddleware(app, trusted_hosts="10.9.9.9")
    await login_new_facilitator(client)

    def via(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=behind_proxy, client=(address, 50000))  # type: ignore[arg-type]
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")

    direct, proxied = via("10.0.0.66"), via("10.9.9.9")
    for n in range(20):
        spoofed = {"X-Forwarded-For": f"192.0.2.{n}"}
        assert (await direct.get("/j/QQQQQQ", headers=spoofed)).status_code == 404
        chained = {"X-Forwarded-For": f"192.0.2.{n}, 10.0.0.77"}  # what the proxy sends: client's value, then peer
        assert (await proxied.get("/j/QQQQQQ", headers=chained)).status_code == 404
    assert (await direct.get("/j/QQQQQQ", headers={"X-Forwarded-For": "192.0.2.200"})).status_code == 429
    assert (await proxied.get("/j/QQQQQQ", headers={"X-Forwarded-For": "192.0.2.201, 10.0.0.77"})).status_code == 429
    assert (await proxied.get("/j/QQQQQQ", headers={"X-Forwarded-For": "10.0.0.78"})).status_code == 404
    await direct.aclose()
    await proxied.aclose()
