"""List filters of the Catalogi API, as SQL (filters and pagination stay in the database)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    InformatieObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.common.problems import field_error
from samenzaak.common.urls import UrlBuilder

API = "catalogi"
STATUS = ("alles", "concept", "definitief")
NOTHING = false()  # a filter on a URL that is not ours matches nothing


def parse_status(value: str | None) -> str:
    value = value or "definitief"
    if value not in STATUS:
        raise field_error("status", "invalid", f"Kies uit {', '.join(STATUS)}.")
    return value


def parse_date(name: str, value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise field_error(name, "invalid", "Geef een datum als JJJJ-MM-DD.") from None


def concept_filter(model: Any, status: str) -> Any:
    if status == "concept":
        return model.concept.is_(True)
    if status == "definitief":
        return model.concept.is_(False)
    return None


def valid_on(model: Any, day: date) -> Any:
    return and_(
        model.begin_geldigheid <= day, or_(model.einde_geldigheid.is_(None), model.einde_geldigheid >= day)
    )


def local(urls: UrlBuilder, url: str, resource: str) -> Any:
    return urls.local_uuid(url, API, resource)


def where_all(stmt: Select[Any], *conditions: Any) -> Select[Any]:
    for condition in conditions:
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def catalogussen(
    domein: str | None, domein_in: str | None, rsin: str | None, rsin_in: str | None
) -> Select[Any]:
    stmt = select(Catalogus).order_by(Catalogus.domein, Catalogus.rsin, Catalogus.uuid)
    return where_all(
        stmt,
        Catalogus.domein == domein if domein else None,
        Catalogus.domein.in_(domein_in.split(",")) if domein_in else None,
        Catalogus.rsin == rsin if rsin else None,
        Catalogus.rsin.in_(rsin_in.split(",")) if rsin_in else None,
    )


def catalogus_condition(model: Any, urls: UrlBuilder, catalogus: str | None) -> Any:
    if not catalogus:
        return None
    pk = local(urls, catalogus, "catalogussen")
    return model.catalogus_uuid == pk if pk is not None else NOTHING


def zaaktypen(
    urls: UrlBuilder,
    *,
    catalogus: str | None,
    identificatie: str | None,
    trefwoorden: list[str],
    status: str,
    datum: date | None,
) -> Select[Any]:
    stmt = select(ZaakType).order_by(ZaakType.identificatie, ZaakType.begin_geldigheid, ZaakType.uuid)
    stmt = where_all(
        stmt,
        catalogus_condition(ZaakType, urls, catalogus),
        ZaakType.identificatie == identificatie if identificatie else None,
        concept_filter(ZaakType, status),
        valid_on(ZaakType, datum) if datum else None,
    )
    return stmt


def informatieobjecttypen(
    urls: UrlBuilder, *, catalogus: str | None, omschrijving: str | None, status: str, datum: date | None
) -> Select[Any]:
    stmt = select(InformatieObjectType).order_by(
        InformatieObjectType.omschrijving, InformatieObjectType.begin_geldigheid, InformatieObjectType.uuid
    )
    return where_all(
        stmt,
        catalogus_condition(InformatieObjectType, urls, catalogus),
        InformatieObjectType.omschrijving == omschrijving if omschrijving else None,
        concept_filter(InformatieObjectType, status),
        valid_on(InformatieObjectType, datum) if datum else None,
    )


async def besluittypen(
    session: AsyncSession,
    urls: UrlBuilder,
    *,
    catalogus: str | None,
    zaaktypen: str | None,
    informatieobjecttypen: str | None,
    omschrijving: str | None,
    status: str,
    datum: date | None,
) -> Select[Any]:
    stmt = select(BesluitType).order_by(
        BesluitType.omschrijving, BesluitType.begin_geldigheid, BesluitType.uuid
    )
    conditions: list[Any] = [
        catalogus_condition(BesluitType, urls, catalogus),
        BesluitType.omschrijving == omschrijving if omschrijving else None,
        concept_filter(BesluitType, status),
        valid_on(BesluitType, datum) if datum else None,
    ]
    if zaaktypen:
        # The besluittypen the zaaktype names (by omschrijving, in its catalogus).
        pk = local(urls, zaaktypen, "zaaktypen")
        zaaktype = await session.get(ZaakType, pk) if pk is not None else None
        conditions.append(
            and_(
                BesluitType.catalogus_uuid == zaaktype.catalogus_uuid,
                BesluitType.omschrijving.in_(zaaktype.besluittypen or []),
            )
            if zaaktype is not None
            else NOTHING
        )
    if informatieobjecttypen:
        # JSON lists are not portably searchable in SQL: one query for the catalogus's names.
        pk = local(urls, informatieobjecttypen, "informatieobjecttypen")
        iot = await session.get(InformatieObjectType, pk) if pk is not None else None
        if iot is None:
            conditions.append(NOTHING)
        else:
            rows = await session.execute(
                select(BesluitType.uuid, BesluitType.informatieobjecttypen).where(
                    BesluitType.catalogus_uuid == iot.catalogus_uuid
                )
            )
            conditions.append(
                BesluitType.uuid.in_([pk_ for pk_, names in rows if iot.omschrijving in (names or [])])
            )
    return where_all(stmt, *conditions)


async def trefwoorden_condition(session: AsyncSession, trefwoorden: list[str]) -> Any:
    """Zaaktypen holding every given trefwoord (one query over the names, as for JSON lists above)."""
    wanted = {t for value in trefwoorden for t in value.split(",") if t}
    if not wanted:
        return None
    rows = await session.execute(select(ZaakType.uuid, ZaakType.trefwoorden))
    return ZaakType.uuid.in_([pk for pk, values in rows if wanted <= set(values or [])])


def children(
    model: Any,
    urls: UrlBuilder,
    *,
    zaaktype: str | None,
    zaaktype_identificatie: str | None,
    status: str | None,
    datum: date | None,
    catalogus: str | None = None,
) -> Select[Any]:
    """Statustypen, roltypen, ... filtered on (the concept status and validity of) their zaaktype."""
    stmt = select(model).join(ZaakType, ZaakType.uuid == model.zaaktype_uuid)
    conditions: list[Any] = [
        ZaakType.identificatie == zaaktype_identificatie if zaaktype_identificatie else None,
        concept_filter(ZaakType, status) if status else None,
        valid_on(ZaakType, datum) if datum else None,
        catalogus_condition(ZaakType, urls, catalogus),
    ]
    if zaaktype:
        pk = local(urls, zaaktype, "zaaktypen")
        conditions.append(model.zaaktype_uuid == pk if pk is not None else NOTHING)
    return where_all(stmt, *conditions)


def ziot_condition(urls: UrlBuilder, informatieobjecttype: str | None) -> Any:
    """By the omschrijving of the given (URL of an) informatieobjecttype."""
    if not informatieobjecttype:
        return None
    pk = local(urls, informatieobjecttype, "informatieobjecttypen")
    if pk is None:
        return ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving == informatieobjecttype
    iot = select(InformatieObjectType.omschrijving).where(InformatieObjectType.uuid == pk).scalar_subquery()
    return ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving == iot
