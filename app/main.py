"""create_app(): settings, database, hub, fan-out, middleware and routers."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from starlette.middleware.gzip import GZipMiddleware

from app import i18n
from app.assets import asset_response
from app.config import Settings
from app.db import Database, is_transient
from app.exports.final_cache import FinalReportCache
from app.migrations_check import ensure_database_current
from app.realtime.connections import CLOSE_SERVICE_RESTART
from app.realtime.fanout import Fanout
from app.realtime.hub import Hub, create_hub
from app.realtime.ticker import Ticker
from app.routes import (
    auth,
    board,
    carry_forward,
    exports,
    facilitator,
    methods,
    moderation,
    participant,
    report,
    review,
    timer,
    transfer,
)
from app.routes.deps import LoginRequired, base_context, is_htmx, redirect, secure_cookies, translate_error
from app.security import (
    CSRF_COOKIE,
    SECURITY_HEADERS,
    RateLimiter,
    csrf_cookie_value,
    hide_secret_paths,
    new_csrf_token,
)
from app.services.errors import DomainError
from app.templating import render

log = logging.getLogger(__name__)
RETRY_AFTER = 2  # seconds a phone waits before sending again when the database is busy


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    settings.ensure_secret_key()
    hide_secret_paths()  # review and board link tokens never reach the access log

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings.resolved_database_url)
        await ensure_database_current(db.engine)
        hub = create_hub(settings.redis_url, settings.hub_namespace)
        await hub.start()
        app.state.db = db
        app.state.hub = hub
        app.state.fanout = Fanout(hub=hub, sessions=db.reader, window=settings.coalesce_window)
        app.state.rate_limiter = RateLimiter(settings.redis_url, settings.hub_namespace)
        app.state.final_reports = FinalReportCache()
        app.state.ticker = Ticker(db=db, hub=hub, interval=settings.timer_tick_interval)
        app.state.ticker.start()
        try:
            yield
        finally:
            await app.state.ticker.stop()
            # uvicorn has already closed the sockets it served with 1012 on SIGTERM; any left (another server
            # running the app) get the same code, so clients reconnect (and resync) to whichever worker is up next.
            app.state.fanout.close_all(CLOSE_SERVICE_RESTART)
            await hub.stop()
            await db.dispose()

    app = FastAPI(title="Opgroeiruimte Live", lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.settings = settings

    @app.get("/static/{path:path}", include_in_schema=False)
    async def static_file(request: Request, path: str) -> Response:
        response = asset_response(request, path)
        return response if response is not None else PlainTextResponse("Not Found", status_code=404)

    for module in (auth, participant, facilitator, board, exports, carry_forward, methods):
        app.include_router(module.router)
    for module in (timer, moderation, report, review, transfer):
        app.include_router(module.router)

    @app.middleware("http")
    async def per_request(request: Request, call_next):  # type: ignore[no-untyped-def]
        if request.url.path.startswith("/static/"):  # cacheable by anyone: no cookie, no per-request state
            return await call_next(request)
        i18n.set_locale(i18n.pick_locale(request.cookies.get("lang"), request.headers.get("accept-language")))
        existing = csrf_cookie_value(request)
        request.state.csrf_token = existing or new_csrf_token()
        response: Response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers["Content-Language"] = i18n.current_locale()
        if existing is None:
            response.set_cookie(
                CSRF_COOKIE,
                request.state.csrf_token,
                httponly=True,
                samesite="lax",
                secure=secure_cookies(request),
                path="/",
            )
        return response

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _exc: LoginRequired) -> Response:
        if is_htmx(request) or request.method != "GET":
            return PlainTextResponse(i18n.gettext("Log in first."), status_code=401, headers={"HX-Redirect": "/login"})
        return redirect(f"/login?next={request.url.path}")

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        return _error_response(request, exc.status, translate_error(exc))

    @app.exception_handler(sa_exc.SQLAlchemyError)
    async def _database_error(request: Request, exc: sa_exc.SQLAlchemyError) -> Response:
        """A busy or briefly unreachable database: 503 with Retry-After (phones send again by themselves, with the
        same idempotency key, so nothing is lost or doubled). Anything else is a bug and is raised."""
        if not is_transient(exc):
            raise exc
        log.warning("database busy or unreachable (%s): answered 503", type(exc).__name__)
        message = i18n.gettext("It is very busy right now. Your answer is sent again in a moment; nothing is lost.")
        if is_htmx(request):
            headers = {"HX-Reswap": "none", "Retry-After": str(RETRY_AFTER)}
            return PlainTextResponse(message, status_code=503, headers=headers)
        html = render("error.html", **base_context(request), message=message, status=503)
        return HTMLResponse(html, status_code=503, headers={"Retry-After": str(RETRY_AFTER)})

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        """A value FastAPI refuses before the route runs: an id out of range in the path is a page that does not
        exist; a form or query value of the wrong type or out of range is a form to correct. Never a 500."""
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            return _error_response(request, 404, i18n.gettext("This page does not exist."))
        return _error_response(
            request, 422, i18n.gettext("A field of this form holds a value that is not allowed. Reload and try again.")
        )

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, exc: HTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else i18n.gettext("Something went wrong.")
        if exc.status_code == 404 and detail == "Not Found":
            detail = i18n.gettext("This page does not exist.")
        return _error_response(request, exc.status_code, detail)

    # Pages, fragments and downloads compressed on the way out (static files come precompressed).
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> PlainTextResponse:
        """Liveness: the process serves requests (the container's HEALTHCHECK)."""
        return PlainTextResponse("ok")

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """Readiness: the database answers a query and, when configured, Redis answers PING."""
        checks = await readiness(request.app.state.db, request.app.state.hub, redis=bool(settings.redis_url))
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse({"status": "ready" if ready else "not ready", **checks}, status_code=200 if ready else 503)

    return app


READINESS_TIMEOUT = 3.0


async def readiness(db: Database, hub: Hub, *, redis: bool) -> dict[str, str]:
    """Per dependency: "ok", or a short reason (the details go to the log, not to the caller)."""
    checks: dict[str, str] = {}
    try:
        async with asyncio.timeout(READINESS_TIMEOUT), db.reader() as session:
            await session.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception:
        log.warning("readiness: the database did not answer", exc_info=True)
        checks["database"] = "unreachable"
    if redis:
        try:
            async with asyncio.timeout(READINESS_TIMEOUT):
                await hub.ping()
            checks["redis"] = "ok"
        except Exception:
            log.warning("readiness: Redis did not answer PING", exc_info=True)
            checks["redis"] = "unreachable"
    return checks


def _error_response(request: Request, status: int, message: str) -> Response:
    if is_htmx(request):
        # app.js shows the text in the page's message area; nothing on the page is replaced.
        return PlainTextResponse(message, status_code=status, headers={"HX-Reswap": "none"})
    html = render("error.html", **base_context(request), message=message, status=status)
    return HTMLResponse(html, status_code=status)
