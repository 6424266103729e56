"""Each indicator against the hand-computed scenario in conftest (no HTTP)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.dashboard import queries
from samenzaak.dashboard.queries import Filters
from tests.dashboard.conftest import ZT, Scenario

PERIOD = Filters(start=date(2025, 1, 6), end=date(2025, 2, 2))


def _row(table: queries.Table, key: str, value: str) -> dict[str, object]:
    return next(r for r in table.rows if r[key] == value)


async def test_per_zaaktype_counts_inflow_outflow_open_and_overdue(
    session: AsyncSession, scenario: Scenario
) -> None:
    table = await queries.per_zaaktype(session, PERIOD)
    assert [r["zaaktype"] for r in table.rows] == [ZT]  # the other tenant's zaken are not here
    assert _row(table, "zaaktype", ZT) == {
        "zaaktype": ZT,
        "omschrijving": "Aanvraag",
        "instroom": 5,  # over_gepland, uiterlijk, snel, heropend, andere_organisatie
        "uitstroom": 3,  # snel, zonder_resultaat, heropend (once)
        "open": 6,  # the three from December, over_gepland, uiterlijk, andere_organisatie
        "over_gepland": 1,
        "over_wettelijk": 2,  # over_wettelijk and uiterlijk; not verlengd, not opgeschort
        "opgeschort": 1,
    }


async def test_weekly_flow_and_backlog_end_at_the_open_count(
    session: AsyncSession, scenario: Scenario
) -> None:
    table = await queries.weekly_flow(session, PERIOD)
    assert table.rows == [
        {"week": "2025-01-06", "instroom": 4, "uitstroom": 0, "werkvoorraad": 8},
        {"week": "2025-01-13", "instroom": 1, "uitstroom": 0, "werkvoorraad": 9},
        {"week": "2025-01-20", "instroom": 0, "uitstroom": 2, "werkvoorraad": 7},
        {"week": "2025-01-27", "instroom": 0, "uitstroom": 1, "werkvoorraad": 6},
    ]


async def test_overdue_list_worst_first_with_days_over(session: AsyncSession, scenario: Scenario) -> None:
    table = await queries.overdue(session, PERIOD)
    z = scenario.zaken
    assert [(r["identificatie"], r["dagen_over_gepland"], r["dagen_over_wettelijk"]) for r in table.rows] == [
        (z["over_gepland"].identificatie, 13, 0),
        (z["over_wettelijk"].identificatie, 0, 7),
        (z["uiterlijk"].identificatie, 0, 2),
    ]


async def test_verlenging_and_opschorting_keep_a_zaak_off_the_overdue_list(
    session: AsyncSession, scenario: Scenario
) -> None:
    ids = {r["identificatie"] for r in (await queries.overdue(session, PERIOD)).rows}
    assert scenario.zaken["verlengd"].identificatie not in ids
    assert scenario.zaken["opgeschort"].identificatie not in ids
    # On 2025-03-10 the verlenging (deadline 2025-03-09) has run out too: 1 day over.
    later = Filters(start=date(2025, 3, 1), end=date(2025, 3, 10))
    rows = {r["identificatie"]: r for r in (await queries.overdue(session, later)).rows}
    assert rows[scenario.zaken["verlengd"].identificatie]["dagen_over_wettelijk"] == 1
    assert scenario.zaken["opgeschort"].identificatie not in rows


async def test_results_count_zaken_without_resultaat_apart(session: AsyncSession, scenario: Scenario) -> None:
    table = await queries.by_result(session, PERIOD)
    assert {r["resultaat"]: r["aantal"] for r in table.rows} == {
        "Verleend": 1,
        "Geweigerd": 1,
        queries.NO_RESULT: 1,
    }


async def test_open_zaken_by_current_status(session: AsyncSession, scenario: Scenario) -> None:
    table = await queries.by_status(session, PERIOD)
    # None of the open zaken in the scenario has a status yet.
    assert table.rows == [{"status": "(geen status)", "aantal": 6}]


async def test_throughput_percentiles_and_share_within_norms(
    session: AsyncSession, scenario: Scenario
) -> None:
    table, summary = await queries.throughput(session, Filters(PERIOD.start, PERIOD.end, ZT))
    # snel 14 days, heropend 16 days (start to its last einddatum), zonder_resultaat 40 days.
    assert [(r["dagen"], r["aantal"]) for r in table.rows] == [(14, 1), (16, 1), (40, 1)]
    assert summary == {
        "afgesloten": 3,
        "p50_dagen": 16.0,
        "p90_dagen": 40.0,
        "binnen_servicenorm_pct": 66.7,  # 40 days > 4 weeks
        "binnen_wettelijke_termijn_pct": 100.0,
    }


async def test_time_per_status_follows_reopened_zaken(session: AsyncSession, scenario: Scenario) -> None:
    table = await queries.time_per_status(session, Filters(PERIOD.start, PERIOD.end, ZT))
    assert table.rows == [
        # snel: 14 days, heropend: 7 days.
        {"status": "Ontvangen", "aantal": 2, "gemiddeld_dagen": 10.5, "norm_dagen": 5.0},
        # heropend: back in behandeling from 01-17 to 01-24.
        {"status": "In behandeling", "aantal": 1, "gemiddeld_dagen": 7.0, "norm_dagen": 14.0},
        # heropend: closed on 01-15, reopened on 01-17; a final status has no duration.
        {"status": "Afgehandeld", "aantal": 1, "gemiddeld_dagen": 2.0, "norm_dagen": None},
    ]


async def test_organisation_filter(session: AsyncSession, scenario: Scenario) -> None:
    f = Filters(PERIOD.start, PERIOD.end, bronorganisatie="111222333")
    totals = queries.totals(await queries.per_zaaktype(session, f))
    assert (totals["instroom"], totals["open"], totals["uitstroom"]) == (1, 1, 0)
    assert await queries.organisations(session) == ["002220647", "111222333"]


async def test_channel_labels_from_communicatiekanaal_urls() -> None:
    assert queries.channel_label("https://x.nl/api/v1/communicatiekanalen/balie") == "balie"
    assert queries.channel_label("") == queries.NO_CHANNEL


async def test_comparison_across_municipalities_aggregates_only(
    session: AsyncSession, scenario: Scenario
) -> None:
    assert await queries.shared_zaaktypen(session) == [ZT]
    table = await queries.comparison(session, PERIOD)
    rows = {r["organisatie"]: r for r in table.rows}
    assert set(rows) == {"Default", "Gemeente Twee"} or len(rows) == 2
    own = next(r for r in table.rows if r["organisatie"] != "Gemeente Twee")
    other = rows["Gemeente Twee"]
    assert (own["afgesloten"], own["open"], own["p50_dagen"], own["over_wettelijk"]) == (3, 6, 16.0, 2)
    assert (other["afgesloten"], other["open"], other["p50_dagen"], other["over_wettelijk"]) == (
        1,
        1,
        10.0,
        1,
    )
    assert other["binnen_servicenorm_pct"] == 100.0
    # Aggregates only: no identificaties, uuids or other per-zaak values leave the query.
    assert set(other) == {c.key for c in queries.COMPARISON_COLUMNS}


async def test_empty_period_gives_empty_tables(session: AsyncSession, scenario: Scenario) -> None:
    f = Filters(start=date(2020, 1, 6), end=date(2020, 1, 12))
    assert (await queries.per_zaaktype(session, f)).rows == []
    assert (await queries.weekly_flow(session, f)).rows == [
        {"week": "2020-01-06", "instroom": 0, "uitstroom": 0, "werkvoorraad": 0}
    ]
    _, summary = await queries.throughput(session, f)
    assert summary["p50_dagen"] is None and summary["binnen_servicenorm_pct"] is None


async def test_demo_data_gives_consistent_histories(sessionmaker: Any, session: AsyncSession) -> None:
    from sqlalchemy import func, select

    from samenzaak.dashboard.demo import generate
    from samenzaak.zaken.models import Status, Zaak

    peildatum = date(2025, 6, 29)
    summary = await generate(sessionmaker, 400, seed=3, today=peildatum, days=200)
    assert summary.zaken == 400 and set(summary.per_tenant) == {"default", "oostwold", "zuiderhaven"}
    # Every zaak has a current status that is its latest; closed zaken end on their last status.
    latest = (
        select(Status.zaak_uuid, func.max(Status.datum_status_gezet).label("laatst"))
        .group_by(Status.zaak_uuid)
        .subquery()
    )
    mismatches = await session.scalar(
        select(func.count())
        .select_from(Zaak)
        .join(Status, Status.uuid == Zaak.status_uuid)
        .join(latest, latest.c.zaak_uuid == Zaak.uuid)
        .where(Status.datum_status_gezet != latest.c.laatst)
        .execution_options(all_tenants=True)
    )
    assert mismatches == 0
    f = Filters(start=date(2025, 4, 7), end=peildatum)
    totals = queries.totals(await queries.per_zaaktype(session, f))
    weeks = (await queries.weekly_flow(session, f)).rows
    assert totals["instroom"] > 0 and totals["uitstroom"] > 0
    assert weeks[-1]["werkvoorraad"] == totals["open"]
    assert sum(w["instroom"] for w in weeks) == totals["instroom"]
    assert len(await queries.shared_zaaktypen(session)) == 5
