"""The dashboard summary (per-zaak facts and per-day counters) stays equal to a
recomputation from the source tables through a sequence of API writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.dashboard import queries
from samenzaak.dashboard.models import DashboardTelling, DashboardZaakFeit
from samenzaak.dashboard.queries import Filters
from samenzaak.dashboard.summary import rebuild
from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak, make_catalog


async def snapshot(session: AsyncSession) -> tuple[set[tuple[Any, ...]], dict[Any, tuple[Any, ...]]]:
    """Counters that are not zero (a zaak that leaves a counter leaves a zero row behind),
    and the facts rows with their contributions in a stable order."""
    t = DashboardTelling
    counters = {
        (r.tenant_id, r.soort, r.dag, r.zaaktype_uuid, r.bronorganisatie, r.sleutel, r.aantal, r.som)
        for r in (await session.execute(select(t).execution_options(all_tenants=True))).scalars()
        if r.aantal or r.som
    }
    f = DashboardZaakFeit
    feiten = {
        r.zaak_uuid: (
            r.tenant_id,
            r.identificatie,
            r.zaaktype_uuid,
            r.bronorganisatie,
            r.startdatum,
            r.einddatum,
            r.einddatum_gepland,
            r.wettelijke_termijn,
            r.opgeschort,
            r.eerste_termijn,
            sorted(map(tuple, r.bijdragen)),
        )
        for r in (await session.execute(select(f).execution_options(all_tenants=True))).scalars()
    }
    return counters, feiten


async def status(api: ApiClient, catalog: Catalog, zaak: dict[str, Any], eind: bool, when: str) -> None:
    statustype = catalog.eind if eind else catalog.begin
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": catalog.url("statustypen", statustype),
            "datumStatusGezet": when,
        },
    )
    assert r.status_code == 201, r.text


async def resultaat(api: ApiClient, catalog: Catalog, zaak: dict[str, Any]) -> str:
    r = await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": catalog.url("resultaattypen", catalog.resultaattype)},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["url"])


async def test_summary_equals_a_recomputation_after_api_writes(api: ApiClient, session: AsyncSession) -> None:
    catalog = await make_catalog(session)  # doorlooptijd P30D
    # A: begin, resultaat, closed, reopened, closed again.
    a = await create_zaak(api, catalog, startdatum="2025-01-06", einddatumGepland="2025-01-20")
    await status(api, catalog, a, False, "2025-01-06T09:00:00")
    await resultaat(api, catalog, a)
    await status(api, catalog, a, True, "2025-01-17T16:00:00")
    await status(api, catalog, a, False, "2025-01-21T10:00:00")
    await status(api, catalog, a, True, "2025-02-03T16:00:00")
    # B: suspended, then extended (PATCH), a resultaat given and taken back.
    b = await create_zaak(api, catalog, startdatum="2025-01-08")
    await status(api, catalog, b, False, "2025-01-08T09:00:00")
    r = await api.patch(b["url"], json={"opschorting": {"indicatie": True, "reden": "wacht"}}, headers=CRS)
    assert r.status_code == 200, r.text
    r = await api.patch(
        b["url"],
        json={
            "opschorting": {"indicatie": False, "reden": ""},
            "verlenging": {"reden": "advies", "duur": "P2W"},
        },
        headers=CRS,
    )
    assert r.status_code == 200, r.text
    taken_back = await resultaat(api, catalog, b)
    r = await api.delete(taken_back)
    assert r.status_code == 204, r.text
    # C: created and deleted (its statussen go with it).
    c = await create_zaak(api, catalog, startdatum="2025-01-09")
    await status(api, catalog, c, False, "2025-01-09T09:00:00")
    r = await api.delete(c["url"])
    assert r.status_code == 204, r.text

    counters, feiten = await snapshot(session)
    assert len(feiten) == 2  # C is gone
    f = Filters(start=date(2025, 1, 6), end=date(2025, 3, 2))
    totals = queries.totals(await queries.per_zaaktype(session, f))
    # A closed once in the period (on its last einddatum); B open, past start + P30D + P2W.
    assert (totals["instroom"], totals["uitstroom"], totals["open"], totals["over_wettelijk"]) == (2, 1, 1, 1)
    per_status = await queries.time_per_status(session, f)
    assert {r["status"]: r["aantal"] for r in per_status.rows} == {"Begin": 2, "Eind": 1}

    await session.run_sync(lambda s: rebuild(s.connection()))
    assert await snapshot(session) == (counters, feiten)


def test_month_parts_split_a_period_into_whole_months_and_odd_days() -> None:
    from samenzaak.dashboard.queries import _month_parts

    assert _month_parts(date(2025, 1, 1), date(2025, 12, 31)) == ([], (date(2025, 1, 1), date(2025, 12, 1)))
    assert _month_parts(date(2025, 1, 6), date(2025, 2, 2)) == ([(date(2025, 1, 6), date(2025, 2, 2))], None)
    assert _month_parts(date(2024, 12, 15), date(2025, 3, 10)) == (
        [(date(2024, 12, 15), date(2024, 12, 31)), (date(2025, 3, 1), date(2025, 3, 10))],
        (date(2025, 1, 1), date(2025, 2, 1)),
    )
    assert _month_parts(date(2025, 2, 1), date(2025, 2, 28)) == ([], (date(2025, 2, 1), date(2025, 2, 1)))
    assert _month_parts(date(2025, 2, 2), date(2025, 2, 28)) == (
        [(date(2025, 2, 2), date(2025, 2, 28))],
        None,
    )


async def test_histogram_over_months_equals_the_zaken(sessionmaker: Any, session: AsyncSession) -> None:
    from samenzaak.dashboard.demo import generate
    from samenzaak.zaken.models import Zaak

    await generate(sessionmaker, 300, seed=5, today=date(2025, 6, 29), days=300)
    zaken = (
        await session.execute(select(Zaak.startdatum, Zaak.einddatum).where(Zaak.einddatum.is_not(None)))
    ).all()
    for start, end in [(date(2024, 12, 15), date(2025, 3, 10)), (date(2025, 1, 1), date(2025, 6, 30))]:
        expected: dict[int, int] = {}
        for z in zaken:
            if start <= z.einddatum <= end:
                days = (z.einddatum - z.startdatum).days
                expected[days] = expected.get(days, 0) + 1
        table, summary = await queries.throughput(session, Filters(start=start, end=end))
        assert {r["dagen"]: r["aantal"] for r in table.rows} == expected
        assert summary["afgesloten"] == sum(expected.values()) > 0


async def test_a_corrected_doorlooptijd_moves_the_deadlines_of_its_zaken(session: AsyncSession) -> None:
    from tests.dashboard.conftest import make_types, make_zaak

    t = await make_types(session, doorlooptijd="P8W")
    await make_zaak(session, t, date(2025, 1, 2))  # deadline 2025-02-27
    f = Filters(start=date(2025, 3, 1), end=date(2025, 3, 10))
    assert queries.totals(await queries.per_zaaktype(session, f))["over_wettelijk"] == 1
    t.zaaktype.doorlooptijd = "P12W"  # deadline 2025-03-27
    await session.flush()
    assert queries.totals(await queries.per_zaaktype(session, f))["over_wettelijk"] == 0
    counters, feiten = await snapshot(session)
    await session.run_sync(lambda s: rebuild(s.connection()))
    assert await snapshot(session) == (counters, feiten)
