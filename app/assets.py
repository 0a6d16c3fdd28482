"""Static files (CSS, JS, images): served from memory under content-hashed URLs, cached for a year, precompressed.

A page links `asset_url("js/app.js")`, which is `/static/js/app.js?v=<hash of its content>`. A request with the
current hash gets `Cache-Control: public, max-age=31536000, immutable`: a phone's second visit (or the phone page
right after the join page) fetches no static file at all. A changed file has a new hash, so a new URL. Requests
without the hash (or with an old one) get the current file with `no-cache` and an ETag, so nothing stale is kept.

Text files are gzipped once at start (level 9), not per request: 1,000 phones joining at once cost no compression.
"""

from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response

STATIC_DIR = Path(__file__).parent / "static"
IMMUTABLE = "public, max-age=31536000, immutable"
_COMPRESSIBLE = ("text/", "application/javascript", "image/svg+xml", "application/json")


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes | None  # None when compressing does not pay
    media_type: str
    version: str  # the first 12 hex digits of the content's SHA-256

    @property
    def etag(self) -> str:
        return f'"{self.version}"'


def _load(path: Path) -> Asset:
    body = path.read_bytes()
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type == "application/javascript":
        media_type += "; charset=utf-8"
    gzipped = None
    if media_type.startswith(_COMPRESSIBLE):
        packed = gzip.compress(body, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    return Asset(body=body, gzipped=gzipped, media_type=media_type, version=hashlib.sha256(body).hexdigest()[:12])


@lru_cache(maxsize=1)
def assets() -> dict[str, Asset]:
    """Every file under app/static by its path relative to it (loaded once per process)."""
    return {
        path.relative_to(STATIC_DIR).as_posix(): _load(path)
        for path in sorted(STATIC_DIR.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def asset_url(path: str) -> str:
    """The URL of a static file with its content hash; templates use it for every stylesheet and script."""
    asset = assets().get(path)
    if asset is None:
        raise KeyError(f"no static file {path!r}")
    return f"/static/{path}?v={asset.version}"


def asset_response(request: Request, path: str) -> Response | None:
    """The response for GET /static/{path}, or None when there is no such file."""
    asset = assets().get(path)
    if asset is None:
        return None
    current = request.query_params.get("v") == asset.version
    headers = {"Cache-Control": IMMUTABLE if current else "no-cache", "ETag": asset.etag, "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == asset.etag:
        return Response(status_code=304, headers=headers)
    body = asset.body
    if asset.gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
        body = asset.gzipped
        headers["Content-Encoding"] = "gzip"
    return Response(body, media_type=asset.media_type, headers=headers)
