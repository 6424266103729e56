"""The ASGI application: every API under its own root, the dashboard, health and errors."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import Depends, FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import Response

from samenzaak import __version__
from samenzaak.autorisaties.api import router as autorisaties_router
from samenzaak.besluiten.api import router as besluiten_router
from samenzaak.catalogi.api import router as catalogi_router
from samenzaak.common import problems
from samenzaak.common.middleware import RequestContextMiddleware
from samenzaak.common.observability import Metrics, ObservabilityMiddleware
from samenzaak.common.request_contract import contract_dependency
from samenzaak.common.tenancy import TenantDirectory, TenantMiddleware
from samenzaak.common.urls import api_root_path
from samenzaak.common.web import JSON, get_auth
from samenzaak.config import Settings, get_settings
from samenzaak.dashboard.routes import install as install_dashboard
from samenzaak.db import create_engine, make_sessionmaker
from samenzaak.documenten.api import router as documenten_router
from samenzaak.legislation.routes import router as legislation_router
from samenzaak.migrate import migrations_current
from samenzaak.notificaties.api import router as notificaties_router
from samenzaak.notificaties.runtime import install as install_notificaties
from samenzaak.referentielijsten.api import router as referentielijsten_router
from samenzaak.zaken.api import router as zaken_router

log = logging.getLogger("samenzaak")

# API name -> the official OpenAPI file served at <root>/schema/openapi.yaml.
SPEC_FILES = {
    "autorisaties": "autorisaties-1.1.0.yaml",
    "catalogi": "catalogi-1.3.3.yaml",
    "zaken": "zaken-1.7.0.yaml",
    "documenten": "documenten-1.7.0.yaml",
    "besluiten": "besluiten-1.1.0.yaml",
    "notificaties": "notificaties-1.0.1.yaml",
    "referentielijsten": "referentielijsten-openapi.yaml",
}
# The Selectielijst API is public reference data: no token.
PUBLIC_APIS = {"referentielijsten"}
# Its spec documents no 400 at all: an odd query value gets an empty page there, not a 400.
NO_400_APIS = {"referentielijsten"}
ROUTERS = {
    "autorisaties": autorisaties_router,
    "catalogi": catalogi_router,
    "zaken": zaken_router,
    "documenten": documenten_router,
    "besluiten": besluiten_router,
    "notificaties": notificaties_router,
    "referentielijsten": referentielijsten_router,
}


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None) -> FastAPI:
    settings = settings or get_settings()
    own_engine = engine is None
    engine = engine or create_engine(settings.resolved_database_url())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        if own_engine:
            await engine.dispose()
        if replica_engine is not None:
            await replica_engine.dispose()

    app = FastAPI(
        title="Samenzaak",
        version=__version__,
        description="VNG API's voor Zaakgericht Werken, for one municipality or many together.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessionmaker = make_sessionmaker(engine)
    replica_engine = create_engine(settings.database_replica_url) if settings.database_replica_url else None
    app.state.replica_engine = replica_engine
    app.state.replica_sessionmaker = make_sessionmaker(replica_engine) if replica_engine else None
    problems.install(app)
    app.state.tenants = TenantDirectory(lambda: app.state.sessionmaker)
    app.state.metrics = Metrics()
    app.add_middleware(ObservabilityMiddleware, metrics=app.state.metrics)
    app.add_middleware(TenantMiddleware, directory=app.state.tenants, mode=settings.tenant_mode)
    if settings.allowed_hosts != ["*"]:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts)
    app.add_middleware(RequestContextMiddleware)

    for api, router in ROUTERS.items():
        root = api_root_path(api)
        # Authentication first (a caller without a valid token learns nothing about the
        # parameters), then the official spec's contract for the query string.
        checks = [] if api in PUBLIC_APIS else [Depends(get_auth)]
        if api not in NO_400_APIS:
            checks.append(Depends(contract_dependency(SPEC_FILES[api], root)))
        app.include_router(router, prefix=root, dependencies=checks)
    app.include_router(legislation_router)
    install_dashboard(app)
    for api, filename in SPEC_FILES.items():
        _serve_spec(app, api, filename)
    install_notificaties(app)

    @app.get("/health", include_in_schema=False)
    async def health() -> JSON:
        return JSON({"status": "ok"})

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        body, content_type = await app.state.metrics.render(app.state)
        return Response(body, media_type=content_type)

    @app.get("/ready", include_in_schema=False)
    async def ready() -> JSON:
        try:
            async with engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
                current = await conn.run_sync(migrations_current)
        except Exception as exc:  # readiness must answer, whatever the database does
            log.warning("readiness check failed: %s", exc)
            return JSON({"status": "unavailable", "database": "unreachable"}, status_code=503)
        if not current:
            return JSON({"status": "unavailable", "migrations": "pending"}, status_code=503)
        return JSON({"status": "ok", "database": "ok", "migrations": "current"})

    return app


def _serve_spec(app: FastAPI, api: str, filename: str) -> None:
    async def schema() -> Response:
        content = resources.files("samenzaak.specs").joinpath(filename).read_bytes()
        return Response(content, media_type="application/vnd.oai.openapi")

    app.add_api_route(f"{api_root_path(api)}/schema/openapi.yaml", schema, include_in_schema=False)
