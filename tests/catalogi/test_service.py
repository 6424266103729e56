"""The look-ups other APIs use: get_zaaktype, is_eindstatus, *_from_url."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi import service
from samenzaak.catalogi.models import StatusType
from samenzaak.common.urls import UrlBuilder
from tests.catalogi.factories import make_catalogus, make_zaaktype

URLS = UrlBuilder(base="http://testserver")


async def test_get_zaaktype_loads_children_and_derives_eindstatus(session: AsyncSession) -> None:
    catalogus = await make_catalogus(session)
    zaaktype = await make_zaaktype(session, catalogus)
    for nr in (2, 1, 3):
        session.add(StatusType(zaaktype_uuid=zaaktype.uuid, omschrijving=f"s{nr}", volgnummer=nr))
    await session.commit()
    session.expunge_all()

    loaded = await service.get_zaaktype(session, zaaktype.uuid)
    assert loaded is not None
    assert [s.volgnummer for s in loaded.statustypen] == [1, 2, 3]
    assert [service.is_eindstatus(s, loaded) for s in loaded.statustypen] == [False, False, True]
    assert loaded.roltypen == [] and loaded.resultaattypen == [] and loaded.eigenschappen == []


async def test_zaaktype_from_url_resolves_only_our_urls(session: AsyncSession) -> None:
    catalogus = await make_catalogus(session)
    zaaktype = await make_zaaktype(session, catalogus)
    await session.commit()

    url = service.zaaktype_url(URLS, zaaktype.uuid)
    found = await service.zaaktype_from_url(session, URLS, url)
    assert found is not None and found.uuid == zaaktype.uuid
    assert (
        await service.zaaktype_from_url(
            session, URLS, f"https://elders.nl/catalogi/api/v1/zaaktypen/{zaaktype.uuid}"
        )
        is None
    )
    assert await service.zaaktype_from_url(session, URLS, service.zaaktype_url(URLS, uuid.uuid4())) is None
    assert await service.besluittype_from_url(session, URLS, url) is None
