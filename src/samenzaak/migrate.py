"""Alembic, driven from code: ``samenzaak migrate``, start-up and the tests use the same path.

Each API keeps its own branch of revisions (``branch_labels``) that depends on the
foundation, so the APIs can evolve their schemas independently; ``upgrade heads`` applies all.
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection

from samenzaak.db import create_engine

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def upgrade_connection(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        # Migrations may touch every tenant's rows.
        connection.exec_driver_sql("SELECT set_config('samenzaak.all_tenants', 'on', false)")
    command.upgrade(alembic_config(connection), "heads")
    if connection.dialect.name == "postgresql":
        ensure_row_level_security(connection)


RLS_POLICY = "samenzaak_tenant_isolation"
# The settings are read in scalar subqueries so PostgreSQL evaluates them once per query (an
# InitPlan) instead of calling current_setting() twice for every row: at 1,000,000 zaken that
# made an exact count 3x slower (383 ms against 128 ms, docs/performance.md).
RLS_CONDITION = (
    "(SELECT current_setting('samenzaak.all_tenants', true)) = 'on' "
    "OR tenant_id = (SELECT NULLIF(current_setting('samenzaak.tenant_id', true), '')::integer)"
)


def tenant_tables(connection: Connection) -> list[str]:
    rows = connection.exec_driver_sql(
        "SELECT c.table_name FROM information_schema.columns c "
        "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
        "WHERE c.column_name = 'tenant_id' AND c.table_schema = current_schema() "
        "AND t.table_type = 'BASE TABLE' "
        "ORDER BY c.table_name"
    ).all()
    return [r[0] for r in rows]


def ensure_row_level_security(connection: Connection) -> None:
    """Every table with a tenant key gets a row-level security policy on PostgreSQL.

    Applied after every upgrade, so a table added by any API's migration is covered without
    that migration having to remember it. FORCE makes the policy bind the table owner too;
    superusers and BYPASSRLS roles still bypass it, so production must connect as an
    ordinary role (docs/operations.md).
    """
    for table in tenant_tables(connection):
        quoted = connection.dialect.identifier_preparer.quote(table)
        connection.exec_driver_sql(f"ALTER TABLE {quoted} ENABLE ROW LEVEL SECURITY")
        connection.exec_driver_sql(f"ALTER TABLE {quoted} FORCE ROW LEVEL SECURITY")
        connection.exec_driver_sql(f"DROP POLICY IF EXISTS {RLS_POLICY} ON {quoted}")
        connection.exec_driver_sql(
            f"CREATE POLICY {RLS_POLICY} ON {quoted} USING ({RLS_CONDITION}) WITH CHECK ({RLS_CONDITION})"
        )


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    # Reading the revision files takes most of a second; they do not change while running.
    return ScriptDirectory.from_config(alembic_config())


def migrations_current(connection: Connection) -> bool:
    """Whether every head is applied. A head an API branch merely ``depends_on`` (the
    foundation) is no longer listed in alembic_version once that branch is applied, so the
    applied set is everything reachable from the current heads, dependencies included."""
    script = _script()
    context = MigrationContext.configure(connection)
    applied: set[str] = set()
    todo = list(context.get_current_heads())
    while todo:
        rev = script.get_revision(todo.pop())
        if rev is None or rev.revision in applied:
            continue
        applied.add(rev.revision)
        for ref in (rev.down_revision, rev.dependencies):
            todo.extend([ref] if isinstance(ref, str) else list(ref or ()))
    return set(script.get_heads()) <= applied


async def upgrade(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(upgrade_connection)
    finally:
        await engine.dispose()


def upgrade_sync(url: str) -> None:
    asyncio.run(upgrade(url))
