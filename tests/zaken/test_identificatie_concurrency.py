"""zrc-002: generated identificaties stay unique when zaken are created at the same time."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

import pytest
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.db import make_sessionmaker, tenant_session
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
