"""Time the dashboard on a large database.

    python bench/dashboard.py --zaken 100000                      # SQLite file (default)
    python bench/dashboard.py --zaken 1000000 --database-url postgresql://postgres@127.0.0.1:5432/sz_dashboard

Bulk-inserts N synthetic zaken (SQLAlchemy Core, with a progress bar; see
``samenzaak.dashboard.demo``) into a fresh database, then requests every dashboard page
and JSON endpoint through the ASGI app (no network in between) and prints the median and
the slowest of ``--repeat`` runs. ``--keep`` reuses the data of an earlier run.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import sys
import time
from pathlib import Path

import click
import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.app import create_app
from samenzaak.config import Settings
from samenzaak.dashboard import security
from samenzaak.dashboard.demo import generate
from samenzaak.dashboard.routes import install
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade_connection

YEAR = "van=2025-01-01&tot=2025-12-31"  # a full year, looking back (its end is in the past)
# Every page, JSON and CSV, with the default filters (the last 13 weeks) and over a full year.
_PAGES = [
    "/dashboard",
    "/dashboard/zaaktype/MZT-OMGEVINGSVERGUNNING",
    "/dashboard/te-laat",
    "/dashboard/vergelijking",
    "/dashboard/wetswijziging",
    "/dashboard/api/overzicht",
    "/dashboard/api/zaaktypen/MZT-MELDING-OPENBARE-RUIMTE",
    "/dashboard/api/vergelijking",
    "/dashboard/api/te-laat",
    "/dashboard/csv/per_zaaktype.csv",
    "/dashboard/csv/te_laat.csv",
    "/dashboard/csv/doorlooptijd.csv",
    "/dashboard/csv/tijd_per_status.csv",
    "/dashboard/csv/vergelijking.csv",
]
PAGES = [
    *_PAGES,
    "/dashboard?zaaktype=MZT-PARKEERVERGUNNING&organisatie=002220647",
    *(f"{p}?{YEAR}" for p in _PAGES),
]


def remove_sqlite(url: str) -> None:
    path = Path(url.split("///", 1)[1])
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


async def conn_analyze(engine: AsyncEngine, sql: str) -> None:
    async with engine.connect() as conn:
        auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
        await auto.execute(text(sql))


async def prepare(url: str, zaken: int, keep: bool) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if engine.dialect.name == "postgresql" and not keep:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await conn.run_sync(upgrade_connection)
        if keep:
            if engine.dialect.name == "postgresql":  # statistics for a summary just rebuilt by a migration
                await conn_analyze(engine, "ANALYZE dashboard_zaakfeiten, dashboard_tellingen")
            return
        factory = make_sessionmaker(engine)
        started = time.perf_counter()
        with click.progressbar(length=zaken, label=f"Inserting {zaken:,} zaken", file=sys.stderr) as bar:
            summary = await generate(factory, zaken, progress=bar.update, batch=10_000)
        took = time.perf_counter() - started
        print(
            f"inserted {summary.zaken:,} zaken, {summary.statussen:,} statussen, {summary.resultaten:,} "
            f"resultaten in {took:.0f} s ({summary.zaken / took:,.0f} zaken/s)"
        )
        # Statistics for the planner, and (PostgreSQL) the visibility map for index-only scans.
        await conn_analyze(engine, "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")
        async with tenant_session(factory) as session:
            await security.create_user(session, "bench", "bench-password")
    finally:
        await engine.dispose()


async def measure(url: str, repeat: int) -> None:
    app = create_app(Settings(database_url=url))
    install(app)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        form = await client.get("/dashboard/login")
        match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert match
        r = await client.post(
            "/dashboard/login",
            data={"username": "bench", "password": "bench-password", "csrf_token": match.group(1)},
        )
        assert r.status_code == 303, r.text
        print(f"{'request':<75} {'median':>8} {'max':>8}")
        worst = 0.0
        for page in PAGES:
            await client.get(page)  # warm-up: connection pool, statement cache, OS page cache
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                r = await client.get(page)
                times.append(time.perf_counter() - t0)
                assert r.status_code == 200, (page, r.status_code, r.text[:500])
            med = statistics.median(times)
            worst = max(worst, med)
            print(f"{page:<75} {med * 1000:7.0f}ms {max(times) * 1000:7.0f}ms")
        print(f"slowest median: {worst * 1000:.0f} ms ({'OK' if worst < 1 else 'over'} the 1 s budget)")
    await app.state.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--zaken", type=int, default=100_000, help="zaken to insert (default 100000)")
    parser.add_argument(
        "--database-url",
        default="sqlite:///bench-dashboard.sqlite3",
        help="sqlite:///file or postgresql://user@host/db (the database is emptied first!)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="requests per page (default 5)")
    parser.add_argument("--keep", action="store_true", help="reuse the data already in the database")
    args = parser.parse_args()
    if args.database_url.startswith("sqlite") and not args.keep:
        remove_sqlite(args.database_url)
    asyncio.run(prepare(args.database_url, args.zaken, args.keep))
    asyncio.run(measure(args.database_url, args.repeat))


if __name__ == "__main__":
    main()
