"""What every `samenzaak` command that touches the database needs: the database URL, a
tenant-scoped session, the URL builder, and an operator's identity for the audit trail."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import typer
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.urls import UrlBuilder
from samenzaak.config import get_settings
from samenzaak.db import Tenant, create_engine, make_sessionmaker, tenant_session, use_tenant

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def database_url() -> str:
    settings = get_settings()
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return url


def url_builder(tenant: str = "default") -> UrlBuilder:
    """URLs as clients see them: the configured public base URL, with the tenant's prefix."""
    settings = get_settings()
    base = (settings.public_base_url or DEFAULT_BASE_URL).rstrip("/")
    prefix = "" if tenant == "default" or settings.tenant_mode == "host" else f"/{tenant}"
    return UrlBuilder(base=base, prefix=prefix)


def operator(name: str = "samenzaak-cli") -> Auth:
    """The identity written into audit records of changes made from the command line."""
    return Auth(
        client_id=name, user_id=name, user_representation="Beheerder (commandoregel)", all_rights=True
    )


async def tenant_id(session: AsyncSession, slug: str) -> int:
    found = await session.scalar(select(Tenant.id).where(Tenant.slug == slug))
    if found is None:
        raise typer.BadParameter(
            f"no tenant {slug!r}; see `samenzaak tenant list` or create it with `samenzaak tenant create`",
            param_hint="--tenant",
        )
    return found


@asynccontextmanager
async def command_session(tenant: str = "default") -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url())
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
            await use_tenant(session, await tenant_id(session, tenant))
            yield session
    finally:
        await engine.dispose()
