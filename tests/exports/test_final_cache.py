"""The cache of final reports' downloads: one render for concurrent requests, failures forgotten, bounded."""

import asyncio

import pytest

from app.exports.final_cache import FinalReportCache


async def test_concurrent_requests_share_one_render():
    cache = FinalReportCache()
    started = asyncio.Event()
    release = asyncio.Event()

    async def render() -> bytes:
        started.set()
        await release.wait()
        return b"%PDF-1"

    waiting = [asyncio.create_task(cache.get("r", render)) for _ in range(5)]
    await started.wait()
    release.set()
    assert await asyncio.gather(*waiting) == [b"%PDF-1"] * 5
    assert cache.renders == 1


async def test_a_requester_that_goes_away_does_not_cancel_the_render_for_the_others():
    cache = FinalReportCache()
    release = asyncio.Event()

    async def render() -> bytes:
        await release.wait()
        return b"report"

    first = asyncio.create_task(cache.get("r", render))
    second = asyncio.create_task(cache.get("r", render))
    await asyncio.sleep(0)
    first.cancel()
    release.set()
    assert await second == b"report"
    assert await cache.get("r", render) == b"report" and cache.renders == 1


async def test_a_failed_render_is_forgotten_and_tried_again():
    cache = FinalReportCache()
    calls = []

    async def render() -> bytes:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("pango went away")
        return b"ok"

    with pytest.raises(RuntimeError):
        await cache.get("r", render)
    assert "r" not in cache
    assert await cache.get("r", render) == b"ok" and cache.renders == 2


async def test_the_least_recently_used_report_is_forgotten_first():
    cache = FinalReportCache(max_entries=2)

    def render(data: bytes):
        async def run() -> bytes:
            return data

        return run

    await cache.get("a", render(b"a"))
    await cache.get("b", render(b"b"))
    await cache.get("a", render(b"a"))  # a is used again: b is now the oldest
    await cache.get("c", render(b"c"))
    assert "a" in cache and "c" in cache and "b" not in cache
