"""Benchmark of the live path: the app and a bare reference broadcast server, driven in the same run.

Phones join the app through its real pages and hold its WebSockets; the reference (bench/reference_server.py) holds
as many WebSockets. Both get the same events: step changes (a frame to every phone), bursts of answers (open loop,
at scheduled times), joins; the table compares them as app/reference ratios and checks the targets of issue 10.
CPU is each server's own (utime + stime from /proc, process tree), not wall time.

    .venv/bin/python -m bench.live_path            # short: 200 phones, a 200-answer burst (make bench)
    .venv/bin/python -m bench.live_path --full     # 200, 1,000 and 2,000 phones; bursts of 200 and 1,000

See bench/README.md. This is a benchmark: it prints figures; it exits non-zero only when the app misbehaves
(an answer lost or doubled, HTTP 5xx, a frame that never came, a socket closed by the server, errors in its log).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import resource
import signal
import sys
from dataclasses import dataclass, field

from bench.app_room import AppRoom, Burst, StepResult
from bench.measure import CpuMeter, now, pct
from bench.page_weight import first_join_and_second_visit
from bench.ref_room import Fanout, RefBurst, RefRoom
from bench.servers import AppServer, ReferenceServer, describe_transport, transport_args

KB = 1024
BATCH = 10  # joins per measured join batch; answers per single-answer probe


@dataclass
class Stage:
    phones: int  # phones in the room at this stage
    burst: int = 0  # answers in the burst at this stage (0: none)


SHORT = [Stage(200, 200)]
FULL = [Stage(200, 200), Stage(1000, 1000), Stage(2000, 0)]
BURST_P99 = {200: 0.3, 1000: 1.0}  # issue 10: post -> board p99 targets by burst size


@dataclass
class Row:
    scenario: str
    app: float | None
    ref: float | None = None
    unit: str = "ms"
    target: str = ""
    met: bool | None = None

    @property
    def ratio(self) -> float | None:
        if self.app is None or self.ref is None or not self.ref or math.isnan(self.app) or math.isnan(self.ref):
            return None
        return self.app / self.ref


@dataclass
class Results:
    rows: list[Row] = field(default_factory=list)
    bursts: list[tuple[Burst, RefBurst]] = field(default_factory=list)
    steps: list[tuple[StepResult, Fanout]] = field(default_factory=list)
    lost: int = 0
    doubled: int = 0
    problems: list[str] = field(default_factory=list)


def div(a: float, b: float) -> float:
    """a / b, or NaN when b is zero (CPU is read in 10 ms ticks: a small enough cost reads as 0)."""
    return a / b if b else math.nan


def out(line: str = "") -> None:
    print(line, flush=True)


def fmt(value: float | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    scale = {"ms": 1000, "KB": 1 / KB, "KiB": 1 / KB}.get(unit, 1)
    number = value * scale
    if unit == "count":
        return f"{number:.0f}"
    return f"{number:.{0 if abs(number) >= 100 else 1 if abs(number) >= 10 else 2}f} {unit}"


def table(rows: list[Row]) -> str:
    head = f"{'scenario':<52} {'app':>11} {'reference':>11} {'ratio':>8}  {'target (issue 10)':<22} met"
    lines = [head, "-" * len(head)]
    for row in rows:
        ratio = f"{row.ratio:.1f}x" if row.ratio is not None else "—"
        met = "—" if row.met is None else ("yes" if row.met else "NO")
        lines.append(
            f"{row.scenario:<52} {fmt(row.app, row.unit):>11} {fmt(row.ref, row.unit):>11} {ratio:>8}  "
            f"{row.target:<22} {met}"
        )
    return "\n".join(lines)


def at_most(value: float | None, limit: float) -> bool | None:
    return None if value is None or math.isnan(value) else value <= limit


async def burst_rows(
    app: AppRoom, ref: RefRoom, count: int, args: argparse.Namespace, results: Results, idle: tuple[float, float]
) -> None:
    phones = len(app.phones)
    early = await app.probe(args.batch, idle[0])
    out(f"  {args.batch} single answers on a quiet room: {early[0] * 1000:.1f} ms CPU each")
    burst = await app.burst(count, args.spread, args.wait, idle[0])
    statuses = ", ".join(f"{k} x{v}" for k, v in sorted(burst.statuses.items(), key=str))
    out(f"  app burst of {count} over {args.spread:.0f} s: HTTP {statuses}; board done after {burst.seconds:.1f} s")
    late = await app.probe(args.batch, idle[0])
    ref_burst = await ref.burst(count, args.spread, args.wait, idle[1])
    results.bursts.append((burst, ref_burst))
    p50, p99 = pct(burst.latencies, 0.5), pct(burst.latencies, 0.99)
    r50, r99 = pct(ref_burst.latencies, 0.5), pct(ref_burst.latencies, 0.99)
    acked = max(len(burst.acked), 1)
    ref_cpu = div(ref_burst.cpu, count)
    server_errors = sum(v for k, v in burst.statuses.items() if isinstance(k, int) and k >= 500)
    name = f"(b) burst {count} in {args.spread:.0f} s, {phones} phones:"
    target = BURST_P99.get(count)
    results.rows += [
        Row(
            f"{name} CPU per answer",
            burst.cpu / acked,
            ref_cpu,
            "ms",
            "≤ 3x ref",
            at_most(div(burst.cpu / acked, ref_cpu), 3),
        ),
        Row(f"{name} post→board p50", p50, r50),
        Row(
            f"{name} post→board p99",
            p99,
            r99,
            "ms",
            f"≤ {target * 1000:.0f} ms" if target else "",
            at_most(p99, target) if target else None,
        ),
        Row(f"{name} HTTP 5xx", server_errors, unit="count", target="0", met=server_errors == 0),
        Row(
            f"{name} acked, not on board",
            burst.missing_on_board,
            unit="count",
            target="0",
            met=not burst.missing_on_board,
        ),
        Row(
            f"{name} board bytes/answer",
            burst.board_bytes / acked,
            None,
            "KB",
            "≤ 2 KB",
            at_most(burst.board_bytes / acked, 2 * KB),
        ),
        Row(
            f"{name} console bytes/answer",
            burst.console_bytes / acked,
            None,
            "KB",
            "≤ 4 KB",
            at_most(burst.console_bytes / acked, 4 * KB),
        ),
        Row(f"(b) single answer, first {args.batch} of the step: CPU", early[0], ref_cpu),
        Row(
            f"(b) single answer, after {count + args.batch}: CPU",
            late[0],
            ref_cpu,
            "ms",
            "≤ 3x ref",
            at_most(div(late[0], ref_cpu), 3),
        ),
        Row(
            f"(b) ... CPU after {count + args.batch} / first {args.batch}",
            div(late[0], early[0]),
            None,
            "x",
            "≤ 1.2",
            at_most(div(late[0], early[0]), 1.2),
        ),
        Row(
            f"(b) single answer, after {count + args.batch}: board bytes",
            late[1],
            None,
            "KB",
            "≤ 2 KB",
            at_most(late[1], 2 * KB),
        ),
        Row(
            f"(b) single answer, after {count + args.batch}: console bytes",
            late[2],
            None,
            "KB",
            "≤ 4 KB",
            at_most(late[2], 4 * KB),
        ),
    ]
    if server_errors:
        results.problems.append(f"burst of {count}: {server_errors} answers got HTTP 5xx")
    if burst.missing_on_board:
        results.problems.append(
            f"burst of {count}: {burst.missing_on_board} acknowledged answers never reached the board"
        )


async def step_rows(
    app: AppRoom, ref: RefRoom, args: argparse.Namespace, results: Results, idle: tuple[float, float]
) -> None:
    step = await app.change_step(args.wait, idle[0])
    fan = await ref.fanout(step.frame_text, args.wait, idle[1])
    results.steps.append((step, fan))
    n = step.phones
    out(
        f"  step change to {n} phones: frame p99 {pct(step.frame, 0.99) * 1000:.0f} ms, form usable p99 "
        f"{pct(step.form, 0.99) * 1000:.0f} ms, {step.requests} phone requests; reference p99 "
        f"{pct(fan.latencies, 0.99) * 1000:.0f} ms"
    )
    name = f"(a) step change, {n} phones:"
    f99, r99 = pct(step.form, 0.99), pct(fan.latencies, 0.99)
    results.rows += [
        Row(f"{name} phone frame p50", pct(step.frame, 0.5), pct(fan.latencies, 0.5)),
        Row(f"{name} phone frame p99", pct(step.frame, 0.99), r99),
        Row(f"{name} form usable p50", pct(step.form, 0.5), pct(fan.latencies, 0.5)),
        Row(f"{name} form usable p99", f99, r99, "ms", "≤ 1.5x ref", at_most(div(f99, r99), 1.5)),
        Row(f"{name} server CPU", step.cpu, fan.cpu, "ms"),
        Row(f"{name} phone HTTP requests", step.requests, unit="count", target="0", met=step.requests == 0),
    ]
    if step.missing or fan.missing:
        results.problems.append(
            f"step change to {n} phones: {step.missing} phones (reference: {fan.missing}) incomplete"
        )


async def join_batch(app: AppRoom, ref: RefRoom, idle: tuple[float, float], batch: int) -> tuple[float, float]:
    """CPU per join of a batch of phones joining at once (pages + socket), and per reference connect."""
    await app.quiet()
    meter, start = CpuMeter(app.tree), now()
    await app.join_many(batch, batch)
    await app.quiet(0.5)
    app_cpu = max(0.0, meter.stop() - idle[0] * (now() - start)) / batch
    await ref.quiet()
    meter, start = CpuMeter(ref.tree), now()
    await ref.connect_many(batch, batch)
    await ref.quiet(0.5)
    return app_cpu, max(0.0, meter.stop() - idle[1] * (now() - start)) / batch


async def idle_rates(app: AppRoom, ref: RefRoom, seconds: float) -> tuple[float, float]:
    """Each server's CPU per second at rest with the room connected (pings, timers), subtracted from every figure."""
    rates = await asyncio.gather(app.idle_cpu_rate(seconds), ref.idle_cpu_rate(seconds))
    return rates[0], rates[1]


