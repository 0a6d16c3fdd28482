"""Static files: content-hashed URLs cached for a year, precompressed; pages compressed on the way out."""

import gzip
import re

from app.assets import STATIC_DIR


def _static_urls(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


async def test_pages_link_static_files_by_content_hash(client):
    urls = _static_urls((await client.get("/")).text)
    assert urls, "the start page links its stylesheet and scripts"
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in urls)


async def test_hashed_static_file_is_immutable_and_precompressed(client):
    url = next(u for u in _static_urls((await client.get("/")).text) if "/js/app.js" in u)
    response = await client.get(url, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-encoding"] == "gzip"
    assert "set-cookie" not in response.headers  # shared caches may keep it
    assert response.content == (STATIC_DIR / "js" / "app.js").read_bytes()  # httpx decoded the gzip
    assert int(response.headers["content-length"]) < len(response.content) / 2


async def test_unhashed_or_old_static_url_is_revalidated(client):
    plain = await client.get("/static/css/app.css")
    assert plain.status_code == 200
    assert plain.headers["cache-control"] == "no-cache"
    old = await client.get("/static/css/app.css?v=000000000000")
    assert old.headers["cache-control"] == "no-cache"
    again = await client.get("/static/css/app.css", headers={"If-None-Match": plain.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_unknown_or_outside_static_path_is_not_found(client):
    assert (await client.get("/static/css/nope.css")).status_code == 404
    assert (await client.get("/static/../config.py")).status_code == 404
    assert (await client.get("/static/%2e%2e/config.py")).status_code == 404


async def test_pages_are_compressed(client):
    raw = await client.get("/", headers={"Accept-Encoding": "gzip"})
    assert raw.headers["content-encoding"] == "gzip"
    identity = await client.get("/", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in identity.headers
    assert gzip.decompress(gzip.compress(identity.content)) == raw.content
