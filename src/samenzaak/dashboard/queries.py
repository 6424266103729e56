"""The dashboard's indicators: set-based SQL aggregates, never a loop over zaken in Python.

Every query groups in the database and returns a handful of rows (one per week, zaaktype,
status, duration in days, ...). Python only shapes those rows into :class:`Table` s, which
the HTML page, the JSON API and the CSV downloads all render, so the three always agree.

Definitions (on the peildatum, the last day of the chosen period):
- *open*: started on or before the peildatum and not ended by it (reopened zaken have no
  einddatum, so they are open again; they count once in the outflow, on their last einddatum);
- *inflow*/*outflow*: zaken started/ended in the period, by ISO week (Monday);
- *past the planned end*: open with ``einddatumGepland`` before the peildatum;
- *past the legal deadline*: open, not suspended, and the legal deadline before the
  peildatum. The deadline is ``uiterlijkeEinddatumAfdoening`` or startdatum + the
  zaaktype's doorlooptijd, plus the verlenging's duur. A suspended zaak's clock stands
  still, so it is not counted while its opschorting is on (see ``durations.legal_deadline``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from samenzaak.catalogi.models import ResultaatType, StatusType, ZaakType
from samenzaak.dashboard.durations import Duration, parse_duration, percentile
from samenzaak.dashboard.sql import add_duration, days_between, elapsed_days, unindexed, week_start
from samenzaak.db import Tenant
from samenzaak.zaken.models import Resultaat, Status, Zaak

NO_ZAAKTYPE = "(extern zaaktype)"
NO_RESULT = "(geen resultaat)"
NO_CHANNEL = "(onbekend)"
OVERDUE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class Filters:
    start: date
    end: date
    zaaktype: str | None = None  # a zaaktype identificatie: all its versions together
    bronorganisatie: str | None = None

    @classmethod
    def default(cls, today: date, weeks: int = 13) -> Filters:
        return cls(start=today - timedelta(weeks=weeks) + timedelta(days=1), end=today)

    def as_params(self) -> dict[str, str]:
        params = {"van": self.start.isoformat(), "tot": self.end.isoformat()}
        if self.zaaktype:
            params["zaaktype"] = self.zaaktype
        if self.bronorganisatie:
            params["organisatie"] = self.bronorganisatie
        return params


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | int | pct | days | date | url


@dataclass(slots=True)
class Table:
    name: str
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "title": self.title,
            "columns": [{"key": c.key, "label": c.label, "type": c.kind} for c in self.columns],
            "rows": self.rows,
            **({"note": self.note} if self.note else {}),
        }


# --- building blocks -------------------------------------------------------------------


def _legal_deadline() -> ColumnElement[Any]:
    """Zaak's legal deadline in SQL; needs ZaakType joined (outer) on the zaak."""
    base = func.coalesce(
        Zaak.uiterlijke_einddatum_afdoening, add_duration(Zaak.startdatum, ZaakType.doorlooptijd)
    )
    return add_duration(base, func.coalesce(Zaak.verlenging["duur"].as_string(), literal("P0D")))


def _opgeschort() -> ColumnElement[bool]:
    return func.coalesce(Zaak.opschorting["indicatie"].as_boolean(), literal(False)) == literal(True)


def _open_parts(day: date) -> list[ColumnElement[bool]]:
    """Open on ``day`` as two index-friendly halves: no einddatum yet (the usual case, an
    equality on the einddatum index) and ended after ``day`` (a range on it). One OR would
    make SQLite scan the whole tenant; the callers run each half and add the results up."""
    return [
        and_(Zaak.einddatum.is_(None), unindexed(Zaak.startdatum) <= day),
        and_(Zaak.einddatum > day, unindexed(Zaak.startdatum) <= day),
    ]


async def _each_open_part(
    session: AsyncSession, day: date, build: Callable[[ColumnElement[bool]], Any], all_tenants: bool = False
) -> list[Any]:
    rows: list[Any] = []
    # Zaken ended after the day exist only when looking back; the latest einddatum (one
    # index lookup) tells, and saves the second query in the usual case (the day is today).
    latest = await session.scalar(select(func.max(Zaak.einddatum)).execution_options(all_tenants=all_tenants))
    for i, part in enumerate(_open_parts(day)):
        if i == 1 and (latest is None or latest <= day):
            continue
        rows.extend((await session.execute(build(part))).all())
    return rows


