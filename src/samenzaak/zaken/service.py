"""Public look-ups and hooks of the Zaken API for the other APIs (Besluiten, Documenten).

These never commit: they add to the caller's transaction, so a besluit and its zaakbesluit
(with their audit and outbox rows) are written together.
"""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken import access
from samenzaak.zaken.models import Zaak, ZaakBesluit
from samenzaak.zaken.render import zaakbesluit_to_dict, zaaktype_of


async def zaak_from_url(session: AsyncSession, urls: UrlBuilder, url: str | None) -> Zaak | None:
    """The zaak a URL of ours points at, else ``None``."""
    pk = urls.local_uuid(url, "zaken", "zaken") if url else None
    return None if pk is None else await session.scalar(select(Zaak).where(Zaak.uuid == pk))


def zaaktype_url(urls: UrlBuilder, zaak: Zaak) -> str:
    return zaaktype_of(urls, zaak)


def is_closed(zaak: Zaak) -> bool:
    return zaak.einddatum is not None


async def link_besluit(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak: Zaak, besluit_url: str
) -> ZaakBesluit:
    """Mirror a besluit with a zaak as a ZaakBesluit (what the Besluiten API must do)."""
    existing = await session.scalar(
        select(ZaakBesluit).where(ZaakBesluit.zaak_uuid == zaak.uuid, ZaakBesluit.besluit == besluit_url)
    )
    if existing is not None:
        return existing
    row = ZaakBesluit(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, besluit=besluit_url)
    session.add(row)
    await session.flush()
    body = zaakbesluit_to_dict(row, urls)
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie="create",
        resource="zaakbesluit",
        resource_url=body["url"],
        nieuw=body,
    )
    return row


async def unlink_besluit(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak: Zaak, besluit_url: str
) -> None:
    row = await session.scalar(
        select(ZaakBesluit).where(ZaakBesluit.zaak_uuid == zaak.uuid, ZaakBesluit.besluit == besluit_url)
    )
    if row is None:
        return
    body = zaakbesluit_to_dict(row, urls)
    await session.execute(delete(ZaakBesluit).where(ZaakBesluit.uuid == row.uuid))
    access.record(
        session, auth, urls, zaak, actie="destroy", resource="zaakbesluit", resource_url=body["url"], oud=body
    )
