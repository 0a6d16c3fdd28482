"""Report exports: how big and how slow is each download of a full workshop?

Builds a 60-participant (2 parties), 8-step workshop (one step of every kind, realistic text volumes: three notes
per person on the open questions, every structured step answered, two agreements with consent) in a temporary
SQLite database through the services, then renders every format a few times and prints size and median time,
with the HTML report page as the baseline ratio. Prints figures; asserts nothing.

    .venv/bin/python bench/report_exports.py [--per-party 30] [--notes 3] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import Database  # noqa: E402
from app.exports.csv_export import render_csv  # noqa: E402
from app.exports.docx_export import render_docx  # noqa: E402
from app.exports.final_cache import FinalReportCache  # noqa: E402
from app.exports.markdown import render_markdown  # noqa: E402
from app.exports.pdf import render_pdf  # noqa: E402
from app.exports.xlsx_export import render_xlsx  # noqa: E402
from app.services.report import build_report  # noqa: E402
from app.templating import render  # noqa: E402
from tests.conftest import migrate  # noqa: E402
from tests.report_workshop import build_report_workshop  # noqa: E402


def _page(report) -> str:  # type: ignore[no-untyped-def]
    """The report page's body as the facilitator sees it (editable forms included)."""
    return render("report/_body.html", report=report, editable=True, csrf_token="x" * 32)


async def main(per_party: int, notes: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        thread = threading.Thread(target=migrate, args=(url,))  # alembic runs its own event loop
        thread.start()
        thread.join()
        database = Database(url)
        async with database.writer() as db:
            started = time.perf_counter()
            workshop = await build_report_workshop(db, per_party=per_party, notes_each=notes)
            built = time.perf_counter() - started
            load = []
            for _ in range(repeat):
                t = time.perf_counter()
                report = await build_report(db, workshop=workshop)
                load.append(time.perf_counter() - t)
        await database.dispose()
    answers = sum(len(c.answers) for s in report.steps for c in s.columns)
    print(f"Workshop: {report.participants_total} participants, {len(report.steps)} steps, {answers} answers")
    read_ms = statistics.median(load) * 1000
    print(f"Built through the services in {built:.1f} s; build_report (read model) median {read_ms:.0f} ms")
    formats = [
        ("HTML page", lambda: _page(report).encode()),
        ("PDF", lambda: render_pdf(report)),
        ("DOCX", lambda: render_docx(report)),
        ("XLSX", lambda: render_xlsx(report)),
        ("Markdown", lambda: render_markdown(report).encode()),
        ("CSV", lambda: render_csv(report).encode()),
    ]
    rows = []
    for name, fn in formats:
        fn()  # warm up (templates, fonts)
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            data = fn()
            times.append(time.perf_counter() - t)
        rows.append((name, len(data), statistics.median(times)))
    base = rows[0][2]
    print(f"\n{'format':<10} {'size':>10} {'median':>10} {'x HTML':>8}   (median of {repeat} renders)")
    for name, size, median in rows:
        print(f"{name:<10} {size / 1024:>8.1f} kB {median * 1000:>7.0f} ms {median / base:>8.1f}")
    await _concurrent_downloads(report, phones=10)


async def _concurrent_downloads(report, phones: int) -> None:  # type: ignore[no-untyped-def]
    """Phones asking for the final PDF at the same moment (the workshop just closed): each rendering its own copy
    in the thread pool, against the final-report cache (one render, shared)."""

    async def each_its_own() -> None:
        await asyncio.gather(*(asyncio.to_thread(render_pdf, report) for _ in range(phones)))

    async def shared() -> None:
        cache = FinalReportCache()
        render = lambda: asyncio.to_thread(render_pdf, report)  # noqa: E731
        await asyncio.gather(*(cache.get("final", render) for _ in range(phones)))

    print(f"\n{phones} phones download the final PDF at once (2 cores):")
    timings = {}
    for name, run in (("each its own render", each_its_own), ("final-report cache", shared)):
        t = time.perf_counter()
        await run()
        timings[name] = time.perf_counter() - t
        print(f"  {name:<20} all served after {timings[name]:>6.2f} s")
    ratio = timings["each its own render"] / timings["final-report cache"]
    print(f"  the cache serves them {ratio:.1f}x sooner")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-party", type=int, default=30, help="participants per party (default 30: 60 in all)")
    parser.add_argument("--notes", type=int, default=3, help="notes per person on each open question (default 3)")
    parser.add_argument("--repeat", type=int, default=5, help="renders per format (default 5)")
    args = parser.parse_args()
    asyncio.run(main(args.per_party, args.notes, args.repeat))
