"""Sequence numbers for generated identificaties (zaken: zrc-002, besluiten: brc-002): one
counter row per (tenant, organisation, year), advanced with one ``INSERT … ON CONFLICT DO
UPDATE … RETURNING`` (which also creates the row the first time, race-free).

Why PostgreSQL counts in a short transaction of its own: the counter row stays locked from
its update until the transaction ends. Counted inside the request's transaction, every
creator for the same organisation waited for all of the previous creator's work
(validation, insert, audit trail, notification, commit): zaak creation served 61 per second
at concurrency 8 however many workers ran. In its own transaction the lock lasts one
statement. The price is a gap when the creation then fails; numbers never were gapless (a
number a consumer already used by hand is skipped too). The transaction runs on a small
pool of its own, so a request that holds a connection of the main pool never waits for
another one (a full main pool would otherwise deadlock until its timeout).

SQLite has one writer at a time anyway and the request's transaction may already hold the
write lock, so there the counter advances inside that transaction.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from samenzaak.db import SET_TENANT, TenantMixin, create_engine, dialect_insert, tenant_settings

_OWN_ENGINES: WeakKeyDictionary[Engine, AsyncEngine] = WeakKeyDictionary()


def _own_engine(bind: AsyncEngine) -> AsyncEngine:
    """The counting pool beside ``bind``'s, disposed together with it."""
    main = bind.sync_engine
    own = _OWN_ENGINES.get(main)
    if own is None:
        own = create_engine(bind.url.render_as_string(hide_password=False), pool_size=2, max_overflow=2)
        _OWN_ENGINES[main] = own
        counting = own.sync_engine

        # AsyncEngine.dispose runs the sync dispose inside its greenlet, where closing the
        # counting pool's connections can await too.
        @event.listens_for(main, "engine_disposed")
        def _dispose_too(engine: Engine) -> None:
            _OWN_ENGINES.pop(engine, None)
            counting.dispose()

    return own


def _advance(model: type[TenantMixin], dialect_name: str, tenant_id: int, key: dict[str, Any]) -> Any:
    table: Any = model.__table__  # type: ignore[attr-defined]
    stmt = dialect_insert(dialect_name, table).values(tenant_id=tenant_id, laatste=1, **key)
    return stmt.on_conflict_do_update(
        index_elements=["tenant_id", *key], set_={"laatste": table.c.laatste + 1}
    ).returning(table.c.laatste)


async def next_number(session: AsyncSession, model: type[TenantMixin], **key: Any) -> int:
    """The next number of ``model``'s counter row for ``key`` in the session's tenant."""
    tenant_id = int(session.info["tenant_id"])
    bind = session.bind
    dialect_name = session.get_bind().dialect.name
    stmt = _advance(model, dialect_name, tenant_id, key)
    if dialect_name == "postgresql" and isinstance(bind, AsyncEngine):
        async with _own_engine(bind).begin() as conn:
            await conn.execute(SET_TENANT, tenant_settings(tenant_id))  # row-level security
            return int((await conn.execute(stmt)).scalar_one())
    # A session bound to one connection (a caller's own transaction) counts inside it.
    return int((await session.execute(stmt)).scalar_one())
