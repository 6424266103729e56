"""Measurements of the load generator: latency percentiles, per-endpoint recording, server memory.

Pure and synchronous where possible, so the tests can check them without a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MAX_ERROR_SAMPLES = 5
ERROR_BODY_CHARS = 500


def percentile(sorted_values: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (0–100) of already sorted values, interpolating linearly between
    the closest ranks (numpy's default), so p50 of [1, 2, 3, 4] is 2.5 and p100 is the maximum."""
    if not sorted_values:
        return math.nan
    if not 0 <= p <= 100:
        raise ValueError(f"percentile {p} is not within 0..100")
    rank = (len(sorted_values) - 1) * p / 100
    low = math.floor(rank)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (rank - low)


def summarize(latencies_s: Iterable[float]) -> dict[str, float]:
    """p50/p95/p99/mean/max in milliseconds (NaN for an empty series)."""
    values = sorted(latencies_s)
    ms = 1000.0
    return {
        "p50": percentile(values, 50) * ms,
        "p95": percentile(values, 95) * ms,
        "p99": percentile(values, 99) * ms,
        "mean": (sum(values) / len(values) * ms) if values else math.nan,
        "max": (values[-1] * ms) if values else math.nan,
    }


@dataclass
class Endpoint:
    """What one kind of request (e.g. ``zaak_read``) did during a measurement."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)


@dataclass
class Recorder:
    """Collects every request of one scenario run, grouped by endpoint label."""

    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    error_samples: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0
    client_cpu: float = 0.0  # the generator's CPU seconds per second of the run

    def add(self, label: str, seconds: float, status: int | None, error: str | None = None) -> None:
        """Record one request; ``error`` (a body or exception text) marks it as failed."""
        ep = self.endpoints.setdefault(label, Endpoint())
        ep.latencies.append(seconds)
        key = str(status) if status is not None else "exception"
        ep.statuses[key] = ep.statuses.get(key, 0) + 1
        self.total += 1
        if error is not None:
            ep.errors += 1
            if len(self.error_samples) < MAX_ERROR_SAMPLES:
                self.error_samples.append(
                    {"endpoint": label, "status": status, "body": error[:ERROR_BODY_CHARS]}
                )

    @property
    def errors(self) -> int:
        return sum(ep.errors for ep in self.endpoints.values())

    def all_latencies(self) -> list[float]:
        return [x for ep in self.endpoints.values() for x in ep.latencies]


# -- server memory, from /proc ------------------------------------------------------------

_KB = re.compile(r"^(Vm\w+):\s+(\d+)\s+kB", re.MULTILINE)


def parse_proc_status(text: str) -> dict[str, int]:
    """The ``Vm*`` lines of /proc/<pid>/status, in kB."""
    return {m.group(1): int(m.group(2)) for m in _KB.finditer(text)}


def parse_ppid(stat_text: str) -> int:
    """The parent pid from /proc/<pid>/stat; the command name may hold spaces and parentheses,
    so the fields are counted from the last ')'."""
    return int(stat_text[stat_text.rindex(")") + 2 :].split()[1])


def process_tree(root: int, parents: dict[int, int]) -> list[int]:
    """``root`` and all its descendants, given a pid → parent pid map."""
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def _parents(proc: Path) -> dict[int, int]:
    parents = {}
    for entry in proc.iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = parse_ppid((entry / "stat").read_text())
            except (OSError, ValueError):
                continue  # the process ended while we looked
    return parents


def tree_memory(root: int, proc: Path = Path("/proc")) -> dict[str, int]:
    """Summed VmRSS and VmHWM (kB) of ``root`` and its descendants (uvicorn's workers are its
    children); the sum of the per-process peaks bounds the peak of the sum from above."""
    rss = hwm = count = 0
    for pid in process_tree(root, _parents(proc)):
        try:
            status = parse_proc_status((proc / str(pid) / "status").read_text())
        except OSError:
            continue
        rss += status.get("VmRSS", 0)
        hwm += status.get("VmHWM", 0)
        count += 1
    return {"rss_kb": rss, "hwm_kb": hwm, "processes": count}


class MemorySampler:
    """Samples the server's summed RSS while a scenario runs and keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_rss_kb = 0
        self._task: asyncio.Task[None] | None = None

    def available(self) -> bool:
        return os.path.exists(f"/proc/{self.pid}/status")

    def sample(self) -> dict[str, int]:
        mem = tree_memory(self.pid)
        self.peak_rss_kb = max(self.peak_rss_kb, mem["rss_kb"])
        return mem

    async def _run(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(self.interval)

    def start(self) -> None:
        self.peak_rss_kb = 0
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> dict[str, float]:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        last = self.sample()
        return {
            "peak_rss_mib": round(self.peak_rss_kb / 1024, 1),
            "hwm_sum_mib": round(last["hwm_kb"] / 1024, 1),
            "processes": last["processes"],
        }
