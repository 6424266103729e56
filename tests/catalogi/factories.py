"""Rows for Catalogi tests, made directly in the session (for services other APIs call)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import Catalogus, ZaakType


async def make_catalogus(session: AsyncSession, **kw: Any) -> Catalogus:
    catalogus = Catalogus(
        uuid=uuid.uuid4(),
        **({"domein": "TEST", "rsin": "000000000", "contactpersoon_beheer_naam": "Beheerder"} | kw),
    )
    session.add(catalogus)
    await session.flush()
    return catalogus


async def make_zaaktype(session: AsyncSession, catalogus: Catalogus, **kw: Any) -> ZaakType:
    values: dict[str, Any] = {
        "identificatie": f"ZT-{uuid.uuid4().hex[:8]}",
        "omschrijving": "Aanvraag",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "doel",
        "aanleiding": "aanleiding",
        "indicatie_intern_of_extern": "extern",
        "handeling_initiator": "aanvragen",
        "onderwerp": "Vergunning",
        "handeling_behandelaar": "behandelen",
        "doorlooptijd": "P30D",
        "producten_of_diensten": [],
        "verantwoordelijke": "100000000",
        "begin_geldigheid": date(2024, 1, 1),
        "versiedatum": date(2024, 1, 1),
        "concept": False,
    } | kw
    zaaktype = ZaakType(uuid=uuid.uuid4(), catalogus_uuid=catalogus.uuid, **values)
    session.add(zaaktype)
    await session.flush()
    return zaaktype
