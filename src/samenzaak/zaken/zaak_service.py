"""The rules of the Zaak resource (zrc-001, 002, 009..015, 022, 023) as plain functions."""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common import remote
from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, ValidationProblem, invalid_params_from_errors
from samenzaak.common.urls import UrlBuilder
from samenzaak.db import utcnow
from samenzaak.zaken import access, documents, identificatie
from samenzaak.zaken.archief import archiefstatus_problems
from samenzaak.zaken.catalogus import RefError, Types, ZaakTypeInfo, split_ref
from samenzaak.zaken.geo import bbox, geometry_problem
from samenzaak.zaken.models import Zaak, ZaakInformatieObject
from samenzaak.zaken.render import Related, zaak_to_dict, zaak_url, zaaktype_of
from samenzaak.zaken.schemas import ZaakIn, ZaakPatch


async def to_dict(session: AsyncSession, urls: UrlBuilder, zaak: Zaak) -> dict[str, Any]:
    return zaak_to_dict(zaak, urls, await Related.load(session, [zaak.uuid]))


async def _check_zaaktype(
    types: Types, data: ZaakIn, existing: Zaak | None, urls: UrlBuilder, errors: list[InvalidParam]
) -> ZaakTypeInfo | None:
    if existing is not None:
        current = zaaktype_of(urls, existing)
        if data.zaaktype != current:
            errors.append(
                InvalidParam(
                    "zaaktype", "wijzigen-niet-toegelaten", "Het zaaktype mag niet gewijzigd worden."
                )
            )
            return None
    try:
        zaaktype = await types.zaaktype(data.zaaktype)
    except RefError as exc:
        errors.append(InvalidParam("zaaktype", exc.code, exc.reason))
        return None
    if existing is None:
        if zaaktype.concept:
            errors.append(InvalidParam("zaaktype", "not-published", "Het zaaktype is nog niet gepubliceerd."))
        elif not zaaktype.valid_on(data.startdatum):
            errors.append(
                InvalidParam(
                    "zaaktype",
                    "zaaktype-niet-geldig",
                    "Het zaaktype is niet geldig op de startdatum van de zaak.",
                )
            )
    return zaaktype


def _niet_uniek() -> InvalidParam:
    return InvalidParam(
        "identificatie",
        "identificatie-niet-uniek",
        "Deze identificatie bestaat al binnen de bronorganisatie.",
    )


async def _check_communicatiekanaal(url: str, errors: list[InvalidParam]) -> None:
    """zrc-010: the URL must answer 200 with a communicatiekanaal (url, naam, omschrijving)."""
    fetched = await remote.fetch(url, cache=True)
    if not fetched.ok:
        errors.append(
            InvalidParam("communicatiekanaal", "bad-url", "De URL resulteert niet in een HTTP 200.")
        )
    elif not isinstance(fetched.data, dict) or not {"url", "naam"} <= fetched.data.keys():
        errors.append(
            InvalidParam(
                "communicatiekanaal", "invalid-resource", "De URL wijst niet naar een communicatiekanaal."
            )
        )


async def _check_hoofdzaak(
    session: AsyncSession, urls: UrlBuilder, url: str, existing: Zaak | None, errors: list[InvalidParam]
) -> uuid.UUID | None:
    """zrc-013: a local zaak, not itself a deelzaak, not the zaak itself."""
    hoofdzaak, error = await access.zaak_of_url(session, urls, url, "hoofdzaak")
    if error is not None or hoofdzaak is None:
        errors.append(error or InvalidParam("hoofdzaak", "does_not_exist", "Zaak bestaat niet."))
        return None
    if existing is not None and hoofdzaak.uuid == existing.uuid:
        errors.append(
            InvalidParam("hoofdzaak", "self-forbidden", "Een zaak mag niet zijn eigen hoofdzaak zijn.")
        )
        return None
    if hoofdzaak.hoofdzaak_uuid is not None:
        errors.append(
            InvalidParam("hoofdzaak", "deelzaak-als-hoofdzaak", "Een deelzaak kan niet als hoofdzaak dienen.")
        )
        return None
    if existing is not None and await session.scalar(
        select(exists().where(Zaak.hoofdzaak_uuid == existing.uuid))
    ):
        errors.append(
            InvalidParam(
                "hoofdzaak", "deelzaak-als-hoofdzaak", "Een zaak met deelzaken kan geen deelzaak worden."
            )
        )
        return None
    return hoofdzaak.uuid


