"""brc-002: generated identificaties stay unique when besluiten are created concurrently."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from samenzaak.besluiten import identificatie
from samenzaak.besluiten.models import BesluitNummerTeller
from samenzaak.db import DEFAULT_TENANT_ID

ORGANISATIE = "999999990"  # used by this test only: its counter rows are committed, then removed


async def test_brc_002_concurrent_creators_draw_different_numbers(engine: AsyncEngine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises every writer with its database lock; the row lock is PostgreSQL's")
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    first_drawn = asyncio.Event()

    async def draw(wait_for_other: bool) -> str:
        async with sessions() as session:
            session.info["tenant_id"] = DEFAULT_TENANT_ID
            value = await identificatie.generate(session, ORGANISATIE, date(2030, 1, 1))
            first_drawn.set()
            if wait_for_other:
                # Hold the counter's row lock a while: the other transaction must wait for it.
                await asyncio.sleep(0.3)
            await session.commit()
            return value

    async def second() -> str:
        await first_drawn.wait()
        return await draw(False)

    try:
        # Warm the counter up so both transactions meet on the same row.
        assert await draw(False) == "BESLUIT-2030-0000000001"
        first_drawn.clear()
        values = await asyncio.gather(draw(True), second())
        assert sorted(values) == ["BESLUIT-2030-0000000002", "BESLUIT-2030-0000000003"]
    finally:
        async with sessions() as session:
            session.info["tenant_id"] = DEFAULT_TENANT_ID
            await session.execute(
                delete(BesluitNummerTeller).where(
                    BesluitNummerTeller.verantwoordelijke_organisatie == ORGANISATIE
                )
            )
            await session.commit()


async def test_generated_numbers_skip_identificaties_given_by_hand(session: AsyncSession) -> None:
    from samenzaak.besluiten.models import Besluit

    session.add(
        Besluit(
            identificatie="BESLUIT-2031-0000000001",
            verantwoordelijke_organisatie="000000000",
            besluittype="http://testserver/catalogi/api/v1/besluittypen/1",
            datum=date(2031, 1, 1),
            ingangsdatum=date(2031, 1, 1),
        )
    )
    await session.flush()
    assert await identificatie.generate(session, "000000000", date(2031, 1, 1)) == "BESLUIT-2031-0000000002"
