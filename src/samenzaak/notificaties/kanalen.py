"""Samenzaak's own kanalen and their kenmerken, registered at start.

The kenmerken are those each API documents in its spec's description (and in the
standard's ``*-notificaties.md``); the other APIs put exactly these in their messages.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from samenzaak.common.urls import UrlBuilder
from samenzaak.db import Tenant, tenant_session
from samenzaak.notificaties.models import Kanaal

DOCS = "https://vng-realisatie.github.io/gemma-zaken/standaard"


@dataclass(frozen=True, slots=True)
class OwnKanaal:
    naam: str
    api: str
    filters: tuple[str, ...]


OWN_KANALEN: tuple[OwnKanaal, ...] = (
    OwnKanaal("autorisaties", "autorisaties", ()),
    OwnKanaal("zaaktypen", "catalogi", ("catalogus",)),
    OwnKanaal("informatieobjecttypen", "catalogi", ("catalogus",)),
    OwnKanaal("besluittypen", "catalogi", ("catalogus",)),
    OwnKanaal("zaken", "zaken", ("bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding")),
    OwnKanaal(
        "documenten", "documenten", ("bronorganisatie", "informatieobjecttype", "vertrouwelijkheidaanduiding")
    ),
    OwnKanaal("besluiten", "besluiten", ("verantwoordelijke_organisatie", "besluittype")),
)


def documentatie_link(kanaal: OwnKanaal, urls_or_base: UrlBuilder | str | None) -> str:
    """The API's own spec (its description documents the kanaal), or the standard's pages."""
    if isinstance(urls_or_base, str) and urls_or_base:
        urls_or_base = UrlBuilder(base=urls_or_base.rstrip("/"))
    if isinstance(urls_or_base, UrlBuilder):
        return f"{urls_or_base.root(kanaal.api)}/schema/openapi.yaml"
    return f"{DOCS}/{kanaal.api}/"


async def register_kanalen(session: AsyncSession, urls_or_base: UrlBuilder | str | None = None) -> int:
    """Create Samenzaak's kanalen in the session's tenant where missing; bring the kenmerken of
    existing ones up to date. Safe to run at every start (and by several processes at once:
    the unique (tenant, naam) constraint stops a second copy). Returns how many changed."""
    existing = {k.naam: k for k in (await session.scalars(select(Kanaal))).all()}
    changed = 0
    for own in OWN_KANALEN:
        link = documentatie_link(own, urls_or_base)[:200]
        row = existing.get(own.naam)
        if row is None:
            session.add(Kanaal(naam=own.naam, documentatie_link=link, filters=list(own.filters)))
            changed += 1
        elif list(row.filters or []) != list(own.filters):
            row.filters = list(own.filters)
            changed += 1
    if changed:
        await session.commit()
    return changed


async def register_kanalen_for_all_tenants(
    factory: async_sessionmaker[AsyncSession], urls_or_base: UrlBuilder | str | None = None
) -> int:
    """:func:`register_kanalen` for every active tenant (the start-up hook calls this)."""
    async with factory() as session:
        tenant_ids = (await session.scalars(select(Tenant.id).where(Tenant.active))).all()
    changed = 0
    for tenant_id in tenant_ids:
        for attempt in (1, 2):
            async with tenant_session(factory, tenant_id) as session:
                try:
                    changed += await register_kanalen(session, urls_or_base)
                    break
                except IntegrityError:
                    # Another process (a second server worker) registered them meanwhile;
                    # once more sees its rows and finds nothing left to do.
                    await session.rollback()
                    if attempt == 2:
                        raise
    return changed
