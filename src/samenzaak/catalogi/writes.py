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
from sqlalchemy import delete, select
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
    InformatieObjectTypeIn,
    ZaakTypeIn,
)
from samenzaak.catalogi.views import View, iso, render, today
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem, invalid_params_from_errors
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import rsin_problem

BRON = "ztc"
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


def raise_errors(errors: list[InvalidParam]) -> None:
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


async def finish(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, obj: Any, actie: str, before: dict[str, Any] | None
) -> None:
    await session.flush()
    after = await render(View(session, urls, today()), obj)
    await _record(session, auth, urls, obj, actie, before, after)
    await session.commit()


async def snapshot(session: AsyncSession, urls: UrlBuilder, obj: Any) -> dict[str, Any]:
    return await render(View(session, urls, today()), obj)


async def destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, obj: Any) -> None:
    before = await snapshot(session, urls, obj)
    model = type(obj)
    if model is InformatieObjectType:
        # A zaaktype-informatieobjecttype laid by URL is tied to this version and goes with
        # it (as a foreign key would cascade); one laid by name follows the other versions.
        await session.execute(
            delete(ZaakTypeInformatieObjectType).where(
                ZaakTypeInformatieObjectType.via_url.is_(True),
                ZaakTypeInformatieObjectType.informatieobjecttype_uuid == obj.uuid,
            )
        )
    await session.execute(delete(model).where(model.uuid == obj.uuid))
    await _record(session, auth, urls, obj, "destroy", before, None)
    await session.commit()


def check_geldigheid(errors: list[InvalidParam], begin: date | None, einde: date | None) -> None:
    """Samenzaak's own rule (the standard has none): a new or rewritten version does not end
    before it begins. Not applied when only eindeGeldigheid changes (ending a version, the one
    change a published type allows): an end before the start withdraws a version that never
    took effect, and the suite's ztc-010h expects that PATCH to succeed (docs/conformance.md)."""
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
    raise_errors(errors)
    obj = Catalogus(uuid=uuid.uuid4()) if pk is None else await get_or_404(session, Catalogus, pk)
    before = None if pk is None else await snapshot(session, urls, obj)
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
    await finish(session, auth, urls, obj, actie, before)
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
    check_geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
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
    besluittypen: rules.Names,
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
    z.besluittypen = besluittypen.names
    z.relaties_via_url = bool(besluittypen.rows)
    z.deelzaaktypen = deel
    z.gerelateerde_zaaktypen = relaties
    z.begin_geldigheid = data.beginGeldigheid
    z.einde_geldigheid = data.eindeGeldigheid
    z.begin_object = data.beginObject
    z.einde_object = data.eindeObject
    z.versiedatum = data.versiedatum or data.beginGeldigheid


async def create_zaaktype(session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ZaakTypeIn) -> ZaakType:
    errors, catalogus, besluittypen, deel, relaties = await _zaaktype_checks(session, urls, data)
    raise_errors(errors)
    assert catalogus is not None
    z = ZaakType(uuid=uuid.uuid4(), concept=True)
    _apply_zaaktype(z, data, catalogus, besluittypen, deel, relaties)
    session.add(z)
    await finish(session, auth, urls, z, "create", None)
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
    before = await snapshot(session, urls, z)
    if not full:
        z.einde_geldigheid = data.eindeGeldigheid
    else:
        errors, catalogus, besluittypen, deel, relaties = await _zaaktype_checks(session, urls, data)
        raise_errors(errors)
        assert catalogus is not None
        via_url = z.relaties_via_url
        _apply_zaaktype(z, data, catalogus, besluittypen, deel, relaties)
        if partial and "besluittypen" not in body:
            z.relaties_via_url = via_url
    await finish(session, auth, urls, z, "partial_update" if partial else "update", before)
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
    await destroy(session, auth, urls, obj)


async def publish(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, model: type[Any], pk: uuid.UUID
) -> Any:
    """Make a concept version definitive (ztc-012 for zaaktypen, ztc-016 for all three)."""
    obj = await get_or_404(session, model, pk)
    if not obj.concept:
        return obj
    # Publishes within one catalogus take turns (row lock on PostgreSQL), so two versions
    # published at the same moment cannot both pass the overlap check.
    await session.execute(
        select(Catalogus.uuid).where(Catalogus.uuid == obj.catalogus_uuid).with_for_update()
    )
    errors: list[InvalidParam] = []
    if isinstance(obj, ZaakType):
        errors += await rules.check_publish_zaaktype(session, obj)
        errors += await rules.close_and_check_versions(session, obj, "identificatie")
    else:
        errors += await rules.close_and_check_versions(session, obj, "omschrijving", refuse_overlap=False)
    if errors:
        # close_and_check_versions may have closed a previous version: undo that with the refusal.
        await session.rollback()
        raise ValidationProblem(errors)
    before = await snapshot(session, urls, obj)
    obj.concept = False
    await finish(session, auth, urls, obj, "publish", before)
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
    if full:
        check_geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
    raise_errors(errors)
    assert catalogus is not None
    obj = existing or InformatieObjectType(uuid=uuid.uuid4(), concept=True)
    before = await snapshot(session, urls, existing) if existing is not None else None
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
    await finish(
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
    if full:
        check_geldigheid(errors, data.beginGeldigheid, data.eindeGeldigheid)
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
    raise_errors(errors)
    assert catalogus is not None
    obj = existing or BesluitType(uuid=uuid.uuid4(), concept=True)
    before = await snapshot(session, urls, existing) if existing is not None else None
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
        if not (partial and "informatieobjecttypen" not in body):
            obj.relaties_via_url = bool(iots.rows)
        obj.begin_geldigheid = data.beginGeldigheid
        obj.begin_object = data.beginObject
        obj.einde_object = data.eindeObject
    obj.einde_geldigheid = data.eindeGeldigheid
    if existing is None:
        session.add(obj)
    await finish(
        session,
        auth,
        urls,
        obj,
        "create" if existing is None else "partial_update" if partial else "update",
        before,
    )
    return obj
