"""Resolving the URLs a document refers to: its informatieobjecttype and related objects.

Local URLs (our own Catalogi, Zaken, Besluiten) resolve to rows without an HTTP call;
remote URLs are fetched once (drc-001, drc-002: the URL must end in ``HTTP 200`` and point
at a resource of the right kind).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import service as catalogi
from samenzaak.common import remote
from samenzaak.common.problems import InvalidParam
from samenzaak.common.urls import UrlBuilder


@dataclass(frozen=True, slots=True)
class InformatieObjectTypeRef:
    url: str
    vertrouwelijkheidaanduiding: str
    concept: bool
    omschrijving: str = ""
    catalogus_uuid: str = ""


async def resolve_informatieobjecttype(
    session: AsyncSession, urls: UrlBuilder, url: str, field: str = "informatieobjecttype"
) -> tuple[InformatieObjectTypeRef | None, list[InvalidParam]]:
    """drc-001: the informatieobjecttype must exist, be one, and be published (concept false)."""
    ref = urls.parse(url)
    if ref is not None:
        if ref.api != "catalogi" or ref.resource != "informatieobjecttypen" or ref.rest:
            return None, [
                InvalidParam(field, "invalid-resource", "De URL wijst niet naar een informatieobjecttype.")
            ]
        iot = await catalogi.informatieobjecttype_from_url(session, urls, url)
        if iot is None:
            return None, [InvalidParam(field, "bad-url", "Het informatieobjecttype bestaat niet.")]
        found = InformatieObjectTypeRef(
            url=url,
            vertrouwelijkheidaanduiding=iot.vertrouwelijkheidaanduiding,
            concept=bool(iot.concept),
            omschrijving=iot.omschrijving,
            catalogus_uuid=str(iot.catalogus_uuid),
        )
    else:
        fetched = await remote.fetch(url)
        body = fetched.data
        if not fetched.ok:
            return None, [InvalidParam(field, "bad-url", f"De URL {url} gaf geen HTTP 200.")]
        if not isinstance(body, dict) or not {
            "catalogus",
            "omschrijving",
            "vertrouwelijkheidaanduiding",
        } <= set(body):
            return None, [
                InvalidParam(field, "invalid-resource", "De URL wijst niet naar een informatieobjecttype.")
            ]
        found = InformatieObjectTypeRef(
            url=url,
            vertrouwelijkheidaanduiding=str(body["vertrouwelijkheidaanduiding"]),
            concept=bool(body.get("concept", False)),
            omschrijving=str(body["omschrijving"]),
        )
    if found.concept:
        return None, [
            InvalidParam(field, "not-published", "Het informatieobjecttype is nog niet gepubliceerd.")
        ]
    return found, []


# objectType -> (API, resource, fields a remote resource of that kind has).
OBJECT_KINDS: dict[str, tuple[str, str, set[str]]] = {
    "zaak": ("zaken", "zaken", {"zaaktype", "bronorganisatie"}),
    "besluit": ("besluiten", "besluiten", {"besluittype", "verantwoordelijkeOrganisatie"}),
    "verzoek": ("verzoeken", "verzoeken", {"bronorganisatie"}),
}


async def check_object_url(urls: UrlBuilder, url: str, object_type: str) -> list[InvalidParam]:
    """drc-002: a remote object URL must answer 200 and be of ``object_type``.

    Local objects are checked by the caller (the relation must exist in our own Zaken or
    Besluiten API, drc-004); this only handles URLs of other installations.
    """
    api, resource, fields = OBJECT_KINDS[object_type]
    ref = urls.parse(url)
    if ref is not None:
        if ref.api != api or ref.resource != resource or ref.rest:
            return [InvalidParam("object", "invalid-resource", f"De URL wijst niet naar een {object_type}.")]
        return []
    fetched = await remote.fetch(url)
    body = fetched.data
    if not fetched.ok:
        return [InvalidParam("object", "bad-url", f"De URL {url} gaf geen HTTP 200.")]
    if not isinstance(body, dict) or not fields <= set(body):
        return [InvalidParam("object", "invalid-resource", f"De URL wijst niet naar een {object_type}.")]
    return []
