"""zrc-002: generated identificaties stay unique when zaken are created at the same time."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.common import numbering
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.zaken import identificatie
from samenzaak.zaken.models import ZaakIdentificatie, ZaakNummerTeller
from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak, zaak_body


async def test_zrc_002_concurrent_generation_gives_distinct_numbers(engine: AsyncEngine) -> None:
    factory = make_sessionmaker(engine)
    # A bronorganisatie of its own: this test commits (in separate transactions) and cleans up.
    bron = str(uuid.uuid4().int)[:9]

    async def one() -> str:
        async with tenant_session(factory) as session:
            value = await identificatie.generate(session, bron, date(2026, 1, 1))
            await asyncio.sleep(0.01)  # hold the counter while the other one waits
            await session.commit()
            return value

    try:
        made = await asyncio.gather(*(one() for _ in range(5)))
        assert len(set(made)) == 5
        assert sorted(made)[0] == "ZAAK-2026-0000000001"
    finally:
        async with tenant_session(factory) as session:
            await session.execute(delete(ZaakIdentificatie).where(ZaakIdentificatie.bronorganisatie == bron))
            await session.execute(delete(ZaakNummerTeller).where(ZaakNummerTeller.bronorganisatie == bron))
            await session.commit()


async def test_zrc_002_a_duplicate_that_slips_past_the_check_is_a_400(
    api: ApiClient, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    await create_zaak(api, catalog, identificatie="RACE-1")

    async def never_taken(*args: object) -> bool:
        return False  # as if the other transaction had not committed yet when we checked

    monkeypatch.setattr(identificatie, "identificatie_taken", never_taken)
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, identificatie="RACE-1"), headers=CRS)
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["code"] == "identificatie-niet-uniek"


async def test_zrc_002_a_drawn_number_does_not_hold_up_the_next_creator(engine: AsyncEngine) -> None:
    """PostgreSQL counts in a transaction of its own: a creator still busy with its zaak
    (transaction open) no longer holds the counter row, and a failed creation leaves a gap."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: the counter advances in the request's transaction")
    factory = make_sessionmaker(engine)
    bron = str(uuid.uuid4().int)[:9]
    day = date(2026, 1, 1)
    try:
        async with tenant_session(factory) as first, tenant_session(factory) as second:
            drawn_first = await identificatie.generate(first, bron, day)
            await first.flush()  # its transaction is under way and holds its own rows
            drawn_second = await asyncio.wait_for(identificatie.generate(second, bron, day), timeout=5)
            assert (drawn_first, drawn_second) == ("ZAAK-2026-0000000001", "ZAAK-2026-0000000002")
            await first.rollback()
            await second.commit()
        async with tenant_session(factory) as third:
            assert await identificatie.generate(third, bron, day) == "ZAAK-2026-0000000003"
    finally:
        async with tenant_session(factory) as session:
            await session.execute(delete(ZaakIdentificatie).where(ZaakIdentificatie.bronorganisatie == bron))
            await session.execute(delete(ZaakNummerTeller).where(ZaakNummerTeller.bronorganisatie == bron))
            await session.commit()


async def test_the_counting_pool_closes_with_its_engine(db_url: str) -> None:
    own = create_engine(db_url)
    if own.dialect.name != "postgresql":
        await own.dispose()
        pytest.skip("only PostgreSQL counts on a pool of its own")
    async with tenant_session(make_sessionmaker(own)) as session:
        await identificatie.generate(session, "000000001", date(2026, 1, 1))
        await session.rollback()
    counting = numbering._OWN_ENGINES[own.sync_engine]
    assert counting.pool.checkedin() == 1  # type: ignore[attr-defined]
    await own.dispose()
    assert own.sync_engine not in numbering._OWN_ENGINES
    assert counting.pool.checkedin() == 0  # type: ignore[attr-defined]
