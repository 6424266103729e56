"""Creating, changing, publishing and deleting Catalogi resources.

Each write validates fully first (every ``InvalidParam`` collected, then one
``ValidationProblem``), then changes rows, records the audit row and notification with
``record_change`` and commits once. PATCH bodies are merged over the stored values and
validated as a whole, so PUT and PATCH share one path.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import rules
from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.catalogi.schemas import (
    BesluitTypeIn,
    CatalogusIn,
    EigenschapIn,
    InformatieObjectTypeIn,
    ResultaatTypeIn,
    RolTypeIn,
    StatusTypeIn,
    ZaakObjectTypeIn,
    ZaakTypeIn,
    ZaakTypeInformatieObjectTypeIn,
)
from samenzaak.catalogi.views import View, iso, render, today
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem, invalid_params_from_errors
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import rsin_problem

BRON = "ZTC"
API = "catalogi"
M = TypeVar("M", bound=BaseModel)
Row = TypeVar("Row")

KANAAL = {ZaakType: "zaaktypen", InformatieObjectType: "informatieobjecttypen", BesluitType: "besluittypen"}
RESOURCE = {
    Catalogus: ("catalogussen", "catalogus"),
    ZaakType: ("zaaktypen", "zaaktype"),
    InformatieObjectType: ("informatieobjecttypen", "informatieobjecttype"),
    BesluitType: ("besluittypen", "besluittype"),
    StatusType: ("statustypen", "statustype"),
    RolType: ("roltypen", "roltype"),
    ResultaatType: ("resultaattypen", "resultaattype"),
    Eigenschap: ("eigenschappen", "eigenschap"),
    ZaakTypeInformatieObjectType: ("zaaktype-informatieobjecttypen", "zaaktypeinformatieobjecttype"),
    ZaakObjectType: ("zaakobjecttypen", "zaakobjecttype"),
}


def validate(schema: type[M], data: dict[str, Any]) -> M:
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(invalid_params_from_errors(exc.errors())) from None


def merged(schema: type[M], current: dict[str, Any], patch: dict[str, Any]) -> M:
    return validate(schema, current | patch)


async def get_or_404(session: AsyncSession, model: type[Row], pk: uuid.UUID) -> Row:
    obj = await session.get(model, pk)
    if obj is None:
        raise NotFound(f"{model.__name__} niet gevonden.")
    return obj


def _raise(errors: list[InvalidParam]) -> None:
    if errors:
        raise ValidationProblem(errors)


async def _record(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    obj: Any,
    actie: str,
    oud: dict[str, Any] | None,
    nieuw: dict[str, Any] | None,
) -> None:
    resource_path, resource = RESOURCE[type(obj)]
    url = urls.detail(API, resource_path, obj.uuid)
    kanaal = KANAAL.get(type(obj))
    body = nieuw or oud or {}
    hoofd_object = url
    if kanaal is None and "zaaktype" in body:
        hoofd_object = body["zaaktype"]
    kenmerken = {"catalogus": body["catalogus"]} if kanaal and "catalogus" in body else None
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=kanaal,
        actie=actie,
        resource=resource,
        resource_url=url,
        hoofd_object=hoofd_object,
        oud=oud,
        nieuw=nieuw,
        kenmerken=kenmerken,
        resource_weergave=str(body.get("omschrijving") or body.get("naam") or body.get("domein") or "")[:200],
    )


async def _finish(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, obj: Any, actie: str, before: dict[str, Any] | None
) -> None:
    await session.flush()
    after = await render(View(session, urls, today()), obj)
    await _record(session, auth, urls, obj, actie, before, after)
    await session.commit()


async def _snapshot(session: AsyncSession, urls: UrlBuilder, obj: Any) -> dict[str, Any]:
    return await render(View(session, urls, today()), obj)


async def _destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, obj: Any) -> None:
    before = await _snapshot(session, urls, obj)
    model = type(obj)
    await session.execute(delete(model).where(model.uuid == obj.uuid))
    await _record(session, auth, urls, obj, "destroy", before, None)
    await session.commit()


def _geldigheid(errors: list[InvalidParam], begin: date | None, einde: date | None) -> None:
    if begin is not None and einde is not None and einde < begin:
        errors.append(
            InvalidParam(
                "eindeGeldigheid", "date-mismatch", "eindeGeldigheid mag niet vóór beginGeldigheid liggen."
            )
        )


# -- catalogussen ------------------------------------------------------------------------


def catalogus_input(c: Catalogus) -> dict[str, Any]:
    return {
        "domein": c.domein,
        "rsin": c.rsin,
        "contactpersoonBeheerNaam": c.contactpersoon_beheer_naam,
        "contactpersoonBeheerTelefoonnummer": c.contactpersoon_beheer_telefoonnummer,
        "contactpersoonBeheerEmailadres": c.contactpersoon_beheer_emailadres,
        "naam": c.naam,
        "versie": c.versie,
        "begindatumVersie": iso(c.begindatum_versie),
    }


async def save_catalogus(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    data: CatalogusIn,
    pk: uuid.UUID | None = None,
    actie: str = "create",
) -> Catalogus:
    errors: list[InvalidParam] = []
    problem = rsin_problem(data.rsin)
    if problem:
        errors.append(InvalidParam("rsin", *problem))
    stmt = select(Catalogus.uuid).where(Catalogus.domein == data.domein, Catalogus.rsin == data.rsin)
    if pk is not None:
        stmt = stmt.where(Catalogus.uuid != pk)
    if await session.scalar(stmt.limit(1)) is not None:
        errors.append(
            InvalidParam(rules.NON_FIELD, "unique", "Er bestaat al een catalogus met dit domein en rsin.")
        )
    _raise(errors)
    obj = Catalogus(uuid=uuid.uuid4()) if pk is None else await get_or_404(session, Catalogus, pk)
    before = None if pk is None else await _snapshot(session, urls, obj)
    obj.domein = data.domein
    obj.rsin = data.rsin
    obj.contactpersoon_beheer_naam = data.contactpersoonBeheerNaam
    obj.contactpersoon_beheer_telefoonnummer = data.contactpersoonBeheerTelefoonnummer
    obj.contactpersoon_beheer_emailadres = data.contactpersoonBeheerEmailadres
    obj.naam = data.naam
    obj.versie = data.versie
    obj.begindatum_versie = data.begindatumVersie
    if pk is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, actie, before)
    return obj


async def catalogus_from_url(
    session: AsyncSession, urls: UrlBuilder, url: str, errors: list[InvalidParam]
) -> Catalogus | None:
    pk = urls.local_uuid(url, API, "catalogussen")
    found = await session.get(Catalogus, pk) if pk is not None else None
    if found is None:
        errors.append(InvalidParam("catalogus", "does_not_exist", "De catalogus bestaat niet."))
    return found


# -- zaaktypen ---------------------------------------------------------------------------


def zaaktype_input(z: ZaakType, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "identificatie": z.identificatie,
        "omschrijving": z.omschrijving,
        "omschrijvingGeneriek": z.omschrijving_generiek,
        "vertrouwelijkheidaanduiding": z.vertrouwelijkheidaanduiding,
        "doel": z.doel,
        "aanleiding": z.aanleiding,
        "toelichting": z.toelichting,
        "indicatieInternOfExtern": z.indicatie_intern_of_extern,
        "handelingInitiator": z.handeling_initiator,
        "onderwerp": z.onderwerp,
        "handelingBehandelaar": z.handeling_behandelaar,
        "doorlooptijd": z.doorlooptijd,
        "servicenorm": z.servicenorm,
        "opschortingEnAanhoudingMogelijk": z.opschorting_en_aanhouding_mogelijk,
        "verlengingMogelijk": z.verlenging_mogelijk,
        "verlengingstermijn": z.verlengingstermijn,
        "trefwoorden": list(z.trefwoorden or []),
        "publicatieIndicatie": z.publicatie_indicatie,
        "publicatietekst": z.publicatietekst,
        "verantwoordingsrelatie": list(z.verantwoordingsrelatie or []),
        "productenOfDiensten": list(z.producten_of_diensten or []),
        "selectielijstProcestype": z.selectielijst_procestype,
        "referentieproces": {"naam": z.referentieproces_naam, "link": z.referentieproces_link},
        "verantwoordelijke": z.verantwoordelijke,
        "broncatalogus": {
            "url": z.broncatalogus_url,
            "domein": z.broncatalogus_domein,
            "rsin": z.broncatalogus_rsin,
        }
        if z.broncatalogus_url
        else None,
        "bronzaaktype": {
            "url": z.bronzaaktype_url,
            "identificatie": z.bronzaaktype_identificatie,
            "omschrijving": z.bronzaaktype_omschrijving,
        }
        if z.bronzaaktype_url
        else None,
        "catalogus": urls.detail(API, "catalogussen", z.catalogus_uuid),
        "besluittypen": list(z.besluittypen or []),
        "deelzaaktypen": list(z.deelzaaktypen or []),
        "gerelateerdeZaaktypen": [dict(r) for r in z.gerelateerde_zaaktypen or []],
        "beginGeldigheid": iso(z.begin_geldigheid),
        "eindeGeldigheid": iso(z.einde_geldigheid),
        "beginObject": iso(z.begin_object),
        "eindeObject": iso(z.einde_object),
        "versiedatum": iso(z.versiedatum),
    }


async def _zaaktype_checks(
    session: AsyncSession, urls: UrlBuilder, data: ZaakTypeIn
) -> tuple[list[InvalidParam], Catalogus | None, rules.Names, list[str], list[dict[str, Any]]]:
    errors: list[InvalidParam] = []
    catalogus = await catalogus_from_url(session, urls, data.catalogus, errors)
    cat = catalogus.uuid if catalogus else None
    errors += await rules.check_selectielijst_procestype(urls, data.selectielijstProcestype)  # ztc-001
    if data.verlengingMogelijk and not data.verlengingstermijn:
        errors.append(
            InvalidParam(
                "verlengingstermijn",
                "required",
                "verlengingstermijn is verplicht als verlengingMogelijk waar is.",
            )
        )
    _geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
    besluittypen = await rules.resolve_names(
        session,
        urls,
        cat,
        data.besluittypen,
        model=BesluitType,
        resource="besluittypen",
        key="omschrijving",
        field_name="besluittypen",
    )
    errors += besluittypen.errors + rules.linked_published(besluittypen, "besluittype")  # ztc-013, ztc-011
    deel = await rules.resolve_names(
        session,
        urls,
        cat,
        data.deelzaaktypen,
        model=ZaakType,
        resource="zaaktypen",
        key="identificatie",
        field_name="deelzaaktypen",
        must_exist=False,
    )
    errors += deel.errors
    relaties: list[dict[str, Any]] = []
    for i, relatie in enumerate(data.gerelateerdeZaaktypen):
        found = await rules.resolve_names(
            session,
            urls,
            cat,
            [relatie.zaaktype],
            model=ZaakType,
            resource="zaaktypen",
            key="identificatie",
            field_name=f"gerelateerdeZaaktypen.{i}.zaaktype",
            must_exist=False,
        )
        errors += found.errors
        if found.names:
            relaties.append(
                {
                    "zaaktype": found.names[0],
                    "aardRelatie": relatie.aardRelatie,
                    "toelichting": relatie.toelichting,
                }
            )
    return errors, catalogus, besluittypen, deel.names, relaties


def _apply_zaaktype(
    z: ZaakType,
    data: ZaakTypeIn,
    catalogus: Catalogus,
    besluittypen: list[str],
    deel: list[str],
    relaties: list[dict[str, Any]],
) -> None:
    z.catalogus_uuid = catalogus.uuid
    z.identificatie = data.identificatie
    z.omschrijving = data.omschrijving
    z.omschrijving_generiek = data.omschrijvingGeneriek
    z.vertrouwelijkheidaanduiding = data.vertrouwelijkheidaanduiding
    z.doel = data.doel
    z.aanleiding = data.aanleiding
    z.toelichting = data.toelichting
    z.indicatie_intern_of_extern = data.indicatieInternOfExtern
    z.handeling_initiator = data.handelingInitiator
    z.onderwerp = data.onderwerp
    z.handeling_behandelaar = data.handelingBehandelaar
    z.doorlooptijd = data.doorlooptijd
    z.servicenorm = data.servicenorm
    z.opschorting_en_aanhouding_mogelijk = data.opschortingEnAanhoudingMogelijk
    z.verlenging_mogelijk = data.verlengingMogelijk
    z.verlengingstermijn = data.verlengingstermijn
    z.trefwoorden = list(data.trefwoorden)
    z.publicatie_indicatie = data.publicatieIndicatie
    z.publicatietekst = data.publicatietekst
    z.verantwoordingsrelatie = list(data.verantwoordingsrelatie)
    z.producten_of_diensten = list(data.productenOfDiensten)
    z.selectielijst_procestype = data.selectielijstProcestype
    z.referentieproces_naam = data.referentieproces.naam
    z.referentieproces_link = data.referentieproces.link
    z.verantwoordelijke = data.verantwoordelijke
    z.broncatalogus_url = data.broncatalogus.url if data.broncatalogus else ""
    z.broncatalogus_domein = data.broncatalogus.domein if data.broncatalogus else ""
    z.broncatalogus_rsin = data.broncatalogus.rsin if data.broncatalogus else ""
    z.bronzaaktype_url = data.bronzaaktype.url if data.bronzaaktype else ""
    z.bronzaaktype_identificatie = data.bronzaaktype.identificatie if data.bronzaaktype else ""
    z.bronzaaktype_omschrijving = data.bronzaaktype.omschrijving if data.bronzaaktype else ""
    z.besluittypen = besluittypen
    z.deelzaaktypen = deel
    z.gerelateerde_zaaktypen = relaties
    z.begin_geldigheid = data.beginGeldigheid
    z.einde_geldigheid = data.eindeGeldigheid
    z.begin_object = data.beginObject
    z.einde_object = data.eindeObject
    z.versiedatum = data.versiedatum or data.beginGeldigheid


async def create_zaaktype(session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakTypeIn) -> ZaakType:
    errors, catalogus, besluittypen, deel, relaties = await _zaaktype_checks(session, urls, data)
    _raise(errors)
    assert catalogus is not None
    z = ZaakType(uuid=uuid.uuid4(), concept=True)
    _apply_zaaktype(z, data, catalogus, besluittypen.names, deel, relaties)
    session.add(z)
    await _finish(session, auth, urls, z, "create", None)
    return z


async def _check_top_update(
    session: AsyncSession,
    auth: Auth,
    obj: ZaakType | InformatieObjectType | BesluitType,
    kind: str,
    patch_keys: set[str] | None,
) -> bool:
    """ztc-009/010: whether the update may go ahead as a full one (False: only eindeGeldigheid)."""
    rules.check_update_published(auth, obj, kind, patch_keys)
    if rules.only_einde_geldigheid(patch_keys) or rules.forced_write(auth):
        return not rules.only_einde_geldigheid(patch_keys)
    if obj.concept and await rules.has_published_relation(session, obj, delete=False):
        raise ValidationProblem(
            [
                rules.non_concept_relation(
                    f"Het {kind} is gerelateerd aan een gepubliceerd type en kan niet worden gewijzigd."
                )
            ]
        )
    return True


async def update_zaaktype(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, body: dict[str, Any], partial: bool
) -> ZaakType:
    z = await get_or_404(session, ZaakType, pk)
    patch_keys = set(body) if partial else None
    data = merged(ZaakTypeIn, zaaktype_input(z, urls), body) if partial else validate(ZaakTypeIn, body)
    full = await _check_top_update(session, auth, z, "zaaktype", patch_keys)
    before = await _snapshot(session, urls, z)
    if not full:
        errors: list[InvalidParam] = []
        _geldigheid(errors, z.begin_geldigheid, data.eindeGeldigheid)
        _raise(errors)
        z.einde_geldigheid = data.eindeGeldigheid
    else:
        errors, catalogus, besluittypen, deel, relaties = await _zaaktype_checks(session, urls, data)
        _raise(errors)
        assert catalogus is not None
        _apply_zaaktype(z, data, catalogus, besluittypen.names, deel, relaties)
    await _finish(session, auth, urls, z, "partial_update" if partial else "update", before)
    return z


async def delete_type(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, model: type[Any], pk: uuid.UUID
) -> None:
    """DELETE of a zaaktype, informatieobjecttype or besluittype (ztc-009, ztc-010)."""
    obj = await get_or_404(session, model, pk)
    kind = RESOURCE[model][1]
    rules.check_delete_published(auth, obj, kind)
    if (
        obj.concept
        and not rules.forced_delete(auth)
        and await rules.has_published_relation(session, obj, delete=True)
    ):
        raise ValidationProblem(
            [
                rules.non_concept_relation(
                    f"Het {kind} is gerelateerd aan een gepubliceerd type en kan niet worden verwijderd."
                )
            ]
        )
    await _destroy(session, auth, urls, obj)


async def publish(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, model: type[Any], pk: uuid.UUID
) -> Any:
    """Make a concept version definitive (ztc-012 for zaaktypen, ztc-016 for all three)."""
    obj = await get_or_404(session, model, pk)
    if not obj.concept:
        return obj
    errors: list[InvalidParam] = []
    if isinstance(obj, ZaakType):
        errors += await rules.check_publish_zaaktype(session, obj)
        errors += await rules.close_and_check_versions(session, obj, "identificatie")
    else:
        errors += await rules.close_and_check_versions(session, obj, "omschrijving")
    if errors:
        # close_and_check_versions may have closed a previous version: undo that with the refusal.
        await session.rollback()
        raise ValidationProblem(errors)
    before = await _snapshot(session, urls, obj)
    obj.concept = False
    await _finish(session, auth, urls, obj, "publish", before)
    return obj


# -- informatieobjecttypen ---------------------------------------------------------------


def iot_input(i: InformatieObjectType, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "catalogus": urls.detail(API, "catalogussen", i.catalogus_uuid),
        "omschrijving": i.omschrijving,
        "vertrouwelijkheidaanduiding": i.vertrouwelijkheidaanduiding,
        "informatieobjectcategorie": i.informatieobjectcategorie,
        "trefwoord": list(i.trefwoord or []),
        "omschrijvingGeneriek": dict(i.omschrijving_generiek) if i.omschrijving_generiek else None,
        "beginGeldigheid": iso(i.begin_geldigheid),
        "eindeGeldigheid": iso(i.einde_geldigheid),
        "beginObject": iso(i.begin_object),
        "eindeObject": iso(i.einde_object),
    }


async def save_iot(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> InformatieObjectType:
    existing = await get_or_404(session, InformatieObjectType, pk) if pk is not None else None
    data = (
        merged(InformatieObjectTypeIn, iot_input(existing, urls), body)
        if existing is not None and partial
        else validate(InformatieObjectTypeIn, body)
    )
    full = True
    if existing is not None:
        full = await _check_top_update(
            session, auth, existing, "informatieobjecttype", set(body) if partial else None
        )
    errors: list[InvalidParam] = []
    catalogus = await catalogus_from_url(session, urls, data.catalogus, errors)
    _geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
    _raise(errors)
    assert catalogus is not None
    obj = existing or InformatieObjectType(uuid=uuid.uuid4(), concept=True)
    before = await _snapshot(session, urls, existing) if existing is not None else None
    if full:
        obj.catalogus_uuid = catalogus.uuid
        obj.omschrijving = data.omschrijving
        obj.vertrouwelijkheidaanduiding = data.vertrouwelijkheidaanduiding
        obj.informatieobjectcategorie = data.informatieobjectcategorie
        obj.trefwoord = list(data.trefwoord)
        obj.omschrijving_generiek = (
            data.omschrijvingGeneriek.model_dump() if data.omschrijvingGeneriek else {}
        )
        obj.begin_geldigheid = data.beginGeldigheid
        obj.begin_object = data.beginObject
        obj.einde_object = data.eindeObject
    obj.einde_geldigheid = data.eindeGeldigheid
    if existing is None:
        session.add(obj)
    await _finish(
        session,
        auth,
        urls,
        obj,
        "create" if existing is None else "partial_update" if partial else "update",
        before,
    )
    return obj


# -- besluittypen ------------------------------------------------------------------------


def besluittype_input(b: BesluitType, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "catalogus": urls.detail(API, "catalogussen", b.catalogus_uuid),
        "omschrijving": b.omschrijving,
        "omschrijvingGeneriek": b.omschrijving_generiek,
        "besluitcategorie": b.besluitcategorie,
        "reactietermijn": b.reactietermijn,
        "publicatieIndicatie": b.publicatie_indicatie,
        "publicatietekst": b.publicatietekst,
        "publicatietermijn": b.publicatietermijn,
        "toelichting": b.toelichting,
        "informatieobjecttypen": list(b.informatieobjecttypen or []),
        "beginGeldigheid": iso(b.begin_geldigheid),
        "eindeGeldigheid": iso(b.einde_geldigheid),
        "beginObject": iso(b.begin_object),
        "eindeObject": iso(b.einde_object),
    }


async def save_besluittype(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> BesluitType:
    existing = await get_or_404(session, BesluitType, pk) if pk is not None else None
    data = (
        merged(BesluitTypeIn, besluittype_input(existing, urls), body)
        if existing is not None and partial
        else validate(BesluitTypeIn, body)
    )
    full = True
    if existing is not None:
        full = await _check_top_update(session, auth, existing, "besluittype", set(body) if partial else None)
    errors: list[InvalidParam] = []
    catalogus = await catalogus_from_url(session, urls, data.catalogus, errors)
    _geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
    iots = await rules.resolve_names(
        session,
        urls,
        catalogus.uuid if catalogus else None,
        data.informatieobjecttypen,
        model=InformatieObjectType,
        resource="informatieobjecttypen",
        key="omschrijving",
        field_name="informatieobjecttypen",
    )
    errors += iots.errors + rules.linked_published(iots, "informatieobjecttype")  # ztc-013, ztc-011
    _raise(errors)
    assert catalogus is not None
    obj = existing or BesluitType(uuid=uuid.uuid4(), concept=True)
    before = await _snapshot(session, urls, existing) if existing is not None else None
    if full:
        obj.catalogus_uuid = catalogus.uuid
        obj.omschrijving = data.omschrijving
        obj.omschrijving_generiek = data.omschrijvingGeneriek
        obj.besluitcategorie = data.besluitcategorie
        obj.reactietermijn = data.reactietermijn
        obj.publicatie_indicatie = data.publicatieIndicatie
        obj.publicatietekst = data.publicatietekst
        obj.publicatietermijn = data.publicatietermijn
        obj.toelichting = data.toelichting
        obj.informatieobjecttypen = iots.names
        obj.begin_geldigheid = data.beginGeldigheid
        obj.begin_object = data.beginObject
        obj.einde_object = data.eindeObject
    obj.einde_geldigheid = data.eindeGeldigheid
    if existing is None:
        session.add(obj)
    await _finish(
        session,
        auth,
        urls,
        obj,
        "create" if existing is None else "partial_update" if partial else "update",
        before,
    )
    return obj


# -- children of a zaaktype --------------------------------------------------------------


async def zaaktype_from_field(
    session: AsyncSession,
    urls: UrlBuilder,
    url: str,
    errors: list[InvalidParam],
    field_name: str = "zaaktype",
) -> ZaakType | None:
    pk = urls.local_uuid(url, API, "zaaktypen")
    found = await session.get(ZaakType, pk) if pk is not None else None
    if found is None:
        errors.append(InvalidParam(field_name, "does_not_exist", "Het zaaktype bestaat niet."))
    return found


async def _child_of(
    session: AsyncSession,
    urls: UrlBuilder,
    auth: Auth,
    url: str,
    existing: Any | None,
    errors: list[InvalidParam],
) -> ZaakType | None:
    """The (new) zaaktype of a child, with ztc-010 applied to the old and the new one."""
    if existing is not None:
        old = await session.get(ZaakType, existing.zaaktype_uuid)
        if old is not None:
            await rules.check_child_of_zaaktype(auth, old)
    zaaktype = await zaaktype_from_field(session, urls, url, errors)
    if zaaktype is not None:
        await rules.check_child_of_zaaktype(auth, zaaktype)
    return zaaktype


def _child_geldigheid(obj: Any, data: Any) -> None:
    obj.begin_geldigheid = data.beginGeldigheid
    obj.einde_geldigheid = data.eindeGeldigheid
    obj.begin_object = data.beginObject
    obj.einde_object = data.eindeObject


def _child_geldigheid_input(obj: Any) -> dict[str, Any]:
    return {
        "beginGeldigheid": iso(obj.begin_geldigheid),
        "eindeGeldigheid": iso(obj.einde_geldigheid),
        "beginObject": iso(obj.begin_object),
        "eindeObject": iso(obj.einde_object),
    }


async def _load_body(
    session: AsyncSession,
    model: type[Row],
    schema: type[M],
    pk: uuid.UUID | None,
    body: dict[str, Any],
    partial: bool,
    current: Any,
) -> tuple[Row | None, M]:
    existing = await get_or_404(session, model, pk) if pk is not None else None
    if existing is not None and partial:
        return existing, merged(schema, current(existing), body)
    return existing, validate(schema, body)


def _actie(existing: Any, partial: bool) -> str:
    return "create" if existing is None else "partial_update" if partial else "update"


async def save_statustype(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> StatusType:
    existing, data = await _load_body(
        session,
        StatusType,
        StatusTypeIn,
        pk,
        body,
        partial,
        lambda s: {
            "omschrijving": s.omschrijving,
            "omschrijvingGeneriek": s.omschrijving_generiek,
            "statustekst": s.statustekst,
            "zaaktype": urls.detail(API, "zaaktypen", s.zaaktype_uuid),
            "volgnummer": s.volgnummer,
            "informeren": s.informeren,
            "doorlooptijd": s.doorlooptijd,
            "toelichting": s.toelichting,
            "checklistitemStatustype": list(s.checklistitem_statustype or []),
            **_child_geldigheid_input(s),
        },
    )
    errors: list[InvalidParam] = []
    zaaktype = await _child_of(session, urls, auth, data.zaaktype, existing, errors)
    eigenschappen: list[uuid.UUID] = []
    if zaaktype is not None:
        stmt = select(StatusType.uuid).where(
            StatusType.zaaktype_uuid == zaaktype.uuid, StatusType.volgnummer == data.volgnummer
        )
        if existing is not None:
            stmt = stmt.where(StatusType.uuid != existing.uuid)
        if await session.scalar(stmt.limit(1)) is not None:
            errors.append(
                InvalidParam(
                    "volgnummer", "unique", "Het zaaktype heeft al een statustype met dit volgnummer."
                )
            )
        for i, url in enumerate(data.eigenschappen):
            eigenschap_pk = urls.local_uuid(url, API, "eigenschappen")
            eigenschap = await session.get(Eigenschap, eigenschap_pk) if eigenschap_pk else None
            if eigenschap is None or eigenschap.zaaktype_uuid != zaaktype.uuid:
                errors.append(
                    InvalidParam(
                        f"eigenschappen.{i}", "does_not_exist", "De eigenschap bestaat niet bij dit zaaktype."
                    )
                )
            else:
                eigenschappen.append(eigenschap.uuid)
    _raise(errors)
    assert zaaktype is not None
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or StatusType(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.omschrijving = data.omschrijving
    obj.omschrijving_generiek = data.omschrijvingGeneriek
    obj.statustekst = data.statustekst
    obj.volgnummer = data.volgnummer
    obj.informeren = data.informeren
    obj.doorlooptijd = data.doorlooptijd
    obj.toelichting = data.toelichting
    obj.checklistitem_statustype = [c.model_dump() for c in data.checklistitemStatustype]
    _child_geldigheid(obj, data)
    if existing is None:
        session.add(obj)
        await session.flush()
    if "eigenschappen" in body or existing is None:
        # statustype.eigenschappen is the other side of eigenschap.statustype.
        await session.execute(
            update(Eigenschap).where(Eigenschap.statustype_uuid == obj.uuid).values(statustype_uuid=None)
        )
        if eigenschappen:
            await session.execute(
                update(Eigenschap).where(Eigenschap.uuid.in_(eigenschappen)).values(statustype_uuid=obj.uuid)
            )
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


async def save_roltype(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> RolType:
    existing, data = await _load_body(
        session,
        RolType,
        RolTypeIn,
        pk,
        body,
        partial,
        lambda r: {
            "zaaktype": urls.detail(API, "zaaktypen", r.zaaktype_uuid),
            "omschrijving": r.omschrijving,
            "omschrijvingGeneriek": r.omschrijving_generiek,
            **_child_geldigheid_input(r),
        },
    )
    errors: list[InvalidParam] = []
    zaaktype = await _child_of(session, urls, auth, data.zaaktype, existing, errors)
    _raise(errors)
    assert zaaktype is not None
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or RolType(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.omschrijving = data.omschrijving
    obj.omschrijving_generiek = data.omschrijvingGeneriek
    _child_geldigheid(obj, data)
    if existing is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


def resultaattype_input(r: ResultaatType, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "zaaktype": urls.detail(API, "zaaktypen", r.zaaktype_uuid),
        "omschrijving": r.omschrijving,
        "resultaattypeomschrijving": r.resultaattypeomschrijving,
        "selectielijstklasse": r.selectielijstklasse,
        "toelichting": r.toelichting,
        "archiefnominatie": r.archiefnominatie,
        "archiefactietermijn": r.archiefactietermijn,
        "brondatumArchiefprocedure": {
            "afleidingswijze": r.brondatum_afleidingswijze,
            "datumkenmerk": r.brondatum_datumkenmerk,
            "einddatumBekend": r.brondatum_einddatum_bekend,
            "objecttype": r.brondatum_objecttype,
            "registratie": r.brondatum_registratie,
            "procestermijn": r.brondatum_procestermijn,
        }
        if r.brondatum_afleidingswijze
        else None,
        "procesobjectaard": r.procesobjectaard,
        "indicatieSpecifiek": r.indicatie_specifiek,
        "procestermijn": r.procestermijn,
        "besluittypen": list(r.besluittypen or []),
        "informatieobjecttypen": list(r.informatieobjecttypen or []),
        **_child_geldigheid_input(r),
    }


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


async def save_resultaattype(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> ResultaatType:
    existing, data = await _load_body(
        session, ResultaatType, ResultaatTypeIn, pk, body, partial, lambda r: resultaattype_input(r, urls)
    )
    errors: list[InvalidParam] = []
    zaaktype = await _child_of(session, urls, auth, data.zaaktype, existing, errors)
    # ztc-002: resultaattypeomschrijving and selectielijstklasse point at the Referentielijsten.
    omschrijving = await rules.referentie(
        urls,
        data.resultaattypeomschrijving,
        "resultaattypeomschrijvingen",
        "resultaattypeomschrijving",
        errors,
    )
    klasse = await rules.referentie(
        urls, data.selectielijstklasse, "resultaten", "selectielijstklasse", errors
    )
    if (
        klasse is not None
        and zaaktype is not None
        and zaaktype.selectielijst_procestype
        and not _same_url(str(klasse.get("procesType", "")), zaaktype.selectielijst_procestype)
    ):
        errors.append(
            InvalidParam(
                rules.NON_FIELD,
                "procestype-mismatch",
                "De selectielijstklasse hoort niet bij het selectielijstProcestype van het zaaktype.",
            )
        )
    if klasse is not None:
        errors += rules.check_brondatum(data.brondatumArchiefprocedure, klasse.get("procestermijn") or "")
    else:
        errors += rules.check_brondatum(data.brondatumArchiefprocedure, None)
    cat = zaaktype.catalogus_uuid if zaaktype else None
    besluittypen = await rules.resolve_names(
        session,
        urls,
        cat,
        data.besluittypen,
        model=BesluitType,
        resource="besluittypen",
        key="omschrijving",
        field_name="besluittypen",
    )
    iots = await rules.resolve_names(
        session,
        urls,
        cat,
        data.informatieobjecttypen,
        model=InformatieObjectType,
        resource="informatieobjecttypen",
        key="omschrijving",
        field_name="informatieobjecttypen",
    )
    errors += besluittypen.errors + iots.errors
    _raise(errors)
    assert zaaktype is not None and omschrijving is not None and klasse is not None
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or ResultaatType(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.omschrijving = data.omschrijving
    obj.resultaattypeomschrijving = data.resultaattypeomschrijving
    obj.omschrijving_generiek = str(omschrijving.get("omschrijving", ""))[:20]
    obj.selectielijstklasse = data.selectielijstklasse
    obj.toelichting = data.toelichting
    # Derived from the selectielijstklasse unless given (ztc-002f, ztc-002g).
    obj.archiefnominatie = data.archiefnominatie or str(klasse.get("waardering") or "")
    obj.archiefactietermijn = data.archiefactietermijn or klasse.get("bewaartermijn") or None
    brondatum = data.brondatumArchiefprocedure
    obj.brondatum_afleidingswijze = brondatum.afleidingswijze if brondatum else ""
    obj.brondatum_datumkenmerk = brondatum.datumkenmerk if brondatum else ""
    obj.brondatum_einddatum_bekend = brondatum.einddatumBekend if brondatum else False
    obj.brondatum_objecttype = brondatum.objecttype if brondatum else ""
    obj.brondatum_registratie = brondatum.registratie if brondatum else ""
    obj.brondatum_procestermijn = brondatum.procestermijn if brondatum else None
    obj.procesobjectaard = data.procesobjectaard
    obj.indicatie_specifiek = data.indicatieSpecifiek
    obj.procestermijn = data.procestermijn
    obj.besluittypen = besluittypen.names
    obj.informatieobjecttypen = iots.names
    _child_geldigheid(obj, data)
    if existing is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


def eigenschap_input(e: Eigenschap, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "naam": e.naam,
        "definitie": e.definitie,
        "specificatie": {
            "groep": e.specificatie_groep,
            "formaat": e.specificatie_formaat,
            "lengte": e.specificatie_lengte,
            "kardinaliteit": e.specificatie_kardinaliteit,
            "waardenverzameling": list(e.specificatie_waardenverzameling or []),
        },
        "toelichting": e.toelichting,
        "zaaktype": urls.detail(API, "zaaktypen", e.zaaktype_uuid),
        "statustype": urls.detail(API, "statustypen", e.statustype_uuid) if e.statustype_uuid else None,
        **_child_geldigheid_input(e),
    }


async def save_eigenschap(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> Eigenschap:
    existing, data = await _load_body(
        session, Eigenschap, EigenschapIn, pk, body, partial, lambda e: eigenschap_input(e, urls)
    )
    errors: list[InvalidParam] = []
    zaaktype = await _child_of(session, urls, auth, data.zaaktype, existing, errors)
    spec = data.specificatie
    # ztc-015: dates as YYYYMMDD (lengte 8), date-times as YYYYMMDDhhmmss (lengte 14).
    if spec.formaat == "datum" and spec.lengte != "8":
        errors.append(
            InvalidParam("specificatie.lengte", "invalid", "Een eigenschap met formaat datum heeft lengte 8.")
        )
    if spec.formaat == "datum_tijd" and spec.lengte != "14":
        errors.append(
            InvalidParam(
                "specificatie.lengte", "invalid", "Een eigenschap met formaat datum_tijd heeft lengte 14."
            )
        )
    statustype_pk: uuid.UUID | None = None
    if data.statustype:
        pk_s = urls.local_uuid(data.statustype, API, "statustypen")
        statustype = await session.get(StatusType, pk_s) if pk_s else None
        if statustype is None or (zaaktype is not None and statustype.zaaktype_uuid != zaaktype.uuid):
            errors.append(
                InvalidParam("statustype", "does_not_exist", "Het statustype bestaat niet bij dit zaaktype.")
            )
        else:
            statustype_pk = statustype.uuid
    _raise(errors)
    assert zaaktype is not None
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or Eigenschap(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.naam = data.naam
    obj.definitie = data.definitie
    obj.specificatie_groep = spec.groep
    obj.specificatie_formaat = spec.formaat
    obj.specificatie_lengte = spec.lengte
    obj.specificatie_kardinaliteit = spec.kardinaliteit
    obj.specificatie_waardenverzameling = list(spec.waardenverzameling)
    obj.toelichting = data.toelichting
    obj.statustype_uuid = statustype_pk
    _child_geldigheid(obj, data)
    if existing is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


async def _ziot_both_published(session: AsyncSession, zaaktype: ZaakType, omschrijving: str) -> bool:
    if zaaktype.concept:
        return False
    return await rules.published_exists(
        session, InformatieObjectType, zaaktype.catalogus_uuid, "omschrijving", [omschrijving]
    )


async def save_ziot(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> ZaakTypeInformatieObjectType:
    existing, data = await _load_body(
        session,
        ZaakTypeInformatieObjectType,
        ZaakTypeInformatieObjectTypeIn,
        pk,
        body,
        partial,
        lambda i: {
            "zaaktype": urls.detail(API, "zaaktypen", i.zaaktype_uuid),
            "informatieobjecttype": i.informatieobjecttype_omschrijving,
            "volgnummer": i.volgnummer,
            "richting": i.richting,
            "statustype": urls.detail(API, "statustypen", i.statustype_uuid) if i.statustype_uuid else None,
        },
    )
    forced = rules.forced_write(auth)
    errors: list[InvalidParam] = []
    refusal = rules.non_concept_relation(
        "Een relatie tussen een gepubliceerd zaaktype en een gepubliceerd informatieobjecttype "
        "kan niet worden gewijzigd."
    )
    if existing is not None and not forced:
        old = await session.get(ZaakType, existing.zaaktype_uuid)
        if old is not None and await _ziot_both_published(
            session, old, existing.informatieobjecttype_omschrijving
        ):
            raise ValidationProblem([refusal])
    zaaktype = await zaaktype_from_field(session, urls, data.zaaktype, errors)
    cat = zaaktype.catalogus_uuid if zaaktype else None
    iot = await rules.resolve_names(
        session,
        urls,
        cat,
        [data.informatieobjecttype],
        model=InformatieObjectType,
        resource="informatieobjecttypen",
        key="omschrijving",
        field_name="informatieobjecttype",
    )
    errors += iot.errors
    statustype_pk: uuid.UUID | None = None
    if data.statustype:
        pk_s = urls.local_uuid(data.statustype, API, "statustypen")
        statustype = await session.get(StatusType, pk_s) if pk_s else None
        if statustype is None or (zaaktype is not None and statustype.zaaktype_uuid != zaaktype.uuid):
            errors.append(
                InvalidParam("statustype", "does_not_exist", "Het statustype bestaat niet bij dit zaaktype.")
            )
        else:
            statustype_pk = statustype.uuid
    _raise(errors)
    assert zaaktype is not None and iot.names
    if not forced and not zaaktype.concept:
        # By URL: that version; by name: any published version (ztc-010/011 of the suite).
        published = (
            any(not r.concept for r in iot.rows)
            if iot.rows
            else await _ziot_both_published(session, zaaktype, iot.names[0])
        )
        if published:
            raise ValidationProblem([refusal])
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or ZaakTypeInformatieObjectType(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.informatieobjecttype_omschrijving = iot.names[0]
    obj.volgnummer = data.volgnummer
    obj.richting = data.richting
    obj.statustype_uuid = statustype_pk
    if existing is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


async def save_zaakobjecttype(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> ZaakObjectType:
    existing, data = await _load_body(
        session,
        ZaakObjectType,
        ZaakObjectTypeIn,
        pk,
        body,
        partial,
        lambda z: {
            "anderObjecttype": z.ander_objecttype,
            "objecttype": z.objecttype,
            "relatieOmschrijving": z.relatie_omschrijving,
            "zaaktype": urls.detail(API, "zaaktypen", z.zaaktype_uuid),
            **_child_geldigheid_input(z),
        },
    )
    errors: list[InvalidParam] = []
    zaaktype = await _child_of(session, urls, auth, data.zaaktype, existing, errors)
    _geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
    _raise(errors)
    assert zaaktype is not None
    before = await _snapshot(session, urls, existing) if existing is not None else None
    obj = existing or ZaakObjectType(uuid=uuid.uuid4())
    obj.zaaktype_uuid = zaaktype.uuid
    obj.ander_objecttype = data.anderObjecttype
    obj.objecttype = data.objecttype
    obj.relatie_omschrijving = data.relatieOmschrijving
    _child_geldigheid(obj, data)
    if existing is None:
        session.add(obj)
    await _finish(session, auth, urls, obj, _actie(existing, partial), before)
    return obj


async def delete_child(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, model: type[Any], pk: uuid.UUID
) -> None:
    """DELETE of a statustype, roltype, resultaattype, eigenschap, zaakobjecttype (ztc-010) or
    zaaktype-informatieobjecttype (refused when both its ends are published)."""
    obj = await get_or_404(session, model, pk)
    zaaktype = await session.get(ZaakType, obj.zaaktype_uuid)
    assert zaaktype is not None
    if model is ZaakTypeInformatieObjectType:
        if not rules.forced_delete(auth) and await _ziot_both_published(
            session, zaaktype, obj.informatieobjecttype_omschrijving
        ):
            raise ValidationProblem(
                [
                    rules.non_concept_relation(
                        "Een relatie tussen een gepubliceerd zaaktype en een gepubliceerd "
                        "informatieobjecttype kan niet worden verwijderd."
                    )
                ]
            )
    else:
        await rules.check_child_of_zaaktype(auth, zaaktype, delete=True)
    await _destroy(session, auth, urls, obj)
