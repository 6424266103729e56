"""A zaakeigenschap's ``waarde`` checked against its eigenschap's ``specificatie``.

Catalogi 1.3 (ztc-015 and the ImZTC attribute descriptions): ``formaat`` is one of tekst,
getal, datum (``YYYYMMDD``), datum_tijd (``YYYYMMDDhhmmss``); ``lengte`` is the maximum number
of characters (for getal optionally ``<digits>,<decimals>``); a non-empty
``waardenverzameling`` lists the only values allowed.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from samenzaak.common.problems import InvalidParam

FIELD = "waarde"
_NUMBER = re.compile(r"^[+-]?\d+([.,]\d+)?$")


def _int(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except ValueError:
        return None


def _number_problem(waarde: str, lengte: str) -> str | None:
    if not _NUMBER.match(waarde):
        return "De waarde is geen getal."
    parts = re.split(r"[.,]", waarde.lstrip("+-"), maxsplit=1)
    integer, decimals = parts[0], parts[1] if len(parts) > 1 else ""
    if "," in lengte:
        total, places = (_int(x) for x in lengte.split(",", 1))
        if places is not None and len(decimals) > places:
            return f"De waarde heeft meer dan {places} decimalen."
        if total is not None and len(integer) + len(decimals) > total:
            return f"De waarde heeft meer dan {total} cijfers."
        return None
    maximum = _int(lengte)
    if maximum is not None and len(integer) + len(decimals) > maximum:
        return f"De waarde heeft meer dan {maximum} cijfers."
    return None


def waarde_problems(specificatie: dict[str, Any], waarde: str) -> list[InvalidParam]:
    """The errors of ``waarde`` under ``specificatie`` (empty when valid or unspecified)."""
    formaat = str(specificatie.get("formaat") or "")
    lengte = str(specificatie.get("lengte") or "")
    allowed = [str(v) for v in specificatie.get("waardenverzameling") or []]
    if allowed and waarde not in allowed:
        return [InvalidParam(FIELD, "invalid_choice", f"De waarde moet een van {allowed} zijn.")]
    if formaat == "getal":
        problem = _number_problem(waarde, lengte)
        return [InvalidParam(FIELD, "invalid", problem)] if problem else []
    if formaat in ("datum", "datum_tijd"):
        pattern = "%Y%m%d" if formaat == "datum" else "%Y%m%d%H%M%S"
        size = 8 if formaat == "datum" else 14
        try:
            if len(waarde) != size or not waarde.isdigit():
                raise ValueError
            datetime.strptime(waarde, pattern).replace(tzinfo=UTC)
        except ValueError:
            shape = "YYYYMMDD" if formaat == "datum" else "YYYYMMDDhhmmss"
            return [InvalidParam(FIELD, "invalid", f"De waarde moet het formaat {shape} hebben.")]
        return []
    maximum = _int(lengte)
    if maximum is not None and len(waarde) > maximum:
        return [InvalidParam(FIELD, "max_length", f"De waarde mag niet meer dan {maximum} tekens hebben.")]
    return []
