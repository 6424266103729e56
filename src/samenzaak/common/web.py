"""What a route needs from a request: the session, the caller, and the URL builder.

FastAPI caches a dependency per request, so the session and the authenticated caller are
built once and shared by every dependency and the route itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from starlette.datastructures import URL
from starlette.responses import Response

from samenzaak.common.auth import Auth, authenticate
from samenzaak.common.replica import replica_is_current_for
from samenzaak.common.urls import UrlBuilder
from samenzaak.config import Settings
from samenzaak.db import DEFAULT_TENANT_ID, writer_bind


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    factory = request.app.state.sessionmaker
    bind = factory.kw.get("bind")
    # A request that may write takes SQLite's write lock when its transaction begins, so a
    # commit by another connection (another request, the notification dispatcher) between
    # its reads and its writes cannot fail it (see db.writer_bind).
    kwargs: dict[str, Any] = {}
    if request.method not in SAFE_METHODS and isinstance(bind, AsyncEngine) and bind.dialect.name == "sqlite":
        kwargs["bind"] = writer_bind(bind)
    async with factory(**kwargs) as session:
        session.info["tenant_id"] = getattr(request.state, "tenant_id", DEFAULT_TENANT_ID)
        # With a replica, writes record the client's position so its own reads stay fresh.
        session.info["track_writes"] = request.app.state.replica_sessionmaker is not None
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_session)]


def get_urls(request: Request) -> UrlBuilder:
    configured = settings_of(request).public_base_url
    base = configured.rstrip("/") if configured else f"{request.url.scheme}://{request.url.netloc}"
    return UrlBuilder(base=base, prefix=getattr(request.state, "tenant_prefix", ""))


async def _urls_dependency(request: Request) -> UrlBuilder:
    # An async dependency: FastAPI runs a plain ``def`` dependency in a worker thread, a
    # thread hop on every request for what is a string concatenation.
    return get_urls(request)


UrlsDep = Annotated[UrlBuilder, Depends(_urls_dependency)]


def public_url(request: Request, urls: UrlBuilder) -> URL:
    """The request's URL as the client sees it (for ``next``/``previous`` links)."""
    return URL(urls.base + request.url.path + (f"?{request.url.query}" if request.url.query else ""))


async def get_auth(request: Request, session: SessionDep) -> Auth:
    settings = settings_of(request)
    auth = await authenticate(
        session,
        request.headers.get("authorization"),
        leeway=settings.jwt_leeway,
        max_age=settings.jwt_max_age,
    )
    auth.audit_toelichting = request.headers.get("x-audit-toelichting", "")
    request.state.client_id = auth.client_id
    session.info["client_id"] = auth.client_id
    return auth


AuthDep = Annotated[Auth, Depends(get_auth)]


async def get_read_session(
    request: Request, session: SessionDep, auth: AuthDep
) -> AsyncIterator[AsyncSession]:
    """A session for reads that may be a little stale (lists, dashboards): the replica when
    one is configured and has replayed this client's own last write, else the primary."""
    factory = request.app.state.replica_sessionmaker
    if factory is None:
        yield session
        return
    async with factory() as replica:
        replica.info["tenant_id"] = session.info["tenant_id"]
        if await replica_is_current_for(session, replica, auth.client_id):
            request.state.db_target = "replica"
            yield replica
            return
    request.state.db_target = "primary"
    yield session


ReadSessionDep = Annotated[AsyncSession, Depends(get_read_session)]
