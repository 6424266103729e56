"""Who may do what with a zaak (zrc-006, zrc-007, zrc-008), and what every write records.

Sub-resources (statussen, rollen, ...) are authorised through their zaak: the scope must
be granted for the zaak's zaaktype, up to its vertrouwelijkheidaanduiding.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, bindparam, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, PermissionDenied
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken.models import Zaak
from samenzaak.zaken.render import zaak_url, zaaktype_of

COMPONENT = "zrc"
KANAAL = "zaken"
# The spec's AuditTrail.bron enum is the lower-case component code.
BRON = "zrc"

LEZEN = "zaken.lezen"
AANMAKEN = "zaken.aanmaken"
BIJWERKEN = "zaken.bijwerken"
HEROPENEN = "zaken.heropenen"
VERWIJDEREN = "zaken.verwijderen"
GEFORCEERD = "zaken.geforceerd-bijwerken"
STATUSSEN_TOEVOEGEN = "zaken.statussen.toevoegen"
AUDITTRAILS_LEZEN = "audittrails.lezen"


def require_any(auth: Auth, *scopes: str) -> None:
    """The route's scopes (any of them), granted for at least one zaaktype."""
    if not any(auth.has_scope(COMPONENT, s) for s in scopes):
        raise PermissionDenied(f"The client {auth.client_id!r} lacks the scope {' | '.join(scopes)!r}.")


def may(auth: Auth, urls: UrlBuilder, zaak: Zaak, *scopes: str) -> bool:
    zaaktype = zaaktype_of(urls, zaak)
    return any(auth.allows(COMPONENT, s, zaaktype, zaak.vertrouwelijkheidaanduiding) for s in scopes)


def check(auth: Auth, urls: UrlBuilder, zaak: Zaak, *scopes: str) -> None:
    if not may(auth, urls, zaak, *scopes):
        raise PermissionDenied(
            f"The client {auth.client_id!r} may not use {' | '.join(scopes)!r} on this zaak."
        )


def check_open_or_forced(auth: Auth, urls: UrlBuilder, zaak: Zaak) -> None:
    """zrc-007: a closed zaak (and what hangs under it) changes only with geforceerd-bijwerken."""
    if zaak.einddatum is not None and not may(auth, urls, zaak, GEFORCEERD):
        raise PermissionDenied("De zaak is afgesloten; wijzigen vereist de scope zaken.geforceerd-bijwerken.")


def zaaktype_filter(auth: Auth, urls: UrlBuilder, scope: str = LEZEN) -> ColumnElement[bool]:
    """The WHERE clause of zrc-006: one term per vertrouwelijkheid level, no query."""

    def match(type_urls: Sequence[str]) -> ColumnElement[bool]:
        local: list[uuid.UUID] = []
        remote: list[str] = []
        for url in type_urls:
            pk = urls.local_uuid(url, "catalogi", "zaaktypen")
            if pk is not None:
                local.append(pk)
            else:
                remote.append(url)
        terms = []
        if local:
            terms.append(Zaak.zaaktype_uuid.in_(local))
        if remote:
            terms.append(Zaak.zaaktype_url.in_(remote))
        return or_(*terms) if terms else false()

    return auth.sql_filter(COMPONENT, scope, match, Zaak.vertrouwelijkheidaanduiding.expression)


# Built once: every zaak read and write looks its zaak up this way.
_ZAAK = select(Zaak).where(Zaak.uuid == bindparam("pk"))
_ZAAK_FOR_UPDATE = _ZAAK.with_for_update()


async def get_zaak(session: AsyncSession, pk: uuid.UUID, *, for_update: bool = False) -> Zaak:
    zaak = await session.scalar(_ZAAK_FOR_UPDATE if for_update else _ZAAK, {"pk": pk})
    if zaak is None:
        raise NotFound("Zaak niet gevonden.")
    return zaak


async def zaak_of_url(
    session: AsyncSession, urls: UrlBuilder, url: str, name: str = "zaak"
) -> tuple[Zaak | None, InvalidParam | None]:
    """The local zaak a URL names, or the error for field ``name``."""
    pk = urls.local_uuid(url, "zaken", "zaken")
    if pk is None:
        return None, InvalidParam(name, "no_match", "Ongeldige hyperlink - Geen URL match.")
    zaak = await session.scalar(select(Zaak).where(Zaak.uuid == pk))
    if zaak is None:
        return None, InvalidParam(name, "does_not_exist", "Ongeldige hyperlink - Object bestaat niet.")
    return zaak, None


def kenmerken(urls: UrlBuilder, zaak: Zaak) -> dict[str, str]:
    return {
        "bronorganisatie": zaak.bronorganisatie,
        "zaaktype": zaaktype_of(urls, zaak),
        "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
    }


def record(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    zaak: Zaak,
    *,
    actie: str,
    resource: str,
    resource_url: str,
    oud: Any = None,
    nieuw: Any = None,
    audit: bool = True,
    notify: bool = True,
) -> None:
    """The audit row (hoofdObject: the zaak) and the notification on kanaal ``zaken``."""
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=KANAAL if notify else None,
        actie=actie,
        resource=resource,
        resource_url=resource_url,
        hoofd_object=zaak_url(urls, zaak.uuid),
        oud=oud,
        nieuw=nieuw,
        kenmerken=kenmerken(urls, zaak),
        resource_weergave=zaak.identificatie,
        audit=audit,
    )
