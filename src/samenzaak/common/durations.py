"""ISO 8601 durations as the standard uses them (doorlooptijd, servicenorm, verlenging.duur)
and the legal deadline of a zaak, shared by the dashboard and the law-change tools.

Calendar months add as the standard means them: the last day of a shorter month when the
day does not exist. Time parts (``PT12H``) are below a day's resolution and ignored, as dates
are. The dashboard applies these rules in Python when it maintains its summary
(``dashboard.summary``), so no SQL twin of them is needed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?(?:(?P<days>\d+)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)


@dataclass(frozen=True, slots=True)
class Duration:
    months: int = 0
    days: int = 0

    def approx_days(self) -> float:
        """For display and chart scales only; deadlines use :func:`add_duration`."""
        return self.months * 30.436875 + self.days


def parse_duration(value: str | None) -> Duration | None:
    if not value:
        return None
    m = _DURATION.match(value.strip())
    if not m:
        return None
    g = {k: int(float(v)) if v else 0 for k, v in m.groupdict().items()}
    return Duration(months=g["years"] * 12 + g["months"], days=g["weeks"] * 7 + g["days"] + g["hours"] // 24)


def add_duration(start: date, value: str | Duration | None) -> date | None:
    """``start`` plus the duration; months first (clamped to the month's end), then days."""
    duration = parse_duration(value) if isinstance(value, str) or value is None else value
    if duration is None:
        return None
    d = start
    if duration.months:
        total = d.year * 12 + (d.month - 1) + duration.months
        year, month = divmod(total, 12)
        month += 1
        d = date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
    return d + timedelta(days=duration.days)


def legal_deadline(
    startdatum: date,
    doorlooptijd: str | None,
    uiterlijke_einddatum_afdoening: date | None = None,
    verlenging_duur: str | None = None,
    suspended_days: int = 0,
) -> date | None:
    """The date by which a zaak must be settled by law.

    The zaak's own ``uiterlijkeEinddatumAfdoening`` when given, else its startdatum plus the
    zaaktype's doorlooptijd; a verlenging adds its duur, and the days the zaak was
    suspended (opschorting) do not count, so they move the deadline on. No deadline when a
    duration cannot be read.
    """
    base = uiterlijke_einddatum_afdoening or add_duration(startdatum, doorlooptijd)
    if base is None:
        return None
    extended = base if verlenging_duur is None else add_duration(base, verlenging_duur)
    if extended is None:
        return None
    return extended + timedelta(days=suspended_days)