@dataclass(frozen=True, slots=True)
class TypeMap:
    """The tenant's zaaktypen (a small table), so the big queries group by ``zaaktype_uuid``
    and filter with ``zaaktype_uuid IN (...)`` on their covering index instead of joining."""

    label: dict[uuid.UUID, str]  # uuid -> identificatie
    omschrijving: dict[str, str]  # identificatie -> omschrijving of the newest version

    def uuids(self, identificatie: str) -> list[uuid.UUID]:
        return [u for u, ident in self.label.items() if ident == identificatie]

    def of(self, zaaktype_uuid: uuid.UUID | None) -> str:
        return self.label.get(zaaktype_uuid, NO_ZAAKTYPE) if zaaktype_uuid else NO_ZAAKTYPE


async def type_map(session: AsyncSession) -> TypeMap:
    stmt = select(ZaakType.uuid, ZaakType.identificatie, ZaakType.omschrijving).order_by(
        ZaakType.identificatie, ZaakType.versiedatum, ZaakType.begin_geldigheid
    )
    label: dict[uuid.UUID, str] = {}
    omschrijving: dict[str, str] = {}
    for r in (await session.execute(stmt)).all():
        label[r.uuid] = r.identificatie
        omschrijving[r.identificatie] = r.omschrijving  # the newest version wins
    return TypeMap(label, omschrijving)


def _scope(f: Filters, types: TypeMap) -> list[ColumnElement[bool]]:
    """The organisation and zaaktype filters (the tenant is scoped by the session)."""
    where: list[ColumnElement[bool]] = []
    if f.bronorganisatie:
        where.append(Zaak.bronorganisatie == f.bronorganisatie)
    if f.zaaktype:
        where.append(Zaak.zaaktype_uuid.in_(types.uuids(f.zaaktype)))
    return where


def _count_if(cond: ColumnElement[bool]) -> ColumnElement[Any]:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _zaaktype_join() -> Any:
    return select().select_from(Zaak).outerjoin(ZaakType, ZaakType.uuid == Zaak.zaaktype_uuid)


def _iso(d: Any) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)[:10]


def _weeks(f: Filters) -> list[date]:
    first = f.start - timedelta(days=f.start.weekday())
    weeks = []
    while first <= f.end:
        weeks.append(first)
        first += timedelta(weeks=1)
    return weeks


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


# --- overview ---------------------------------------------------------------------------


PER_ZAAKTYPE_COLUMNS = [
    Column("zaaktype", "Zaaktype (identificatie)"),
    Column("omschrijving", "Omschrijving"),
    Column("instroom", "Instroom", "int"),
    Column("uitstroom", "Uitstroom", "int"),
    Column("open", "Open op peildatum", "int"),
    Column("over_gepland", "Over geplande einddatum", "int"),
    Column("over_wettelijk", "Over wettelijke termijn", "int"),
    Column("opgeschort", "Opgeschort", "int"),
]


