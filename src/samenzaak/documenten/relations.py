"""The rules for what hangs off a document: gebruiksrechten, objectinformatieobjecten and
verzendingen. Each is authorised through its document (type and vertrouwelijkheid)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import service
from samenzaak.documenten.models import (
    Document,
    DocumentVersie,
    Gebruiksrechten,
    ObjectInformatieObject,
    Verzending,
)
from samenzaak.documenten.references import check_object_url
from samenzaak.documenten.schemas import (
    ADDRESS_FIELDS,
    GebruiksrechtenRequest,
    ObjectInformatieObjectRequest,
    PatchedGebruiksrechtenRequest,
    PatchedVerzendingRequest,
    VerzendingRequest,
)

API = service.API


async def document_for(
    session: AsyncSession, urls: UrlBuilder, url: str, field: str = "informatieobject"
) -> tuple[Document, DocumentVersie]:
    """The (latest version of the) document a request refers to, or a 400 on ``field``."""
    pk = urls.local_uuid(url, API, service.RESOURCE)
    row = None
    if pk is not None:
        row = (await session.execute(service.latest().where(Document.uuid == pk))).first()
    if row is None:
        raise ValidationProblem([InvalidParam(field, "does_not_exist", "Het informatieobject bestaat niet.")])
    return row[0], row[1]


def _dt(value: Any) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


# -- gebruiksrechten ---------------------------------------------------------------------------


def gebruiksrechten_to_dict(g: Gebruiksrechten, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": urls.detail(API, "gebruiksrechten", g.uuid),
        "informatieobject": service.document_url(urls, g.document_uuid),
        "startdatum": _dt(g.startdatum),
        "einddatum": _dt(g.einddatum),
        "omschrijvingVoorwaarden": g.omschrijving_voorwaarden,
    }


async def get_gebruiksrechten(
    session: AsyncSession, auth: Auth, pk: uuid.UUID, scope: str
) -> tuple[Gebruiksrechten, DocumentVersie]:
    g = await session.get(Gebruiksrechten, pk)
    if g is None:
        raise NotFound("Gebruiksrechten niet gevonden.")
    _, v = await service.latest_version(session, g.document_uuid)
    service.require(auth, scope, v)
    return g, v


def _aware(value: Any) -> Any:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _record_gebruiksrechten(
    session: AsyncSession,
    auth: Auth,
    actie: str,
    body: dict[str, Any],
    v: DocumentVersie,
    oud: Any,
    nieuw: Any,
) -> None:
    record_change(
        session,
        auth,
        bron=service.BRON,
        kanaal=service.KANAAL,
        actie=actie,
        resource="gebruiksrechten",
        resource_url=body["url"],
        hoofd_object=body["informatieobject"],
        oud=oud,
        nieuw=nieuw,
        kenmerken=service.kenmerken(v),
    )


async def create_gebruiksrechten(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: GebruiksrechtenRequest
) -> dict[str, Any]:
    """drc-006: creating gebruiksrechten sets the document's indicatieGebruiksrecht to true."""
    _, v = await document_for(session, urls, data.informatieobject)
    service.require(auth, service.AANMAKEN, v)
    g = Gebruiksrechten(
        uuid=uuid.uuid4(),
        document_uuid=v.document_uuid,
        startdatum=_aware(data.startdatum),
        einddatum=_aware(data.einddatum),
        omschrijving_voorwaarden=data.omschrijvingVoorwaarden,
    )
    session.add(g)
    v.indicatie_gebruiksrecht = True
    await session.flush()
    body = gebruiksrechten_to_dict(g, urls)
    _record_gebruiksrechten(session, auth, "create", body, v, None, body)
    await session.commit()
    return body


async def update_gebruiksrechten(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    pk: uuid.UUID,
    data: GebruiksrechtenRequest | PatchedGebruiksrechtenRequest,
) -> dict[str, Any]:
    g, v = await get_gebruiksrechten(session, auth, pk, service.BIJWERKEN)
    before = gebruiksrechten_to_dict(g, urls)
    given = data.model_fields_set
    partial = isinstance(data, PatchedGebruiksrechtenRequest)
    # The informatieobject of gebruiksrechten cannot change (it is set at creation).
    if data.informatieobject is not None and data.informatieobject != before["informatieobject"]:
        raise ValidationProblem(
            [
                InvalidParam(
                    "informatieobject", "wijzigen-niet-toegelaten", "Het informatieobject kan niet wijzigen."
                )
            ]
        )
    if data.startdatum is not None:
        g.startdatum = _aware(data.startdatum)
    if not partial or "einddatum" in given:
        g.einddatum = _aware(data.einddatum)
    if data.omschrijvingVoorwaarden is not None:
        g.omschrijving_voorwaarden = data.omschrijvingVoorwaarden
    await session.flush()
    after = gebruiksrechten_to_dict(g, urls)
    _record_gebruiksrechten(session, auth, "partial_update" if partial else "update", after, v, before, after)
    await session.commit()
    return after


