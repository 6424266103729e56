"""ISO 8601 durations as the standard uses them (doorlooptijd, servicenorm, verlenging…)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True, slots=True)
class Duration:
    years: int = 0
    months: int = 0
    days: int = 0
    seconds: float = 0.0

    def add_to(self, day: date) -> date:
        """Calendar arithmetic: years and months first (clamped to the month's end), then days."""
        month_index = day.month - 1 + self.months + 12 * self.years
        year, month = day.year + month_index // 12, month_index % 12 + 1
        last = _days_in_month(year, month)
        moved = date(year, month, min(day.day, last))
        return moved + timedelta(days=self.days + int(self.seconds // 86400))

    def approx_days(self) -> float:
        """For comparing durations and drawing them: a year is 365 days, a month 30."""
        return self.years * 365 + self.months * 30 + self.days + self.seconds / 86400


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (date(year, month + 1, 1) - date(year, month, 1)).days


def parse_duration(value: str | None) -> Duration | None:
    """The duration, or ``None`` for empty or malformed input."""
    if not value:
        return None
    match = _DURATION.match(value.strip())
    if match is None:
        return None
    parts = {k: v for k, v in match.groupdict().items() if v is not None}
    seconds = (
        float(parts.get("seconds", 0)) + 60 * int(parts.get("minutes", 0)) + 3600 * int(parts.get("hours", 0))
    )
    return Duration(
        years=int(parts.get("years", 0)),
        months=int(parts.get("months", 0)),
        days=int(parts.get("days", 0)) + 7 * int(parts.get("weeks", 0)),
        seconds=seconds,
    )


def add_duration(day: date, value: str | None) -> date | None:
    duration = parse_duration(value)
    return None if duration is None else duration.add_to(day)
