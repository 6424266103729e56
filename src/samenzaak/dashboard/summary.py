"""The dashboard's summary: per-zaak facts and per-day counters, kept exact in the same
transaction as the writes to zaken, statussen and resultaten.

Why: over a million zaken the indicators cannot scan the zaken of a period (a year is half
a million rows per query, ten queries a page). The counters hold, per (tenant, day,
zaaktype, bronorganisatie, kind, key), what the indicators add up, so a page sums a few
thousand small rows instead.

Counter kinds (``soort``), each on a day (``dag``):

- ``in``: zaken started that day; key = communicatiekanaal.
- ``uit``: zaken ended that day; ``res``: the same, once per resultaat, key = resultaattype
  uuid (``""`` without one: counted as "(geen resultaat)").
- ``dagen``: zaken ended that day, key = doorlooptijd in days (the histogram; the
  biggest kind, so ``dagen_maand`` holds the same per month, on its first day: a year
  reads twelve months and the odd days at its ends);
  ``met_norm`` / ``norm_gezet`` / ``binnen_norm`` / ``binnen_wettelijk``: the same zaken
  with a computable servicenorm end / a servicenorm set / ended within it / ended within
  the legal deadline.
- ``status``: for zaken ended that day, the time spent per status (key = statustype uuid,
  ``aantal`` spans, ``som`` microseconds).
- ``open``, ``gepland``, ``wettelijk``, ``opgeschort``: +1 on the first day a zaak counts
  as open / past its planned end / past its legal deadline (not suspended) / suspended,
  -1 on its einddatum. Their sum over all days up to D is the count on D. ``open`` has
  the current statustype uuid as key (open zaken per status).

A zaak's contributions are stored on its facts row (``bijdragen``); a change subtracts the
old ones and adds the new, so the counters always equal a recomputation from the source
tables (:func:`rebuild`, ``samenzaak dashboard rebuild``). The hook, in one place (the
session events at the end of this module): every flush notes the zaken whose zaak, status
or resultaat rows it wrote (a Core ``UPDATE``/``DELETE`` through the session is caught in
``do_orm_execute``); their summary is recomputed at commit, in the same transaction, or
before the session itself reads the summary. Bulk loaders that insert with Core call
:func:`refresh` themselves.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

from sqlalchemy import Connection, delete, event, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from samenzaak.catalogi.models import ZaakType
from samenzaak.common.durations import add_duration, legal_deadline
from samenzaak.dashboard.models import DashboardTelling, DashboardZaakFeit
from samenzaak.db import dialect_insert
from samenzaak.zaken.models import Resultaat, Status, Zaak

NO_ZAAKTYPE_UUID = uuid.UUID(int=0)
CHUNK = 500  # zaken per query (well within SQLite's bound parameters)
DELTA_KINDS = ("open", "gepland", "wettelijk", "opgeschort")

Key = tuple[int, str, date, uuid.UUID, str, str]  # tenant, soort, dag, zaaktype, bron, sleutel
F = DashboardZaakFeit
T = DashboardTelling


# --- the definitions, per zaak ---------------------------------------------------------------


def _verlenging_duur(verlenging: Any) -> str | None:
    duur = verlenging.get("duur") if isinstance(verlenging, dict) else None
    return None if duur is None else str(duur)


def _suspended(opschorting: Any) -> bool:
    value = opschorting.get("indicatie") if isinstance(opschorting, dict) else None
    return value is True or (isinstance(value, str) and value.lower() == "true")


def _from(first: date, end: date | None) -> list[tuple[date, int]]:
    """+1 from ``first`` and -1 on ``end``: counted on the days first <= D < end."""
    if end is None:
        return [(first, 1)]
    return [(first, 1), (end, -1)] if first < end else []


def facts(
    z: Any,
    zaaktype: Any | None,
    statussen: Sequence[Any],
    resultaattypen: Sequence[uuid.UUID | None],
) -> dict[str, Any]:
    """The facts row of one zaak, with its contributions to the counters."""
    start, end = z.startdatum, z.einddatum
    doorlooptijd = zaaktype.doorlooptijd if zaaktype is not None else None
    servicenorm = zaaktype.servicenorm if zaaktype is not None else None
    deadline = legal_deadline(
        z.startdatum, doorlooptijd, z.uiterlijke_einddatum_afdoening, _verlenging_duur(z.verlenging)
    )
    suspended = _suspended(z.opschorting)
    contributions: dict[tuple[date, str, str], list[int]] = defaultdict(lambda: [0, 0])

    def add(dag: date, soort: str, sleutel: str = "", aantal: int = 1, som: int = 0) -> None:
        c = contributions[(dag, soort, sleutel)]
        c[0] += aantal
        c[1] += som

    ordered = sorted(statussen, key=lambda s: (s.datum_status_gezet, str(s.uuid)))
    current = next((s.statustype_uuid for s in ordered if s.uuid == z.status_uuid), None)

    add(start, "in", z.communicatiekanaal or "")
    for dag, step in _from(start, end):
        add(dag, "open", str(current) if current else "", step)
    if z.einddatum_gepland is not None:
        for dag, step in _from(max(start, z.einddatum_gepland + timedelta(days=1)), end):
            add(dag, "gepland", "", step)
    if deadline is not None and not suspended:
        for dag, step in _from(max(start, deadline + timedelta(days=1)), end):
            add(dag, "wettelijk", "", step)
    if suspended:
        for dag, step in _from(start, end):
            add(dag, "opgeschort", "", step)
    if end is not None:
        add(end, "uit")
        for rt in resultaattypen or [None]:
            add(end, "res", str(rt) if rt else "")
        add(end, "dagen", str((end - start).days))
        add(end.replace(day=1), "dagen_maand", str((end - start).days))
        norm_end = add_duration(start, servicenorm) if servicenorm else None
        if norm_end is not None:
            add(end, "met_norm")
            if end <= norm_end:
                add(end, "binnen_norm")
        if servicenorm is not None:
            add(end, "norm_gezet")
        if deadline is not None and end <= deadline:
            add(end, "binnen_wettelijk")
        for a, b in pairwise(ordered):
            spent = (b.datum_status_gezet - a.datum_status_gezet) // timedelta(microseconds=1)
            add(end, "status", str(a.statustype_uuid), 1, spent)

    terms = [d for d in (z.einddatum_gepland, None if suspended else deadline) if d is not None]
    return {
        "tenant_id": z.tenant_id,
        "zaak_uuid": z.uuid,
        "identificatie": z.identificatie,
        "zaaktype_uuid": z.zaaktype_uuid or NO_ZAAKTYPE_UUID,
        "bronorganisatie": z.bronorganisatie,
        "startdatum": start,
        "einddatum": end,
        "einddatum_gepland": z.einddatum_gepland,
        "wettelijke_termijn": deadline,
        "opgeschort": suspended,
        "eerste_termijn": min(terms) if terms else None,
        "bijdragen": [
            [d.isoformat(), soort, sleutel, n, som] for (d, soort, sleutel), (n, som) in contributions.items()
        ],
    }


# --- applying them ---------------------------------------------------------------------------


def _add_contributions(acc: dict[Key, list[int]], row: Any, sign: int) -> None:
    m: Any = row if isinstance(row, dict) else row._mapping
    tenant: int = m["tenant_id"]
    zaaktype: uuid.UUID = m["zaaktype_uuid"]
    bron: str = m["bronorganisatie"]
    for dag, soort, sleutel, n, som in m["bijdragen"] or []:
        c = acc.setdefault((tenant, soort, date.fromisoformat(dag), zaaktype, bron, sleutel), [0, 0])
        c[0] += sign * n
        c[1] += sign * som


_ZAAK_COLUMNS = (
    Zaak.uuid,
    Zaak.tenant_id,
    Zaak.identificatie,
    Zaak.zaaktype_uuid,
    Zaak.bronorganisatie,
    Zaak.startdatum,
    Zaak.einddatum,
    Zaak.einddatum_gepland,
    Zaak.uiterlijke_einddatum_afdoening,
    Zaak.communicatiekanaal,
    Zaak.verlenging,
    Zaak.opschorting,
    Zaak.status_uuid,
)


def _types(conn: Connection, type_uuids: set[uuid.UUID] | None) -> dict[uuid.UUID, Any]:
    """The norms of these zaaktypen (``None``: of all of them)."""
    stmt = select(ZaakType.uuid, ZaakType.doorlooptijd, ZaakType.servicenorm)
    if type_uuids is not None:
        if not type_uuids:
            return {}
        stmt = stmt.where(ZaakType.uuid.in_(type_uuids))
    return {r.uuid: r for r in conn.execute(stmt).all()}


def _children(
    conn: Connection, zaken: Sequence[uuid.UUID], *, uuid_range: bool = False
) -> tuple[dict[uuid.UUID, list[Any]], dict[uuid.UUID, list[uuid.UUID | None]]]:
    """The statussen and resultaattypen of ``zaken``; with ``uuid_range``, of every zaak from
    the first uuid to the last (a batch in uuid order: one range scan, no list of keys)."""

    def of_zaken(column: Any) -> Any:
        return column.between(zaken[0], zaken[-1]) if uuid_range else column.in_(zaken)

    statussen: dict[uuid.UUID, list[Any]] = defaultdict(list)
    stmt = select(Status.zaak_uuid, Status.uuid, Status.statustype_uuid, Status.datum_status_gezet)
    for s in conn.execute(stmt.where(of_zaken(Status.zaak_uuid))).all():
        statussen[s.zaak_uuid].append(s)
    resultaten: dict[uuid.UUID, list[uuid.UUID | None]] = defaultdict(list)
    results = select(Resultaat.zaak_uuid, Resultaat.resultaattype_uuid)
    for r in conn.execute(results.where(of_zaken(Resultaat.zaak_uuid))).all():
        resultaten[r.zaak_uuid].append(r.resultaattype_uuid)
    return statussen, resultaten


def _compute(conn: Connection, zaak_uuids: Sequence[uuid.UUID]) -> list[dict[str, Any]]:
    # The zaak with its zaaktype's norms in one query (a row per zaak: uuid is the key).
    zaken = conn.execute(
        select(*_ZAAK_COLUMNS, ZaakType.doorlooptijd, ZaakType.servicenorm)
        .outerjoin(ZaakType, ZaakType.uuid == Zaak.zaaktype_uuid)
        .where(Zaak.uuid.in_(zaak_uuids))
    ).all()
    if not zaken:
        return []
    statussen, resultaten = _children(conn, zaak_uuids)
    return [facts(z, z if z.zaaktype_uuid else None, statussen[z.uuid], resultaten[z.uuid]) for z in zaken]


def apply(conn: Connection, delta: dict[Key, list[int]]) -> None:
    """Add counter changes, in key order (concurrent writers lock rows in one order)."""
    rows = [
        {
            "tenant_id": k[0],
            "soort": k[1],
            "dag": k[2],
            "zaaktype_uuid": k[3],
            "bronorganisatie": k[4],
            "sleutel": k[5],
            "aantal": n,
            "som": som,
        }
        for k, (n, som) in sorted(
            delta.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2], str(kv[0][3]), kv[0][4], kv[0][5])
        )
        if n or som
    ]
    if not rows:
        return
    stmt = dialect_insert(conn.dialect.name, T)
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "soort", "dag", "zaaktype_uuid", "bronorganisatie", "sleutel"],
        set_={"aantal": T.aantal + stmt.excluded.aantal, "som": T.som + stmt.excluded.som},
    )
    for i in range(0, len(rows), 5000):
        conn.execute(stmt, rows[i : i + 5000])


_FACT_COLUMNS = [c.name for c in F.__table__.columns if c.name != "zaak_uuid"]


def refresh(
    conn: Connection, zaak_uuids: Iterable[uuid.UUID], *, new: bool = False, fresh: Sequence[Any] = ()
) -> None:
    """Bring the summary of these zaken in line with the source tables (deleted zaken drop
    out). ``new``: the zaken have no facts yet (a bulk loader's fresh rows). ``fresh``: zaken
    (objects or rows with the zaak columns) just inserted with no statussen or resultaten,
    whose facts need no reading back.

    The facts rows are read ``FOR UPDATE`` and updated in place: a concurrent transaction
    refreshing the same zaak waits, then subtracts what this one added, never the same
    old contributions twice."""
    todo = sorted(set(zaak_uuids), key=str)
    changes: dict[Key, list[int]] = {}
    if fresh:
        types = _types(conn, {z.zaaktype_uuid for z in fresh if z.zaaktype_uuid})
        rows = [facts(z, types.get(z.zaaktype_uuid) if z.zaaktype_uuid else None, [], []) for z in fresh]
        for row in rows:
            _add_contributions(changes, row, +1)
        conn.execute(insert(F), rows)
    for i in range(0, len(todo), CHUNK):
        chunk = todo[i : i + CHUNK]
        old: list[Any] = []
        if not new:
            old = list(
                conn.execute(
                    select(F.zaak_uuid, F.tenant_id, F.zaaktype_uuid, F.bronorganisatie, F.bijdragen)
                    .where(F.zaak_uuid.in_(chunk))
                    .order_by(F.zaak_uuid)
                    .with_for_update()
                ).all()
            )
            for before in old:
                _add_contributions(changes, before, -1)
        rows = _compute(conn, chunk)
        for row in rows:
            _add_contributions(changes, row, +1)
        gone = {r.zaak_uuid for r in old} - {r["zaak_uuid"] for r in rows}
        if gone:
            conn.execute(delete(F).where(F.zaak_uuid.in_(gone)))
        if rows and new:
            conn.execute(insert(F), rows)
        elif rows:
            stmt = dialect_insert(conn.dialect.name, F)
            stmt = stmt.on_conflict_do_update(
                index_elements=["zaak_uuid"], set_={c: stmt.excluded[c] for c in _FACT_COLUMNS}
            )
            conn.execute(stmt, rows)
    apply(conn, changes)


def rebuild(conn: Connection, progress: Callable[[int], None] | None = None, batch: int = 5000) -> int:
    """Recompute the whole summary from the source tables (all tenants); returns the zaken.

    Zaken in uuid order, batch by batch, with the statussen and resultaten of the batch's
    uuid range (one range scan each, not a lookup per zaak). The counters are added up in
    memory and written once at the end."""
    conn.execute(delete(T))
    conn.execute(delete(F))
    types = _types(conn, None)
    total: dict[Key, list[int]] = {}
    last: uuid.UUID | None = None
    done = 0
    while True:
        stmt = select(*_ZAAK_COLUMNS).order_by(Zaak.uuid).limit(batch)
        zaken = conn.execute(stmt if last is None else stmt.where(Zaak.uuid > last)).all()
        if not zaken:
            break
        last = zaken[-1].uuid
        statussen, resultaten = _children(conn, [zaken[0].uuid, last], uuid_range=True)
        rows = []
        for z in zaken:
            row = facts(
                z,
                types.get(z.zaaktype_uuid) if z.zaaktype_uuid else None,
                statussen.get(z.uuid, []),
                resultaten.get(z.uuid, []),
            )
            _add_contributions(total, row, +1)
            rows.append(row)
        conn.execute(insert(F), rows)
        done += len(rows)
        if progress:
            progress(len(rows))
    apply(conn, total)
    return done


# --- the hook --------------------------------------------------------------------------------
#
# Every flush notes the zaken whose zaak, status or resultaat rows it wrote; at commit (or
# before the session itself reads the summary: a dashboard query in the same transaction
# sees its own writes) their facts are recomputed and the counter changes written, once
# per transaction, as one batch in key order (so writers lock shared counter rows in one
# order, and only at the end of their transaction).

_PENDING = "dashboard_summary_pending"  # zaken touched, summary not yet refreshed
# Zaken this transaction inserted, as their objects, while nothing else was written for
# them: their facts follow from the object alone (no facts, statussen or resultaten yet),
# which spares four of a refresh's seven statements on every zaak creation.
_NEW = "dashboard_summary_new"
_CATALOGUE_FIELDS = ("doorlooptijd", "servicenorm")


def _touched(session: Session) -> set[uuid.UUID]:
    return session.info.setdefault(_PENDING, set())  # type: ignore[no-any-return]


def _new(session: Session) -> dict[uuid.UUID, Zaak]:
    return session.info.setdefault(_NEW, {})  # type: ignore[no-any-return]


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    touched = _touched(session)
    new = _new(session)
    types: set[uuid.UUID] = set()
    for obj in session.new:
        if isinstance(obj, Zaak) and obj.uuid not in touched:
            new[obj.uuid] = obj
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Zaak):
            touched.add(obj.uuid)
            if obj not in session.new:
                new.pop(obj.uuid, None)
        elif isinstance(obj, Status | Resultaat):
            touched.add(obj.zaak_uuid)
            new.pop(obj.zaak_uuid, None)
        elif isinstance(obj, ZaakType) and obj in session.dirty:
            state = inspect(obj)
            if any(state.attrs[f].history.has_changes() for f in _CATALOGUE_FIELDS):
                types.add(obj.uuid)
    if types:  # a corrected norm changes the deadlines of all its zaken
        touched.update(session.connection().scalars(select(Zaak.uuid).where(Zaak.zaaktype_uuid.in_(types))))


def _write_pending(session: Session) -> None:
    touched = session.info.get(_PENDING)
    new = session.info.pop(_NEW, None) or {}
    if touched:
        session.info[_PENDING] = set()
        fresh = [z for pk, z in new.items() if pk in touched]
        refresh(session.connection(), touched - {z.uuid for z in fresh}, fresh=fresh)


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    session.flush()  # the last changes first (commit flushes only after this event)
    _write_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _after_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_NEW, None)


_ZAAK_OF = {
    Zaak.__table__: Zaak.uuid,
    Status.__table__: Status.zaak_uuid,
    Resultaat.__table__: Resultaat.zaak_uuid,
}


@event.listens_for(Session, "do_orm_execute")
def _core_writes(state: ORMExecuteState) -> None:
    """An ``update(Zaak)``/``delete(Status)``... through the session: note the zaken it
    touches (found with the same WHERE before it runs). A read of the summary first brings
    it up to date."""
    if state.is_select:
        if state.session.info.get(_PENDING) and any(m.class_ in (T, F) for m in state.all_mappers):
            _write_pending(state.session)
        return
    if not (state.is_update or state.is_delete):
        return
    stmt = state.statement
    column = _ZAAK_OF.get(getattr(stmt, "table", None))  # type: ignore[arg-type]
    if column is None:
        return
    where = stmt.whereclause  # type: ignore[attr-defined]
    found = select(column) if where is None else select(column).where(where)
    zaken = set(state.session.execute(found).scalars())
    _touched(state.session).update(zaken)
    new = _new(state.session)
    for pk in zaken:
        new.pop(pk, None)  # written past its object: read it back
