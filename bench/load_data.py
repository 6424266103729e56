"""Bulk-load zaken (with statussen, rollen, resultaten) straight into Samenzaak's database, for
benchmarks at municipal scale (1,000,000 zaken) that HTTP creation would take hours to build.

It writes with SQLAlchemy Core against the models of the Zaken API, in batches, and fills
what the API would derive itself (the zaak's current status, a rol's indexed identificatie columns), so the
rows are indistinguishable from created ones for every read. Not written: audit trail and
notification rows (reads never touch them).

    python bench/load_data.py --database-url postgresql://postgres@127.0.0.1:5432/sz_bench \\
        --zaaktype http://127.0.0.1:8000/catalogi/api/v1/zaaktypen/<uuid> --zaken 1000000
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import secrets
import sys
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

if __package__ in (None, ""):  # run as `python bench/load_data.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bench.zgw import valid_bsns
from samenzaak.catalogi.models import Catalogus, ResultaatType, RolType, StatusType, ZaakType
from samenzaak.dashboard.summary import refresh as summary_refresh
from samenzaak.db import DEFAULT_TENANT_ID, create_engine
from samenzaak.zaken.children_service import identificatie_columns
from samenzaak.zaken.models import Resultaat, Rol, Status, Zaak

RSIN = "111222333"
YEARS_BACK = 5


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/load_data.py",
        description="Bulk-insert zaken with statussen, rollen and resultaten (SQLAlchemy Core, no HTTP).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument(
        "--database-url",
        default=os.environ.get("SAMENZAAK_DATABASE_URL"),
        help="The server's database (default: $SAMENZAAK_DATABASE_URL); migrated already",
    )
    p.add_argument("--zaaktype", required=True, help="URL (or uuid) of a zaaktype in this database")
    p.add_argument("--zaken", type=int, default=1_000_000, help="How many zaken to insert")
    p.add_argument(
        "--zaaktypen",
        type=int,
        default=200,
        help="Zaaktypen the zaken spread over: the given one (the largest, Zipf) and copies of it",
    )
    p.add_argument("--catalogi", type=int, default=4, help="Catalogi the zaaktypen are spread over")
    p.add_argument("--tenant-id", type=int, default=DEFAULT_TENANT_ID, help="The tenant the rows belong to")
    p.add_argument("--batch", type=int, default=5000, help="Zaken per transaction")
    p.add_argument(
        "--citizens", type=int, default=100_000, help="Distinct BSNs the initiators are drawn from"
    )
    p.add_argument("--resultaat-share", type=float, default=0.25, help="Share of zaken with a resultaat")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-progress", action="store_true", help="No progress bar")
    args = p.parse_args(argv)
    if not args.database_url:
        p.error("--database-url (or SAMENZAAK_DATABASE_URL) is required")
    if args.zaken < 1 or args.batch < 1 or args.citizens < 1 or not 0 <= args.resultaat_share <= 1:
        p.error("--zaken, --batch and --citizens must be positive; --resultaat-share within 0..1")
    if not 1 <= args.catalogi <= args.zaaktypen:
        p.error("--catalogi must be at least 1 and at most --zaaktypen")
    try:
        args.zaaktype_uuid = uuid.UUID(args.zaaktype.rstrip("/").rsplit("/", 1)[-1])
    except ValueError:
        p.error("--zaaktype must end in a uuid")
    return args


class Progress:
    """A one-line progress bar on stderr (no dependency)."""

    def __init__(self, total: int, out: TextIO = sys.stderr, enabled: bool = True) -> None:
        self.total = total
        self.out = out
        self.enabled = enabled
        self.start = time.monotonic()

    def show(self, done: int) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = done / elapsed
        eta = (self.total - done) / rate if rate else 0
        width = 30
        filled = int(width * done / self.total)
        self.out.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done:>9}/{self.total} zaken "
            f"{rate:8.0f}/s  eta {eta:5.0f} s"
        )
        if done >= self.total:
            self.out.write("\n")
        self.out.flush()


class Types:
    """The zaaktype and its statustypen, roltypen and resultaattypen, read once."""

    def __init__(
        self, zaaktype: Any, statustypen: list[Any], roltypen: list[Any], resultaattypen: list[Any]
    ) -> None:
        self.zaaktype = zaaktype
        # Not the eindstatus: bulk zaken stay open, as most of a municipality's working set.
        self.statustypen = [s.uuid for s in statustypen[:-1]] or [s.uuid for s in statustypen]
        initiators = [r for r in roltypen if r.omschrijving_generiek == "initiator"] or roltypen
        self.roltype = initiators[0] if initiators else None
        self.resultaattype = resultaattypen[0].uuid if resultaattypen else None


async def read_types(conn: AsyncConnection, tenant_id: int, zaaktype_uuid: uuid.UUID) -> Types:
    # A Core connection has no session, so no automatic tenant scoping: filter explicitly.
    zaaktype = (
        await conn.execute(
            select(ZaakType.uuid, ZaakType.vertrouwelijkheidaanduiding).where(
                ZaakType.uuid == zaaktype_uuid, ZaakType.tenant_id == tenant_id
            )
        )
    ).first()
    if zaaktype is None:
        raise SystemExit(f"no zaaktype {zaaktype_uuid} in tenant {tenant_id}")

    async def children(model: Any, *columns: Any, order: Any = None) -> list[Any]:
        stmt = select(model.uuid, *columns).where(
            model.zaaktype_uuid == zaaktype_uuid, model.tenant_id == tenant_id
        )
        return list((await conn.execute(stmt.order_by(order) if order is not None else stmt)).all())

    statustypen = await children(StatusType, StatusType.volgnummer, order=StatusType.volgnummer)
    roltypen = await children(RolType, RolType.omschrijving, RolType.omschrijving_generiek)
    resultaattypen = await children(ResultaatType)
    return Types(zaaktype, statustypen, roltypen, resultaattypen)


async def spread_types(
    conn: AsyncConnection, tenant_id: int, zaaktype_uuid: uuid.UUID, zaaktypen: int, catalogi: int, run: str
) -> list[Types]:
    """The given zaaktype and ``zaaktypen - 1`` copies of it (with its statustypen, roltypen
    and resultaattypen) over ``catalogi`` catalogi, the given one's first: a municipality's
    spread of case types, so a list filtered by zaaktype sees a realistic share of the table."""
    original = await read_types(conn, tenant_id, zaaktype_uuid)
    if zaaktypen == 1:
        return [original]

    async def row_of(model: Any, pk: Any) -> dict[str, Any]:
        return dict((await conn.execute(select(model.__table__).where(model.uuid == pk))).one()._mapping)

    zaaktype = await row_of(ZaakType, zaaktype_uuid)
    catalogus = await row_of(Catalogus, zaaktype["catalogus_uuid"])
    taken = set((await conn.scalars(select(Catalogus.domein).where(Catalogus.tenant_id == tenant_id))).all())
    free = (d for d in (f"B{i:04d}" for i in range(10_000)) if d not in taken)
    catalogus_uuids = [catalogus["uuid"]]
    for _ in range(catalogi - 1):
        copy = {**catalogus, "uuid": uuid.uuid4(), "domein": next(free), "naam": "Bulk"}
        await conn.execute(insert(Catalogus.__table__), copy)
        catalogus_uuids.append(copy["uuid"])
    children = {
        model: [
            dict(r._mapping)
            for r in await conn.execute(select(model.__table__).where(model.zaaktype_uuid == zaaktype_uuid))
        ]
        for model in (StatusType, RolType, ResultaatType)
    }
    copies = []
    for n in range(1, zaaktypen):
        pk = uuid.uuid4()
        identificatie = f"{zaaktype['identificatie'][:30]}-{run}-{n:03d}"
        row = {
            **zaaktype,
            "uuid": pk,
            "identificatie": identificatie,
            "catalogus_uuid": catalogus_uuids[n % catalogi],
        }
        await conn.execute(insert(ZaakType.__table__), row)
        for model, rows in children.items():
            if rows:
                await conn.execute(
                    insert(model.__table__), [{**r, "uuid": uuid.uuid4(), "zaaktype_uuid": pk} for r in rows]
                )
        copies.append(pk)
    return [original] + [await read_types(conn, tenant_id, pk) for pk in copies]


def zipf_cum_weights(n: int) -> list[float]:
    """Cumulative weights 1/rank: a few large zaaktypen and a long tail of small ones."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1 / rank
        out.append(total)
    return out


