"""Validators for the standard's value types: RSIN/BSN, vertrouwelijkheid, durations."""

from __future__ import annotations

from typing import Literal, get_args
from urllib.parse import urlsplit

from samenzaak.common.durations import parse_duration

Vertrouwelijkheidaanduiding = Literal[
    "openbaar",
    "beperkt_openbaar",
    "intern",
    "zaakvertrouwelijk",
    "vertrouwelijk",
    "confidentieel",
    "geheim",
    "zeer_geheim",
]
VERTROUWELIJKHEID_ORDER: tuple[str, ...] = get_args(Vertrouwelijkheidaanduiding)


def vertrouwelijkheid_rank(value: str) -> int:
    return VERTROUWELIJKHEID_ORDER.index(value)


def vertrouwelijkheid_up_to(maximum: str) -> tuple[str, ...]:
    """All levels at most as strict as ``maximum`` (inclusive), for SQL ``IN`` filters."""
    return VERTROUWELIJKHEID_ORDER[: vertrouwelijkheid_rank(maximum) + 1]


def elfproef(value: str) -> bool:
    """The 11-test of BSN and RSIN: nine digits, weights 9..2 and -1, sum divisible by 11."""
    if len(value) != 9 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    total = sum(d * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - digits[8]
    return total % 11 == 0


def rsin_problem(value: str) -> tuple[str, str] | None:
    """The code and reason for a bad RSIN/BSN, as Open Zaak reports them, or ``None``."""
    if not value.isdigit():
        return "only-digits", "Voer een getal in. Een RSIN/BSN bestaat uit 9 cijfers."
    if len(value) != 9:
        return "invalid-length", "Een RSIN/BSN bestaat uit precies 9 cijfers."
    if not elfproef(value):
        return "invalid", "Onjuist RSIN/BSN: de elfproef klopt niet."
    return None


def is_iso_duration(value: str) -> bool:
    return parse_duration(value) is not None


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host, no white space and a valid port if any."""
    if any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)