async def _check_relevante_zaken(
    session: AsyncSession, urls: UrlBuilder, data: ZaakIn, errors: list[InvalidParam]
) -> None:
    """zrc-011: every relevante andere zaak must resolve."""
    for i, relevant in enumerate(data.relevanteAndereZaken):
        pk = urls.local_uuid(relevant.url, "zaken", "zaken")
        if pk is not None:
            found = await session.scalar(select(exists().where(Zaak.uuid == pk)))
        else:
            found = (await remote.fetch(relevant.url, cache=True)).ok
        if not found:
            errors.append(
                InvalidParam(
                    f"relevanteAndereZaken.{i}.url", "bad-url", "De URL resulteert niet in een HTTP 200."
                )
            )


async def documents_archived(session: AsyncSession, urls: UrlBuilder, zaak: Zaak) -> bool:
    targets = (
        await session.scalars(
            select(ZaakInformatieObject.informatieobject).where(ZaakInformatieObject.zaak_uuid == zaak.uuid)
        )
    ).all()
    for url in targets:
        try:
            info = await documents.load(session, urls, url)
        except RefError:
            return False
        if info.status != "gearchiveerd":
            return False
    return True


async def validate(
    session: AsyncSession,
    urls: UrlBuilder,
    types: Types,
    data: ZaakIn,
    *,
    existing: Zaak | None,
    given: set[str],
    laatste_betaaldatum_given: bool,
) -> tuple[ZaakTypeInfo | None, uuid.UUID | None]:
    """Every rule of a zaak write, all errors at once; returns the zaaktype and hoofdzaak."""
    errors: list[InvalidParam] = []
    zaaktype = await _check_zaaktype(types, data, existing, urls, errors)

    if existing is None:
        if data.identificatie and await identificatie.identificatie_taken(
            session, data.bronorganisatie, data.identificatie
        ):
            errors.append(_niet_uniek())
    elif (data.identificatie and data.identificatie != existing.identificatie) or (
        data.bronorganisatie != existing.bronorganisatie
    ):
        errors.append(
            InvalidParam(
                "identificatie",
                "wijzigen-niet-toegelaten",
                "Identificatie en bronorganisatie zijn onveranderlijk.",
            )
        )

    if data.communicatiekanaal and (existing is None or "communicatiekanaal" in given):
        await _check_communicatiekanaal(data.communicatiekanaal, errors)

    if zaaktype is not None:
        allowed = set(zaaktype.producten_of_diensten)
        if not set(data.productenOfDiensten) <= allowed:
            errors.append(
                InvalidParam(
                    "productenOfDiensten",
                    "invalid-products-services",
                    "Niet alle producten/diensten komen voor in de producten/diensten op het zaaktype.",
                )
            )

    if data.betalingsindicatie == "nvt" and data.laatsteBetaaldatum is not None and laatste_betaaldatum_given:
        errors.append(
            InvalidParam(
                "laatsteBetaaldatum",
                "betaling-nvt",
                'De laatste betaaldatum kan niet gezet worden als de betalingsindicatie "nvt" is.',
            )
        )

    hoofdzaak_uuid = None
    if data.hoofdzaak:
        hoofdzaak_uuid = await _check_hoofdzaak(session, urls, data.hoofdzaak, existing, errors)

    await _check_relevante_zaken(session, urls, data, errors)

    if data.zaakgeometrie is not None:
        problem = geometry_problem(data.zaakgeometrie)
        if problem:
            errors.append(InvalidParam("zaakgeometrie", "invalid", problem))

    if data.archiefstatus != "nog_te_archiveren":
        archived = existing is None or await documents_archived(session, urls, existing)
        errors.extend(
            archiefstatus_problems(
                data.archiefstatus, data.archiefnominatie, data.archiefactiedatum, archived
            )
        )

    if errors:
        raise ValidationProblem(errors)
    return zaaktype, hoofdzaak_uuid