async def per_zaaktype(session: AsyncSession, f: Filters) -> Table:
    """Inflow, outflow, open and overdue per zaaktype: three grouped queries, each on its own
    slice of zaken (started in, ended in, open at the end of the period)."""
    types = await type_map(session)
    scope = _scope(f, types)
    inflow = (
        select(Zaak.zaaktype_uuid, func.count().label("n"))
        .where(Zaak.startdatum >= f.start, Zaak.startdatum <= f.end, *scope)
        .group_by(Zaak.zaaktype_uuid)
    )
    outflow = (
        select(Zaak.zaaktype_uuid, func.count().label("n"))
        .where(Zaak.einddatum >= f.start, Zaak.einddatum <= f.end, *scope)
        .group_by(Zaak.zaaktype_uuid)
    )
    deadline = _legal_deadline()

    def open_(part: ColumnElement[bool]) -> Any:
        return (
            select(
                Zaak.zaaktype_uuid,
                func.count().label("open"),
                _count_if(Zaak.einddatum_gepland < f.end).label("over_gepland"),
                _count_if(and_(~_opgeschort(), deadline < f.end)).label("over_wettelijk"),
                _count_if(_opgeschort()).label("opgeschort"),
            )
            .select_from(Zaak)
            .outerjoin(ZaakType, ZaakType.uuid == Zaak.zaaktype_uuid)
            .where(part, *scope)
            .group_by(Zaak.zaaktype_uuid)
        )

    keys = [c.key for c in PER_ZAAKTYPE_COLUMNS[2:]]
    rows: dict[str, dict[str, Any]] = {}

    def row(zaaktype_uuid: uuid.UUID | None) -> dict[str, Any]:
        ident = types.of(zaaktype_uuid)
        if ident not in rows:
            rows[ident] = {
                "zaaktype": ident,
                "omschrijving": types.omschrijving.get(ident, ""),
            } | dict.fromkeys(keys, 0)
        return rows[ident]

    for r in (await session.execute(inflow)).all():
        row(r.zaaktype_uuid)["instroom"] += int(r.n)
    for r in (await session.execute(outflow)).all():
        row(r.zaaktype_uuid)["uitstroom"] += int(r.n)
    for r in await _each_open_part(session, f.end, open_):
        target = row(r.zaaktype_uuid)
        for key in ("open", "over_gepland", "over_wettelijk", "opgeschort"):
            target[key] += int(getattr(r, key))
    return Table("per_zaaktype", "Per zaaktype", PER_ZAAKTYPE_COLUMNS, [rows[k] for k in sorted(rows)])


def totals(per_type: Table) -> dict[str, int]:
    return {c.key: sum(r[c.key] for r in per_type.rows) for c in PER_ZAAKTYPE_COLUMNS[2:]}


async def weekly_flow(session: AsyncSession, f: Filters) -> Table:
    """Inflow and outflow per week, and the backlog (open zaken) at the end of each week."""
    scope = _scope(f, await type_map(session))
    wk_in = week_start(Zaak.startdatum)
    inflow = (
        select()
        .select_from(Zaak)
        .add_columns(wk_in.label("week"), func.count().label("n"))
        .where(Zaak.startdatum >= f.start, Zaak.startdatum <= f.end, *scope)
        .group_by(wk_in)
    )
    wk_out = week_start(Zaak.einddatum)
    outflow = (
        select()
        .select_from(Zaak)
        .add_columns(wk_out.label("week"), func.count().label("n"))
        .where(Zaak.einddatum >= f.start, Zaak.einddatum <= f.end, *scope)
        .group_by(wk_out)
    )

    def before(part: ColumnElement[bool]) -> Any:
        return select(func.count()).select_from(Zaak).where(part, *scope)

    ins = {_iso(r.week): int(r.n) for r in (await session.execute(inflow)).all()}
    outs = {_iso(r.week): int(r.n) for r in (await session.execute(outflow)).all()}
    backlog = sum(int(r[0]) for r in await _each_open_part(session, f.start - timedelta(days=1), before))
    rows = []
    for week in _weeks(f):
        key = week.isoformat()
        i, o = ins.get(key, 0), outs.get(key, 0)
        backlog += i - o
        rows.append({"week": key, "instroom": i, "uitstroom": o, "werkvoorraad": backlog})
    return Table(
        "per_week",
        "Instroom, uitstroom en werkvoorraad per week",
        [
            Column("week", "Week (maandag)", "date"),
            Column("instroom", "Instroom", "int"),
            Column("uitstroom", "Uitstroom", "int"),
            Column("werkvoorraad", "Werkvoorraad eind van de week", "int"),
        ],
        rows,
    )


