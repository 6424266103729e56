"""Engine, sessions and the declarative base, with tenant scoping applied in one place.

Every model that holds an organisation's data mixes in :class:`TenantMixin`. The session
carries the current tenant in ``session.info["tenant_id"]``; one ORM event adds the tenant
criterion to every SELECT, UPDATE and DELETE and one flush event stamps new rows, so no
route or service ever filters by tenant by hand.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, MetaData, String, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    ORMExecuteState,
    Session,
    UOWTransaction,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)
from sqlalchemy.types import TypeDecorator

DEFAULT_TENANT_ID = 1

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# JSONB on PostgreSQL (indexable, compact), JSON elsewhere.
JSONType = JSON().with_variant(postgresql.JSONB(), "postgresql")
BigIntPK = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes on both engines (SQLite stores them naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantMixin:
    """Rows that belong to one organisation (tenant)."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(Integer, ForeignKey("tenants.id"), nullable=False, index=True)


class UUIDPrimaryKey:
    uuid: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Tenant(Base):
    """An organisation served by this installation: a municipality or a cooperation."""

    __tablename__ = "tenants"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    naam: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    # Served at https://<hostname>/… in host mode; unique so a host maps to one tenant.
    hostname: Mapped[str | None] = mapped_column(String(255), unique=True, nullable=True)


# Test and diagnostic switch, off by default: sessions whose ``info`` holds this key set to
# True get no ORM tenant criteria at all, so on PostgreSQL only the row-level security policies
# isolate tenants (tests/tenancy/test_isolation_all_apis.py runs its sweep so, to prove they do).
# Only code that builds a session factory can set it (``info={ORM_TENANT_SCOPING_OFF: True}``);
# no setting, header or request reaches ``session.info``, and the app's own factories never set it.
# Stamping new rows with the tenant stays on.
ORM_TENANT_SCOPING_OFF = "orm_tenant_scoping_off"


@event.listens_for(Session, "do_orm_execute")
def _scope_to_tenant(state: ORMExecuteState) -> None:
    tenant_id = state.session.info.get("tenant_id")
    if tenant_id is None or state.execution_options.get("all_tenants", False):
        return
    if state.session.info.get(ORM_TENANT_SCOPING_OFF, False):
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantMixin,
                lambda cls: cls.tenant_id == tenant_id,
                include_aliases=True,
                track_closure_variables=False,
            )
        )


SET_TENANT = text(
    "SELECT set_config('samenzaak.tenant_id', :t, true), set_config('samenzaak.all_tenants', :a, true)"
)


@event.listens_for(Session, "after_begin")
def _tenant_for_row_level_security(session: Session, transaction: Any, connection: Any) -> None:
    """Tell PostgreSQL which tenant this transaction serves, for the row-level security
    policies (the second wall behind the ORM scoping; see ``migrate.ensure_row_level_security``)."""
    if connection.dialect.name != "postgresql" or transaction.nested:
        return  # a savepoint is inside a transaction already told
    settings = tenant_settings(
        session.info.get("tenant_id"), all_tenants=bool(session.info.get("all_tenants"))
    )
    connection.execute(SET_TENANT, settings)


def tenant_settings(tenant_id: int | None, *, all_tenants: bool = False) -> dict[str, str]:
    """The parameters of :data:`SET_TENANT` (row-level security) for a transaction."""
    return {"t": "" if tenant_id is None else str(int(tenant_id)), "a": "on" if all_tenants else "off"}


def dialect_insert(dialect_name: str, table: Any) -> Any:
    """An INSERT that can take ``on_conflict_do_update`` (PostgreSQL or SQLite)."""
    return (postgresql if dialect_name == "postgresql" else sqlite).insert(table)


async def use_tenant(session: AsyncSession, tenant_id: int) -> None:
    """Switch a session to another tenant, also for a transaction already under way."""
    session.info["tenant_id"] = tenant_id
    if session.in_transaction() and session.bind is not None and session.bind.dialect.name == "postgresql":
        await session.execute(
            text("SELECT set_config('samenzaak.tenant_id', :t, true)"), {"t": str(int(tenant_id))}
        )


@event.listens_for(Session, "before_flush")
def _stamp_tenant(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    tenant_id = session.info.get("tenant_id")
    for obj in session.new:
        if isinstance(obj, TenantMixin) and getattr(obj, "tenant_id", None) is None:
            if tenant_id is None:
                raise RuntimeError(f"{type(obj).__name__} created outside a tenant-scoped session")
            obj.tenant_id = tenant_id


def async_url(url: str) -> str:
    """Turn the URL a user writes (sqlite:///x, postgresql://…) into one with an async driver."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif backend in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    else:
        raise ValueError(f"unsupported database {backend!r}: use sqlite:///path or postgresql://user@host/db")
    return parsed.render_as_string(hide_password=False)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    aurl = async_url(url)
    if aurl.startswith("sqlite"):
        engine = create_async_engine(aurl, **kwargs)
        _configure_sqlite(engine)
        return engine
    # orjson reads the JSONB columns: the standard library's json.loads took a quarter of a
    # list page's CPU time (five JSON columns per zaak). PostgreSQL only: JSONB never holds
    # the NaN that json.dumps may have written into a SQLite file and orjson refuses.
    kwargs.setdefault("json_deserializer", orjson.loads)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    kwargs.setdefault("pool_pre_ping", False)
    return create_async_engine(aurl, **kwargs)


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINTs; let SQLAlchemy emit BEGIN itself.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Any) -> None:
        # A deferred transaction that reads and then writes fails at once ("database is
        # locked", SQLITE_BUSY_SNAPSHOT) when another connection committed in between; the
        # busy timeout does not help. Writers therefore take the write lock up front.
        immediate = conn.get_execution_options().get(SQLITE_BEGIN_IMMEDIATE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


SQLITE_BEGIN_IMMEDIATE = "sqlite_begin_immediate"


@lru_cache(maxsize=16)
def writer_bind(engine: AsyncEngine) -> AsyncEngine:
    """The engine for a session that will write: on SQLite its transactions BEGIN IMMEDIATE
    (elsewhere the execution option is ignored)."""
    return engine.execution_options(**{SQLITE_BEGIN_IMMEDIATE: True})


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


@asynccontextmanager
async def tenant_session(
    factory: async_sessionmaker[AsyncSession], tenant_id: int = DEFAULT_TENANT_ID
) -> AsyncIterator[AsyncSession]:
    async with factory() as session:
        session.info["tenant_id"] = tenant_id
        yield session
