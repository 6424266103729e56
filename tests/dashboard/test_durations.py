"""The deadline arithmetic as plain functions."""

from __future__ import annotations

from datetime import date

import pytest

from samenzaak.dashboard.durations import (
    add_duration,
    days_over,
    legal_deadline,
    parse_duration,
    percentile,
)


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (date(2025, 1, 1), "P8W", date(2025, 2, 26)),
        (date(2025, 1, 31), "P1M", date(2025, 2, 28)),  # clamped to the month's end
        (date(2024, 1, 31), "P1M", date(2024, 2, 29)),
        (date(2024, 2, 29), "P1Y", date(2025, 2, 28)),
        (date(2025, 1, 1), "P1M10D", date(2025, 2, 11)),
        (date(2025, 1, 1), "P30D", date(2025, 1, 31)),
        (date(2025, 1, 1), "PT48H", date(2025, 1, 3)),
    ],
)
def test_add_duration(start: date, duration: str, expected: date) -> None:
    assert add_duration(start, duration) == expected


def test_invalid_or_empty_durations_are_none() -> None:
    assert parse_duration("") is None
    assert parse_duration("8 weken") is None
    assert add_duration(date(2025, 1, 1), None) is None
    assert add_duration(date(2025, 1, 1), "nonsense") is None


def test_legal_deadline_from_doorlooptijd() -> None:
    assert legal_deadline(date(2025, 1, 1), "P8W") == date(2025, 2, 26)


def test_legal_deadline_uiterlijke_einddatum_wins_over_doorlooptijd() -> None:
    assert legal_deadline(date(2025, 1, 1), "P8W", date(2025, 2, 10)) == date(2025, 2, 10)


def test_legal_deadline_verlenging_adds_its_duur() -> None:
    assert legal_deadline(date(2025, 1, 1), "P8W", verlenging_duur="P6W") == date(2025, 4, 9)


def test_legal_deadline_suspended_days_do_not_count() -> None:
    # Suspended for 10 days: the deadline moves 10 days on, on top of the verlenging.
    assert legal_deadline(date(2025, 1, 1), "P8W", None, "P6W", suspended_days=10) == date(2025, 4, 19)


def test_legal_deadline_without_any_term_is_unknown() -> None:
    assert legal_deadline(date(2025, 1, 1), None) is None


def test_days_over_stops_while_suspended() -> None:
    deadline = date(2025, 1, 10)
    assert days_over(deadline, date(2025, 1, 17)) == 7
    assert days_over(deadline, date(2025, 1, 5)) == 0
    assert days_over(deadline, date(2025, 1, 17), opgeschort=True) == 0
    assert days_over(None, date(2025, 1, 17)) == 0


def test_percentile_from_a_histogram() -> None:
    dist = [(3, 2), (5, 5), (10, 2), (30, 1)]  # 10 zaken
    assert percentile(dist, 0.5) == 5.0  # 5th value
    assert percentile(dist, 0.9) == 10.0  # 9th value
    assert percentile(dist, 1.0) == 30.0
    assert percentile([], 0.5) is None