def _apply(
    zaak: Zaak, data: ZaakIn, urls: UrlBuilder, zaaktype: ZaakTypeInfo, hoofdzaak: uuid.UUID | None
) -> None:
    zaak.zaaktype_uuid, zaak.zaaktype_url = split_ref(urls, zaaktype.url, "zaaktypen")
    zaak.omschrijving = data.omschrijving
    zaak.toelichting = data.toelichting
    zaak.registratiedatum = data.registratiedatum or zaak.registratiedatum or utcnow().date()
    zaak.verantwoordelijke_organisatie = data.verantwoordelijkeOrganisatie
    zaak.startdatum = data.startdatum
    zaak.einddatum_gepland = data.einddatumGepland
    zaak.uiterlijke_einddatum_afdoening = data.uiterlijkeEinddatumAfdoening
    zaak.publicatiedatum = data.publicatiedatum
    zaak.communicatiekanaal = data.communicatiekanaal
    zaak.producten_of_diensten = list(data.productenOfDiensten)
    # zrc-009: explicit wins, else the zaaktype's.
    zaak.vertrouwelijkheidaanduiding = (
        data.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    )
    zaak.betalingsindicatie = data.betalingsindicatie
    # zrc-014: "nvt" clears the laatste betaaldatum.
    zaak.laatste_betaaldatum = None if data.betalingsindicatie == "nvt" else data.laatsteBetaaldatum
    zaak.zaakgeometrie = data.zaakgeometrie
    zaak.geo_min_x, zaak.geo_min_y, zaak.geo_max_x, zaak.geo_max_y = bbox(data.zaakgeometrie)
    zaak.verlenging = data.verlenging.model_dump() if data.verlenging else None
    zaak.opschorting = data.opschorting.model_dump() if data.opschorting else None
    zaak.selectielijstklasse = data.selectielijstklasse
    zaak.hoofdzaak_uuid = hoofdzaak
    zaak.relevante_andere_zaken = [r.model_dump() for r in data.relevanteAndereZaken]
    zaak.kenmerken = [k.model_dump() for k in data.kenmerken]
    zaak.archiefnominatie = data.archiefnominatie
    zaak.archiefstatus = data.archiefstatus
    zaak.archiefactiedatum = data.archiefactiedatum
    zaak.opdrachtgevende_organisatie = data.opdrachtgevendeOrganisatie
    zaak.processobjectaard = data.processobjectaard
    zaak.startdatum_bewaartermijn = data.startdatumBewaartermijn
    zaak.processobject = data.processobject.model_dump() if data.processobject else None


async def create(session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakIn) -> dict[str, Any]:
    """Create the zaak; its body."""
    types = Types(session, urls)
    zaaktype, hoofdzaak = await validate(
        session, urls, types, data, existing=None, given=set(), laatste_betaaldatum_given=True
    )
    assert zaaktype is not None
    access.check(auth, urls, _probe(urls, zaaktype, data), access.AANMAKEN)
    zaak = Zaak(uuid=uuid.uuid4(), bronorganisatie=data.bronorganisatie, aangemaakt=utcnow())
    zaak.identificatie = data.identificatie or await identificatie.generate(
        session, data.bronorganisatie, utcnow().date()
    )
    _apply(zaak, data, urls, zaaktype, hoofdzaak)
    session.add(zaak)
    try:
        await session.flush()
    except IntegrityError as exc:
        # Another transaction took the same identificatie between our check and our insert.
        # Nothing of this request is kept: no savepoint needed (it cost two round trips).
        await session.rollback()
        raise ValidationProblem([_niet_uniek()]) from exc
    # Nothing hangs under a zaak yet: no query for its related URLs.
    body = zaak_to_dict(zaak, urls, Related())
    access.record(
        session, auth, urls, zaak, actie="create", resource="zaak", resource_url=body["url"], nieuw=body
    )
    await session.commit()
    return body


