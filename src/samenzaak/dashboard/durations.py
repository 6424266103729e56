"""The deadline rules of the dashboard as plain functions; the duration arithmetic and the
legal deadline live in ``samenzaak.common.durations`` (re-exported here).

The same arithmetic runs in SQL (``sql.add_duration``): PostgreSQL adds the duration as an
``interval`` (calendar months, the last day of a shorter month when the day does not
exist); SQLite calls :func:`add_duration_text`, registered as a SQL function, which does
the same. Time parts (``PT12H``) are below a day's resolution and ignored, as dates are.
"""

from __future__ import annotations

import math
from datetime import date

from samenzaak.common.durations import (
    Duration,
    add_duration,
    add_duration_text,
    legal_deadline,
    parse_duration,
)

__all__ = [
    "Duration",
    "add_duration",
    "add_duration_text",
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
