"""Smaller findings: redirects only to local paths, Host and Origin checked against this site's hosts."""

from __future__ import annotations

import logging

import pytest
from starlette.datastructures import Headers

from app.security import is_same_origin, local_path
from tests.conftest import csrf_of, login_new_facilitator, post


@pytest.mark.parametrize(
    "referer",
    [
        "http://testserver//evil.example/x",
        "http://testserver/\\evil.example/x",
        "http://evil.example/x",
    ],
)
async def test_lang_redirects_only_to_local_paths(client, referer):
    response = await post(client, "/lang", {"lang": "en"}, headers={"Referer": referer})
    assert response.status_code == 303
    location = response.headers["location"]
    assert location.startswith("/") and not location.startswith(("//", "/\\"))
    assert location == "/"


async def test_lang_returns_to_the_page_it_came_from(client):
    response = await post(client, "/lang", {"lang": "en"}, headers={"Referer": "http://testserver/workshops?x=1"})
    assert response.headers["location"] == "/workshops?x=1"


def test_local_path():
    for bad in ("//evil.example", "/\\evil.example", "/\t/evil.example", "https://evil.example/", "evil", "", None):
        assert local_path(bad) == "/"
    assert local_path("/workshops/3#x") == "/workshops/3#x"


async def test_host_and_origin_both_foreign_are_refused(client):
    await login_new_facilitator(client)
    evil = {"Host": "evil.example", "Origin": "http://evil.example"}
    response = await client.post("/workshops", data={"title": "T", "csrf_token": csrf_of(client)}, headers=evil)
    assert response.status_code == 403
    # The site's own host and origin still work.
    own = {"Origin": "http://testserver"}
    response = await client.post("/workshops", data={"title": "T", "csrf_token": csrf_of(client)}, headers=own)
    assert response.status_code == 303


def test_the_origin_check_knows_the_hosts():
    hosts = frozenset({"live.example.nl", "localhost", "127.0.0.1", "::1"})
    origins = {"https://live.example.nl"}

    def allowed(**headers: str) -> bool:
        return is_same_origin(Headers(headers), allowed_origins=origins, allowed_hosts=hosts)

    assert allowed(host="live.example.nl", origin="https://live.example.nl")
    assert allowed(host="127.0.0.1:8000", origin="http://127.0.0.1:8000")
    assert allowed(host="[::1]:8000")
    assert not allowed(host="evil.example", origin="http://evil.example")  # DNS rebinding
    assert not allowed(host="evil.example")
    assert not allowed(host="live.example.nl", origin="https://evil.example")


async def test_link_tokens_stay_out_of_the_access_log(app, caplog):
    """uvicorn's access logger, as uvicorn calls it; create_app installed the filter."""
    caplog.set_level(logging.INFO, logger="uvicorn.access")
    access = logging.getLogger("uvicorn.access")
    token = "Zr8sQ2mX_secret-review-token"
    for path in (f"/r/{token}", f"/r/{token}?saved=approve", f"/b/{token}", "/workshops/3"):
        access.info('%s - "%s %s HTTP/%s" %d', "10.0.0.7:5000", "GET", path, "1.1", 200)
    logged = [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]
    assert len(logged) == 4 and not any(token in line for line in logged)
    assert '"GET /r/…?saved=approve HTTP/1.1" 200' in logged[1] and '"GET /b/… HTTP/1.1"' in logged[2]
    assert '"GET /workshops/3 HTTP/1.1"' in logged[3]
