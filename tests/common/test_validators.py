from __future__ import annotations

import pytest

from samenzaak.common.validators import elfproef, is_iso_duration, rsin_problem, vertrouwelijkheid_up_to


@pytest.mark.parametrize("value", ["111222333", "123456782", "000000000"])
def test_elfproef_accepts_valid_numbers(value: str) -> None:
    assert elfproef(value)


@pytest.mark.parametrize("value", ["123456789", "12345678", "abcdefghi", "1234567890"])
def test_elfproef_refuses_invalid_numbers(value: str) -> None:
    assert not elfproef(value)


def test_rsin_problem_codes() -> None:
    codes = {v: (rsin_problem(v) or ("", ""))[0] for v in ("12345678a", "1234", "123456789")}
    assert codes == {"12345678a": "only-digits", "1234": "invalid-length", "123456789": "invalid"}
    assert rsin_problem("111222333") is None


def test_vertrouwelijkheid_up_to_is_inclusive() -> None:
    assert vertrouwelijkheid_up_to("openbaar") == ("openbaar",)
    assert vertrouwelijkheid_up_to("intern") == ("openbaar", "beperkt_openbaar", "intern")
    assert len(vertrouwelijkheid_up_to("zeer_geheim")) == 8


@pytest.mark.parametrize(
    ("value", "ok"), [("P10D", True), ("P1Y2M", True), ("PT1H", True), ("P", False), ("10D", False)]
)
def test_iso_duration(value: str, ok: bool) -> None:
    assert is_iso_duration(value) is ok