async def stages_run(
    app: AppRoom,
    ref: RefRoom,
    stages: list[Stage],
    args: argparse.Namespace,
    results: Results,
    idle: tuple[float, float],
    early: tuple[float, float],
    rss0: tuple[int, int],
    join_seconds: float,
) -> None:
    """The room grows stage by stage: joins, memory, then the stage's burst and step change."""
    for number, stage in enumerate(stages):
        last = number == len(stages) - 1
        more = stage.phones - len(app.phones) - (args.batch if last else 0)
        if more > 0:
            start = now()
            await app.join_many(more, args.in_flight)
            join_seconds += now() - start
            await ref.connect_many(stage.phones - len(ref.sockets) - (args.batch if last else 0), args.in_flight)
        out(f"{len(app.phones)} phones joined ({join_seconds:.1f} s of joining so far)")
        if last:
            start = now()
            late = await join_batch(app, ref, idle, args.batch)
            join_seconds += now() - start
            out(f"(d) last {args.batch} joins: {late[0] * 1000:.1f} ms CPU each (reference {late[1] * 1000:.1f} ms)")
            n = len(app.phones)
            late_name = f"(d) join CPU, phones {n - args.batch + 1}-{n}"
            results.rows += [
                Row(late_name, late[0], late[1]),
                Row(
                    f"{late_name} / 1-{args.batch}",
                    div(late[0], early[0]),
                    None,
                    "x",
                    "≤ 1.2",
                    at_most(div(late[0], early[0]), 1.2),
                ),
                Row(
                    f"(d) {n} phones joined (pages + socket)",
                    join_seconds,
                    None,
                    "s",
                    "≤ 60 s" if n >= 2000 else "",
                    at_most(join_seconds, 60) if n >= 2000 else None,
                ),
            ]
        await asyncio.gather(app.quiet(0.5), ref.quiet(0.5))
        n = len(app.phones)
        mem = (app.tree.rss_bytes() - rss0[0]) / n, (ref.tree.rss_bytes() - rss0[1]) / len(ref.sockets)
        out(f"(c) memory per phone with {n}: app {mem[0] / KB:.0f} KiB, reference {mem[1] / KB:.0f} KiB")
        results.rows.append(
            Row(
                f"(c) memory per connected phone, {n} phones",
                mem[0],
                mem[1],
                "KiB",
                "≤ 1.5x ref",
                at_most(div(mem[0], mem[1]), 1.5),
            )
        )
        idle = await idle_rates(app, ref, args.idle)
        burst_done = not stage.burst
        if not burst_done and app.current_kind == "open":
            await burst_rows(app, ref, stage.burst, args, results, idle)
            burst_done = True
        await step_rows(app, ref, args, results, idle)
        if not burst_done:
            if app.current_kind != "open":
                await step_rows(app, ref, args, results, idle)
            await burst_rows(app, ref, stage.burst, args, results, idle)


