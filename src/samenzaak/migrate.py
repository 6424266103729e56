"""Alembic, driven from code: ``samenzaak migrate``, start-up and the tests use the same path.

Each API keeps its own branch of revisions (``branch_labels``) that depends on the
foundation, so the APIs can evolve their schemas independently; ``upgrade heads`` applies all.
"""

from __future__ import annotations

import asyncio
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
    command.upgrade(alembic_config(connection), "heads")


def migrations_current(connection: Connection) -> bool:
    """Whether every head is applied. A head an API branch merely ``depends_on`` (the
    foundation) is no longer listed in alembic_version once that branch is applied, so the
    applied set is everything reachable from the current heads, dependencies included."""
    script = ScriptDirectory.from_config(alembic_config())
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
