"""Date arithmetic the indicators need, compiled per database so the work stays in SQL.

- ``week_start(d)``: the Monday of d's ISO week.
- ``days_between(a, b)``: whole days from a to b.
- ``add_duration(d, iso)``: d plus an ISO 8601 duration (a column or a literal); NULL when
  either is NULL or empty. PostgreSQL casts the duration to an ``interval``; SQLite calls
  ``sz_add_duration``, a deterministic function registered on every SQLite connection.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Engine, Float, Integer, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from samenzaak.dashboard.durations import add_duration_text


class week_start(FunctionElement[Any]):
    type = Date()
    name = "week_start"
    inherit_cache = True


class days_between(FunctionElement[Any]):
    type = Integer()
    name = "days_between"
    inherit_cache = True


class add_duration(FunctionElement[Any]):
    type = Date()
    name = "add_duration"
    inherit_cache = True


def _args(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> list[str]:
    return [compiler.process(c, **kw) for c in element.clauses]


@compiles(week_start, "postgresql")
def _week_start_pg(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    (d,) = _args(element, compiler, **kw)
    return f"CAST(date_trunc('week', {d}) AS DATE)"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: SQLCompiler, **kw: Any) -> str:
    (d,) = _args(element, compiler, **kw)
    # 'weekday 0' moves forward to Sunday (or stays on one); six days back is that week's Monday.
    return f"date({d}, 'weekday 0', '-6 days')"


@compiles(days_between, "postgresql")
def _days_between_pg(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = _args(element, compiler, **kw)
    return f"(CAST({b} AS DATE) - CAST({a} AS DATE))"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element: days_between, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = _args(element, compiler, **kw)
    return f"CAST(julianday({b}) - julianday({a}) AS INTEGER)"


@compiles(add_duration, "postgresql")
def _add_duration_pg(element: add_duration, compiler: SQLCompiler, **kw: Any) -> str:
    d, iso = _args(element, compiler, **kw)
    return f"CAST(CAST({d} AS DATE) + CAST(NULLIF(CAST({iso} AS TEXT), '') AS INTERVAL) AS DATE)"


@compiles(add_duration, "sqlite")
def _add_duration_sqlite(element: add_duration, compiler: SQLCompiler, **kw: Any) -> str:
    d, iso = _args(element, compiler, **kw)
    return f"sz_add_duration({d}, {iso})"


@event.listens_for(Engine, "connect")
def _register_sqlite_functions(dbapi_connection: Any, _record: Any) -> None:
    if type(dbapi_connection).__module__.startswith(("sqlite3", "sqlalchemy.dialects.sqlite")) or (
        "aiosqlite" in type(dbapi_connection).__module__
    ):
        dbapi_connection.create_function("sz_add_duration", 2, add_duration_text, deterministic=True)


class elapsed_days(FunctionElement[Any]):
    """Fractional days between two timestamps (time spent in a status)."""

    type = Float()
    name = "elapsed_days"
    inherit_cache = True


@compiles(elapsed_days, "postgresql")
def _elapsed_days_pg(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = _args(element, compiler, **kw)
    return f"(EXTRACT(EPOCH FROM ({b} - {a})) / 86400.0)"


@compiles(elapsed_days, "sqlite")
def _elapsed_days_sqlite(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    a, b = _args(element, compiler, **kw)
    return f"(julianday({b}) - julianday({a}))"


class unindexed(FunctionElement[Any]):
    """The column's value, but not for index lookups: SQLite's no-op unary ``+`` steers its
    planner to the index of the other condition; PostgreSQL plans on statistics anyway."""

    type = Date()
    name = "unindexed"
    inherit_cache = True


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    (col,) = _args(element, compiler, **kw)
    return f"+{col}"


@compiles(unindexed, "postgresql")
def _unindexed_pg(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    (col,) = _args(element, compiler, **kw)
    return col