def build_batch(
    types: Sequence[Types],
    tenant_id: int,
    start: int,
    count: int,
    run: str,
    bsns: list[str],
    rng: random.Random,
    resultaat_share: float,
    cum_weights: Sequence[float] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """The rows for zaken ``start``..``start+count``: each with 1–3 statussen (the last is the
    zaak's current one), an initiator rol with a BSN, and sometimes a resultaat."""
    zaken: list[dict[str, Any]] = []
    statussen: list[dict[str, Any]] = []
    rollen: list[dict[str, Any]] = []
    resultaten: list[dict[str, Any]] = []
    now = dt.datetime.now(dt.UTC)
    kinds = rng.choices(types, cum_weights=cum_weights, k=count)
    for n, types_ in zip(range(start, start + count), kinds, strict=True):
        zaak_uuid = uuid.uuid4()
        created = now - dt.timedelta(seconds=rng.randrange(YEARS_BACK * 365 * 86400))
        current = None
        for i, statustype in enumerate(types_.statustypen[: rng.randint(1, 3)]):
            current = uuid.uuid4()
            statussen.append(
                {
                    "uuid": current,
                    "tenant_id": tenant_id,
                    "zaak_uuid": zaak_uuid,
                    "statustype_uuid": statustype,
                    "statustype_url": "",
                    "datum_status_gezet": created + dt.timedelta(days=i),
                    "statustoelichting": "",
                    "gezetdoor": "",
                    "aangemaakt": created + dt.timedelta(days=i),
                }
            )
        zaken.append(
            {
                "uuid": zaak_uuid,
                "tenant_id": tenant_id,
                "identificatie": f"BULK-{run}-{n:010d}",
                "bronorganisatie": RSIN,
                "omschrijving": "bulk",
                "toelichting": "",
                "zaaktype_uuid": types_.zaaktype.uuid,
                "zaaktype_url": "",
                "registratiedatum": created.date(),
                "verantwoordelijke_organisatie": RSIN,
                "startdatum": created.date(),
                "vertrouwelijkheidaanduiding": types_.zaaktype.vertrouwelijkheidaanduiding,
                "archiefstatus": "nog_te_archiveren",
                "status_uuid": current,
                "aangemaakt": created,
            }
        )
        if types_.roltype is not None:
            identificatie = {"inpBsn": rng.choice(bsns), "geslachtsnaam": "Bulk", "voorletters": "B"}
            rollen.append(
                {
                    "uuid": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "zaak_uuid": zaak_uuid,
                    "betrokkene": "",
                    "betrokkene_type": "natuurlijk_persoon",
                    "roltype_uuid": types_.roltype.uuid,
                    "roltype_url": "",
                    "omschrijving": types_.roltype.omschrijving,
                    "omschrijving_generiek": types_.roltype.omschrijving_generiek,
                    "roltoelichting": "bulk",
                    "registratiedatum": created,
                    "betrokkene_identificatie": identificatie,
                    # The indexed columns the rol__betrokkeneIdentificatie__* filters search.
                    **identificatie_columns("natuurlijk_persoon", identificatie),
                }
            )
        if types_.resultaattype is not None and rng.random() < resultaat_share:
            resultaten.append(
                {
                    "uuid": uuid.uuid4(),
                    "tenant_id": tenant_id,
                    "zaak_uuid": zaak_uuid,
                    "resultaattype_uuid": types_.resultaattype,
                    "resultaattype_url": "",
                    "toelichting": "",
                }
            )
    return {"zaken": zaken, "statussen": statussen, "rollen": rollen, "resultaten": resultaten}


TABLES = {"zaken": Zaak, "statussen": Status, "rollen": Rol, "resultaten": Resultaat}
SUMMARY = ("dashboard_zaakfeiten", "dashboard_tellingen")


async def each_table(engine: AsyncEngine, command: str) -> None:
    """``command`` (ANALYZE, VACUUM) on every table the loader fills, outside a transaction."""
    async with engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        for table in (*(m.__tablename__ for m in TABLES.values()), *SUMMARY):
            await conn.execute(text(f"{command} {table}"))


async def load(args: argparse.Namespace) -> dict[str, int]:
    engine = create_engine(args.database_url)
    counts = dict.fromkeys(TABLES, 0)
    try:
        run = secrets.token_hex(3)
        async with engine.begin() as conn:
            types = await spread_types(
                conn, args.tenant_id, args.zaaktype_uuid, args.zaaktypen, args.catalogi, run
            )
        cum_weights = zipf_cum_weights(len(types))
        rng = random.Random(args.seed)
        bsns = valid_bsns(args.citizens)
        progress = Progress(args.zaken, enabled=not args.no_progress)
        done = 0
        analyze_at = {args.batch * 2**i for i in range(0, 12)}
        while done < args.zaken:
            size = min(args.batch, args.zaken - done)
            rows = build_batch(
                types, args.tenant_id, done, size, run, bsns, rng, args.resultaat_share, cum_weights
            )
            async with engine.begin() as conn:
                for name, model in TABLES.items():
                    if rows[name]:
                        await conn.execute(insert(model.__table__), rows[name])  # type: ignore[arg-type]
                        counts[name] += len(rows[name])
                # The dashboard's summary of these zaken, in the same transaction (Core
                # inserts pass no session hook).
                new = [z["uuid"] for z in rows["zaken"]]
                await conn.run_sync(lambda sync, new=new: summary_refresh(sync, new, new=True))
            done += size
            progress.show(done)
            if engine.dialect.name == "postgresql" and done in analyze_at:
                # Statistics while the tables grow: the summary reads each batch back by
                # uuid, and with autovacuum off (as on the benchmark machines) a planner
                # that still thinks the tables empty scans them whole, batch after batch.
                await each_table(engine, "ANALYZE")
        if engine.dialect.name == "postgresql":
            # Fresh statistics, so the planner sees a million rows and not an empty table;
            # VACUUM too: it sets the visibility map, without which the deep-page keys are
            # index scans that visit the table after all.
            await each_table(engine, "VACUUM (ANALYZE)")
    finally:
        await engine.dispose()
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.monotonic()
    counts = asyncio.run(load(args))
    seconds = time.monotonic() - started
    summary = ", ".join(f"{n} {name}" for name, n in counts.items())
    print(
        f"Inserted {summary} in {seconds:.0f} s ({counts['zaken'] / seconds:.0f} zaken/s).", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
