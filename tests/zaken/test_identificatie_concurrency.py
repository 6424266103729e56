"""zrc-002: generated identificaties stay unique when zaken are created at the same time."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.db import make_sessionmaker, tenant_session
from samenzaak.zaken import identificatie
from samenzaak.zaken.models import ZaakIdentificatie, ZaakNummerTeller


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
