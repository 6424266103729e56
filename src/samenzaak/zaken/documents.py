"""The informatieobjecten a zaak refers to (zrc-003, zrc-005, zrc-007, zrc-017, zrc-022).

A document URL of this installation resolves through ``samenzaak.documenten.service``
(no HTTP call) and its ``ObjectInformatieObject`` is mirrored in the same transaction
(zrc-005); any other URL is fetched from the other Documenten API. Mirroring into a remote
Documenten API is not done (see the report/notes).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common import remote
from samenzaak.common.auth import Auth
from samenzaak.common.problems import NotFound
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import service as documenten
from samenzaak.zaken.catalogus import RefError

API = "documenten"
RESOURCE = "enkelvoudiginformatieobjecten"


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    url: str
    informatieobjecttype: str
    indicatie_gebruiksrecht: bool | None
    status: str
    local_uuid: uuid.UUID | None = None


def local_uuid(urls: UrlBuilder, url: str) -> uuid.UUID | None:
    return urls.local_uuid(url, API, RESOURCE)


async def load(session: AsyncSession, urls: UrlBuilder, url: str) -> DocumentInfo:
    """The informatieobject at ``url``; RefError ``bad-url`` / ``invalid-resource`` otherwise."""
    ref = urls.parse(url)
    if ref is not None:
        pk = local_uuid(urls, url)
        if pk is None:
            raise RefError("invalid-resource", "De URL wijst niet naar een informatieobject.")
        try:
            _document, versie = await documenten.latest_version(session, pk)
        except NotFound as exc:
            raise RefError("bad-url", "Het informatieobject bestaat niet.") from exc
        return DocumentInfo(
            url=url,
            informatieobjecttype=versie.informatieobjecttype,
            indicatie_gebruiksrecht=versie.indicatie_gebruiksrecht,
            status=versie.status or "",
            local_uuid=pk,
        )
    fetched = await remote.fetch(url)
    if not fetched.ok:
        raise RefError("bad-url", f"De URL {url} resulteert niet in een HTTP 200.")
    data = fetched.data
    if not isinstance(data, dict) or "informatieobjecttype" not in data:
        raise RefError("invalid-resource", f"De URL {url} wijst niet naar een informatieobject.")
    return DocumentInfo(
        url=url,
        informatieobjecttype=str(data["informatieobjecttype"]),
        indicatie_gebruiksrecht=data.get("indicatieGebruiksrecht"),
        status=str(data.get("status") or ""),
    )


async def link(session: AsyncSession, auth: Auth, urls: UrlBuilder, document_url: str, zaak_url: str) -> None:
    """zrc-005: the ObjectInformatieObject in our Documenten API, same transaction."""
    pk = local_uuid(urls, document_url)
    if pk is not None:
        await documenten.link_object(session, auth, urls, pk, zaak_url, "zaak")


async def unlink(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, document_url: str, zaak_url: str
) -> None:
    pk = local_uuid(urls, document_url)
    if pk is not None:
        await documenten.unlink_object(session, auth, urls, pk, zaak_url)