async def destroy_gebruiksrechten(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    """drc-006: when the last gebruiksrechten go, the indicatie goes back to null."""
    g, v = await get_gebruiksrechten(session, auth, pk, service.VERWIJDEREN)
    before = gebruiksrechten_to_dict(g, urls)
    await session.execute(delete(Gebruiksrechten).where(Gebruiksrechten.uuid == g.uuid))
    remaining = await session.scalar(
        select(Gebruiksrechten.uuid).where(Gebruiksrechten.document_uuid == g.document_uuid).limit(1)
    )
    if remaining is None:
        v.indicatie_gebruiksrecht = None
    _record_gebruiksrechten(session, auth, "destroy", before, v, before, None)
    await session.commit()


# -- objectinformatieobjecten ------------------------------------------------------------------


async def get_oio(session: AsyncSession, auth: Auth, pk: uuid.UUID, scope: str) -> ObjectInformatieObject:
    oio = await session.get(ObjectInformatieObject, pk)
    if oio is None:
        raise NotFound("ObjectInformatieObject niet gevonden.")
    _, v = await service.latest_version(session, oio.document_uuid)
    service.require(auth, scope, v)
    return oio


async def create_oio(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ObjectInformatieObjectRequest
) -> dict[str, Any]:
    """drc-002..004: the object must be a zaak/besluit (checked remotely for other
    installations), the pair unique, and the relation must exist at the object's source.

    Our own Zaken and Besluiten APIs create this relation themselves (``link_object``) when
    a zaak-/besluitinformatieobject is made, so for a local object it either exists already
    (unique) or the source has no such relation (inconsistent-relation)."""
    _, v = await document_for(session, urls, data.informatieobject)
    service.require(auth, service.AANMAKEN, v)
    errors = await check_object_url(urls, data.object, data.objectType)
    if errors:
        raise ValidationProblem(errors)
    existing = await session.scalar(
        select(ObjectInformatieObject.uuid).where(
            ObjectInformatieObject.document_uuid == v.document_uuid,
            ObjectInformatieObject.object == data.object,
        )
    )
    if existing is not None:
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "unique", "De combinatie object en informatieobject bestaat al.")]
        )
    if urls.parse(data.object) is not None:
        raise ValidationProblem(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "inconsistent-relation",
                    f"De relatie bestaat niet in de bron van het object ({data.objectType}informatieobject).",
                )
            ]
        )
    oio = await service.link_object(session, auth, urls, v.document_uuid, data.object, data.objectType)
    await session.commit()
    return service.oio_to_dict(oio, urls)


