"""Which tenant (municipality) a request is for, decided once, before routing.

In path mode a tenant's APIs live under ``/<slug>/…``; the prefix is stripped from the
path (and added to ``root_path``) so the routes are the same for every tenant, and the URL
builder puts it back into every URL it makes. In host mode the host name decides. A
request that names no tenant goes to the default tenant, whose URLs are plain ZGW URLs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Receive, Scope, Send

from samenzaak.common.problems import PermissionDenied, problem_response
from samenzaak.common.urls import APIS
from samenzaak.db import DEFAULT_TENANT_ID, Tenant

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$")
RESERVED = {spec[0] for spec in APIS.values()} | {
    "dashboard",
    "health",
    "ready",
    "metrics",
    "docs",
    "redoc",
    "openapi.json",
    "static",
    "admin",
    "api",
}


def slug_problem(slug: str) -> str | None:
    if not SLUG.match(slug):
        return "use 1-50 lower-case letters, digits and hyphens, starting and ending with a letter or digit"
    if slug in RESERVED:
        return f"{slug!r} is reserved for Samenzaak's own paths"
    return None


@dataclass(frozen=True, slots=True)
class TenantInfo:
    id: int
    slug: str
    active: bool
    hostname: str | None


class TenantDirectory:
    """An in-process copy of the (small) tenants table, refreshed every few seconds.

    A lookup that misses refreshes at once (at most once a second), so a tenant created by
    ``samenzaak tenant create`` in another process is served on its first request.
    """

    def __init__(self, sessions: Callable[[], async_sessionmaker[AsyncSession]], ttl: float = 5.0) -> None:
        # A callable, so the tests' transactional session factory is picked up too.
        self.sessions = sessions
        self.ttl = ttl
        self.by_slug: dict[str, TenantInfo] = {}
        self.by_host: dict[str, TenantInfo] = {}
        self.loaded_at = 0.0

    async def refresh(self) -> None:
        async with self.sessions()() as session:
            rows = (
                await session.execute(select(Tenant.id, Tenant.slug, Tenant.active, Tenant.hostname))
            ).all()
        tenants = [TenantInfo(r.id, r.slug, r.active, r.hostname) for r in rows]
        self.by_slug = {t.slug: t for t in tenants}
        self.by_host = {t.hostname.lower(): t for t in tenants if t.hostname}
        self.loaded_at = time.monotonic()

    async def _lookup(self, by_host: bool, key: str) -> TenantInfo | None:
        now = time.monotonic()
        if now - self.loaded_at > self.ttl:
            await self.refresh()
        found = (self.by_host if by_host else self.by_slug).get(key)
        if found is None and now - self.loaded_at > 1.0:
            await self.refresh()
            found = (self.by_host if by_host else self.by_slug).get(key)
        return found

    async def slug(self, slug: str) -> TenantInfo | None:
        return await self._lookup(False, slug)

    async def host(self, host: str) -> TenantInfo | None:
        return await self._lookup(True, host.lower())


class TenantMiddleware:
    def __init__(self, app: ASGIApp, directory: TenantDirectory, mode: str = "path") -> None:
        self.app = app
        self.directory = directory
        self.mode = mode

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        tenant: TenantInfo | None = None
        if self.mode == "host":
            host = next((v.decode() for k, v in scope["headers"] if k == b"host"), "").split(":")[0]
            tenant = await self.directory.host(host) if host else None
        else:
            path: str = scope["path"]
            first = path.split("/", 2)[1] if path.count("/") >= 1 else ""
            if first and first not in RESERVED and SLUG.match(first):
                tenant = await self.directory.slug(first)
                if tenant is not None:
                    prefix = f"/{first}"
                    scope = dict(scope)
                    scope["path"] = path[len(prefix) :] or "/"
                    if scope.get("raw_path"):
                        scope["raw_path"] = scope["raw_path"][len(prefix) :] or b"/"
                    scope["root_path"] = scope.get("root_path", "") + prefix
                    state["tenant_prefix"] = prefix
        if tenant is not None and not tenant.active:
            # 403 rather than 404: every ZGW operation documents 403, and the tenant does exist.
            response = problem_response(
                PermissionDenied(f"Tenant {tenant.slug!r} is disabled.", code="tenant-disabled")
            )
            await response(scope, receive, send)
            return
        state["tenant_id"] = tenant.id if tenant is not None else DEFAULT_TENANT_ID
        state["tenant_slug"] = tenant.slug if tenant is not None else "default"
        await self.app(scope, receive, send)
