"""Security baseline for every request: headers, CSRF (a double-submit token, not signed, together with a Host and
Origin check against this site's hosts), rate limits, local redirects."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
from urllib.parse import urlparse

from limits import parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from starlette.datastructures import Headers
from starlette.requests import Request

log = logging.getLogger(__name__)

CSRF_COOKIE = "olive_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class CsrfError(Exception):
    pass


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_cookie_value(request: Request) -> str | None:
    value = request.cookies.get(CSRF_COOKIE)
    return value if value and 20 <= len(value) <= 100 else None


def is_same_origin(headers: Headers, *, allowed_origins: set[str], allowed_hosts: frozenset[str]) -> bool:
    """True when the request names one of this app's hosts (Host) and its Origin (if any) is this site: the
    configured origin, or the Host it was sent to. A page on another name that resolves to this server (DNS
    rebinding) sends Host and Origin of that name, and is refused. Browsers always send Origin on WebSockets."""
    host = headers.get("host", "")
    if (urlparse(f"//{host}").hostname or "") not in allowed_hosts:
        return False
    origin = headers.get("origin")
    if origin is None:
        return True
    parsed = urlparse(origin)
    return parsed.netloc == host or f"{parsed.scheme}://{parsed.netloc}" in allowed_origins


async def verify_csrf(request: Request, *, allowed_origins: set[str], allowed_hosts: frozenset[str]) -> None:
    """Check an unsafe request: same origin, and the submitted token equals the cookie's."""
    if request.method in SAFE_METHODS:
        return
    if not is_same_origin(request.headers, allowed_origins=allowed_origins, allowed_hosts=allowed_hosts):
        raise CsrfError("cross-origin request")
    expected = csrf_cookie_value(request)
    submitted = request.headers.get(CSRF_HEADER)
    if submitted is None:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            value = form.get(CSRF_FIELD)
            submitted = value if isinstance(value, str) else None
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError("missing or wrong CSRF token")


class RateLimiter:
    """Sliding-window limits per key, in memory (one process) or in Redis (shared by every worker)."""

    def __init__(self, redis_url: str = "", namespace: str = "olive") -> None:
        storage: Storage = (
            RedisStorage(f"async+{redis_url}", implementation="redispy", key_prefix=f"{namespace}-limits")
            if redis_url
            else MemoryStorage()
        )
        # A sliding-window counter: O(1) per hit (the moving window walks every key's event list on expiry).
        self._limiter = SlidingWindowCounterRateLimiter(storage)

    async def test(self, limit: str, *key: str) -> bool:
        """Would a hit be allowed? (Counts nothing.)"""
        try:
            return await self._limiter.test(parse(limit), *key)
        except Exception:
            log.warning("rate limit storage unavailable; allowing the request", exc_info=True)
            return True

    async def hit(self, limit: str, *key: str) -> bool:
        try:
            return await self._limiter.hit(parse(limit), *key)
        except Exception:
            # Fail open: a Redis hiccup must not lock a room out of joining or answering.
            log.warning("rate limit storage unavailable; allowing the request", exc_info=True)
            return True


def local_path(target: str | None, default: str = "/") -> str:
    """`target` when it is a path on this site, else `default`: redirects never leave the site. Browsers read a
    backslash as a slash and ignore tabs and newlines in URLs, so "//x", "/\\x" and "/\t/x" all name another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if any(c == "\\" or ord(c) < 32 or ord(c) == 127 for c in target) or urlparse(target).netloc:
        return default
    return target


# Paths whose last part is a secret: a review link's token, a one-time board link's token.
_SECRET_PATH = re.compile(r"^(/[rb]/)[^/?#]+")


class SecretPathFilter(logging.Filter):
    """Keeps link tokens out of the access log: uvicorn logs the path with its arguments (client, method, path,
    version, status); the token becomes "…", so the log names the route, not the secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], _SECRET_PATH.sub(r"\1…", args[2]), *args[3:])
        return True


def hide_secret_paths(logger_name: str = "uvicorn.access") -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, SecretPathFilter) for f in logger.filters):
        logger.addFilter(SecretPathFilter())


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
