"""What a besluit refers to: its besluittype (Catalogi API), its zaak (Zaken API) and the
documents laid down for it (Documenten API), each either local (a row) or remote (fetched).

Every resolver answers the object or the ``InvalidParam`` with the code the conformance
suite expects (``bad-url``, ``invalid-resource``, ``not-published``, ...).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import service as catalogi
from samenzaak.common import remote
from samenzaak.common.problems import InvalidParam
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import service as documenten
from samenzaak.documenten.models import Document
from samenzaak.zaken import service as zaken
from samenzaak.zaken.models import Zaak

BESLUITTYPE_FIELDS = {"catalogus", "omschrijving", "informatieobjecttypen", "publicatieIndicatie"}
ZAAK_FIELDS = {"zaaktype", "bronorganisatie"}
DOCUMENT_FIELDS = {"informatieobjecttype", "bronorganisatie", "titel"}


@dataclass(frozen=True, slots=True)
class BesluitTypeRef:
    url: str
    concept: bool
    begin_geldigheid: date | None
    einde_geldigheid: date | None
    # Local: the catalogus and the omschrijvingen of its informatieobjecttypen (historiemodel
    # keys); remote: the informatieobjecttype URLs the besluittype lists.
    catalogus_uuid: uuid.UUID | None = None
    omschrijving: str = ""
    informatieobjecttypen: tuple[str, ...] = ()
    local: bool = True


@dataclass(frozen=True, slots=True)
class ZaakRef:
    url: str
    zaaktype: str
    zaak: Zaak | None = None  # the row, for a zaak in this installation


@dataclass(frozen=True, slots=True)
class DocumentRef:
    url: str
    informatieobjecttype: str
    document_uuid: uuid.UUID | None = None  # for a document in this installation
    extra: dict[str, str] = field(default_factory=dict)


def _date(value: object) -> date | None:
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


async def resolve_besluittype(
    session: AsyncSession, urls: UrlBuilder, url: str, name: str = "besluittype"
) -> tuple[BesluitTypeRef | None, InvalidParam | None]:
    """brc-001: the besluittype must resolve (HTTP 200) and be a besluittype."""
    ref = urls.parse(url)
    if ref is not None:
        if ref.api != "catalogi" or ref.resource != "besluittypen" or ref.rest:
            return None, InvalidParam(name, "invalid-resource", "De URL wijst niet naar een besluittype.")
        bt = await catalogi.get_besluittype(session, ref.uuid)
        if bt is None:
            return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
        return BesluitTypeRef(
            url=url,
            concept=bool(bt.concept),
            begin_geldigheid=bt.begin_geldigheid,
            einde_geldigheid=bt.einde_geldigheid,
            catalogus_uuid=bt.catalogus_uuid,
            omschrijving=bt.omschrijving,
            informatieobjecttypen=tuple(bt.informatieobjecttypen or ()),
        ), None
    fetched = await remote.fetch(url, cache=True)
    if not fetched.ok:
        return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
    body = fetched.data
    if not isinstance(body, dict) or not set(body) >= BESLUITTYPE_FIELDS:
        return None, InvalidParam(name, "invalid-resource", "De URL wijst niet naar een besluittype.")
    return BesluitTypeRef(
        url=url,
        concept=bool(body.get("concept", False)),
        begin_geldigheid=_date(body.get("beginGeldigheid")),
        einde_geldigheid=_date(body.get("eindeGeldigheid")),
        omschrijving=str(body.get("omschrijving", "")),
        informatieobjecttypen=tuple(str(u) for u in body.get("informatieobjecttypen") or ()),
        local=False,
    ), None


async def resolve_zaak(
    session: AsyncSession, urls: UrlBuilder, url: str, name: str = "zaak"
) -> tuple[ZaakRef | None, InvalidParam | None]:
    """The zaak must resolve (HTTP 200) and be a zaak (besluit_create: "geldigheid zaak URL")."""
    ref = urls.parse(url)
    if ref is not None:
        if ref.api != "zaken" or ref.resource != "zaken" or ref.rest:
            return None, InvalidParam(name, "invalid-resource", "De URL wijst niet naar een zaak.")
        zaak = await zaken.zaak_from_url(session, urls, url)
        if zaak is None:
            return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
        return ZaakRef(url=url, zaaktype=zaken.zaaktype_url(urls, zaak), zaak=zaak), None
    fetched = await remote.fetch(url)
    if not fetched.ok:
        return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
    body = fetched.data
    if not isinstance(body, dict) or not set(body) >= ZAAK_FIELDS:
        return None, InvalidParam(name, "invalid-resource", "De URL wijst niet naar een zaak.")
    return ZaakRef(url=url, zaaktype=str(body["zaaktype"])), None


async def resolve_document(
    session: AsyncSession, urls: UrlBuilder, url: str, name: str = "informatieobject"
) -> tuple[DocumentRef | None, InvalidParam | None]:
    """brc-003: the informatieobject must resolve (HTTP 200) and be an informatieobject."""
    ref = urls.parse(url)
    if ref is not None:
        if ref.api != "documenten" or ref.resource != documenten.RESOURCE or ref.rest:
            return None, InvalidParam(
                name, "invalid-resource", "De URL wijst niet naar een informatieobject."
            )
        row = (await session.execute(documenten.latest().where(Document.uuid == ref.uuid))).first()
        if row is None:
            return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
        versie = row[1]
        return DocumentRef(
            url=url, informatieobjecttype=versie.informatieobjecttype, document_uuid=versie.document_uuid
        ), None
    fetched = await remote.fetch(url)
    if not fetched.ok:
        return None, InvalidParam(name, "bad-url", f"De URL {url} gaf geen HTTP 200.")
    body = fetched.data
    if not isinstance(body, dict) or not set(body) >= DOCUMENT_FIELDS:
        return None, InvalidParam(name, "invalid-resource", "De URL wijst niet naar een informatieobject.")
    return DocumentRef(url=url, informatieobjecttype=str(body["informatieobjecttype"])), None


async def zaaktype_allows_besluittype(
    session: AsyncSession, urls: UrlBuilder, zaaktype_url: str, besluittype: BesluitTypeRef
) -> bool:
    """brc-007: the besluittype must be one of ``zaak.zaaktype.besluittypen``.

    A local zaaktype names its besluittypen by omschrijving within its own catalogus (the
    historiemodel), so only a local besluittype can match it; a remote zaaktype lists URLs.
    """
    if urls.parse(zaaktype_url) is not None:
        zaaktype = await catalogi.zaaktype_from_url(session, urls, zaaktype_url)
        if zaaktype is None or not besluittype.local:
            return False
        return zaaktype.catalogus_uuid == besluittype.catalogus_uuid and besluittype.omschrijving in (
            zaaktype.besluittypen or []
        )
    fetched = await remote.fetch(zaaktype_url, cache=True)
    if not fetched.ok or not isinstance(fetched.data, dict):
        return False
    return besluittype.url in (fetched.data.get("besluittypen") or [])


async def besluittype_allows_informatieobjecttype(
    session: AsyncSession, urls: UrlBuilder, besluittype: BesluitTypeRef, informatieobjecttype_url: str
) -> bool:
    """brc-008: the document's informatieobjecttype must be one of the besluittype's."""
    if not besluittype.local:
        return informatieobjecttype_url in besluittype.informatieobjecttypen
    iot = await catalogi.informatieobjecttype_from_url(session, urls, informatieobjecttype_url)
    return (
        iot is not None
        and iot.catalogus_uuid == besluittype.catalogus_uuid
        and iot.omschrijving in besluittype.informatieobjecttypen
    )
