"""Rollen, zaakobjecten, zaakinformatieobjecten, zaakeigenschappen and the simple relations
(klantcontacten, zaakcontactmomenten, zaakverzoeken, zaakbesluiten, zaaknotities).

Every write is authorised through the zaak, validated fully, refused on a closed zaak
without ``zaken.geforceerd-bijwerken`` (zrc-007), and recorded with audit + notification.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.db import utcnow
from samenzaak.zaken import access, documents
from samenzaak.zaken.catalogus import RefError, Types, split_ref
from samenzaak.zaken.eigenschap_waarde import waarde_problems
from samenzaak.zaken.models import (
    ROL_ID_COLUMNS,
    KlantContact,
    Rol,
    Status,
    Zaak,
    ZaakBesluit,
    ZaakContactMoment,
    ZaakEigenschap,
    ZaakInformatieObject,
    ZaakNotitie,
    ZaakObject,
    ZaakVerzoek,
)
from samenzaak.zaken.render import (
    klantcontact_to_dict,
    rol_to_dict,
    zaak_url,
    zaakbesluit_to_dict,
    zaakcontactmoment_to_dict,
    zaakeigenschap_to_dict,
    zaaknotitie_to_dict,
    zaakobject_to_dict,
    zaaktype_of,
    zaakverzoek_to_dict,
    zio_to_dict,
)
from samenzaak.zaken.schemas import (
    KlantContactIn,
    RolIn,
    ZaakBesluitIn,
    ZaakContactMomentIn,
    ZaakEigenschapIn,
    ZaakEigenschapPatch,
    ZaakInformatieObjectIn,
    ZaakInformatieObjectPatch,
    ZaakNotitieIn,
    ZaakNotitiePatch,
    ZaakObjectIn,
    ZaakObjectPatch,
    ZaakVerzoekIn,
)
from samenzaak.zaken.status_service import mismatch

M = TypeVar("M", bound=Any)
WRITE = (access.BIJWERKEN, access.GEFORCEERD)


def identificatie_columns(
    betrokkene_type: str, identificatie: dict[str, Any] | None
) -> dict[str, str | None]:
    """The indexed Rol columns for the identifying fields of a betrokkeneIdentificatie."""
    fields = IDENTIFYING.get(betrokkene_type, ())
    values = identificatie or {}
    return {
        column: (str(values[field])[:254] if field in fields and values.get(field) else None)
        for field, column in ROL_ID_COLUMNS.items()
    }


# Per betrokkeneType, the identifying fields the list filters search on.
IDENTIFYING = {
    "natuurlijk_persoon": ("inpBsn", "anpIdentificatie", "inpA_nummer"),
    "niet_natuurlijk_persoon": ("innNnpId", "annIdentificatie"),
    "vestiging": ("vestigingsNummer",),
    "organisatorische_eenheid": ("identificatie",),
    "medewerker": ("identificatie",),
}


async def zaak_for_write(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, url: str, scopes: tuple[str, ...] = WRITE
) -> Zaak:
    zaak, error = await access.zaak_of_url(session, urls, url)
    if error is not None or zaak is None:
        raise ValidationProblem([error or InvalidParam("zaak", "does_not_exist", "Zaak bestaat niet.")])
    access.check(auth, urls, zaak, *scopes)
    return zaak


async def get_with_zaak(session: AsyncSession, model: type[M], pk: uuid.UUID, label: str) -> tuple[M, Zaak]:
    row = (
        await session.execute(
            select(model, Zaak).join(Zaak, Zaak.uuid == model.zaak_uuid).where(model.uuid == pk)
        )
    ).first()
    if row is None:
        raise NotFound(f"{label} niet gevonden.")
    return row[0], row[1]


async def _created(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    zaak: Zaak,
    row: Any,
    resource: str,
    body: Callable[[], dict[str, Any]],
) -> None:
    session.add(row)
    await session.flush()
    nieuw = body()
    access.record(
        session, auth, urls, zaak, actie="create", resource=resource, resource_url=nieuw["url"], nieuw=nieuw
    )
    await session.commit()


async def destroy(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    model: type[M],
    pk: uuid.UUID,
    resource: str,
    to_dict: Callable[[Any, UrlBuilder], dict[str, Any]],
    scopes: tuple[str, ...] = WRITE,
    closed_check: bool = True,
) -> None:
    row, zaak = await get_with_zaak(session, model, pk, resource)
    access.check(auth, urls, zaak, *scopes)
    if closed_check:
        access.check_open_or_forced(auth, urls, zaak)
    before = to_dict(row, urls)
    if isinstance(row, ZaakInformatieObject):
        await documents.unlink(session, auth, urls, row.informatieobject, zaak_url(urls, zaak.uuid))
    await session.delete(row)
    access.record(
        session, auth, urls, zaak, actie="destroy", resource=resource, resource_url=before["url"], oud=before
    )
    await session.commit()


# --- rollen ---------------------------------------------------------------------------


async def rol_create(session: AsyncSession, auth: Auth, urls: UrlBuilder, data: RolIn) -> Rol:
    zaak = await zaak_for_write(session, auth, urls, data.zaak, (access.AANMAKEN, *WRITE))
    errors: list[InvalidParam] = []
    roltype = None
    try:
        roltype = await Types(session, urls).roltype(data.roltype)
        if roltype.zaaktype != zaaktype_of(urls, zaak):
            errors.append(mismatch("roltype"))
    except RefError as exc:
        errors.append(InvalidParam("roltype", exc.code, exc.reason))
    if errors:
        raise ValidationProblem(errors)
    assert roltype is not None
    access.check_open_or_forced(auth, urls, zaak)
    rol = Rol(
        uuid=uuid.uuid4(),
        zaak_uuid=zaak.uuid,
        betrokkene=data.betrokkene,
        betrokkene_type=data.betrokkeneType,
        afwijkende_naam_betrokkene=data.afwijkendeNaamBetrokkene,
        omschrijving=roltype.omschrijving,
        omschrijving_generiek=roltype.omschrijving_generiek,
        roltoelichting=data.roltoelichting,
        registratiedatum=utcnow(),
        indicatie_machtiging=data.indicatieMachtiging,
        contactpersoon_rol=data.contactpersoonRol.model_dump() if data.contactpersoonRol else None,
        betrokkene_identificatie=data.betrokkeneIdentificatie,
        **identificatie_columns(data.betrokkeneType, data.betrokkeneIdentificatie),
    )
    rol.roltype_uuid, rol.roltype_url = split_ref(urls, roltype.url, "roltypen")
    await _created(session, auth, urls, zaak, rol, "rol", lambda: rol_to_dict(rol, urls))
    return rol


async def fill_rol_statussen(session: AsyncSession, urls: UrlBuilder, bodies: list[dict[str, Any]]) -> None:
    """``statussen`` of rol bodies: the statussen each rol set (``Status.gezetdoor``), one query."""
    wanted = [b["url"] for b in bodies]
    if not wanted:
        return
    rows = (
        await session.execute(select(Status.gezetdoor, Status.uuid).where(Status.gezetdoor.in_(wanted)))
    ).all()
    found: dict[str, list[str]] = {}
    for url, pk in sorted(rows, key=lambda r: str(r[1])):
        found.setdefault(url, []).append(f"{urls.root('zaken')}/statussen/{pk}")
    for body in bodies:
        body["statussen"] = found.get(body["url"], [])


# --- zaakobjecten -----------------------------------------------------------------------


def _zaakobject_problems(data: ZaakObjectIn) -> list[InvalidParam]:
    errors = []
    if data.objectType == "overige" and not data.objectTypeOverige and not data.objectTypeOverigeDefinitie:
        errors.append(
            InvalidParam(
                "objectTypeOverige",
                "missing-object-type-overige",
                "objectTypeOverige is verplicht bij overige.",
            )
        )
    if not data.object and data.objectIdentificatie is None:
        errors.append(
            InvalidParam("nonFieldErrors", "invalid-zaakobject", "Geef object of objectIdentificatie op.")
        )
    return errors


async def zaakobject_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakObjectIn
) -> ZaakObject:
    zaak = await zaak_for_write(session, auth, urls, data.zaak, (access.AANMAKEN, *WRITE))
    errors = _zaakobject_problems(data)
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    zo = ZaakObject(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid)
    _apply_zaakobject(zo, data)
    await _created(session, auth, urls, zaak, zo, "zaakobject", lambda: zaakobject_to_dict(zo, urls))
    return zo


def _apply_zaakobject(zo: ZaakObject, data: ZaakObjectIn) -> None:
    zo.object = data.object
    zo.zaakobjecttype = data.zaakobjecttype
    zo.object_type = data.objectType
    zo.object_type_overige = data.objectTypeOverige
    zo.object_type_overige_definitie = data.objectTypeOverigeDefinitie
    zo.relatieomschrijving = data.relatieomschrijving
    zo.object_identificatie = data.objectIdentificatie


async def zaakobject_update(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, data: ZaakObjectIn | ZaakObjectPatch
) -> ZaakObject:
    zo, zaak = await get_with_zaak(session, ZaakObject, pk, "Zaakobject")
    access.check(auth, urls, zaak, *WRITE)
    before = zaakobject_to_dict(zo, urls)
    merged_raw = (
        before | {"objectIdentificatie": zo.object_identificatie} | data.model_dump(exclude_unset=True)
    )
    merged = ZaakObjectIn.model_validate(merged_raw)
    errors = _zaakobject_problems(merged)
    if merged.zaak != before["zaak"]:
        errors.append(InvalidParam("zaak", "wijzigen-niet-toegelaten", "De zaak mag niet gewijzigd worden."))
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    _apply_zaakobject(zo, merged)
    await session.flush()
    after = zaakobject_to_dict(zo, urls)
    actie = "partial_update" if isinstance(data, ZaakObjectPatch) else "update"
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="zaakobject",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return zo


# --- zaakinformatieobjecten ---------------------------------------------------------------


async def zio_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakInformatieObjectIn
) -> ZaakInformatieObject:
    zaak = await zaak_for_write(session, auth, urls, data.zaak, (access.AANMAKEN, *WRITE))
    errors: list[InvalidParam] = []
    try:
        document = await documents.load(session, urls, data.informatieobject)
    except RefError as exc:
        raise ValidationProblem([InvalidParam("informatieobject", exc.code, exc.reason)]) from exc
    types = Types(session, urls)
    try:
        zaaktype = await types.zaaktype(zaaktype_of(urls, zaak))
        if not await types.zaaktype_allows_informatieobjecttype(zaaktype, document.informatieobjecttype):
            errors.append(
                InvalidParam(
                    "nonFieldErrors",
                    "missing-zaaktype-informatieobjecttype-relation",
                    "Het informatieobjecttype hoort niet bij het zaaktype van de zaak.",
                )
            )
    except RefError as exc:
        errors.append(InvalidParam("zaak", exc.code, exc.reason))
    duplicate = await session.scalar(
        select(
            exists().where(
                ZaakInformatieObject.zaak_uuid == zaak.uuid,
                ZaakInformatieObject.informatieobject == data.informatieobject,
            )
        )
    )
    if duplicate:
        errors.append(InvalidParam("nonFieldErrors", "unique", "Dit informatieobject hoort al bij de zaak."))
    status_uuid = await _status_of(session, urls, zaak, data.status, errors)
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    zio = ZaakInformatieObject(
        uuid=uuid.uuid4(),
        zaak_uuid=zaak.uuid,
        informatieobject=data.informatieobject,
        aard_relatie="hoort_bij",
        titel=data.titel,
        beschrijving=data.beschrijving,
        registratiedatum=utcnow(),
        vernietigingsdatum=data.vernietigingsdatum,
        status_uuid=status_uuid,
    )
    await documents.link(session, auth, urls, data.informatieobject, zaak_url(urls, zaak.uuid))
    await _created(session, auth, urls, zaak, zio, "zaakinformatieobject", lambda: zio_to_dict(zio, urls))
    return zio


async def _status_of(
    session: AsyncSession, urls: UrlBuilder, zaak: Zaak, url: str | None, errors: list[InvalidParam]
) -> uuid.UUID | None:
    if not url:
        return None
    pk = urls.local_uuid(url, "zaken", "statussen")
    if pk is None or not await session.scalar(
        select(exists().where(Status.uuid == pk, Status.zaak_uuid == zaak.uuid))
    ):
        errors.append(InvalidParam("status", "invalid", "De status hoort niet bij deze zaak."))
        return None
    return pk


async def zio_update(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    pk: uuid.UUID,
    data: ZaakInformatieObjectIn | ZaakInformatieObjectPatch,
) -> ZaakInformatieObject:
    zio, zaak = await get_with_zaak(session, ZaakInformatieObject, pk, "Zaakinformatieobject")
    access.check(auth, urls, zaak, *WRITE)
    before = zio_to_dict(zio, urls)
    errors: list[InvalidParam] = []
    # zrc-004: the relation itself (zaak, informatieobject) is fixed.
    if data.zaak is not None and data.zaak != before["zaak"]:
        errors.append(InvalidParam("zaak", "wijzigen-niet-toegelaten", "De zaak mag niet gewijzigd worden."))
    if data.informatieobject is not None and data.informatieobject != zio.informatieobject:
        errors.append(
            InvalidParam(
                "informatieobject",
                "wijzigen-niet-toegelaten",
                "Het informatieobject mag niet gewijzigd worden.",
            )
        )
    fields = data.model_fields_set
    status_uuid = (
        await _status_of(session, urls, zaak, data.status, errors) if "status" in fields else zio.status_uuid
    )
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    if isinstance(data, ZaakInformatieObjectIn):
        zio.titel, zio.beschrijving, zio.vernietigingsdatum = (
            data.titel,
            data.beschrijving,
            data.vernietigingsdatum,
        )
    else:
        if data.titel is not None:
            zio.titel = data.titel
        if data.beschrijving is not None:
            zio.beschrijving = data.beschrijving
        if "vernietigingsdatum" in fields:
            zio.vernietigingsdatum = data.vernietigingsdatum
    zio.status_uuid = status_uuid
    await session.flush()
    after = zio_to_dict(zio, urls)
    actie = "partial_update" if isinstance(data, ZaakInformatieObjectPatch) else "update"
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="zaakinformatieobject",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return zio


# --- zaakeigenschappen (nested under the zaak) ---------------------------------------------


async def zaakeigenschap_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak_pk: uuid.UUID, data: ZaakEigenschapIn
) -> ZaakEigenschap:
    zaak = await access.get_zaak(session, zaak_pk)
    access.check(auth, urls, zaak, *WRITE)
    errors: list[InvalidParam] = []
    eigenschap = None
    try:
        eigenschap = await Types(session, urls).eigenschap(data.eigenschap)
        if eigenschap.zaaktype != zaaktype_of(urls, zaak):
            errors.append(mismatch("eigenschap"))
        else:
            errors.extend(waarde_problems(eigenschap.specificatie, data.waarde))
    except RefError as exc:
        errors.append(InvalidParam("eigenschap", exc.code, exc.reason))
    if errors:
        raise ValidationProblem(errors)
    assert eigenschap is not None
    access.check_open_or_forced(auth, urls, zaak)
    ze = ZaakEigenschap(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, naam=eigenschap.naam, waarde=data.waarde)
    ze.eigenschap_uuid, ze.eigenschap_url = split_ref(urls, eigenschap.url, "eigenschappen")
    await _created(session, auth, urls, zaak, ze, "zaakeigenschap", lambda: zaakeigenschap_to_dict(ze, urls))
    return ze


async def get_zaakeigenschap(
    session: AsyncSession, zaak_pk: uuid.UUID, pk: uuid.UUID
) -> tuple[ZaakEigenschap, Zaak]:
    ze, zaak = await get_with_zaak(session, ZaakEigenschap, pk, "Zaakeigenschap")
    if zaak.uuid != zaak_pk:
        raise NotFound("Zaakeigenschap niet gevonden.")
    return ze, zaak


async def zaakeigenschap_update(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    zaak_pk: uuid.UUID,
    pk: uuid.UUID,
    data: ZaakEigenschapIn | ZaakEigenschapPatch,
) -> ZaakEigenschap:
    ze, zaak = await get_zaakeigenschap(session, zaak_pk, pk)
    access.check(auth, urls, zaak, *WRITE)
    before = zaakeigenschap_to_dict(ze, urls)
    errors: list[InvalidParam] = []
    if data.eigenschap is not None and data.eigenschap != before["eigenschap"]:
        errors.append(
            InvalidParam("eigenschap", "wijzigen-niet-toegelaten", "De eigenschap mag niet gewijzigd worden.")
        )
    elif data.waarde is not None and data.waarde != ze.waarde:
        try:
            eigenschap = await Types(session, urls).eigenschap(before["eigenschap"])
            errors.extend(waarde_problems(eigenschap.specificatie, data.waarde))
        except RefError:
            pass  # the eigenschap is gone or unreachable: the stored relation stays valid
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    if data.waarde is not None:
        ze.waarde = data.waarde
    await session.flush()
    after = zaakeigenschap_to_dict(ze, urls)
    actie = "partial_update" if isinstance(data, ZaakEigenschapPatch) else "update"
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="zaakeigenschap",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return ze


# --- simple relations -------------------------------------------------------------------


async def klantcontact_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: KlantContactIn
) -> KlantContact:
    zaak = await zaak_for_write(session, auth, urls, data.zaak)
    access.check_open_or_forced(auth, urls, zaak)
    kc = KlantContact(
        uuid=uuid.uuid4(),
        zaak_uuid=zaak.uuid,
        identificatie=data.identificatie or uuid.uuid4().hex[:14],
        datumtijd=data.datumtijd,
        kanaal=data.kanaal,
        onderwerp=data.onderwerp,
        toelichting=data.toelichting,
    )
    await _created(session, auth, urls, zaak, kc, "klantcontact", lambda: klantcontact_to_dict(kc, urls))
    return kc


async def zaakcontactmoment_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakContactMomentIn
) -> ZaakContactMoment:
    zaak = await zaak_for_write(session, auth, urls, data.zaak, (access.BIJWERKEN,))
    access.check_open_or_forced(auth, urls, zaak)
    zc = ZaakContactMoment(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, contactmoment=data.contactmoment)
    await _created(
        session, auth, urls, zaak, zc, "zaakcontactmoment", lambda: zaakcontactmoment_to_dict(zc, urls)
    )
    return zc


async def zaakverzoek_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakVerzoekIn
) -> ZaakVerzoek:
    zaak = await zaak_for_write(session, auth, urls, data.zaak, (access.BIJWERKEN,))
    access.check_open_or_forced(auth, urls, zaak)
    zv = ZaakVerzoek(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, verzoek=data.verzoek)
    await _created(session, auth, urls, zaak, zv, "zaakverzoek", lambda: zaakverzoek_to_dict(zv, urls))
    return zv


async def zaakbesluit_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, zaak_pk: uuid.UUID, data: ZaakBesluitIn
) -> ZaakBesluit:
    zaak = await access.get_zaak(session, zaak_pk)
    access.check(auth, urls, zaak, access.BIJWERKEN)
    access.check_open_or_forced(auth, urls, zaak)
    zb = ZaakBesluit(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, besluit=data.besluit)
    await _created(session, auth, urls, zaak, zb, "zaakbesluit", lambda: zaakbesluit_to_dict(zb, urls))
    return zb


async def zaaknotitie_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakNotitieIn
) -> ZaakNotitie:
    zaak, error = await access.zaak_of_url(session, urls, data.gerelateerdAan, "gerelateerdAan")
    if error is not None or zaak is None:
        raise ValidationProblem(
            [error or InvalidParam("gerelateerdAan", "does_not_exist", "Zaak bestaat niet.")]
        )
    access.check(auth, urls, zaak, access.BIJWERKEN)
    now = utcnow()
    zn = ZaakNotitie(
        uuid=uuid.uuid4(),
        zaak_uuid=zaak.uuid,
        onderwerp=data.onderwerp,
        tekst=data.tekst,
        aangemaakt_door=data.aangemaaktDoor,
        notitie_type=data.notitieType,
        status=data.status,
        aanmaakdatum=now,
        wijzigingsdatum=now,
    )
    await _created(session, auth, urls, zaak, zn, "zaaknotitie", lambda: zaaknotitie_to_dict(zn, urls))
    return zn


async def zaaknotitie_update(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, data: ZaakNotitieIn | ZaakNotitiePatch
) -> ZaakNotitie:
    zn, zaak = await get_with_zaak(session, ZaakNotitie, pk, "Zaaknotitie")
    access.check(auth, urls, zaak, access.BIJWERKEN)
    before = zaaknotitie_to_dict(zn, urls)
    if data.gerelateerdAan is not None and data.gerelateerdAan != before["gerelateerdAan"]:
        raise ValidationProblem(
            [InvalidParam("gerelateerdAan", "wijzigen-niet-toegelaten", "De zaak mag niet gewijzigd worden.")]
        )
    for field, column in (
        ("onderwerp", "onderwerp"),
        ("tekst", "tekst"),
        ("aangemaaktDoor", "aangemaakt_door"),
        ("notitieType", "notitie_type"),
        ("status", "status"),
    ):
        value = getattr(data, field)
        if value is not None:
            setattr(zn, column, value)
    zn.wijzigingsdatum = utcnow()
    await session.flush()
    after = zaaknotitie_to_dict(zn, urls)
    actie = "partial_update" if isinstance(data, ZaakNotitiePatch) else "update"
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="zaaknotitie",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return zn
