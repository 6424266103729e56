"""PostgreSQL row-level security isolates tenants even with the application's scoping off.

This test needs real commits and a second, non-superuser role (superusers bypass RLS), so
it works outside the per-test transaction and cleans up after itself.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.autorisaties.models import Applicatie
from samenzaak.db import Tenant, create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import RLS_POLICY, tenant_tables

ROLE_PREFIX = "sz_rls_probe_"


@pytest.fixture
async def two_tenants(engine: AsyncEngine, db_url: str) -> AsyncIterator[tuple[int, int, str]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("row-level security is a PostgreSQL feature")
    # Roles are cluster-wide: one per database, so parallel test runs do not collide.
    role = ROLE_PREFIX + str(make_url(db_url).database).replace("-", "_")
    factory = make_sessionmaker(engine)
    slugs = [f"rls-{uuid.uuid4().hex[:8]}" for _ in range(2)]
    async with factory() as s:
        s.info["all_tenants"] = True
        tenants = [Tenant(slug=slug, naam=slug) for slug in slugs]
        s.add_all(tenants)
        await s.flush()
        for t in tenants:
            s.add(Applicatie(tenant_id=t.id, label=f"app of {t.slug}", clients=[], autorisaties=[]))
        await s.commit()
        ids = (tenants[0].id, tenants[1].id)
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP OWNED BY {role}")) if await conn.scalar(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ) else None
        await conn.execute(text(f"DROP ROLE IF EXISTS {role}"))
        await conn.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOBYPASSRLS"))
        await conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {role}"))
        await conn.execute(text(f"GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO {role}"))
    probe_url = make_url(db_url).set(username=role).render_as_string(hide_password=False)
    yield ids[0], ids[1], probe_url
    async with factory() as s:
        s.info["all_tenants"] = True
        await s.execute(delete(Applicatie).where(Applicatie.tenant_id.in_(ids)))
        await s.execute(delete(Tenant).where(Tenant.id.in_(ids)))
        await s.commit()
    async with engine.begin() as conn:
        await conn.execute(text(f"DROP OWNED BY {role}"))
        await conn.execute(text(f"DROP ROLE {role}"))


async def test_every_tenant_table_has_the_policy(
    two_tenants: tuple[int, int, str], engine: AsyncEngine
) -> None:
    async with engine.connect() as conn:
        tables = await conn.run_sync(tenant_tables)
        policies = set(
            (
                await conn.execute(
                    text("SELECT tablename FROM pg_policies WHERE policyname = :p"), {"p": RLS_POLICY}
                )
            )
            .scalars()
            .all()
        )
    assert "ac_applicaties" in tables and "audittrail" in tables
    assert set(tables) <= policies


async def test_policies_alone_isolate_tenants(two_tenants: tuple[int, int, str]) -> None:
    a, b, probe_url = two_tenants
    engine = create_engine(probe_url)
    try:
        async with tenant_session(make_sessionmaker(engine), a) as s:
            # all_tenants switches the ORM scoping off for this statement: only the policies remain.
            labels = (await s.scalars(select(Applicatie.label).execution_options(all_tenants=True))).all()
            assert labels and all(label.startswith("app of rls-") for label in labels)
            assert len(labels) == 1
            own = await s.scalar(select(Tenant.slug).where(Tenant.id == a))
            assert labels == [f"app of {own}"]

        async with tenant_session(make_sessionmaker(engine), a) as s:
            s.add(Applicatie(tenant_id=b, label="smuggled", clients=[], autorisaties=[]))
            with pytest.raises(DBAPIError, match="row-level security"):
                await s.flush()
            await s.rollback()

        # No tenant set at all: nothing is visible.
        async with make_sessionmaker(engine)() as s:
            assert (await s.scalars(select(Applicatie.label))).all() == []
    finally:
        await engine.dispose()