async def destroy_oio(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    oio = await get_oio(session, auth, pk, service.VERWIJDEREN)
    # Only a relation whose source no longer has it may go: for our own zaken and besluiten
    # the Zaken/Besluiten API removes it (unlink_object) when the source relation is deleted.
    if urls.parse(oio.object) is not None:
        raise ValidationProblem(
            [
                InvalidParam(
                    "nonFieldErrors",
                    "inconsistent-relation",
                    "De relatie bestaat nog in de bron; verwijder daar het "
                    f"{oio.object_type}informatieobject.",
                )
            ]
        )
    await service.unlink_object(session, auth, urls, oio.document_uuid, oio.object)
    await session.commit()


# -- verzendingen ------------------------------------------------------------------------------

VERZENDING_FIELDS = {
    "betrokkene": "betrokkene",
    "aard_relatie": "aardRelatie",
    "toelichting": "toelichting",
    "ontvangstdatum": "ontvangstdatum",
    "verzenddatum": "verzenddatum",
    "contact_persoon": "contactPersoon",
    "contactpersoonnaam": "contactpersoonnaam",
    "faxnummer": "faxnummer",
    "emailadres": "emailadres",
    "mijn_overheid": "mijnOverheid",
    "telefoonnummer": "telefoonnummer",
}
ADDRESS_ATTRS = {
    "binnenlandsCorrespondentieadres": "binnenlands_correspondentieadres",
    "buitenlandsCorrespondentieadres": "buitenlands_correspondentieadres",
    "correspondentiePostadres": "correspondentie_postadres",
}


def verzending_to_dict(z: Verzending, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": urls.detail(API, "verzendingen", z.uuid),
        "betrokkene": z.betrokkene,
        "informatieobject": service.document_url(urls, z.document_uuid),
        "aardRelatie": z.aard_relatie,
        "toelichting": z.toelichting,
        "ontvangstdatum": z.ontvangstdatum.isoformat() if z.ontvangstdatum else None,
        "verzenddatum": z.verzenddatum.isoformat() if z.verzenddatum else None,
        "contactPersoon": z.contact_persoon,
        "contactpersoonnaam": z.contactpersoonnaam,
        "binnenlandsCorrespondentieadres": z.binnenlands_correspondentieadres,
        "buitenlandsCorrespondentieadres": z.buitenlands_correspondentieadres,
        "correspondentiePostadres": z.correspondentie_postadres,
        "faxnummer": z.faxnummer,
        "emailadres": z.emailadres,
        "mijnOverheid": z.mijn_overheid,
        "telefoonnummer": z.telefoonnummer,
    }


def _address_count(z: Verzending) -> int:
    values = [
        z.binnenlands_correspondentieadres,
        z.buitenlands_correspondentieadres,
        z.correspondentie_postadres,
        z.faxnummer,
        z.emailadres,
        z.telefoonnummer,
    ]
    return sum(1 for value in values if value) + (1 if z.mijn_overheid else 0)


def _check_address(z: Verzending) -> list[InvalidParam]:
    """A verzending goes to exactly one address (standard: 'Verzending')."""
    if _address_count(z) > 1:
        return [
            InvalidParam(
                "nonFieldErrors",
                "invalid-address",
                "Een verzending heeft precies één adres: "
                + ", ".join(ADDRESS_FIELDS)
                + " sluiten elkaar uit.",
            )
        ]
    return []


def _apply(z: Verzending, data: VerzendingRequest | PatchedVerzendingRequest, partial: bool) -> None:
    given = data.model_fields_set
    for attr, name in VERZENDING_FIELDS.items():
        if partial and name not in given:
            continue
        value = getattr(data, name)
        if value is None and name in (
            "betrokkene",
            "aardRelatie",
            "contactPersoon",
            "toelichting",
            "mijnOverheid",
        ):
            continue
        setattr(z, attr, value if value is not None or name not in ("contactpersoonnaam",) else "")
    for name, attr in ADDRESS_ATTRS.items():
        if partial and name not in given:
            continue
        value = getattr(data, name)
        setattr(z, attr, value.model_dump(mode="json") if value is not None else None)


async def get_verzending(
    session: AsyncSession, auth: Auth, pk: uuid.UUID, scope: str
) -> tuple[Verzending, DocumentVersie]:
    z = await session.get(Verzending, pk)
    if z is None:
        raise NotFound("Verzending niet gevonden.")
    _, v = await service.latest_version(session, z.document_uuid)
    service.require(auth, scope, v)
    return z, v


def _record_verzending(
    session: AsyncSession, auth: Auth, actie: str, body: dict[str, Any], oud: Any, nieuw: Any
) -> None:
    record_change(
        session,
        auth,
        bron=service.BRON,
        kanaal=None,
        actie=actie,
        resource="verzending",
        resource_url=body["url"],
        hoofd_object=body["informatieobject"],
        oud=oud,
        nieuw=nieuw,
    )


async def create_verzending(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: VerzendingRequest
) -> dict[str, Any]:
    _, v = await document_for(session, urls, data.informatieobject)
    service.require(auth, service.AANMAKEN, v)
    z = Verzending(uuid=uuid.uuid4(), document_uuid=v.document_uuid, toelichting="", contactpersoonnaam="")
    _apply(z, data, partial=False)
    errors = _check_address(z)
    if errors:
        raise ValidationProblem(errors)
    session.add(z)
    await session.flush()
    body = verzending_to_dict(z, urls)
    _record_verzending(session, auth, "create", body, None, body)
    await session.commit()
    return body


async def update_verzending(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    pk: uuid.UUID,
    data: VerzendingRequest | PatchedVerzendingRequest,
) -> dict[str, Any]:
    z, _ = await get_verzending(session, auth, pk, service.BIJWERKEN)
    before = verzending_to_dict(z, urls)
    partial = isinstance(data, PatchedVerzendingRequest)
    if data.informatieobject is not None and data.informatieobject != before["informatieobject"]:
        _, other = await document_for(session, urls, data.informatieobject)
        service.require(auth, service.BIJWERKEN, other)
        z.document_uuid = other.document_uuid
    _apply(z, data, partial)
    errors = _check_address(z)
    if errors:
        raise ValidationProblem(errors)
    await session.flush()
    after = verzending_to_dict(z, urls)
    _record_verzending(session, auth, "partial_update" if partial else "update", after, before, after)
    await session.commit()
    return after


async def destroy_verzending(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    z, _ = await get_verzending(session, auth, pk, service.VERWIJDEREN)
    before = verzending_to_dict(z, urls)
    await session.execute(delete(Verzending).where(Verzending.uuid == z.uuid))
    _record_verzending(session, auth, "destroy", before, before, None)
    await session.commit()
