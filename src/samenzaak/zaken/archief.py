"""zrc-021 and zrc-022: archiving parameters derived at closing, and archiefstatus rules."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common import remote
from samenzaak.common.problems import InvalidParam
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken.catalogus import ResultaatTypeInfo
from samenzaak.zaken.models import Zaak, ZaakBesluit, ZaakEigenschap, ZaakObject

_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?$")


def add_duration(start: date, duration: str) -> date | None:
    """``start`` plus an ISO 8601 duration (years, months, weeks, days; time parts ignored)."""
    match = _DURATION.match(duration or "")
    if match is None:
        return None
    years, months, weeks, days = (int(g) if g else 0 for g in match.groups())
    month_index = start.month - 1 + months
    year = start.year + years + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day) + timedelta(weeks=weeks, days=days)


def parse_date(value: Any) -> date | None:
    """A date from the loose forms found in objects and eigenschappen (2013-1-1, 20130101, ISO datetime)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value:
        return None
    text = value.strip()
    for candidate in (text, text[:10]):
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            pass
    parts = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})", text) or re.match(r"^(\d{4})(\d{2})(\d{2})$", text)
    if parts:
        try:
            return date(int(parts[1]), int(parts[2]), int(parts[3]))
        except ValueError:
            return None
    return None


def _max(dates: Iterable[date | None]) -> date | None:
    found = [x for x in dates if x is not None]
    return max(found) if found else None


async def _dates_of_urls(
    urls: UrlBuilder, session: AsyncSession, targets: Iterable[str], attr: str
) -> list[date | None]:
    """The ``attr`` of each resource: our own zaken and besluiten from their tables (no HTTP
    call, no token needed), anything else fetched."""
    from samenzaak.besluiten.lookups import besluit_date

    out: list[date | None] = []
    for url in targets:
        pk = urls.local_uuid(url, "zaken", "zaken")
        if pk is not None and attr == "einddatum":
            out.append(await session.scalar(select(Zaak.einddatum).where(Zaak.uuid == pk)))
            continue
        besluit = urls.local_uuid(url, "besluiten", "besluiten")
        if besluit is not None:
            out.append(await besluit_date(session, besluit, attr))
            continue
        fetched = await remote.fetch(url)
        data = fetched.data if fetched.ok and isinstance(fetched.data, dict) else {}
        out.append(parse_date(data.get(attr)))
    return out


async def brondatum(
    session: AsyncSession, urls: UrlBuilder, zaak: Zaak, rt: ResultaatTypeInfo
) -> date | None:
    """The brondatum of the archiefprocedure, by the resultaattype's afleidingswijze."""
    wijze = rt.afleidingswijze
    if wijze == "afgehandeld":
        return zaak.einddatum
    if wijze == "termijn":
        if zaak.einddatum is None or not rt.procestermijn:
            return None
        return add_duration(zaak.einddatum, rt.procestermijn)
    if wijze == "hoofdzaak":
        if zaak.hoofdzaak_uuid is None:
            return None
        return await session.scalar(select(Zaak.einddatum).where(Zaak.uuid == zaak.hoofdzaak_uuid))
    if wijze == "eigenschap":
        waarden = (
            await session.scalars(
                select(ZaakEigenschap.waarde).where(
                    ZaakEigenschap.zaak_uuid == zaak.uuid, ZaakEigenschap.naam == rt.datumkenmerk
                )
            )
        ).all()
        return _max(parse_date(w) for w in waarden)
    if wijze == "zaakobject":
        objecten = (
            await session.scalars(
                select(ZaakObject).where(
                    ZaakObject.zaak_uuid == zaak.uuid, ZaakObject.object_type == rt.objecttype
                )
            )
        ).all()
        dates: list[date | None] = []
        for zo in objecten:
            if zo.object:
                dates.extend(await _dates_of_urls(urls, session, [zo.object], rt.datumkenmerk))
            elif zo.object_identificatie:
                dates.append(parse_date(zo.object_identificatie.get(rt.datumkenmerk)))
        return _max(dates)
    if wijze == "gerelateerde_zaak":
        targets = [r["url"] for r in zaak.relevante_andere_zaken or []]
        return _max(await _dates_of_urls(urls, session, targets, "einddatum"))
    if wijze in ("ingangsdatum_besluit", "vervaldatum_besluit"):
        besluiten = (
            await session.scalars(select(ZaakBesluit.besluit).where(ZaakBesluit.zaak_uuid == zaak.uuid))
        ).all()
        attr = "ingangsdatum" if wijze == "ingangsdatum_besluit" else "vervaldatum"
        return _max(await _dates_of_urls(urls, session, besluiten, attr))
    # ander_datumkenmerk: the archiefactiedatum is set by hand.
    return None


async def derive_on_close(session: AsyncSession, urls: UrlBuilder, zaak: Zaak, rt: ResultaatTypeInfo) -> None:
    """zrc-021: fill archiefnominatie and archiefactiedatum from the resultaattype.

    Also ``startdatumBewaartermijn`` (RGBZ, Zaken 1.5+): the end of the procestermijn, which
    is the brondatum, "alleen voor te vernietigen zaakdossiers"; a value the client gave is
    kept, as are archiefnominatie and archiefactiedatum.
    """
    if not zaak.archiefnominatie and rt.archiefnominatie:
        zaak.archiefnominatie = rt.archiefnominatie
    needs_actiedatum = zaak.archiefactiedatum is None and bool(rt.archiefactietermijn)
    needs_start = zaak.startdatum_bewaartermijn is None and zaak.archiefnominatie == "vernietigen"
    if not (needs_actiedatum or needs_start):
        return
    start = await brondatum(session, urls, zaak, rt)
    if start is None:
        return
    if needs_actiedatum and rt.archiefactietermijn:
        zaak.archiefactiedatum = add_duration(start, rt.archiefactietermijn)
    if needs_start:
        zaak.startdatum_bewaartermijn = start


def archiefstatus_problems(
    archiefstatus: str, archiefnominatie: str | None, archiefactiedatum: date | None, documents_archived: bool
) -> list[InvalidParam]:
    """zrc-022: leaving nog_te_archiveren needs archived documents, a nominatie and an actiedatum."""
    if archiefstatus == "nog_te_archiveren":
        return []
    if not documents_archived:
        return [
            InvalidParam(
                "archiefstatus",
                "documents-not-archived",
                "Niet alle gerelateerde informatieobjecten hebben de status 'gearchiveerd'.",
            )
        ]
    errors = []
    if not archiefnominatie:
        errors.append(
            InvalidParam("archiefnominatie", "archiefnominatie-not-set", "Moet van een waarde voorzien zijn.")
        )
    if archiefactiedatum is None:
        errors.append(
            InvalidParam(
                "archiefactiedatum", "archiefactiedatum-not-set", "Moet van een waarde voorzien zijn."
            )
        )
    return errors