async def run(
    app_server: AppServer, ref_server: ReferenceServer, stages: list[Stage], args: argparse.Namespace
) -> Results:
    results = Results()
    args.batch = min(BATCH, max(1, stages[-1].phones // 4))  # joins per measured batch, answers per probe
    app = AppRoom(app_server.url, app_server.tree)
    ref = RefRoom(ref_server.url, ref_server.tree)
    try:
        await app.open()
        first, second = await first_join_and_second_visit(app_server.url, app.code)
        out(f"(e) first join: {first.requests} requests, {first.bytes / KB:.1f} KB")
        out("\n".join(first.lines))
        out(f"(e) second visit: {second.requests} requests, {second.static_requests} for static files")
        out("\n".join(second.lines))
        results.rows += [
            Row("(e) first join: bytes over the wire", first.bytes, None, "KB", "≤ 60 KB", first.bytes <= 60 * KB),
            Row("(e) first join: requests", first.requests, unit="count"),
            Row(
                "(e) second visit: static files requested",
                second.static_requests,
                unit="count",
                target="0",
                met=second.static_requests == 0,
            ),
        ]

        await asyncio.gather(app.quiet(), ref.quiet())
        rss0 = app.tree.rss_bytes(), ref.tree.rss_bytes()
        idle = await idle_rates(app, ref, args.idle)
        start = now()
        early = await join_batch(app, ref, idle, args.batch)
        join_seconds = now() - start
        out(f"(d) first {args.batch} joins: {early[0] * 1000:.1f} ms CPU each (reference {early[1] * 1000:.1f} ms)")
        results.rows.append(Row(f"(d) join CPU, phones 1-{args.batch}", early[0], early[1]))
        try:
            await stages_run(app, ref, stages, args, results, idle, early, rss0, join_seconds)
        except Exception as error:  # noqa: BLE001 - report what was measured and why it stopped
            results.problems.append(f"the run stopped early: {type(error).__name__}: {error}")
        join_errors = sum(v for k, v in app.join_statuses.items() if not isinstance(k, int) or k >= 500)
        results.rows.append(
            Row("(d) join requests answered 5xx", join_errors, unit="count", target="0", met=not join_errors)
        )
        if join_errors:
            results.problems.append(f"join requests failed (retried): {dict(app.join_statuses)}")
        stored = await app.stored_markers()
        acked = set().union(*(b.acked for b, _ in results.bursts)) if results.bursts else set()
        results.lost = sum(1 for marker in acked if not stored.get(marker))
        results.doubled = sum(1 for count in stored.values() if count > 1)
        results.rows += [
            Row(
                "(b) answers acked but not stored (all bursts)",
                results.lost,
                unit="count",
                target="0",
                met=not results.lost,
            ),
            Row(
                "(b) answers stored twice (all bursts)",
                results.doubled,
                unit="count",
                target="0",
                met=not results.doubled,
            ),
        ]
        if results.lost or results.doubled:
            results.problems.append(f"{results.lost} acknowledged answers lost, {results.doubled} stored twice")
        closed = app.closed + ref.closed
        if closed:
            results.problems.append(f"sockets closed by a server during the run: {dict(closed)}")
    finally:
        await app.close()
        await ref.close()
    for server in (app_server, ref_server):
        errors = server.problems()
        if errors:
            results.problems.append(f"the {server.name} log has {len(errors)} error lines; the first: {errors[0]}")
            for line, count in server.exceptions().most_common(3):
                results.problems.append(f"   {count} x {line}")
    return results


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="the full matrix: 200, 1,000 and 2,000 phones")
    parser.add_argument("--phones", type=int, default=0, help="short run: phones (default 200)")
    parser.add_argument("--answers", type=int, default=0, help="short run: answers in the burst (default 200)")
    parser.add_argument("--in-flight", type=int, default=50, help="phones joining at the same time (default 50)")
    parser.add_argument("--spread", type=float, default=5.0, help="seconds a burst is spread over (default 5)")
    parser.add_argument("--wait", type=float, default=120, help="seconds to wait for frames before giving up")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds to measure each server's CPU at rest")
    parser.add_argument("--database-url", default="", help="e.g. postgresql+asyncpg://…/olive_bench (default SQLite)")
    parser.add_argument("--redis-url", default="", help="e.g. redis://127.0.0.1:6379/2 (default in-memory hub)")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn workers of the app (needs PostgreSQL + Redis)")
    args = parser.parse_args(argv)
    if args.workers > 1 and not (args.database_url and args.redis_url):
        parser.error("--workers needs --database-url (PostgreSQL) and --redis-url")
    return args


def stages_for(args: argparse.Namespace) -> list[Stage]:
    if args.full:
        return FULL
    return [Stage(args.phones or SHORT[0].phones, SHORT[0].burst if args.answers == 0 else args.answers)]


def raise_file_limit(phones: int) -> None:
    """Every phone holds an HTTP connection and a WebSocket on both ends; the servers inherit the limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = min(hard, max(soft, 6 * phones + 512))
    if wanted > soft:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stages = stages_for(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally` below: never leave a server behind
    raise_file_limit(max(stage.phones for stage in stages))
    app_server = AppServer(database_url=args.database_url, redis_url=args.redis_url, workers=args.workers)
    ref_server = ReferenceServer()
    out("Opgroeiruimte Live: live path benchmark (issue 10), the app and a bare reference in the same run")
    out(f"  {app_server.describe()}")
    out(f"  reference: bench/reference_server.py; both {describe_transport(transport_args())}")
    out(f"  stages: {', '.join(f'{s.phones} phones' + (f' + burst {s.burst}' if s.burst else '') for s in stages)}")
    out(
        f"  machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average "
        f"{os.getloadavg()[0]:.1f} at the start; the load generator shares these cores"
    )
    started = now()
    try:
        app_server.start()
        ref_server.start()
        asyncio.run(app_server.wait_ready())
        asyncio.run(ref_server.wait_ready())
        results = asyncio.run(run(app_server, ref_server, stages, args))
    except Exception as error:
        print(f"\nbenchmark failed: {type(error).__name__}: {error}", file=sys.stderr)
        for server in (app_server, ref_server):
            tail = server.log_tail()
            if tail:
                print(f"--- {server.name} log (last lines) ---\n{tail}", file=sys.stderr)
        return 2
    finally:
        for server in (app_server, ref_server):
            out(server.stop())
            server.cleanup()
    out()
    out(table(results.rows))
    out()
    out(f"{now() - started:.0f} s in all; load average {os.getloadavg()[0]:.1f} at the end.")
    for problem in results.problems:
        out(f"!! {problem}")
    return 1 if results.problems else 0


if __name__ == "__main__":
    sys.exit(main())