def _probe(urls: UrlBuilder, zaaktype: ZaakTypeInfo, data: ZaakIn) -> Zaak:
    """An unsaved zaak carrying what authorisation looks at (zaaktype, vertrouwelijkheid)."""
    probe = Zaak()
    probe.zaaktype_uuid, probe.zaaktype_url = split_ref(urls, zaaktype.url, "zaaktypen")
    probe.vertrouwelijkheidaanduiding = (
        data.vertrouwelijkheidaanduiding or zaaktype.vertrouwelijkheidaanduiding
    )
    return probe


def merge(current: dict[str, Any], given: dict[str, Any]) -> ZaakIn:
    """A PATCH: the stored zaak with the given fields over it, validated as a whole."""
    try:
        return ZaakIn.model_validate(current | given)
    except ValidationError as exc:
        raise ValidationProblem(invalid_params_from_errors(exc.errors())) from exc


async def update(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    pk: uuid.UUID,
    data: ZaakIn | ZaakPatch,
    *,
    given: set[str] | None = None,
) -> Zaak:
    zaak = await access.get_zaak(session, pk)
    access.check(auth, urls, zaak, access.BIJWERKEN, access.GEFORCEERD)
    before = await to_dict(session, urls, zaak)
    if isinstance(data, ZaakPatch):
        supplied = data.model_dump(exclude_unset=True)
        merged = merge(before, supplied)
        given = set(supplied)
        actie = "partial_update"
    else:
        merged = data
        given = given if given is not None else set(data.model_fields_set)
        actie = "update"
    types = Types(session, urls)
    zaaktype, hoofdzaak = await validate(
        session,
        urls,
        types,
        merged,
        existing=zaak,
        given=given,
        laatste_betaaldatum_given="laatsteBetaaldatum" in given,
    )
    assert zaaktype is not None
    access.check_open_or_forced(auth, urls, zaak)
    _apply(zaak, merged, urls, zaaktype, hoofdzaak)
    await session.flush()
    after = await to_dict(session, urls, zaak)
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="zaak",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return zaak


async def destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    """zrc-023: the zaak, its deelzaken and everything under them go, audit trail included."""
    zaak = await access.get_zaak(session, pk)
    access.check(auth, urls, zaak, access.VERWIJDEREN)
    before = await to_dict(session, urls, zaak)
    deelzaak_rows = (await session.scalars(select(Zaak).where(Zaak.hoofdzaak_uuid == zaak.uuid))).all()
    deelzaken = [d.uuid for d in deelzaak_rows]
    hoofd_objects = [zaak_url(urls, z) for z in [zaak.uuid, *deelzaken]]
    await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object.in_(hoofd_objects)))
    # zrc-023: the mirrored ObjectInformatieObjecten go too.
    linked = (
        await session.execute(
            select(ZaakInformatieObject.zaak_uuid, ZaakInformatieObject.informatieobject).where(
                ZaakInformatieObject.zaak_uuid.in_([zaak.uuid, *deelzaken])
            )
        )
    ).all()
    for owner, document_url in linked:
        await documents.unlink(session, auth, urls, document_url, zaak_url(urls, owner))
    await session.execute(delete(Zaak).where(Zaak.uuid == zaak.uuid))
    for deelzaak in deelzaak_rows:
        # Subscribers learn of the deelzaken that went with their hoofdzaak (cascade).
        url = zaak_url(urls, deelzaak.uuid)
        access.record(
            session, auth, urls, deelzaak, actie="destroy", resource="zaak", resource_url=url, audit=False
        )
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie="destroy",
        resource="zaak",
        resource_url=before["url"],
        oud=before,
        audit=False,
    )
    await session.commit()


async def reserve(session: AsyncSession, auth: Auth, bronorganisatie: str, aantal: int) -> list[str]:
    numbers = await identificatie.reserve(session, bronorganisatie, utcnow().date(), aantal)
    await session.commit()
    return numbers
