"""The zaak totals (zrc_zaak_aantallen, kept by triggers) equal a count of the zaken after
every kind of write, and lists filtered only on their columns are counted from them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from samenzaak.common.urls import UrlBuilder
from samenzaak.db import make_sessionmaker, tenant_session
from samenzaak.zaken import counts
from samenzaak.zaken.models import Zaak, ZaakAantal
from samenzaak.zaken.queries import zaak_filters
from tests.conftest import BASE, ApiClient, make_client
from tests.zaken.conftest import CRS, RSIN, ZRC, Catalog, create_zaak, make_catalog
from tests.zaken.test_autorisatie import grant

Key = tuple[int, uuid.UUID | None, str, str]


def bare_zaak(zaaktype_url: str, vertrouwelijkheidaanduiding: str = "openbaar") -> Zaak:
    """A zaak of a remote zaaktype, written straight through the models."""
    return Zaak(
        identificatie=f"BARE-{uuid.uuid4().hex[:8]}",
        bronorganisatie=RSIN,
        verantwoordelijke_organisatie=RSIN,
        registratiedatum=date(2026, 1, 1),
        startdatum=date(2026, 1, 1),
        zaaktype_url=zaaktype_url,
        vertrouwelijkheidaanduiding=vertrouwelijkheidaanduiding,
    )


async def kept_totals(session: AsyncSession) -> dict[Key, int]:
    rows = await session.execute(
        select(ZaakAantal.tenant_id, ZaakAantal.zaaktype_uuid, ZaakAantal.zaaktype_url)
        .add_columns(ZaakAantal.vertrouwelijkheidaanduiding, ZaakAantal.aantal)
        .where(ZaakAantal.aantal != 0)
        .execution_options(all_tenants=True)
    )
    return {(t, zt, url, v): n for t, zt, url, v, n in rows}


async def real_totals(session: AsyncSession) -> dict[Key, int]:
    rows = await session.execute(
        select(Zaak.tenant_id, Zaak.zaaktype_uuid, Zaak.zaaktype_url, Zaak.vertrouwelijkheidaanduiding)
        .add_columns(func.count())
        .group_by(Zaak.tenant_id, Zaak.zaaktype_uuid, Zaak.zaaktype_url, Zaak.vertrouwelijkheidaanduiding)
        .execution_options(all_tenants=True)
    )
    return {(t, zt, url, v): n for t, zt, url, v, n in rows}


async def assert_totals_exact(session: AsyncSession) -> None:
    assert await kept_totals(session) == await real_totals(session)


async def test_totals_follow_creation_change_and_cascading_deletion(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    other = await make_catalog(session)
    await create_zaak(api, catalog, vertrouwelijkheidaanduiding="openbaar")
    changing = await create_zaak(api, catalog, vertrouwelijkheidaanduiding="openbaar")
    await create_zaak(api, catalog, vertrouwelijkheidaanduiding="geheim")
    hoofdzaak = await create_zaak(api, other)
    await create_zaak(api, catalog, hoofdzaak=hoofdzaak["url"])
    await assert_totals_exact(session)
    assert sum((await kept_totals(session)).values()) == 5

    r = await api.patch(changing["url"], json={"vertrouwelijkheidaanduiding": "geheim"}, headers=CRS)
    assert r.status_code == 200, r.text
    await assert_totals_exact(session)

    # The deelzaak goes with its hoofdzaak (a cascade in the database, no ORM in sight).
    assert (await api.delete(hoofdzaak["url"])).status_code == 204
    await assert_totals_exact(session)
    assert sum((await kept_totals(session)).values()) == 3


async def test_totals_follow_core_writes_and_remote_zaaktypen(session: AsyncSession) -> None:
    remote_type = "https://andere-gemeente.example/catalogi/api/v1/zaaktypen/1"
    for vertrouwelijkheid in ("openbaar", "openbaar", "intern"):
        session.add(bare_zaak(remote_type, vertrouwelijkheid))
    await session.flush()
    await assert_totals_exact(session)
    await session.execute(
        update(Zaak).where(Zaak.zaaktype_url == remote_type).values(vertrouwelijkheidaanduiding="geheim")
    )
    await assert_totals_exact(session)
    await session.execute(delete(Zaak).where(Zaak.zaaktype_url == remote_type))
    await assert_totals_exact(session)


def test_only_filters_on_the_kept_columns_are_counted_from_the_totals() -> None:
    urls = UrlBuilder(BASE)
    zaaktype = f"{BASE}/catalogi/api/v1/zaaktypen/{uuid.uuid4()}"
    counted = [
        {"zaaktype": zaaktype},
        {"zaaktype__in": f"{zaaktype},https://elders.example/zaaktypen/1"},
        {"maximaleVertrouwelijkheidaanduiding": "intern"},
        {},
    ]
    for params in counted:
        assert counts.on_totals(zaak_filters(params, urls)) is not None, params
    not_counted = [
        {"zaaktype": zaaktype, "bronorganisatie": RSIN},
        {"startdatum__gt": "2020-01-01"},
        {"rol__betrokkeneType": "natuurlijk_persoon"},
        {"rol__betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "111222333"},
    ]
    for params in not_counted:
        assert counts.on_totals(zaak_filters(params, urls)) is None, params


async def test_lists_count_from_the_totals_when_they_can(
    api: ApiClient, session: AsyncSession, catalog: Catalog, count_queries: Any
) -> None:
    other = await make_catalog(session)
    reader = api.with_token(
        await make_client(session, "tellezer", autorisaties=[grant(catalog, ["zaken.lezen"], "intern")])
    )
    for vertrouwelijkheid in ("openbaar", "intern", "geheim"):
        await create_zaak(api, catalog, vertrouwelijkheidaanduiding=vertrouwelijkheid)
    await create_zaak(api, other, vertrouwelijkheidaanduiding="openbaar")
    await create_zaak(api, catalog, vertrouwelijkheidaanduiding="openbaar", bronorganisatie="517439943")

    cases: list[tuple[dict[str, str], int, bool]] = [
        ({}, 3, True),  # what the reader may see: up to intern, of the one zaaktype
        ({"zaaktype": catalog.zaaktype_url}, 3, True),
        ({"zaaktype": other.zaaktype_url}, 0, True),
        ({"maximaleVertrouwelijkheidaanduiding": "openbaar"}, 2, True),
        ({"bronorganisatie": RSIN}, 2, False),
    ]
    for params, expected, from_totals in cases:
        with count_queries() as q:
            r = await reader.get(f"{ZRC}/zaken", params=params, headers=CRS)
        assert r.status_code == 200 and r.json()["count"] == expected == len(r.json()["results"]), params
        sql = " ".join(q.statements)
        assert ("zrc_zaak_aantallen" in sql) == from_totals, params
        assert ("count(*)" in sql) != from_totals, params


async def test_a_creating_transaction_does_not_hold_the_totals_of_its_zaaktype(engine: AsyncEngine) -> None:
    """PostgreSQL updates the totals at commit (deferred triggers): a transaction still busy
    after inserting its zaak does not make the next creator of the zaaktype wait."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    factory = make_sessionmaker(engine)
    remote_type = f"https://elders.example/zaaktypen/{uuid.uuid4()}"

    async def total() -> int | None:
        async with tenant_session(factory) as s:
            return await s.scalar(select(ZaakAantal.aantal).where(ZaakAantal.sleutel == remote_type))

    try:
        async with tenant_session(factory) as first, tenant_session(factory) as second:
            first.add(bare_zaak(remote_type))
            await first.flush()
            second.add(bare_zaak(remote_type))
            await asyncio.wait_for(second.commit(), timeout=5)
            assert await total() == 1
            await first.commit()
        assert await total() == 2
    finally:
        async with tenant_session(factory) as s:
            await s.execute(delete(Zaak).where(Zaak.zaaktype_url == remote_type))
            await s.commit()
            assert await total() == 0
            await s.execute(delete(ZaakAantal).where(ZaakAantal.sleutel == remote_type))
            await s.commit()
