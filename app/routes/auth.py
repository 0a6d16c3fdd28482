"""Home, first-run setup, login/logout, facilitator accounts and the language switch."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlparse

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from app import i18n
from app.models.accounts import EMAIL_MAX, NAME_MAX, PASSWORD_MAX
from app.routes.deps import (
    LOGIN_COOKIE,
    CurrentFacilitator,
    Db,
    cookie_options,
    csrf_protect,
    optional_facilitator,
    page,
    rate_limited,
    redirect,
    secure_cookies,
    translate_error,
)
from app.security import local_path
from app.services import accounts
from app.services.errors import DomainError

router = APIRouter(dependencies=[Depends(csrf_protect)])

Email = Annotated[str, Form(max_length=EMAIL_MAX * 2)]
Name = Annotated[str, Form(max_length=NAME_MAX * 2)]
Password = Annotated[str, Form(max_length=PASSWORD_MAX)]


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a login to another site."""
    return local_path(target, "/workshops")


@router.get("/")
async def home(request: Request, db: Db) -> Response:
    needs_setup = not await accounts.any_facilitator_exists(db)
    facilitator = await optional_facilitator(request, db)
    request.state.facilitator = facilitator
    return page(request, "home.html", needs_setup=needs_setup)


@router.post("/setup")
async def setup(request: Request, db: Db, email: Email, name: Name, password: Password) -> Response:
    try:
        facilitator = await accounts.create_first_facilitator(db, email=email, name=name, password=password)
    except DomainError as error:
        return page(
            request,
            "home.html",
            status_code=422,
            needs_setup=True,
            setup_error=translate_error(error),
            form={"email": email, "name": name},
        )
    return await _log_in(request, db, facilitator.id, "/workshops")


async def _log_in(request: Request, db: Db, facilitator_id: int, target: str) -> Response:
    old = request.cookies.get(LOGIN_COOKIE)
    if old:
        await accounts.end_login(db, token=old)
    token = await accounts.start_login(db, facilitator_id=facilitator_id)
    response = redirect(target)
    response.set_cookie(
        LOGIN_COOKIE, token, max_age=int(accounts.LOGIN_LIFETIME.total_seconds()), **cookie_options(request)
    )
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "") -> Response:  # noqa: A002
    return page(request, "login.html", next=_safe_next(next), form={})


@router.post("/login")
async def login(
    request: Request,
    db: Db,
    email: Email,
    password: Password,
    next: Annotated[str, Form()] = "",  # noqa: A002
) -> Response:
    settings = request.app.state.settings
    if await rate_limited(request, settings.login_rate_limit, "login"):
        return page(
            request,
            "login.html",
            status_code=429,
            next=_safe_next(next),
            form={"email": email},
            error=i18n.gettext("Too many attempts. Wait a minute and try again."),
        )
    facilitator = await accounts.authenticate(db, email=email, password=password)
    if facilitator is None:
        return page(
            request,
            "login.html",
            status_code=401,
            next=_safe_next(next),
            form={"email": email},
            error=i18n.gettext("E-mail address or password is not right."),
        )
    return await _log_in(request, db, facilitator.id, _safe_next(next))


@router.post("/logout")
async def logout(request: Request, db: Db) -> Response:
    token = request.cookies.get(LOGIN_COOKIE)
    if token:
        await accounts.end_login(db, token=token)
    response = redirect("/")
    response.delete_cookie(LOGIN_COOKIE, path="/")
    return response


@router.get("/facilitators")
async def facilitators(request: Request, db: Db, facilitator: CurrentFacilitator) -> Response:
    return page(request, "facilitator/facilitators.html", people=await accounts.list_facilitators(db), form={})


@router.post("/facilitators")
async def add_facilitator(
    request: Request, db: Db, facilitator: CurrentFacilitator, email: Email, name: Name, password: Password
) -> Response:
    try:
        await accounts.create_facilitator(db, email=email, name=name, password=password)
    except DomainError as error:
        return page(
            request,
            "facilitator/facilitators.html",
            status_code=422,
            people=await accounts.list_facilitators(db),
            error=translate_error(error),
            form={"email": email, "name": name},
        )
    return redirect("/facilitators")


@router.post("/lang")
async def set_language(request: Request, lang: Annotated[str, Form(max_length=5)]) -> Response:
    referer = urlparse(request.headers.get("referer", ""))
    same_site = referer.netloc == request.headers.get("host")
    target = local_path(referer.path + (f"?{referer.query}" if referer.query else "")) if same_site else "/"
    response = redirect(target)
    if lang in i18n.LOCALES:
        response.set_cookie(
            "lang",
            lang,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=secure_cookies(request),
            path="/",
        )
    return response
