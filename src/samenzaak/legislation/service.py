"""Shared model catalogues: mark a model, adopt a model zaaktype, see new model versions.

Model catalogues are shared across tenants on purpose: a cooperation maintains them in its
own tenant and municipalities adopt from them. Those cross-tenant reads happen only here, are
read-only, and are limited to catalogi marked as a model (``read_models``).
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    InformatieObjectType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import Conflict, NotFound, field_error
from samenzaak.common.urls import UrlBuilder
from samenzaak.legislation.diff import VersionDiff, diff, snapshot
from samenzaak.legislation.models import Adoption, ModelCatalogus

T = TypeVar("T")
SKIP_COLUMNS = {"uuid", "tenant_id", "zaaktype_uuid", "catalogus_uuid", "statustype_uuid"}


@asynccontextmanager
async def read_models(session: AsyncSession) -> AsyncIterator[None]:
    """Let this session read other tenants' rows for a moment (ORM scoping and, on
    PostgreSQL, the row-level security setting), for reading model catalogues only."""
    session.info["all_tenants"] = True
    postgres = session.bind is not None and session.bind.dialect.name == "postgresql"
    if postgres:
        await session.execute(text("SELECT set_config('samenzaak.all_tenants', 'on', true)"))
    try:
        yield
    finally:
        session.info["all_tenants"] = False
        if postgres:
            await session.execute(text("SELECT set_config('samenzaak.all_tenants', 'off', true)"))


def _copy(row: T, **overrides: Any) -> T:
    mapper = inspect(type(row))
    values = {
        attr.key: getattr(row, attr.key) for attr in mapper.column_attrs if attr.key not in SKIP_COLUMNS
    }
    values.update(overrides)
    factory: Any = type(row)
    copied: T = factory(uuid=uuid.uuid4(), **values)
    return copied


async def mark_model(session: AsyncSession, catalogus_uuid: uuid.UUID, beheerder: str = "") -> ModelCatalogus:
    catalogus = await session.get(Catalogus, catalogus_uuid)
    if catalogus is None:
        raise NotFound("Catalogus niet gevonden.")
    existing = await session.get(ModelCatalogus, catalogus_uuid)
    if existing is not None:
        return existing
    marker = ModelCatalogus(catalogus_uuid=catalogus_uuid, beheerder=beheerder)
    session.add(marker)
    await session.commit()
    return marker


async def load_zaaktype(
    session: AsyncSession, pk: uuid.UUID, *, any_tenant: bool = False
) -> tuple[ZaakType, list[ZaakTypeInformatieObjectType]] | None:
    stmt = (
        select(ZaakType)
        .where(ZaakType.uuid == pk)
        .options(
            selectinload(ZaakType.statustypen),
            selectinload(ZaakType.roltypen),
            selectinload(ZaakType.resultaattypen),
            selectinload(ZaakType.eigenschappen),
        )
        .execution_options(all_tenants=any_tenant, populate_existing=True)
    )
    zaaktype = await session.scalar(stmt)
    if zaaktype is None:
        return None
    ziots = (
        await session.scalars(
            select(ZaakTypeInformatieObjectType)
            .where(ZaakTypeInformatieObjectType.zaaktype_uuid == pk)
            .execution_options(all_tenants=any_tenant)
        )
    ).all()
    return zaaktype, list(ziots)


async def _is_model_catalogus(session: AsyncSession, catalogus_uuid: uuid.UUID) -> bool:
    found = await session.scalar(
        select(ModelCatalogus.catalogus_uuid)
        .where(ModelCatalogus.catalogus_uuid == catalogus_uuid)
        .execution_options(all_tenants=True)
    )
    return found is not None


async def adopt(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    *,
    model_zaaktype_uuid: uuid.UUID,
    catalogus_uuid: uuid.UUID,
    begin_geldigheid: date,
) -> ZaakType:
    """Copy a published model zaaktype (with all its children) into our catalogus as a concept.

    Besluittypen and informatieobjecttypen the model names that our catalogus lacks are
    copied along as concepts, so the adopted zaaktype can be published once they are.
    """
    async with read_models(session):
        loaded = await load_zaaktype(session, model_zaaktype_uuid, any_tenant=True)
        if loaded is None or not await _is_model_catalogus(session, loaded[0].catalogus_uuid):
            raise field_error(
                "modelZaaktype", "not-a-model", "Dit zaaktype staat niet in een modelcatalogus."
            )
        model, model_ziots = loaded
        if model.concept:
            raise field_error("modelZaaktype", "not-published", "Alleen gepubliceerde modelzaaktypen.")
        needed_iots = {z.informatieobjecttype_omschrijving for z in model_ziots}
        model_iots = (
            await session.scalars(
                select(InformatieObjectType)
                .where(
                    InformatieObjectType.catalogus_uuid == model.catalogus_uuid,
                    InformatieObjectType.omschrijving.in_(needed_iots),
                )
                .execution_options(all_tenants=True)
            )
        ).all()
        model_besluittypen = (
            await session.scalars(
                select(BesluitType)
                .where(
                    BesluitType.catalogus_uuid == model.catalogus_uuid,
                    BesluitType.omschrijving.in_(model.besluittypen),
                )
                .execution_options(all_tenants=True)
            )
        ).all()
        zaakobjecttypen = (
            await session.scalars(
                select(ZaakObjectType)
                .where(ZaakObjectType.zaaktype_uuid == model.uuid)
                .execution_options(all_tenants=True)
            )
        ).all()
        # Detach what we read, so nothing of another tenant is flushed by accident.
        for obj in [model, *model.statustypen, *model.roltypen, *model.resultaattypen, *model.eigenschappen,
                    *model_ziots, *model_iots, *model_besluittypen, *zaakobjecttypen]:  # fmt: skip
            session.expunge(obj)

    catalogus = await session.get(Catalogus, catalogus_uuid)
    if catalogus is None:
        raise field_error("catalogus", "does_not_exist", "Catalogus niet gevonden.")
    concept_exists = await session.scalar(
        select(ZaakType.uuid).where(
            ZaakType.catalogus_uuid == catalogus_uuid,
            ZaakType.identificatie == model.identificatie,
            ZaakType.concept.is_(True),
        )
    )
    if concept_exists is not None:
        raise Conflict(
            f"Er is al een concept van zaaktype {model.identificatie!r} in deze catalogus; "
            "publiceer of verwijder dat eerst.",
            code="concept-exists",
        )

    copy = _copy(
        model,
        catalogus_uuid=catalogus_uuid,
        concept=True,
        begin_geldigheid=begin_geldigheid,
        einde_geldigheid=None,
        versiedatum=begin_geldigheid,
        broncatalogus_url=urls.detail("catalogi", "catalogussen", model.catalogus_uuid),
        bronzaaktype_url=urls.detail("catalogi", "zaaktypen", model.uuid),
        bronzaaktype_identificatie=model.identificatie,
        bronzaaktype_omschrijving=model.omschrijving,
    )
    session.add(copy)
    await session.flush()  # the children's foreign keys need the zaaktype row first
    statustype_map: dict[uuid.UUID, uuid.UUID] = {}
    for st in model.statustypen:
        new_st = _copy(st, zaaktype_uuid=copy.uuid)
        statustype_map[st.uuid] = new_st.uuid
        session.add(new_st)
    await session.flush()
    for rt in model.roltypen:
        session.add(_copy(rt, zaaktype_uuid=copy.uuid))
    for res in model.resultaattypen:
        session.add(_copy(res, zaaktype_uuid=copy.uuid))
    for eig in model.eigenschappen:
        session.add(
            _copy(eig, zaaktype_uuid=copy.uuid, statustype_uuid=statustype_map.get(eig.statustype_uuid))  # type: ignore[arg-type]
        )
    for ziot in model_ziots:
        session.add(
            _copy(ziot, zaaktype_uuid=copy.uuid, statustype_uuid=statustype_map.get(ziot.statustype_uuid))  # type: ignore[arg-type]
        )
    for zot in zaakobjecttypen:
        session.add(_copy(zot, zaaktype_uuid=copy.uuid))

    have_iots = set(
        (
            await session.scalars(
                select(InformatieObjectType.omschrijving).where(
                    InformatieObjectType.catalogus_uuid == catalogus_uuid
                )
            )
        ).all()
    )
    for iot in model_iots:
        if iot.omschrijving not in have_iots:
            session.add(_copy(iot, catalogus_uuid=catalogus_uuid, concept=True))
            have_iots.add(iot.omschrijving)
    have_bts = set(
        (
            await session.scalars(
                select(BesluitType.omschrijving).where(BesluitType.catalogus_uuid == catalogus_uuid)
            )
        ).all()
    )
    for bt in model_besluittypen:
        if bt.omschrijving not in have_bts:
            session.add(_copy(bt, catalogus_uuid=catalogus_uuid, concept=True))
            have_bts.add(bt.omschrijving)

    session.add(
        Adoption(
            uuid=uuid.uuid4(),
            zaaktype_uuid=copy.uuid,
            catalogus_uuid=catalogus_uuid,
            model_zaaktype_uuid=model.uuid,
            model_catalogus_uuid=model.catalogus_uuid,
            model_identificatie=model.identificatie,
            model_versiedatum=model.versiedatum,
        )
    )
    url = urls.detail("catalogi", "zaaktypen", copy.uuid)
    record_change(
        session,
        auth,
        bron="ZTC",
        kanaal="zaaktypen",
        actie="create",
        resource="zaaktype",
        resource_url=url,
        hoofd_object=url,
        nieuw={"identificatie": copy.identificatie, "bronzaaktype": copy.bronzaaktype_url},
        kenmerken={"catalogus": urls.detail("catalogi", "catalogussen", catalogus_uuid)},
        resource_weergave=copy.omschrijving,
    )
    await session.commit()
    return copy


@dataclass
class ModelUpdate:
    adoption: Adoption
    new_model_uuid: uuid.UUID
    new_model_versiedatum: date
    law_change: VersionDiff  # old model version -> new model version
    against_ours: VersionDiff  # our (possibly adjusted) zaaktype -> new model version

    def as_dict(self, urls: UrlBuilder) -> dict[str, Any]:
        return {
            "zaaktype": urls.detail("catalogi", "zaaktypen", self.adoption.zaaktype_uuid),
            "modelIdentificatie": self.adoption.model_identificatie,
            "adoptedModelVersiedatum": self.adoption.model_versiedatum.isoformat(),
            "newModelZaaktype": urls.detail("catalogi", "zaaktypen", self.new_model_uuid),
            "newModelVersiedatum": self.new_model_versiedatum.isoformat(),
            "lawChange": self.law_change.as_dict(),
            "comparedWithOurs": self.against_ours.as_dict(),
        }


async def available_updates(session: AsyncSession, catalogus_uuid: uuid.UUID) -> list[ModelUpdate]:
    """For every zaaktype of this catalogus adopted from a model: a newer published model version."""
    adoptions = (
        await session.scalars(select(Adoption).where(Adoption.catalogus_uuid == catalogus_uuid))
    ).all()
    updates: list[ModelUpdate] = []
    for adoption in adoptions:
        ours = await load_zaaktype(session, adoption.zaaktype_uuid)
        async with read_models(session):
            newest = await session.scalar(
                select(ZaakType)
                .where(
                    ZaakType.catalogus_uuid == adoption.model_catalogus_uuid,
                    ZaakType.identificatie == adoption.model_identificatie,
                    ZaakType.concept.is_(False),
                    ZaakType.versiedatum > adoption.model_versiedatum,
                )
                .order_by(ZaakType.versiedatum.desc())
                .limit(1)
                .execution_options(all_tenants=True)
            )
            if newest is None or ours is None:
                continue
            new_loaded = await load_zaaktype(session, newest.uuid, any_tenant=True)
            old_loaded = (
                await load_zaaktype(session, adoption.model_zaaktype_uuid, any_tenant=True)
                if adoption.model_zaaktype_uuid
                else None
            )
        assert new_loaded is not None
        new_snap = snapshot(*new_loaded)
        old_snap = snapshot(*old_loaded) if old_loaded else snapshot(*ours)
        updates.append(
            ModelUpdate(
                adoption=adoption,
                new_model_uuid=newest.uuid,
                new_model_versiedatum=newest.versiedatum,
                law_change=diff(old_snap, new_snap),
                against_ours=diff(snapshot(*ours), new_snap),
            )
        )
    return updates


async def adopt_update(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, update: ModelUpdate, begin_geldigheid: date
) -> ZaakType:
    """Adopt the new model version as a concept in our catalogus (a new version of ours)."""
    return await adopt(
        session,
        auth,
        urls,
        model_zaaktype_uuid=update.new_model_uuid,
        catalogus_uuid=update.adoption.catalogus_uuid,
        begin_geldigheid=begin_geldigheid,
    )