async def by_status(session: AsyncSession, f: Filters) -> Table:
    """Open zaken by their current status (the statustype's omschrijving)."""
    scope = _scope(f, await type_map(session))
    label = func.coalesce(StatusType.omschrijving, literal("(geen status)"))

    def stmt(part: ColumnElement[bool]) -> Any:
        return (
            select(label.label("status"), func.count().label("aantal"))
            .select_from(Zaak)
            .outerjoin(Status, Status.uuid == Zaak.status_uuid)
            .outerjoin(StatusType, StatusType.uuid == Status.statustype_uuid)
            .where(part, *scope)
            .group_by(label)
        )

    counts: dict[str, int] = {}
    for r in await _each_open_part(session, f.end, stmt):
        counts[r.status] = counts.get(r.status, 0) + int(r.aantal)
    rows = [{"status": k, "aantal": v} for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Table(
        "per_status",
        "Open zaken per status",
        [Column("status", "Status"), Column("aantal", "Aantal", "int")],
        rows,
    )


async def by_result(session: AsyncSession, f: Filters) -> Table:
    """Zaken closed in the period by resultaat (zaken closed without one counted apart)."""
    scope = _scope(f, await type_map(session))
    label = func.coalesce(ResultaatType.omschrijving, literal(NO_RESULT))
    stmt = (
        select()
        .select_from(Zaak)
        .add_columns(label.label("resultaat"), func.count().label("aantal"))
        .outerjoin(Resultaat, Resultaat.zaak_uuid == Zaak.uuid)
        .outerjoin(ResultaatType, ResultaatType.uuid == Resultaat.resultaattype_uuid)
        .where(Zaak.einddatum >= f.start, Zaak.einddatum <= f.end, *scope)
        .group_by(label)
        .order_by(func.count().desc(), label)
    )
    rows = [{"resultaat": r.resultaat, "aantal": int(r.aantal)} for r in (await session.execute(stmt)).all()]
    return Table(
        "per_resultaat",
        "Afgesloten zaken per resultaat",
        [Column("resultaat", "Resultaat"), Column("aantal", "Aantal", "int")],
        rows,
    )


def channel_label(url: str) -> str:
    """A communicatiekanaal is a URL; its last path segment reads best."""
    if not url:
        return NO_CHANNEL
    return url.rstrip("/").rsplit("/", 1)[-1] or url


async def by_channel(session: AsyncSession, f: Filters) -> Table:
    scope = _scope(f, await type_map(session))
    stmt = (
        select()
        .select_from(Zaak)
        .add_columns(Zaak.communicatiekanaal.label("kanaal"), func.count().label("aantal"))
        .where(Zaak.startdatum >= f.start, Zaak.startdatum <= f.end, *scope)
        .group_by(Zaak.communicatiekanaal)
        .order_by(func.count().desc())
    )
    merged: dict[str, int] = {}
    for r in (await session.execute(stmt)).all():
        key = channel_label(r.kanaal or "")
        merged[key] = merged.get(key, 0) + int(r.aantal)
    rows = [{"kanaal": k, "aantal": v} for k, v in sorted(merged.items(), key=lambda kv: (-kv[1], kv[0]))]
    return Table(
        "per_kanaal",
        "Instroom per kanaal",
        [Column("kanaal", "Kanaal"), Column("aantal", "Aantal", "int")],
        rows,
    )


async def overdue(session: AsyncSession, f: Filters, limit: int = OVERDUE_LIMIT) -> Table:
    """Open zaken past their planned end or legal deadline on the peildatum, worst first."""
    scope = _scope(f, await type_map(session))
    deadline = _legal_deadline()
    over_legal = case(
        (and_(~_opgeschort(), deadline < f.end), days_between(deadline, literal(f.end))), else_=literal(0)
    )
    over_planned = case(
        (Zaak.einddatum_gepland < f.end, days_between(Zaak.einddatum_gepland, literal(f.end))),
        else_=literal(0),
    )
    worst = case((over_legal > over_planned, over_legal), else_=over_planned)

    def stmt(part: ColumnElement[bool]) -> Any:
        return (
            _zaaktype_join()
            .add_columns(
                Zaak.uuid,
                Zaak.identificatie,
                func.coalesce(ZaakType.identificatie, literal(NO_ZAAKTYPE)).label("zaaktype"),
                over_planned.label("dagen_over_gepland"),
                over_legal.label("dagen_over_wettelijk"),
            )
            .where(part, or_(Zaak.einddatum_gepland < f.end, and_(~_opgeschort(), deadline < f.end)), *scope)
            .order_by(worst.desc(), Zaak.identificatie)
            .limit(limit)
        )

    found = await _each_open_part(session, f.end, stmt)
    found.sort(
        key=lambda r: (
            -max(int(r.dagen_over_gepland or 0), int(r.dagen_over_wettelijk or 0)),
            r.identificatie,
        )
    )
    rows = [
        {
            "identificatie": r.identificatie,
            "zaaktype": r.zaaktype,
            "dagen_over_gepland": int(r.dagen_over_gepland or 0),
            "dagen_over_wettelijk": int(r.dagen_over_wettelijk or 0),
            "uuid": str(r.uuid),
        }
        for r in found[:limit]
    ]
    return Table(
        "te_laat",
        "Zaken over hun termijn",
        [
            Column("identificatie", "Zaak", "url"),
            Column("zaaktype", "Zaaktype"),
            Column("dagen_over_gepland", "Dagen over geplande einddatum", "int"),
            Column("dagen_over_wettelijk", "Dagen over wettelijke termijn", "int"),
        ],
        rows,
        note=f"De {limit} zaken het verst over hun termijn." if len(rows) == limit else "",
    )


# --- per zaaktype -----------------------------------------------------------------------


@dataclass(slots=True)
class ZaaktypeInfo:
    identificatie: str
    omschrijving: str
    doorlooptijd: str | None
    servicenorm: str | None


async def zaaktype_choices(session: AsyncSession) -> list[ZaaktypeInfo]:
    """The tenant's zaaktypen by identificatie, with the newest version's omschrijving and norms."""
    stmt = select(
        ZaakType.identificatie,
        ZaakType.omschrijving,
        ZaakType.doorlooptijd,
        ZaakType.servicenorm,
    ).order_by(ZaakType.identificatie, ZaakType.versiedatum.desc(), ZaakType.begin_geldigheid.desc())
    seen: dict[str, ZaaktypeInfo] = {}
    for r in (await session.execute(stmt)).all():
        seen.setdefault(
            r.identificatie, ZaaktypeInfo(r.identificatie, r.omschrijving, r.doorlooptijd, r.servicenorm)
        )
    return list(seen.values())


async def organisations(session: AsyncSession) -> list[str]:
    """Bronorganisaties (RSIN) with zaken in this tenant; found via the index-backed DISTINCT."""
    stmt = select(Zaak.bronorganisatie).distinct().order_by(Zaak.bronorganisatie).limit(200)
    return list((await session.scalars(stmt)).all())


async def throughput(session: AsyncSession, f: Filters) -> tuple[Table, dict[str, Any]]:
    """Doorlooptijd (days from start to end) of zaken closed in the period: histogram in SQL,
    p50/p90 from it, and the share closed within the servicenorm and the legal deadline."""
    scope = _scope(f, await type_map(session))
    days = days_between(Zaak.startdatum, Zaak.einddatum)
    closed = and_(Zaak.einddatum >= f.start, Zaak.einddatum <= f.end)
    hist_stmt = (
        select()
        .select_from(Zaak)
        .add_columns(days.label("dagen"), func.count().label("aantal"))
        .where(closed, *scope)
        .group_by(days)
        .order_by(days)
    )
    norm_end = add_duration(Zaak.startdatum, ZaakType.servicenorm)
    norms_stmt = (
        _zaaktype_join()
        .add_columns(
            func.count().label("afgesloten"),
            _count_if(norm_end.is_not(None)).label("met_norm"),
            _count_if(Zaak.einddatum <= norm_end).label("binnen_norm"),
            _count_if(Zaak.einddatum <= _legal_deadline()).label("binnen_wettelijk"),
        )
        .where(closed, *scope)
    )
    dist = [(int(r.dagen), int(r.aantal)) for r in (await session.execute(hist_stmt)).all()]
    n = (await session.execute(norms_stmt)).one()
    summary = {
        "afgesloten": int(n.afgesloten),
        "p50_dagen": percentile(dist, 0.5),
        "p90_dagen": percentile(dist, 0.9),
        "binnen_servicenorm_pct": _pct(int(n.binnen_norm), int(n.met_norm)),
        "binnen_wettelijke_termijn_pct": _pct(int(n.binnen_wettelijk), int(n.afgesloten)),
    }
    table = Table(
        "doorlooptijd",
        "Verdeling van de doorlooptijd (afgesloten zaken)",
        [Column("dagen", "Doorlooptijd (dagen)", "int"), Column("aantal", "Aantal zaken", "int")],
        [{"dagen": d, "aantal": c} for d, c in dist],
    )
    return table, summary


async def time_per_status(session: AsyncSession, f: Filters) -> Table:
    """Average and median-free time per status of zaken closed in the period, against the
    statustype's doorlooptijd. A status lasts until the next status of the same zaak (a
    reopened zaak simply has more statussen); the final status has no duration."""
    scope = _scope(f, await type_map(session))
    zaken = select(Zaak.uuid).where(Zaak.einddatum >= f.start, Zaak.einddatum <= f.end, *scope)
    nxt = func.lead(Status.datum_status_gezet).over(
        partition_by=Status.zaak_uuid, order_by=Status.datum_status_gezet
    )
    spans = (
        select(
            Status.statustype_uuid.label("statustype_uuid"),
            elapsed_days(Status.datum_status_gezet, nxt).label("dagen"),
        )
        .where(Status.zaak_uuid.in_(zaken))
        .subquery()
    )
    st = aliased(StatusType)
    stmt = (
        select(
            st.omschrijving,
            func.min(st.volgnummer).label("volgnummer"),
            func.max(st.doorlooptijd).label("norm"),
            func.count(spans.c.dagen).label("aantal"),
            func.avg(spans.c.dagen).label("gemiddeld"),
        )
        .select_from(spans)
        .join(st, st.uuid == spans.c.statustype_uuid)
        .where(spans.c.dagen.is_not(None))
        .group_by(st.omschrijving)
        .order_by(func.min(st.volgnummer), st.omschrijving)
    )
    rows = []
    for r in (await session.execute(stmt)).all():
        norm = parse_duration(r.norm)
        rows.append(
            {
                "status": r.omschrijving,
                "aantal": int(r.aantal),
                "gemiddeld_dagen": round(float(r.gemiddeld), 1),
                "norm_dagen": round(norm.approx_days(), 1) if norm else None,
            }
        )
    return Table(
        "tijd_per_status",
        "Gemiddelde tijd per status",
        [
            Column("status", "Status"),
            Column("aantal", "Aantal keer doorlopen", "int"),
            Column("gemiddeld_dagen", "Gemiddeld (dagen)", "days"),
            Column("norm_dagen", "Doorlooptijd statustype (dagen)", "days"),
        ],
        rows,
    )


# --- comparison across municipalities -----------------------------------------------------


async def shared_zaaktypen(session: AsyncSession) -> list[str]:
    """Identificaties used by the catalogi of two or more tenants (a shared model zaaktype)."""
    stmt = (
        select(ZaakType.identificatie)
        .group_by(ZaakType.identificatie)
        .having(func.count(func.distinct(ZaakType.tenant_id)) >= 2)
        .order_by(ZaakType.identificatie)
        .execution_options(all_tenants=True)
    )
    return list((await session.scalars(stmt)).all())


COMPARISON_COLUMNS = [
    Column("zaaktype", "Zaaktype (identificatie)"),
    Column("organisatie", "Organisatie"),
    Column("afgesloten", "Afgesloten", "int"),
    Column("open", "Open op peildatum", "int"),
    Column("p50_dagen", "Doorlooptijd p50 (dagen)", "days"),
    Column("p90_dagen", "Doorlooptijd p90 (dagen)", "days"),
    Column("binnen_servicenorm_pct", "Binnen servicenorm (%)", "pct"),
    Column("binnen_wettelijke_termijn_pct", "Binnen wettelijke termijn (%)", "pct"),
    Column("over_wettelijk", "Open over wettelijke termijn", "int"),
]


async def comparison(session: AsyncSession, f: Filters) -> Table:
    """The same indicators per tenant for the shared zaaktypen, aggregates only.

    The one deliberate cross-tenant read: ``all_tenants`` lifts the ORM scoping, and the
    session must have been opened with ``info["all_tenants"]`` for PostgreSQL's row-level
    security. The queries name the tenants and zaaktype uuids explicitly, so they run on
    the (tenant_id, einddatum, ...) index per tenant. Only counts and percentages per
    organisation leave this function.
    """
    shared = await shared_zaaktypen(session)
    if f.zaaktype:
        shared = [s for s in shared if s == f.zaaktype]
    table = Table("vergelijking", "Vergelijking tussen organisaties", COMPARISON_COLUMNS)
    if not shared:
        return table
    type_rows = (
        await session.execute(
            select(ZaakType.uuid, ZaakType.tenant_id, ZaakType.identificatie)
            .where(ZaakType.identificatie.in_(shared))
            .execution_options(all_tenants=True)
        )
    ).all()
    ident = {r.uuid: r.identificatie for r in type_rows}
    tenant_ids = sorted({r.tenant_id for r in type_rows})
    tenants = await session.execute(select(Tenant.id, Tenant.naam).where(Tenant.id.in_(tenant_ids)))
    names: dict[int, str] = {r.id: r.naam for r in tenants}
    mine = and_(Zaak.tenant_id.in_(tenant_ids), Zaak.zaaktype_uuid.in_(list(ident)))
    days = days_between(Zaak.startdatum, Zaak.einddatum)
    norm_end = add_duration(Zaak.startdatum, ZaakType.servicenorm)
    closed = (
        select(
            Zaak.tenant_id,
            Zaak.zaaktype_uuid,
            days.label("dagen"),
            func.count().label("aantal"),
            _count_if(ZaakType.servicenorm.is_not(None)).label("met_norm"),
            _count_if(Zaak.einddatum <= norm_end).label("binnen_norm"),
            _count_if(Zaak.einddatum <= _legal_deadline()).label("binnen_wettelijk"),
        )
        .select_from(Zaak)
        .join(ZaakType, ZaakType.uuid == Zaak.zaaktype_uuid)
        .where(mine, Zaak.einddatum >= f.start, Zaak.einddatum <= f.end)
        .group_by(Zaak.tenant_id, Zaak.zaaktype_uuid, days, ZaakType.servicenorm)
        .execution_options(all_tenants=True)
    )

    def open_(part: ColumnElement[bool]) -> Any:
        return (
            select(
                Zaak.tenant_id,
                Zaak.zaaktype_uuid,
                func.count().label("open"),
                _count_if(and_(~_opgeschort(), _legal_deadline() < f.end)).label("over_wettelijk"),
            )
            .select_from(Zaak)
            .join(ZaakType, ZaakType.uuid == Zaak.zaaktype_uuid)
            .where(mine, part)
            .group_by(Zaak.tenant_id, Zaak.zaaktype_uuid)
            .execution_options(all_tenants=True)
        )

    acc: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(tenant_id: int, zaaktype_uuid: uuid.UUID) -> dict[str, Any]:
        key = (ident[zaaktype_uuid], names.get(tenant_id, str(tenant_id)))
        return acc.setdefault(
            key,
            {"dist": {}, "afgesloten": 0, "met_norm": 0, "binnen_norm": 0, "binnen_wettelijk": 0}
            | {"open": 0, "over_wettelijk": 0},
        )

    for r in (await session.execute(closed)).all():
        e = entry(r.tenant_id, r.zaaktype_uuid)
        e["dist"][int(r.dagen)] = e["dist"].get(int(r.dagen), 0) + int(r.aantal)
        e["afgesloten"] += int(r.aantal)
        for key in ("met_norm", "binnen_norm", "binnen_wettelijk"):
            e[key] += int(getattr(r, key))
    for r in await _each_open_part(session, f.end, open_, all_tenants=True):
        e = entry(r.tenant_id, r.zaaktype_uuid)
        e["open"] += int(r.open)
        e["over_wettelijk"] += int(r.over_wettelijk)
    for (zaaktype, organisatie), e in sorted(acc.items()):
        dist = sorted(e["dist"].items())
        table.rows.append(
            {
                "zaaktype": zaaktype,
                "organisatie": organisatie,
                "afgesloten": e["afgesloten"],
                "open": e["open"],
                "p50_dagen": percentile(dist, 0.5),
                "p90_dagen": percentile(dist, 0.9),
                "binnen_servicenorm_pct": _pct(e["binnen_norm"], e["met_norm"]),
                "binnen_wettelijke_termijn_pct": _pct(e["binnen_wettelijk"], e["afgesloten"]),
                "over_wettelijk": e["over_wettelijk"],
            }
        )
    return table


async def tenant_name(session: AsyncSession, tenant_id: int) -> str:
    naam = await session.scalar(select(Tenant.naam).where(Tenant.id == tenant_id))
    return naam or ""


def zaak_url(base: str, zaak_uuid: str | uuid.UUID) -> str:
    return f"{base}/zaken/api/v1/zaken/{zaak_uuid}"


def norm_days(value: str | None) -> float | None:
    d: Duration | None = parse_duration(value)
    return round(d.approx_days(), 1) if d else None
