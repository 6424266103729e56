"""Rows for the legislation tests, built directly (the APIs have their own tests)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import (
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.zaken.models import Resultaat, Rol, Status, Zaak


async def catalogus(session: AsyncSession, domein: str = "WMO", rsin: str = "111222333") -> Catalogus:
    c = Catalogus(uuid=uuid.uuid4(), domein=domein, rsin=rsin, contactpersoon_beheer_naam="Beheer")
    session.add(c)
    await session.flush()
    return c


async def zaaktype(
    session: AsyncSession,
    catalogus_uuid: uuid.UUID,
    *,
    identificatie: str = "WMO-AANVRAAG",
    doorlooptijd: str = "P8W",
    versiedatum: date = date(2026, 1, 1),
    statussen: tuple[str, ...] = ("Ontvangen", "In behandeling", "Afgehandeld"),
    resultaten: tuple[str, ...] = ("Toegekend", "Afgewezen"),
    rollen: tuple[str, ...] = ("Aanvrager", "Behandelaar"),
    eigenschappen: tuple[str, ...] = ("ondersteuning",),
    concept: bool = False,
    **extra: Any,
) -> ZaakType:
    zt = ZaakType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalogus_uuid,
        identificatie=identificatie,
        omschrijving="Wmo-aanvraag",
        vertrouwelijkheidaanduiding="vertrouwelijk",
        doel="Ondersteuning",
        aanleiding="Aanvraag",
        indicatie_intern_of_extern="extern",
        handeling_initiator="aanvragen",
        onderwerp="Wmo",
        handeling_behandelaar="behandelen",
        doorlooptijd=doorlooptijd,
        servicenorm=extra.pop("servicenorm", None),
        concept=concept,
        begin_geldigheid=versiedatum,
        versiedatum=versiedatum,
        **extra,
    )
    session.add(zt)
    await session.flush()
    for i, name in enumerate(statussen, start=1):
        session.add(StatusType(uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving=name, volgnummer=i))
    for name in resultaten:
        session.add(
            ResultaatType(
                uuid=uuid.uuid4(),
                zaaktype_uuid=zt.uuid,
                omschrijving=name,
                resultaattypeomschrijving="http://x/rto",
                selectielijstklasse="http://x/sl",
                archiefnominatie="vernietigen",
                archiefactietermijn="P10Y",
            )
        )
    for name in rollen:
        session.add(
            RolType(
                uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving=name, omschrijving_generiek="initiator"
            )
        )
    for name in eigenschappen:
        session.add(
            Eigenschap(
                uuid=uuid.uuid4(),
                zaaktype_uuid=zt.uuid,
                naam=name,
                definitie=name,
                specificatie_formaat="tekst",
                specificatie_lengte="100",
                specificatie_kardinaliteit="1",
            )
        )
    session.add(
        ZaakTypeInformatieObjectType(
            uuid=uuid.uuid4(),
            zaaktype_uuid=zt.uuid,
            informatieobjecttype_omschrijving="Aanvraagformulier",
            volgnummer=1,
            richting="inkomend",
        )
    )
    await session.flush()
    return zt


async def informatieobjecttype(session: AsyncSession, catalogus_uuid: uuid.UUID, omschrijving: str) -> None:
    session.add(
        InformatieObjectType(
            uuid=uuid.uuid4(),
            catalogus_uuid=catalogus_uuid,
            omschrijving=omschrijving,
            vertrouwelijkheidaanduiding="vertrouwelijk",
            informatieobjectcategorie="formulier",
            concept=False,
            begin_geldigheid=date(2026, 1, 1),
        )
    )
    await session.flush()


async def types_of(session: AsyncSession, zt: ZaakType, model: type[Any], omschrijving: str) -> uuid.UUID:
    from sqlalchemy import select

    key = model.naam if model is Eigenschap else model.omschrijving
    found = await session.scalar(
        select(model.uuid).where(model.zaaktype_uuid == zt.uuid, key == omschrijving)
    )
    assert found is not None, omschrijving
    return found  # type: ignore[no-any-return]


async def zaak(
    session: AsyncSession,
    zt: ZaakType,
    identificatie: str,
    startdatum: date,
    *,
    status: str | None = None,
    resultaat: str | None = None,
    rol: str | None = None,
    einddatum: date | None = None,
    verlenging: dict[str, Any] | None = None,
) -> Zaak:
    z = Zaak(
        uuid=uuid.uuid4(),
        identificatie=identificatie,
        bronorganisatie="111222333",
        verantwoordelijke_organisatie="111222333",
        zaaktype_uuid=zt.uuid,
        registratiedatum=startdatum,
        startdatum=startdatum,
        einddatum=einddatum,
        vertrouwelijkheidaanduiding="vertrouwelijk",
        verlenging=verlenging,
    )
    session.add(z)
    await session.flush()
    if status is not None:
        from datetime import UTC, datetime

        st = Status(
            uuid=uuid.uuid4(),
            zaak_uuid=z.uuid,
            statustype_uuid=await types_of(session, zt, StatusType, status),
            datum_status_gezet=datetime(startdatum.year, startdatum.month, startdatum.day, tzinfo=UTC),
        )
        session.add(st)
        await session.flush()
        z.status_uuid = st.uuid
    if resultaat is not None:
        session.add(
            Resultaat(
                uuid=uuid.uuid4(),
                zaak_uuid=z.uuid,
                resultaattype_uuid=await types_of(session, zt, ResultaatType, resultaat),
            )
        )
    if rol is not None:
        session.add(
            Rol(
                uuid=uuid.uuid4(),
                zaak_uuid=z.uuid,
                roltype_uuid=await types_of(session, zt, RolType, rol),
                betrokkene_type="natuurlijk_persoon",
                omschrijving=rol,
                omschrijving_generiek="initiator",
            )
        )
    await session.flush()
    return z
