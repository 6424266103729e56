"""Public look-ups of the Catalogi API for the other APIs (Zaken, Documenten, Besluiten).

These functions resolve our own URLs to rows without an HTTP call and return ``None``
for anything that is not a (local, existing) type. The write rules of the Catalogi API
itself live in ``samenzaak.catalogi.rules``.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.common.urls import UrlBuilder

API = "catalogi"


def is_valid_on(obj: ZaakType | InformatieObjectType | BesluitType, day: date) -> bool:
    """Whether a type's validity period (beginGeldigheid..eindeGeldigheid, inclusive) holds ``day``."""
    return obj.begin_geldigheid <= day and (obj.einde_geldigheid is None or day <= obj.einde_geldigheid)


async def get_catalogus(session: AsyncSession, pk: uuid.UUID) -> Catalogus | None:
    return await session.get(Catalogus, pk)


async def get_zaaktype(session: AsyncSession, pk: uuid.UUID) -> ZaakType | None:
    """The zaaktype with its statustypen, roltypen, resultaattypen and eigenschappen loaded."""
    return await session.scalar(
        select(ZaakType)
        .where(ZaakType.uuid == pk)
        .options(
            selectinload(ZaakType.statustypen),
            selectinload(ZaakType.roltypen),
            selectinload(ZaakType.resultaattypen),
            selectinload(ZaakType.eigenschappen),
        )
    )


async def get_zaaktype_row(session: AsyncSession, pk: uuid.UUID) -> ZaakType | None:
    """The zaaktype alone, its children not loaded: what another API checks a reference
    against (one query where ``get_zaaktype`` takes five)."""
    return await session.get(ZaakType, pk)


async def statustype_is_eindstatus(session: AsyncSession, statustype: StatusType) -> bool:
    """``is_eindstatus`` in one query, without loading the zaaktype's statustypen."""
    highest = await session.scalar(
        select(func.max(StatusType.volgnummer)).where(StatusType.zaaktype_uuid == statustype.zaaktype_uuid)
    )
    return highest is not None and statustype.volgnummer == highest


async def get_informatieobjecttype(session: AsyncSession, pk: uuid.UUID) -> InformatieObjectType | None:
    return await session.get(InformatieObjectType, pk)


async def get_besluittype(session: AsyncSession, pk: uuid.UUID) -> BesluitType | None:
    return await session.get(BesluitType, pk)


async def get_statustype(session: AsyncSession, pk: uuid.UUID) -> StatusType | None:
    return await session.get(StatusType, pk)


async def get_roltype(session: AsyncSession, pk: uuid.UUID) -> RolType | None:
    return await session.get(RolType, pk)


async def get_resultaattype(session: AsyncSession, pk: uuid.UUID) -> ResultaatType | None:
    return await session.get(ResultaatType, pk)


async def get_eigenschap(session: AsyncSession, pk: uuid.UUID) -> Eigenschap | None:
    return await session.get(Eigenschap, pk)


def is_eindstatus(statustype: StatusType, zaaktype: ZaakType) -> bool:
    """isEindstatus: the statustype with the highest volgnummer of its zaaktype.

    ``zaaktype.statustypen`` must be loaded (``get_zaaktype`` does that).
    """
    volgnummers = [s.volgnummer for s in zaaktype.statustypen]
    return bool(volgnummers) and statustype.volgnummer == max(volgnummers)


def _local(urls: UrlBuilder, url: str | None, resource: str) -> uuid.UUID | None:
    if not url:
        return None
    return urls.local_uuid(url, API, resource)


async def zaaktype_from_url(session: AsyncSession, urls: UrlBuilder, url: str | None) -> ZaakType | None:
    """The zaaktype (children loaded, as ``get_zaaktype``) a URL of ours points at, else ``None``."""
    pk = _local(urls, url, "zaaktypen")
    return None if pk is None else await get_zaaktype(session, pk)


async def informatieobjecttype_from_url(
    session: AsyncSession, urls: UrlBuilder, url: str | None
) -> InformatieObjectType | None:
    pk = _local(urls, url, "informatieobjecttypen")
    return None if pk is None else await get_informatieobjecttype(session, pk)


async def besluittype_from_url(
    session: AsyncSession, urls: UrlBuilder, url: str | None
) -> BesluitType | None:
    pk = _local(urls, url, "besluittypen")
    return None if pk is None else await get_besluittype(session, pk)


async def statustype_from_url(session: AsyncSession, urls: UrlBuilder, url: str | None) -> StatusType | None:
    pk = _local(urls, url, "statustypen")
    return None if pk is None else await get_statustype(session, pk)


async def roltype_from_url(session: AsyncSession, urls: UrlBuilder, url: str | None) -> RolType | None:
    pk = _local(urls, url, "roltypen")
    return None if pk is None else await get_roltype(session, pk)


async def resultaattype_from_url(
    session: AsyncSession, urls: UrlBuilder, url: str | None
) -> ResultaatType | None:
    pk = _local(urls, url, "resultaattypen")
    return None if pk is None else await get_resultaattype(session, pk)


async def eigenschap_from_url(session: AsyncSession, urls: UrlBuilder, url: str | None) -> Eigenschap | None:
    pk = _local(urls, url, "eigenschappen")
    return None if pk is None else await get_eigenschap(session, pk)


def zaaktype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "zaaktypen", pk)


def informatieobjecttype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "informatieobjecttypen", pk)


def besluittype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "besluittypen", pk)


def statustype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "statustypen", pk)


def roltype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "roltypen", pk)


def resultaattype_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "resultaattypen", pk)


def eigenschap_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "eigenschappen", pk)


async def zaaktype_allows_informatieobjecttype(
    session: AsyncSession, zaaktype: ZaakType, informatieobjecttype: InformatieObjectType
) -> bool:
    """Whether zaken of ``zaaktype`` may hold documents of ``informatieobjecttype``
    (a zaaktype-informatieobjecttype names its omschrijving, within the same catalogus)."""
    if zaaktype.catalogus_uuid != informatieobjecttype.catalogus_uuid:
        return False
    found = await session.scalar(
        select(ZaakTypeInformatieObjectType.uuid)
        .where(
            ZaakTypeInformatieObjectType.zaaktype_uuid == zaaktype.uuid,
            ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving
            == informatieobjecttype.omschrijving,
        )
        .limit(1)
    )
    return found is not None


def zaaktype_allows_besluittype(zaaktype: ZaakType, besluittype: BesluitType) -> bool:
    """Whether besluiten of ``besluittype`` may be taken in zaken of ``zaaktype``."""
    return zaaktype.catalogus_uuid == besluittype.catalogus_uuid and besluittype.omschrijving in (
        zaaktype.besluittypen or []
    )
