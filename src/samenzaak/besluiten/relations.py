"""Keeping the relations of a besluit consistent across the APIs (brc-005, brc-006, brc-009).

The besluit side is leading. For a zaak or document in this installation the mirrored row
(zaakbesluit, objectinformatieobject) is written in the caller's transaction, with its own
audit record, so both sides commit or neither does.

For a zaak or document in another installation the standard has the Besluiten API create
the relation there with an HTTP call. That API validates the relation by fetching our
besluit (or besluitinformatieobject), so the call can only be made once our side is
committed; when it fails, our side is undone again (``compensate``) and the client gets a
400. Removing a remote mirror happens after our delete is committed and is best-effort
("indien dit kan", brc-009): a failure is logged, not reported.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common import remote
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import service as documenten
from samenzaak.zaken import service as zaken
from samenzaak.zaken.models import Zaak

log = logging.getLogger("samenzaak.besluiten")


# -- zaak <-> besluit (brc-006) ----------------------------------------------------------------


async def link_local_zaak(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak: Zaak, besluit_url: str
) -> None:
    """Add the zaakbesluit (with the zaak's audit record and notification) to the transaction."""
    await zaken.link_besluit(session, auth, urls, zaak, besluit_url)


async def unlink_local_zaak(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak_url: str, besluit_url: str
) -> None:
    """Remove the zaakbesluit of a besluit from its zaak, in the caller's transaction."""
    zaak = await zaken.zaak_from_url(session, urls, zaak_url)
    if zaak is not None:
        await zaken.unlink_besluit(session, auth, urls, zaak, besluit_url)


async def link_remote_zaak(zaak_url: str, besluit_url: str) -> InvalidParam | None:
    """POST {zaak}/besluiten in the other Zaken API; the error to report when it refuses."""
    result = await remote.send("POST", f"{zaak_url.rstrip('/')}/besluiten", {"besluit": besluit_url})
    if result.status == 201:
        return None
    return InvalidParam(
        "zaak",
        "sync-failed",
        f"De relatie kon niet in de Zaken API worden aangemaakt (HTTP {result.status or 'onbereikbaar'}).",
    )


async def unlink_remote_zaak(zaak_url: str, besluit_url: str) -> None:
    listing = await remote.fetch(f"{zaak_url.rstrip('/')}/besluiten")
    if not listing.ok or not isinstance(listing.data, list):
        log.warning("could not list the zaakbesluiten of %s (HTTP %s)", zaak_url, listing.status)
        return
    for item in listing.data:
        if isinstance(item, dict) and item.get("besluit") == besluit_url and item.get("url"):
            result = await remote.send("DELETE", str(item["url"]))
            if result.status not in (204, 404):
                log.warning("could not delete %s (HTTP %s)", item["url"], result.status)


# -- document <-> besluit (brc-005) ------------------------------------------------------------


async def link_local_document(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, document_uuid: uuid.UUID, besluit_url: str
) -> None:
    await documenten.link_object(session, auth, urls, document_uuid, besluit_url, "besluit")


async def unlink_local_document(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, document_uuid: uuid.UUID, besluit_url: str
) -> None:
    await documenten.unlink_object(session, auth, urls, document_uuid, besluit_url)


def _oio_collection(document_url: str) -> str:
    """``…/documenten/api/v1/objectinformatieobjecten`` of the API a document lives in."""
    root = document_url.rstrip("/").rsplit("/", 2)[0]
    return f"{root}/objectinformatieobjecten"


async def link_remote_document(document_url: str, besluit_url: str) -> InvalidParam | None:
    result = await remote.send(
        "POST",
        _oio_collection(document_url),
        {"informatieobject": document_url, "object": besluit_url, "objectType": "besluit"},
    )
    if result.status == 201:
        return None
    return InvalidParam(
        "informatieobject",
        "sync-failed",
        "De relatie kon niet in de Documenten API worden aangemaakt "
        f"(HTTP {result.status or 'onbereikbaar'}).",
    )


async def unlink_remote_document(document_url: str, besluit_url: str) -> None:
    collection = _oio_collection(document_url)
    listing = await remote.fetch(collection, params={"informatieobject": document_url, "object": besluit_url})
    if not listing.ok or not isinstance(listing.data, list):
        log.warning(
            "could not list the objectinformatieobjecten of %s (HTTP %s)", document_url, listing.status
        )
        return
    for item in listing.data:
        if isinstance(item, dict) and item.get("url"):
            result = await remote.send("DELETE", str(item["url"]))
            if result.status not in (204, 404):
                log.warning("could not delete %s (HTTP %s)", item["url"], result.status)
