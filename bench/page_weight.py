"""Page weight of a phone's first join and of a second visit, as a browser with an HTTP cache would load it.

Every request a browser makes: the HTML pages, each same-origin stylesheet, script, image and CSS `url()` they refer
to, and the join form's POST; bytes over the wire (status line, headers and the body as sent, compressed when the
server compresses; the client asks with `Accept-Encoding: gzip`). The cache follows the response headers the way
browsers do: `no-store` is never kept; within `max-age` (or `immutable`) nothing is requested; otherwise a stored
response with `ETag`/`Last-Modified` is revalidated with a conditional request; without any freshness header a
response with `Last-Modified` is fresh for 10% of its age (browsers' heuristic).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlparse

import httpx

from bench.devices import _SSL

REFS = re.compile(
    r'<(?:script|img)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="(?:stylesheet|preload|modulepreload|icon)"[^>]*\bhref="([^"]+)"'
    r'|<link\b[^>]*\bhref="([^"]+)"[^>]*\brel="(?:stylesheet|preload|modulepreload|icon)"'
)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


@dataclass
class Load:
    requests: int = 0
    bytes: int = 0
    static_requests: int = 0  # requests for static files (full or conditional)
    static_full: int = 0  # static files downloaded again in full
    lines: list[str] = field(default_factory=list)


def wire_bytes(response: httpx.Response) -> int:
    head = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n") + 2
    head += sum(len(k) + len(v) + 4 for k, v in response.headers.raw)
    return head + response.num_bytes_downloaded


def _cache_control(response: httpx.Response) -> dict[str, str]:
    directives = {}
    for part in response.headers.get("cache-control", "").split(","):
        name, _, value = part.strip().partition("=")
        if name:
            directives[name.lower()] = value
    return directives


class Browser:
    def __init__(self, url: str) -> None:
        self.origin = url
        self.http = httpx.AsyncClient(
            base_url=url, follow_redirects=False, timeout=60, verify=_SSL, headers={"Accept-Encoding": "gzip"}
        )
        self.cache: dict[str, httpx.Response] = {}

    def _fresh(self, response: httpx.Response) -> bool:
        cc = _cache_control(response)
        if "no-cache" in cc:
            return False
        if "immutable" in cc or "max-age" in cc:
            return int(cc.get("max-age") or 0) > 0  # a benchmark visit is seconds after the first
        modified, date = response.headers.get("last-modified"), response.headers.get("date")
        if modified and date and "expires" not in response.headers:
            age = (parsedate_to_datetime(date) - parsedate_to_datetime(modified)).total_seconds()
            return age * 0.1 > 1
        return False

    async def get(self, path: str, load: Load, static: bool) -> httpx.Response | None:
        cached = self.cache.get(path)
        headers = {}
        if cached is not None:
            if self._fresh(cached):
                load.lines.append(f"  (cache)  {path}")
                return cached
            if cached.headers.get("etag"):
                headers["If-None-Match"] = cached.headers["etag"]
            if cached.headers.get("last-modified"):
                headers["If-Modified-Since"] = cached.headers["last-modified"]
        response = await self.http.get(path, headers=headers)
        self.count(response, load, static, path)
        if response.status_code == 304 and cached is not None:
            return cached
        if static:
            load.static_full += 1
        if "no-store" not in _cache_control(response) and response.status_code == 200:
            self.cache[path] = response
        return response

    def count(self, response: httpx.Response, load: Load, static: bool, path: str) -> None:
        size = wire_bytes(response)
        load.requests += 1
        load.bytes += size
        load.static_requests += static
        encoding = response.headers.get("content-encoding", "-")
        load.lines.append(f"  {response.status_code} {size:>8} B  {encoding:<5} {path}")

    async def page(self, path: str, load: Load) -> str:
        """A page with every same-origin resource it refers to (CSS url() included)."""
        response = await self.http.get(path)
        self.count(response, load, False, path)
        html = response.text
        for found in REFS.finditer(html):
            ref = next(g for g in found.groups() if g)
            await self.resource(urljoin(path, ref), load)
        return html

    async def resource(self, url: str, load: Load) -> None:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob") or (parsed.netloc and f"{parsed.scheme}://{parsed.netloc}" != self.origin):
            return
        response = await self.get(parsed.path + (f"?{parsed.query}" if parsed.query else ""), load, static=True)
        if response is not None and "css" in response.headers.get("content-type", ""):
            for ref in CSS_URL.findall(response.text):
                if not ref.startswith("data:"):
                    await self.resource(urljoin(url, ref), load)

    async def close(self) -> None:
        await self.http.aclose()


async def first_join_and_second_visit(url: str, code: str) -> tuple[Load, Load]:
    browser = Browser(url)
    first, second = Load(), Load()
    try:
        html = await browser.page(f"/j/{code}", first)
        party = re.search(r'name="party_id" value="(\d+)"', html)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', html)
        if not party or not csrf:
            raise RuntimeError("the join page has no party choice or CSRF token")
        data = {
            "party_id": party.group(1),
            "display_name": "Gewicht",
            "speaks_for": "self",
            "csrf_token": csrf.group(1),
        }
        response = await browser.http.post(f"/j/{code}", data=data)
        browser.count(response, first, False, f"POST /j/{code}")
        if response.status_code != 303:
            raise RuntimeError(f"join failed: HTTP {response.status_code}")
        phone_page = response.headers["location"]
        await browser.page(phone_page, first)
        await browser.page(phone_page, second)
    finally:
        await browser.close()
    return first, second
