"""What the dashboard's law-change page shows: the versions to choose from and the report."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import ZaakType
from samenzaak.common.urls import UrlBuilder, uuid_from_ref
from samenzaak.legislation.impact import impact

SECTION_NAMES = {
    "statustypen": "Statustype",
    "roltypen": "Roltype",
    "resultaattypen": "Resultaattype",
    "eigenschappen": "Eigenschap",
    "informatieobjecttypen": "Informatieobjecttype",
}


@dataclass(frozen=True, slots=True)
class Version:
    uuid: str
    identificatie: str
    label: str


async def versions(session: AsyncSession) -> list[Version]:
    """Published versions of every zaaktype that has more than one, newest last per zaaktype."""
    several = (
        select(ZaakType.identificatie)
        .where(ZaakType.concept.is_(False))
        .group_by(ZaakType.identificatie)
        .having(func.count() > 1)
    )
    rows = (
        await session.execute(
            select(
                ZaakType.uuid,
                ZaakType.identificatie,
                ZaakType.omschrijving,
                ZaakType.versiedatum,
                ZaakType.doorlooptijd,
            )
            .where(ZaakType.concept.is_(False), ZaakType.identificatie.in_(several))
            .order_by(ZaakType.identificatie, ZaakType.versiedatum)
        )
    ).all()
    return [
        Version(
            str(r.uuid),
            r.identificatie,
            f"{r.omschrijving} ({r.identificatie}) van {r.versiedatum}, doorlooptijd {r.doorlooptijd}",
        )
        for r in rows
    ]


def _readable(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "–"
    return str(value)


def change_rows(verschillen: dict[str, Any]) -> list[dict[str, str]]:
    rows = [
        {"onderdeel": "Zaaktype", "wijziging": name, "oud": _readable(c["old"]), "nieuw": _readable(c["new"])}
        for name, c in verschillen["fields"].items()
    ]
    for section, label in SECTION_NAMES.items():
        part = verschillen[section]
        rows += [
            {"onderdeel": label, "wijziging": f"nieuw: {k}", "oud": "–", "nieuw": k} for k in part["added"]
        ]
        rows += [
            {"onderdeel": label, "wijziging": f"vervalt: {k}", "oud": k, "nieuw": "–"}
            for k in part["removed"]
        ]
        for key, fields in part["changed"].items():
            rows += [
                {
                    "onderdeel": label,
                    "wijziging": f"{key}: {f}",
                    "oud": _readable(c["old"]),
                    "nieuw": _readable(c["new"]),
                }
                for f, c in fields.items()
            ]
    return rows


async def impact_context(
    session: AsyncSession, urls: UrlBuilder, van: str | None, naar: str | None, today: date
) -> dict[str, Any]:
    """The template context: by default the last two versions of the first zaaktype with several."""
    choices = await versions(session)
    old, new = uuid_from_ref(van), uuid_from_ref(naar)
    if (old is None or new is None) and choices:
        first = choices[0].identificatie
        same = [v for v in choices if v.identificatie == first]
        old, new = uuid.UUID(same[-2].uuid), uuid.UUID(same[-1].uuid)
    report = await impact(session, old, new, today) if old and new else None
    body = report.as_dict(urls) if report else None
    return {
        "versies": choices,
        "van": str(old) if old else "",
        "naar": str(new) if new else "",
        "peildatum": today.isoformat(),
        "report": body,
        "changes": change_rows(body["verschillen"]) if body else [],
    }
