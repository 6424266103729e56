"""The dashboard's indicators: sums over the dashboard's summary, never a loop over zaken.

The summary (``summary``: counters per day, zaaktype, organisation, kind and key, kept
exact with every write) makes a page over a million zaken a few sums over small rows,
whatever the period. Each query groups in the database and returns a handful of rows (one
per day, zaaktype, status, duration in days, ...). Python only shapes those rows into
:class:`Table` s, which the HTML page, the JSON API and the CSV downloads all render, so
the three always agree.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import ResultaatType, StatusType, ZaakType
from samenzaak.dashboard.durations import Duration, parse_duration, percentile
from samenzaak.dashboard.models import DashboardTelling as T
from samenzaak.dashboard.models import DashboardZaakFeit as F
from samenzaak.dashboard.summary import DELTA_KINDS
from samenzaak.db import Tenant

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
#
# The indicators read the summary (``summary``): counters per day, zaaktype, organisation,
# kind and key, and one facts row per zaak for the overdue list. A period sums the counters
# of its days; "open on day D" sums the +1/-1 counters of every day up to D.


def _counts(
    soort: str | tuple[str, ...],
    *group: Any,
    scope: Sequence[ColumnElement[bool]],
    start: date | None = None,
    end: date,
    all_tenants: bool = False,
) -> Any:
    """``sum(aantal)``, ``sum(som)`` of one kind (or several: then grouped by kind too) over
    the days ``start..end`` (from the beginning without a start), grouped by ``group``."""
    kinds = (soort,) if isinstance(soort, str) else soort
    cols = [*group] + ([T.soort] if len(kinds) > 1 else [])
    where = [T.soort.in_(kinds) if len(kinds) > 1 else T.soort == kinds[0], T.dag <= end, *scope]
    if start is not None:
        where.append(T.dag >= start)
    return (
        select(*cols, func.sum(T.aantal).label("n"), func.sum(T.som).label("som"))
        .where(*where)
        .group_by(*cols)
        .execution_options(all_tenants=all_tenants)
    )


def _month_parts(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """The period as whole months (their first days, from..to) and the odd days around them."""
    first = start if start.day == 1 else (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = end + timedelta(days=1)
    stop = after if after.day == 1 else after.replace(day=1)  # first day after the last whole month
    if first >= stop:
        return [(start, end)], None
    days = [(a, b) for a, b in ((start, first - timedelta(days=1)), (stop, end)) if a <= b]
    last_month = (stop - timedelta(days=1)).replace(day=1)
    return days, (first, last_month)


async def _histogram_rows(
    session: AsyncSession,
    *group: Any,
    scope: Sequence[ColumnElement[bool]],
    start: date,
    end: date,
    all_tenants: bool = False,
) -> list[Any]:
    """The ``dagen`` counters of a period: whole months from ``dagen_maand``, the rest by day."""
    days, months = _month_parts(start, end)
    parts = [("dagen", a, b) for a, b in days] + ([("dagen_maand", *months)] if months else [])
    rows: list[Any] = []
    for soort, a, b in parts:
        stmt = _counts(soort, *group, T.sleutel, scope=scope, start=a, end=b, all_tenants=all_tenants)
        rows.extend((await session.execute(stmt)).all())
    return rows


def _uuid_keys(keys: Any) -> list[uuid.UUID]:
    found = []
    for k in keys:
        try:
            found.append(uuid.UUID(k))
        except (TypeError, ValueError):
            continue
    return found


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


def _scope(f: Filters, types: TypeMap, table: Any = None) -> list[ColumnElement[bool]]:
    """The organisation and zaaktype filters (the tenant is scoped by the session), on the
    counters or (``table=F``) the facts."""
    t = T if table is None else table
    where: list[ColumnElement[bool]] = []
    if f.bronorganisatie:
        where.append(t.bronorganisatie == f.bronorganisatie)
    if f.zaaktype:
        where.append(t.zaaktype_uuid.in_(types.uuids(f.zaaktype)))
    return where


def _iso(d: Any) -> str:
    return d.isoformat() if isinstance(d, date) else str(d)[:10]


def _week(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _weeks(f: Filters) -> list[date]:
    first = _week(f.start)
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
    """Inflow, outflow, open and overdue per zaaktype: the day counters of the period, and
    the open-on-a-day counters summed up to its end."""
    types = await type_map(session)
    scope = _scope(f, types)
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

    for soort, key in (("in", "instroom"), ("uit", "uitstroom")):
        stmt = _counts(soort, T.zaaktype_uuid, scope=scope, start=f.start, end=f.end)
        for r in (await session.execute(stmt)).all():
            if r.n:
                row(r.zaaktype_uuid)[key] += int(r.n)
    open_keys = {
        "open": "open",
        "gepland": "over_gepland",
        "wettelijk": "over_wettelijk",
        "opgeschort": "opgeschort",
    }
    stmt = _counts(DELTA_KINDS, T.zaaktype_uuid, scope=scope, end=f.end)
    for r in (await session.execute(stmt)).all():
        if r.n:
            row(r.zaaktype_uuid)[open_keys[r.soort]] += int(r.n)
    return Table("per_zaaktype", "Per zaaktype", PER_ZAAKTYPE_COLUMNS, [rows[k] for k in sorted(rows)])


def totals(per_type: Table) -> dict[str, int]:
    return {c.key: sum(r[c.key] for r in per_type.rows) for c in PER_ZAAKTYPE_COLUMNS[2:]}


async def weekly_flow(session: AsyncSession, f: Filters) -> Table:
    """Inflow and outflow per week, and the backlog (open zaken) at the end of each week."""
    scope = _scope(f, await type_map(session))
    flows: dict[str, dict[str, int]] = {"in": {}, "uit": {}}
    for soort, per_week in flows.items():
        for r in (await session.execute(_counts(soort, T.dag, scope=scope, start=f.start, end=f.end))).all():
            key = _week(r.dag).isoformat()
            per_week[key] = per_week.get(key, 0) + int(r.n)
    backlog = int(
        (await session.execute(_counts("open", scope=scope, end=f.start - timedelta(days=1)))).one().n or 0
    )
    rows = []
    for week in _weeks(f):
        key = week.isoformat()
        i, o = flows["in"].get(key, 0), flows["uit"].get(key, 0)
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


async def _labels(session: AsyncSession, model: Any, keys: Any) -> dict[str, str]:
    """Omschrijving per uuid key (statustype or resultaattype) of this tenant."""
    uuids = _uuid_keys(keys)
    if not uuids:
        return {}
    stmt = select(model.uuid, model.omschrijving).where(model.uuid.in_(uuids))
    return {str(r.uuid): r.omschrijving for r in (await session.execute(stmt)).all()}


def _ranked(column: str, counted: Iterable[tuple[str, int]]) -> list[dict[str, Any]]:
    """Counts added up per label, as rows of ``column`` and ``aantal``, largest first."""
    totals: dict[str, int] = {}
    for label, n in counted:
        if n:
            totals[label] = totals.get(label, 0) + n
    return [{column: k, "aantal": v} for k, v in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]


async def by_status(session: AsyncSession, f: Filters) -> Table:
    """Open zaken by their current status (the statustype's omschrijving)."""
    scope = _scope(f, await type_map(session))
    found = [
        (r.sleutel, int(r.n))
        for r in (await session.execute(_counts("open", T.sleutel, scope=scope, end=f.end))).all()
    ]
    labels = await _labels(session, StatusType, [k for k, n in found if n])
    rows = _ranked("status", ((labels.get(key, "(geen status)"), n) for key, n in found))
    return Table(
        "per_status",
        "Open zaken per status",
        [Column("status", "Status"), Column("aantal", "Aantal", "int")],
        rows,
    )


async def by_result(session: AsyncSession, f: Filters) -> Table:
    """Zaken closed in the period by resultaat (zaken closed without one counted apart)."""
    scope = _scope(f, await type_map(session))
    stmt = _counts("res", T.sleutel, scope=scope, start=f.start, end=f.end)
    found = [(r.sleutel, int(r.n)) for r in (await session.execute(stmt)).all() if r.n]
    labels = await _labels(session, ResultaatType, [k for k, _ in found])
    rows = _ranked("resultaat", ((labels.get(key, NO_RESULT), n) for key, n in found))
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
    stmt = _counts("in", T.sleutel, scope=scope, start=f.start, end=f.end)
    found = (await session.execute(stmt)).all()
    rows = _ranked("kanaal", ((channel_label(r.sleutel or ""), int(r.n or 0)) for r in found))
    return Table(
        "per_kanaal",
        "Instroom per kanaal",
        [Column("kanaal", "Kanaal"), Column("aantal", "Aantal", "int")],
        rows,
    )


async def overdue(session: AsyncSession, f: Filters, limit: int = OVERDUE_LIMIT) -> Table:
    """Open zaken past their planned end or legal deadline on the peildatum, worst first.

    Read from the facts rows: a zaak is over its term on D when it is open on D and its first
    term that counts (``eerste_termijn``: the planned end, or the legal deadline unless
    suspended) lies before D; worst first is that term earliest first. Two index-friendly
    halves: no einddatum (the partial index), and (looking back) ended after D."""
    types = await type_map(session)
    scope = _scope(f, types, F)
    day = f.end
    found: list[Any] = []
    # (``einddatum > eerste_termijn`` is implied; it names the partial index's condition.)
    for part in (F.einddatum.is_(None), and_(F.einddatum > day, F.einddatum > F.eerste_termijn)):
        stmt = (
            select(
                F.zaak_uuid,
                F.identificatie,
                F.zaaktype_uuid,
                F.einddatum_gepland,
                F.wettelijke_termijn,
                F.opgeschort,
                F.eerste_termijn,
            )
            .where(part, F.eerste_termijn < day, F.startdatum <= day, *scope)
            .order_by(F.eerste_termijn, F.identificatie)
            .limit(limit)
        )
        found.extend((await session.execute(stmt)).all())
    found.sort(key=lambda r: (r.eerste_termijn, r.identificatie))

    def over(term: date | None) -> int:
        return (day - term).days if term is not None and term < day else 0

    rows = [
        {
            "identificatie": r.identificatie,
            "zaaktype": types.of(r.zaaktype_uuid),
            "dagen_over_gepland": over(r.einddatum_gepland),
            "dagen_over_wettelijk": 0 if r.opgeschort else over(r.wettelijke_termijn),
            "uuid": str(r.zaak_uuid),
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
    """Bronorganisaties (RSIN) with zaken in this tenant, from the inflow counters."""
    stmt = (
        select(T.bronorganisatie)
        .where(T.soort == "in", T.aantal > 0)
        .distinct()
        .order_by(T.bronorganisatie)
        .limit(200)
    )
    return list((await session.scalars(stmt)).all())


def _histogram(rows: Any) -> list[tuple[int, int]]:
    dist: dict[int, int] = {}
    for r in rows:
        if r.n:
            dist[int(r.sleutel)] = dist.get(int(r.sleutel), 0) + int(r.n)
    return sorted(dist.items())


async def throughput(session: AsyncSession, f: Filters) -> tuple[Table, dict[str, Any]]:
    """Doorlooptijd (days from start to end) of zaken closed in the period: the histogram
    counters, p50/p90 from them, and the share closed within the servicenorm and the legal
    deadline."""
    scope = _scope(f, await type_map(session))
    dist = _histogram(await _histogram_rows(session, scope=scope, start=f.start, end=f.end))
    kinds = ("uit", "met_norm", "binnen_norm", "binnen_wettelijk")
    n = dict.fromkeys(kinds, 0)
    for r in (await session.execute(_counts(kinds, scope=scope, start=f.start, end=f.end))).all():
        n[r.soort] += int(r.n or 0)
    summary = {
        "afgesloten": n["uit"],
        "p50_dagen": percentile(dist, 0.5),
        "p90_dagen": percentile(dist, 0.9),
        "binnen_servicenorm_pct": _pct(n["binnen_norm"], n["met_norm"]),
        "binnen_wettelijke_termijn_pct": _pct(n["binnen_wettelijk"], n["uit"]),
    }
    table = Table(
        "doorlooptijd",
        "Verdeling van de doorlooptijd (afgesloten zaken)",
        [Column("dagen", "Doorlooptijd (dagen)", "int"), Column("aantal", "Aantal zaken", "int")],
        [{"dagen": d, "aantal": c} for d, c in dist],
    )
    return table, summary


MICROSECONDS_PER_DAY = 86_400_000_000


async def time_per_status(session: AsyncSession, f: Filters) -> Table:
    """Average time per status of zaken closed in the period, against the statustype's
    doorlooptijd. A status lasts until the next status of the same zaak (a reopened zaak
    simply has more statussen); the final status has no duration. The counters hold the
    number of spans and their total (microseconds) per statustype."""
    scope = _scope(f, await type_map(session))
    spans = [
        r
        for r in (
            await session.execute(_counts("status", T.sleutel, scope=scope, start=f.start, end=f.end))
        ).all()
        if r.n
    ]
    uuids = _uuid_keys(r.sleutel for r in spans)
    statustypen = (
        {
            str(r.uuid): r
            for r in (
                await session.execute(
                    select(
                        StatusType.uuid,
                        StatusType.omschrijving,
                        StatusType.volgnummer,
                        StatusType.doorlooptijd,
                    ).where(StatusType.uuid.in_(uuids))
                )
            ).all()
        }
        if uuids
        else {}
    )
    acc: dict[str, dict[str, Any]] = {}
    for r in spans:
        st = statustypen.get(r.sleutel)
        if st is None:
            continue
        e = acc.setdefault(
            st.omschrijving, {"volgnummer": st.volgnummer, "norm": None, "aantal": 0, "som": 0}
        )
        e["volgnummer"] = min(e["volgnummer"], st.volgnummer)
        if st.doorlooptijd is not None and (e["norm"] is None or st.doorlooptijd > e["norm"]):
            e["norm"] = st.doorlooptijd
        e["aantal"] += int(r.n)
        e["som"] += int(r.som)
    rows = []
    for omschrijving, e in sorted(acc.items(), key=lambda kv: (kv[1]["volgnummer"], kv[0])):
        norm = parse_duration(e["norm"])
        rows.append(
            {
                "status": omschrijving,
                "aantal": e["aantal"],
                "gemiddeld_dagen": round(e["som"] / e["aantal"] / MICROSECONDS_PER_DAY, 1),
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
    security. The queries name the tenants and zaaktype uuids explicitly, so they read
    the counters of those tenants on their primary key. Only counts and percentages per
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
    mine = [T.tenant_id.in_(tenant_ids), T.zaaktype_uuid.in_(list(ident))]
    acc: dict[tuple[str, str], dict[str, Any]] = {}

    def entry(tenant_id: int, zaaktype_uuid: uuid.UUID) -> dict[str, Any]:
        key = (ident[zaaktype_uuid], names.get(tenant_id, str(tenant_id)))
        return acc.setdefault(
            key,
            {"dist": {}, "afgesloten": 0, "norm_gezet": 0, "binnen_norm": 0, "binnen_wettelijk": 0}
            | {"open": 0, "wettelijk": 0},
        )

    group = (T.tenant_id, T.zaaktype_uuid)
    for r in await _histogram_rows(session, *group, scope=mine, start=f.start, end=f.end, all_tenants=True):
        if r.n:
            e = entry(r.tenant_id, r.zaaktype_uuid)
            e["dist"][int(r.sleutel)] = e["dist"].get(int(r.sleutel), 0) + int(r.n)
            e["afgesloten"] += int(r.n)
    closed = _counts(
        ("norm_gezet", "binnen_norm", "binnen_wettelijk"),
        *group,
        scope=mine,
        start=f.start,
        end=f.end,
        all_tenants=True,
    )
    for r in (await session.execute(closed)).all():
        if r.n:
            entry(r.tenant_id, r.zaaktype_uuid)[r.soort] += int(r.n)
    for r in (
        await session.execute(_counts(("open", "wettelijk"), *group, scope=mine, end=f.end, all_tenants=True))
    ).all():
        if r.n:
            entry(r.tenant_id, r.zaaktype_uuid)[r.soort] += int(r.n)
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
                "binnen_servicenorm_pct": _pct(e["binnen_norm"], e["norm_gezet"]),
                "binnen_wettelijke_termijn_pct": _pct(e["binnen_wettelijk"], e["afgesloten"]),
                "over_wettelijk": e["wettelijk"],
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
