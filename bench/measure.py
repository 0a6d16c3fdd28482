"""Measuring helpers: percentiles, and CPU time and memory of a server's process tree from /proc (Linux).

CPU is what the server processes themselves used (utime + stime of the process and every live descendant, plus
the reaped children's time), so it holds on a machine that other work shares; wall times do not.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def now() -> float:
    return time.perf_counter()


def pct(values: list[float], q: float) -> float:
    """Percentile with linear interpolation (q in 0..1); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = q * (len(ordered) - 1)
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/PID/stat after the command name (field 3 onwards); None when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _tree(root: int) -> list[int]:
    """The root and all its live descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields:
                children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


@dataclass
class ProcessTree:
    """A server: its main process (uvicorn; with --workers the supervisor) and whatever it started."""

    pid: int

    def cpu_seconds(self) -> float:
        total = 0
        for pid in _tree(self.pid):
            fields = _stat(pid)
            if fields:
                total += int(fields[11]) + int(fields[12])  # utime, stime
                total += int(fields[13]) + int(fields[14])  # cutime, cstime: children that already exited
        return total / TICK

    def rss_bytes(self) -> int:
        total = 0
        for pid in _tree(self.pid):
            try:
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
            except (OSError, IndexError, ValueError):
                pass
        return total


class CpuMeter:
    """CPU seconds a process tree used between `start()` and `stop()`."""

    def __init__(self, tree: ProcessTree) -> None:
        self.tree = tree
        self.started = tree.cpu_seconds()
        self.used = float("nan")

    def stop(self) -> float:
        self.used = self.tree.cpu_seconds() - self.started
        return self.used
