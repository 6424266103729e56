"""Reproducible demo data: several municipalities sharing model zaaktypen, with case histories.

Rows are bulk-inserted with SQLAlchemy Core (not through the Zaken service: a million zaken
through the API rules would take hours, and the dashboard reads only stored rows). The rows
are consistent with what the Zaken API writes: the current status on the zaak
(``status_uuid``), einddatum equal to the date of the final status, a resultaat on most
closed zaken, opschorting/verlenging in the spec's shape. The same seed gives the same data.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import JSON, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from samenzaak.catalogi.models import Catalogus, ResultaatType, StatusType, ZaakType
from samenzaak.dashboard.durations import add_duration, parse_duration
from samenzaak.dashboard.summary import refresh as summary_refresh
from samenzaak.db import DEFAULT_TENANT_ID, Tenant
from samenzaak.zaken.models import Resultaat, Status, Zaak


@dataclass(frozen=True, slots=True)
class ModelZaaktype:
    identificatie: str
    omschrijving: str
    doorlooptijd: str
    servicenorm: str
    weight: float


MODEL_ZAAKTYPEN = [
    ModelZaaktype("MZT-OMGEVINGSVERGUNNING", "Omgevingsvergunning", "P8W", "P6W", 3),
    ModelZaaktype("MZT-MELDING-OPENBARE-RUIMTE", "Melding openbare ruimte", "P14D", "P5D", 6),
    ModelZaaktype("MZT-PARKEERVERGUNNING", "Parkeervergunning", "P4W", "P2W", 3),
    ModelZaaktype("MZT-WOO-VERZOEK", "Woo-verzoek", "P4W", "P3W", 1),
    ModelZaaktype("MZT-BEZWAAR", "Bezwaarschrift", "P12W", "P10W", 1),
]
STATUSSEN = [("Ontvangen", "P2D", 0.0), ("In behandeling", "P3W", 0.1), ("Besluit genomen", "P1W", 0.8)]
EINDSTATUS = "Afgehandeld"
RESULTATEN = [("Verleend", 0.7), ("Geweigerd", 0.12), ("Ingetrokken", 0.08), ("Buiten behandeling", 0.1)]
KANALEN = [("e-formulier", 0.55), ("balie", 0.12), ("telefoon", 0.18), ("e-mail", 0.1), ("post", 0.05)]
KANAAL_URL = "https://referentielijsten.example.nl/api/v1/communicatiekanalen/"


@dataclass(frozen=True, slots=True)
class DemoTenant:
    slug: str
    naam: str
    rsins: tuple[str, ...]
    speed: float  # > 1: slower than the norm on average
    weight: float


DEMO_TENANTS = [
    DemoTenant("default", "Gemeente Samenstad", ("002220647", "001234567"), 1.0, 4),
    DemoTenant("oostwold", "Gemeente Oostwold", ("003456789",), 0.8, 2),
    DemoTenant("zuiderhaven", "Gemeente Zuiderhaven", ("004567890",), 1.35, 3),
]


@dataclass(slots=True)
class TypeRows:
    zaaktype: uuid.UUID
    model: ModelZaaktype
    statustypen: list[uuid.UUID]  # in volgnummer order, the last is the eindstatus
    resultaattypen: list[uuid.UUID]


@dataclass(slots=True)
class DemoSummary:
    zaken: int = 0
    statussen: int = 0
    resultaten: int = 0
    per_tenant: dict[str, int] = field(default_factory=dict)


async def _tenant_ids(session: AsyncSession) -> dict[str, int]:
    ids = {}
    for t in DEMO_TENANTS:
        tid = await session.scalar(select(Tenant.id).where(Tenant.slug == t.slug))
        if tid is None:
            tid = (await session.execute(select(func.max(Tenant.id)))).scalar_one() + 1
            await session.execute(insert(Tenant).values(id=tid, slug=t.slug, naam=t.naam, active=True))
        ids[t.slug] = tid
    return ids


async def _catalogus(session: AsyncSession, rng: random.Random, tenant_id: int, rsin: str) -> list[TypeRows]:
    """The tenant's demo catalogus with the model zaaktypen (created once, then reused)."""
    existing = await session.scalar(
        select(Catalogus.uuid)
        .where(Catalogus.tenant_id == tenant_id, Catalogus.domein == "DEMO")
        .execution_options(all_tenants=True)
    )
    out: list[TypeRows] = []
    if existing is not None:
        for m in MODEL_ZAAKTYPEN:
            zt = await session.scalar(
                select(ZaakType.uuid)
                .where(ZaakType.catalogus_uuid == existing, ZaakType.identificatie == m.identificatie)
                .execution_options(all_tenants=True)
            )
            sts = (
                await session.scalars(
                    select(StatusType.uuid)
                    .where(StatusType.zaaktype_uuid == zt)
                    .order_by(StatusType.volgnummer)
                    .execution_options(all_tenants=True)
                )
            ).all()
            rts = (
                await session.scalars(
                    select(ResultaatType.uuid)
                    .where(ResultaatType.zaaktype_uuid == zt)
                    .order_by(ResultaatType.omschrijving)
                    .execution_options(all_tenants=True)
                )
            ).all()
            assert zt is not None
            out.append(TypeRows(zt, m, list(sts), list(rts)))
        # Same order as RESULTATEN for the weighted choice.
        for rows in out:
            names = (
                await session.execute(
                    select(ResultaatType.uuid, ResultaatType.omschrijving)
                    .where(ResultaatType.zaaktype_uuid == rows.zaaktype)
                    .execution_options(all_tenants=True)
                )
            ).all()
            by_name = {n.omschrijving: n.uuid for n in names}
            rows.resultaattypen = [by_name[r] for r, _ in RESULTATEN]
        return out
    catalogus = _uuid(rng)
    await session.execute(
        insert(Catalogus).values(
            uuid=catalogus,
            tenant_id=tenant_id,
            domein="DEMO",
            rsin=rsin,
            contactpersoon_beheer_naam="Functioneel beheer",
            naam="Demo-catalogus (model-zaaktypen)",
        )
    )
    for m in MODEL_ZAAKTYPEN:
        zt = _uuid(rng)
        await session.execute(
            insert(ZaakType).values(
                uuid=zt,
                tenant_id=tenant_id,
                catalogus_uuid=catalogus,
                identificatie=m.identificatie,
                omschrijving=m.omschrijving,
                vertrouwelijkheidaanduiding="openbaar",
                doel=m.omschrijving,
                aanleiding=m.omschrijving,
                indicatie_intern_of_extern="extern",
                handeling_initiator="aanvragen",
                onderwerp=m.omschrijving,
                handeling_behandelaar="behandelen",
                doorlooptijd=m.doorlooptijd,
                servicenorm=m.servicenorm,
                opschorting_en_aanhouding_mogelijk=True,
                verlenging_mogelijk=True,
                verlengingstermijn="P6W",
                producten_of_diensten=[],
                verantwoordelijke=rsin,
                begin_geldigheid=date(2020, 1, 1),
                versiedatum=date(2020, 1, 1),
                concept=False,
            )
        )
        statustypen = []
        for volg, (naam, doorloop) in enumerate([(s[0], s[1]) for s in STATUSSEN] + [(EINDSTATUS, None)], 1):
            st = _uuid(rng)
            statustypen.append(st)
            await session.execute(
                insert(StatusType).values(
                    uuid=st,
                    tenant_id=tenant_id,
                    zaaktype_uuid=zt,
                    omschrijving=naam,
                    volgnummer=volg,
                    doorlooptijd=doorloop,
                )
            )
        resultaattypen = []
        for naam, _ in RESULTATEN:
            rt = _uuid(rng)
            resultaattypen.append(rt)
            await session.execute(
                insert(ResultaatType).values(
                    uuid=rt,
                    tenant_id=tenant_id,
                    zaaktype_uuid=zt,
                    omschrijving=naam,
                    resultaattypeomschrijving="https://selectielijst.example.nl/resultaattypeomschrijvingen/x",
                    selectielijstklasse="https://selectielijst.example.nl/resultaten/x",
                )
            )
        out.append(TypeRows(zt, m, statustypen, resultaattypen))
    return out


