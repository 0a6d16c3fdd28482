"""What every route needs: a DB session, the facilitator, CSRF, rendering, publishing, rate limits."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection

from app import i18n
from app.db import session_for
from app.models import Facilitator, Workshop
from app.models.base import ID_MAX
from app.security import CsrfError, client_address, verify_csrf
from app.services import accounts, workshops
from app.services.errors import N_, DomainError, NotFound, TooMany
from app.services.events import Event
from app.templating import render

# Every id that comes from outside (path, form, query, WebSocket path) is an integer the database can hold: an id
# out of range is a page that does not exist (404) or a form with a wrong value (422), never a database error.
Id = Annotated[int, Path(ge=1, le=ID_MAX)]
FormId = Annotated[int, Form(ge=1, le=ID_MAX)]
OptionalFormId = Annotated[int | None, Form(ge=1, le=ID_MAX)]
QueryId = Annotated[int | None, Query(ge=1, le=ID_MAX)]

log = logging.getLogger(__name__)
T = TypeVar("T")

LOGIN_COOKIE = "olive_login"
BOARD_COOKIE_PREFIX = "olive_board_"
PARTICIPANT_COOKIE_PREFIX = "olive_p_"


async def get_db(request: Request) -> AsyncIterator[AsyncSession]:
    async for session in session_for(request.app.state.db, request.method):
        yield session


Db = Annotated[AsyncSession, Depends(get_db)]


async def get_read_db(request: HTTPConnection) -> AsyncIterator[AsyncSession]:
    """A reader session even in a POST: lookups and rendering that must not hold SQLite's write lock."""
    async with request.app.state.db.reader() as session:
        yield session


ReadDb = Annotated[AsyncSession, Depends(get_read_db)]


async def csrf_protect(request: HTTPConnection) -> None:
    """Router-wide: unsafe HTTP requests need the CSRF token. WebSockets check their Origin instead."""
    if not isinstance(request, Request):
        return
    try:
        settings = request.app.state.settings
        await verify_csrf(request, allowed_origins=settings.allowed_origins, allowed_hosts=settings.hosts)
    except CsrfError:
        raise HTTPException(
            status_code=403,
            detail=i18n.gettext("This form has expired or came from another site. Reload the page and try again."),
        ) from None


class LoginRequired(Exception):
    """Raised for a page that needs a facilitator; handled by redirecting to the login page."""


async def optional_facilitator(request: Request, db: Db) -> Facilitator | None:
    token = request.cookies.get(LOGIN_COOKIE)
    if not token or len(token) > 100:
        return None
    return await accounts.facilitator_for_login(db, token=token)


async def require_facilitator(request: Request, db: Db) -> Facilitator:
    facilitator = await optional_facilitator(request, db)
    if facilitator is None:
        raise LoginRequired()
    request.state.facilitator = facilitator
    return facilitator


CurrentFacilitator = Annotated[Facilitator, Depends(require_facilitator)]


async def owned_workshop(workshop_id: Id, facilitator: CurrentFacilitator, db: Db) -> Workshop:
    return await workshops.get_owned_workshop(db, owner_id=facilitator.id, workshop_id=workshop_id)


OwnedWorkshop = Annotated[Workshop, Depends(owned_workshop)]


async def may_run(connection: HTTPConnection, workshop_id: int) -> bool:
    """Is the facilitator logged in on this connection the owner of the workshop? (For WebSockets.)"""
    token = connection.cookies.get(LOGIN_COOKIE)
    if not token or len(token) > 100:
        return False
    async with connection.app.state.db.reader() as db:
        facilitator = await accounts.facilitator_for_login(db, token=token)
        workshop = await db.get(Workshop, workshop_id)
        return facilitator is not None and workshop is not None and workshop.owner_id == facilitator.id


def page(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    html = render(template, **base_context(request), **context)
    return HTMLResponse(html, status_code=status_code)


def base_context(request: Request) -> dict[str, Any]:
    return {
        "request": request,
        "csrf_token": request.state.csrf_token,
        "facilitator": getattr(request.state, "facilitator", None),
        "base_url": public_base_url(request),
    }


def public_base_url(connection: HTTPConnection) -> str:
    """The address phones should use for links and QR codes: BASE_URL when set, otherwise the address this request
    or WebSocket handshake came to (its Host header; the scheme is X-Forwarded-Proto's when uvicorn trusts the proxy
    that sent it, see --forwarded-allow-ips). Each connection gets its own, so one client's Host never reaches
    another's page."""
    configured = connection.app.state.settings.base_url
    if configured:
        return configured
    url = connection.base_url
    scheme = {"ws": "http", "wss": "https"}.get(url.scheme, url.scheme)
    return str(url.replace(scheme=scheme)).rstrip("/")


def secure_cookies(connection: HTTPConnection) -> bool:
    """Cookies are marked Secure when BASE_URL or the request itself is https."""
    return connection.app.state.settings.secure_cookies or connection.url.scheme == "https"


def translate_error(error: DomainError) -> str:
    return i18n.gettext(error.message) % error.params if error.params else i18n.gettext(error.message)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def publish(request: Request, events: list[Event]) -> None:
    await request.app.state.hub.publish_all(events)


async def console_done(request: Request, events: list[Event], workshop_id: int, anchor: str = "") -> Response:
    """After a console action: publish, then either nothing (htmx: the WebSocket updates the console) or, for a
    plain form post, back to the console at `anchor`."""
    await publish(request, events)
    if is_htmx(request):
        return Response(status_code=204)
    return redirect(f"/workshops/{workshop_id}" + (f"#{anchor}" if anchor else ""))


async def text_fields(request: Request) -> FormData:
    """The submitted form's text fields, for a service that reads fields by name (a kind's settings or response):
    a file sent where text belongs is left out, as if the field were empty."""
    form = await request.form()
    return FormData([(key, value) for key, value in form.multi_items() if isinstance(value, str)])


async def guarded_lookup(
    request: Request, what: str, guess: str, lookup: Callable[[], Awaitable[T]], *, count_success: bool = True
) -> T:
    """Look up something a client could guess: a join code, a review link or a board link. Failed lookups count
    against the strict guess limit per client address (and are logged, with only the start of the guess);
    successful ones against the generous lookup limit, so 60 phones behind one wifi address still get in
    (`count_success=False` where the route limits its successful requests itself)."""
    settings = request.app.state.settings
    limiter = request.app.state.rate_limiter
    address = client_address(request)
    if not await limiter.test(settings.guess_rate_limit, "guess", address):
        log.warning("refused a %s lookup from %s: too many failed guesses", what, address)
        raise TooMany(N_("Too many wrong codes or links from your network. Wait a minute and try again."))
    try:
        found = await lookup()
    except NotFound:
        await limiter.hit(settings.guess_rate_limit, "guess", address)
        log.warning("failed %s lookup from %s (%r…, %d characters)", what, address, guess[:2], len(guess))
        raise
    if count_success and not await limiter.hit(settings.lookup_rate_limit, "lookup", address):
        raise TooMany(N_("Many people are joining at once. Wait a moment and try again."))
    return found


async def rate_limited(request: Request, limit: str, purpose: str, key: str | None = None) -> bool:
    """True when this request is over the limit for its purpose."""
    limiter = request.app.state.rate_limiter
    return not await limiter.hit(limit, purpose, key or client_address(request))


def cookie_options(request: Request) -> dict[str, Any]:
    return {"httponly": True, "samesite": "lax", "secure": secure_cookies(request), "path": "/"}
