"""Shared model catalogues: adopting a model zaaktype and seeing a new model version."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import InformatieObjectType, StatusType, ZaakType
from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.notifications import OutboxMessage
from samenzaak.common.problems import Problem
from samenzaak.common.urls import UrlBuilder
from samenzaak.db import DEFAULT_TENANT_ID, Tenant
from samenzaak.legislation import service
from samenzaak.legislation.models import Adoption
from tests.legislation import builders

URLS = UrlBuilder("http://t")
AUTH = Auth(client_id="beheer", all_rights=True)


async def model_tenant(session: AsyncSession) -> tuple[int, ZaakType]:
    """A cooperation's tenant with a model catalogus holding one published Wmo zaaktype."""
    coop = Tenant(slug="samenwerking", naam="Samenwerking")
    session.add(coop)
    await session.flush()
    session.info["tenant_id"] = coop.id
    cat = await builders.catalogus(session, domein="MODEL", rsin="000000000")
    await builders.informatieobjecttype(session, cat.uuid, "Aanvraagformulier")
    zt = await builders.zaaktype(session, cat.uuid, doorlooptijd="P8W")
    await session.commit()
    await service.mark_model(session, cat.uuid, beheerder="Samenwerking")
    session.info["tenant_id"] = DEFAULT_TENANT_ID
    return coop.id, zt


async def test_adopt_copies_a_model_zaaktype_as_concept(session: AsyncSession) -> None:
    coop, model = await model_tenant(session)
    ours = await builders.catalogus(session)
    await session.commit()

    copy = await service.adopt(
        session,
        AUTH,
        URLS,
        model_zaaktype_uuid=model.uuid,
        catalogus_uuid=ours.uuid,
        begin_geldigheid=date(2026, 12, 1),
    )
    assert copy.concept is True and copy.tenant_id == DEFAULT_TENANT_ID
    assert copy.identificatie == model.identificatie and copy.catalogus_uuid == ours.uuid
    assert copy.bronzaaktype_url == f"http://t/catalogi/api/v1/zaaktypen/{model.uuid}"
    loaded = await service.load_zaaktype(session, copy.uuid)
    assert loaded is not None
    assert [s.omschrijving for s in loaded[0].statustypen] == ["Ontvangen", "In behandeling", "Afgehandeld"]
    assert {r.omschrijving for r in loaded[0].resultaattypen} == {"Toegekend", "Afgewezen"}
    assert [z.informatieobjecttype_omschrijving for z in loaded[1]] == ["Aanvraagformulier"]
    # the informatieobjecttype it names came along as a concept in our catalogus
    iot = await session.scalar(
        select(InformatieObjectType).where(InformatieObjectType.catalogus_uuid == ours.uuid)
    )
    assert iot is not None and iot.concept is True and iot.omschrijving == "Aanvraagformulier"
    adoption = await session.scalar(select(Adoption).where(Adoption.zaaktype_uuid == copy.uuid))
    assert adoption is not None and adoption.model_zaaktype_uuid == model.uuid
    url = f"http://t/catalogi/api/v1/zaaktypen/{copy.uuid}"
    assert await session.scalar(select(func.count()).where(OutboxMessage.resource_url == url)) == 1
    assert await session.scalar(select(func.count()).where(AuditTrail.resource_url == url)) == 1
    # the model itself is untouched and still only in its own tenant
    session.info["tenant_id"] = coop
    assert (
        await session.scalar(
            select(func.count()).select_from(StatusType).where(StatusType.zaaktype_uuid == model.uuid)
        )
        == 3
    )


async def test_only_published_zaaktypen_of_model_catalogi_can_be_adopted(session: AsyncSession) -> None:
    ours = await builders.catalogus(session)
    plain = await builders.zaaktype(session, ours.uuid)
    await session.commit()
    with pytest.raises(Problem) as info:
        await service.adopt(
            session,
            AUTH,
            URLS,
            model_zaaktype_uuid=plain.uuid,
            catalogus_uuid=ours.uuid,
            begin_geldigheid=date(2026, 1, 1),
        )
    assert info.value.invalid_params[0].code == "not-a-model"


async def test_a_new_model_version_is_offered_with_its_differences(session: AsyncSession) -> None:
    coop, model = await model_tenant(session)
    ours = await builders.catalogus(session)
    await session.commit()
    await service.adopt(
        session,
        AUTH,
        URLS,
        model_zaaktype_uuid=model.uuid,
        catalogus_uuid=ours.uuid,
        begin_geldigheid=date(2026, 1, 1),
    )
    assert await service.available_updates(session, ours.uuid) == []

    # The law changes: the cooperation publishes a version with a shorter term and a new status.
    session.info["tenant_id"] = coop
    await builders.zaaktype(
        session,
        model.catalogus_uuid,
        doorlooptijd="P6W",
        versiedatum=date(2027, 1, 1),
        statussen=("Ontvangen", "Beoordeeld", "In behandeling", "Afgehandeld"),
    )
    await session.commit()
    session.info["tenant_id"] = DEFAULT_TENANT_ID

    [update] = await service.available_updates(session, ours.uuid)
    assert update.law_change.fields["doorlooptijd"] == ("P8W", "P6W")
    assert update.law_change.sections["statustypen"].added == ["Beoordeeld"]
    assert update.against_ours.fields["doorlooptijd"] == ("P8W", "P6W")
    body = update.as_dict(URLS)
    assert body["newModelVersiedatum"] == "2027-01-01"

    # Our first adoption is still a concept; a second concept of the same zaaktype is refused.
    with pytest.raises(Problem) as info:
        await service.adopt_update(session, AUTH, URLS, update, date(2027, 1, 1))
    assert info.value.code == "concept-exists"
    await session.execute(
        ZaakType.__table__.update().where(ZaakType.catalogus_uuid == ours.uuid).values(concept=False)
    )
    await session.commit()
    new_version = await service.adopt_update(session, AUTH, URLS, update, date(2027, 1, 1))
    assert new_version.concept and new_version.doorlooptijd == "P6W"