async def _bulk_insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    """A Core bulk insert; on PostgreSQL a binary COPY of the same rows, several times
    faster for a million zaken (the Python-side column defaults are filled in first)."""
    if not rows:
        return
    conn = await session.connection()
    if conn.dialect.name != "postgresql":
        await session.execute(insert(model), rows)
        return
    table = model.__table__
    columns = list(table.columns)
    fill = {c.name: c.default.arg for c in columns if c.name not in rows[0] and c.default is not None}
    json_columns = {c.name for c in columns if isinstance(c.type, JSON) or "JSON" in type(c.type).__name__}
    names = [c.name for c in columns if c.name in rows[0] or c.name in fill]

    def value(row: dict[str, Any], name: str) -> Any:
        if name in row:
            v = row[name]
        else:
            default = fill[name]
            v = default(None) if callable(default) else default
        if name in json_columns and v is not None:
            return json.dumps(v)
        return v

    records = [tuple(value(r, n) for n in names) for r in rows]
    raw = await conn.get_raw_connection()
    await raw.driver_connection.copy_records_to_table(table.name, records=records, columns=names)  # type: ignore[union-attr]


def _uuid(rng: random.Random) -> uuid.UUID:
    """Random but reproducible: the same seed gives the same uuids."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _at(d: date, hour: int) -> datetime:
    return datetime.combine(d, time(hour, 0), tzinfo=UTC)


async def generate(
    factory: async_sessionmaker[AsyncSession],
    zaken: int,
    *,
    seed: int = 20261129,
    today: date | None = None,
    days: int = 730,
    batch: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> DemoSummary:
    """Insert ``zaken`` zaken spread over the tenants, started in the ``days`` before ``today``."""
    today = today or datetime.now(UTC).date()
    summary = DemoSummary()
    async with factory() as session:
        session.info["all_tenants"] = True  # rows for several tenants (row-level security on PostgreSQL)
        session.info["tenant_id"] = DEFAULT_TENANT_ID
        tenant_ids = await _tenant_ids(session)
        offsets = {
            t.slug: int(
                (
                    await session.execute(
                        select(func.count())
                        .select_from(Zaak)
                        .where(Zaak.tenant_id == tenant_ids[t.slug])
                        .execution_options(all_tenants=True)
                    )
                ).scalar_one()
            )
            for t in DEMO_TENANTS
        }
        # Seeded by the seed and what is there already: a second run adds new zaken, not clashes.
        rng = random.Random(f"{seed}:{sum(offsets.values())}")  # noqa: S311 - reproducible demo data
        types = {t.slug: await _catalogus(session, rng, tenant_ids[t.slug], t.rsins[0]) for t in DEMO_TENANTS}
        await session.commit()

        tenant_weights = [t.weight for t in DEMO_TENANTS]
        type_weights = [m.weight for m in MODEL_ZAAKTYPEN]
        done = 0
        while done < zaken:
            n = min(batch, zaken - done)
            zaak_rows: list[dict[str, Any]] = []
            status_rows: list[dict[str, Any]] = []
            result_rows: list[dict[str, Any]] = []
            for _ in range(n):
                tenant = rng.choices(DEMO_TENANTS, tenant_weights)[0]
                tid = tenant_ids[tenant.slug]
                trows = rng.choices(types[tenant.slug], type_weights)[0]
                offsets[tenant.slug] += 1
                _zaak(
                    rng,
                    today,
                    days,
                    tenant,
                    tid,
                    trows,
                    offsets[tenant.slug],
                    zaak_rows,
                    status_rows,
                    result_rows,
                )
                summary.per_tenant[tenant.slug] = summary.per_tenant.get(tenant.slug, 0) + 1
            for model, rows in ((Zaak, zaak_rows), (Status, status_rows), (Resultaat, result_rows)):
                await _bulk_insert(session, model, rows)
            # Core inserts pass no session hook: the dashboard summary of this batch, in the
            # same transaction.
            new = [r["uuid"] for r in zaak_rows]

            def fill(sync: Session, new: list[uuid.UUID] = new) -> None:
                summary_refresh(sync.connection(), new, new=True)

            await session.run_sync(fill)
            await session.commit()
            done += n
            summary.zaken += n
            summary.statussen += len(status_rows)
            summary.resultaten += len(result_rows)
            if progress:
                progress(n)
    return summary


def _zaak(
    rng: random.Random,
    today: date,
    days: int,
    tenant: DemoTenant,
    tid: int,
    t: TypeRows,
    seq: int,
    zaken: list[dict[str, Any]],
    statussen: list[dict[str, Any]],
    resultaten: list[dict[str, Any]],
) -> None:
    m = t.model
    start = today - timedelta(days=rng.randrange(days))
    norm = parse_duration(m.servicenorm)
    assert norm is not None
    # Throughput: log-normal around the norm, slower or faster per municipality.
    target = max(1.0, norm.approx_days() * tenant.speed * rng.lognormvariate(-0.1, 0.45))
    verlenging = {"reden": "Advies nodig", "duur": "P6W"} if rng.random() < 0.08 else None
    if verlenging:
        target += rng.uniform(10, 40)
    end: date | None = start + timedelta(days=round(target))
    assert end is not None
    if end > today:
        end = None
    opschorting = None
    if end is None and rng.random() < 0.06:
        opschorting = {"indicatie": True, "reden": "Wacht op aanvullende gegevens"}
    zaak_uuid = _uuid(rng)
    last_day = end or today
    # Statussen follow the planned course of the zaak; an open zaak has reached those due by today.
    current = None
    for i, (_, _, at) in enumerate(STATUSSEN):
        day = start + timedelta(days=round(target * at))
        if day > last_day:
            break
        current = _uuid(rng)
        statussen.append(
            {
                "uuid": current,
                "tenant_id": tid,
                "zaak_uuid": zaak_uuid,
                "statustype_uuid": t.statustypen[i],
                "statustype_url": "",
                "datum_status_gezet": _at(day, 9 + i),
            }
        )
    reopened = end is not None and rng.random() < 0.02
    if end is not None:
        current = _uuid(rng)
        statussen.append(
            {
                "uuid": current,
                "tenant_id": tid,
                "zaak_uuid": zaak_uuid,
                "statustype_uuid": t.statustypen[-1],
                "statustype_url": "",
                "datum_status_gezet": _at(end, 16),
            }
        )
        if reopened:
            # Heropend: back in behandeling a few days later, closed again (or still open).
            again = end + timedelta(days=rng.randrange(1, 10))
            if again <= today:
                current = _uuid(rng)
                statussen.append(
                    {
                        "uuid": current,
                        "tenant_id": tid,
                        "zaak_uuid": zaak_uuid,
                        "statustype_uuid": t.statustypen[1],
                        "statustype_url": "",
                        "datum_status_gezet": _at(again, 10),
                    }
                )
                final = again + timedelta(days=rng.randrange(3, 30))
                if final <= today:
                    current = _uuid(rng)
                    statussen.append(
                        {
                            "uuid": current,
                            "tenant_id": tid,
                            "zaak_uuid": zaak_uuid,
                            "statustype_uuid": t.statustypen[-1],
                            "statustype_url": "",
                            "datum_status_gezet": _at(final, 16),
                        }
                    )
                    end = final
                else:
                    end = None
    if end is not None and rng.random() < 0.95:
        r = rng.choices(t.resultaattypen, [w for _, w in RESULTATEN])[0]
        resultaten.append(
            {
                "uuid": _uuid(rng),
                "tenant_id": tid,
                "zaak_uuid": zaak_uuid,
                "resultaattype_uuid": r,
                "resultaattype_url": "",
            }
        )
    kanaal = rng.choices([k for k, _ in KANALEN], [w for _, w in KANALEN])[0]
    zaken.append(
        {
            "uuid": zaak_uuid,
            "tenant_id": tid,
            "identificatie": f"ZAAK-{start.year}-{seq:07d}",
            "bronorganisatie": rng.choice(tenant.rsins),
            "omschrijving": m.omschrijving,
            "zaaktype_uuid": t.zaaktype,
            "zaaktype_url": "",
            "registratiedatum": start,
            "verantwoordelijke_organisatie": tenant.rsins[0],
            "startdatum": start,
            "einddatum": end,
            "einddatum_gepland": add_duration(start, m.servicenorm),
            "uiterlijke_einddatum_afdoening": add_duration(start, m.doorlooptijd)
            if rng.random() < 0.3
            else None,
            "communicatiekanaal": KANAAL_URL + kanaal,
            "vertrouwelijkheidaanduiding": "openbaar",
            "verlenging": verlenging,
            "opschorting": opschorting,
            "status_uuid": current,
        }
    )
