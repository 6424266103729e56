"""The deadline rules of the dashboard as plain functions; the duration arithmetic and the
legal deadline live in ``samenzaak.common.durations`` (re-exported here)."""

from __future__ import annotations

import math
from datetime import date

from samenzaak.common.durations import (
    Duration,
    add_duration,
    legal_deadline,
    parse_duration,
)

__all__ = [
    "Duration",
    "add_duration",
    "days_over",
    "legal_deadline",
    "parse_duration",
    "percentile",
]


def days_over(deadline: date | None, on: date, *, opgeschort: bool = False) -> int:
    """Days past the deadline on a date (0 when not past it). A suspended zaak's clock
    stands still, so it is never counted as over its deadline while suspended."""
    if deadline is None or opgeschort:
        return 0
    return max(0, (on - deadline).days)


def percentile(distribution: list[tuple[int, int]], fraction: float) -> float | None:
    """The ``fraction`` percentile (nearest rank) of a distribution given as sorted
    ``(value, count)`` pairs: the histogram the database returns, not the raw rows."""
    total = sum(c for _, c in distribution)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total - 1e-9))
    seen = 0
    for value, count in distribution:
        seen += count
        if seen >= rank:
            return float(value)
    return float(distribution[-1][0])
