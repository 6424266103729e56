"""What the application calls to run notifications: :func:`install` adds the metrics
endpoint and a lifespan that registers the kanalen and (embedded default) runs the dispatcher.

Wiring, in ``samenzaak.app.create_app`` after the routers are mounted::

    from samenzaak.notificaties.runtime import install as install_notificaties
    install_notificaties(app)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI

from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep
from samenzaak.config import Settings
from samenzaak.notificaties import metrics
from samenzaak.notificaties.api import COMPONENT, CONSUMEREN
from samenzaak.notificaties.dispatcher import Dispatcher, install_wakeups
from samenzaak.notificaties.kanalen import register_kanalen_for_all_tenants

log = logging.getLogger("samenzaak.notificaties")

METRICS_PATH = "/notificaties/metrics"


async def metrics_view(session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    """Delivery health (outside the spec's API root): backlog, deliveries per second,
    failures per subscriber, age of the oldest undelivered notification."""
    auth.require(COMPONENT, CONSUMEREN)
    return JSON(await metrics.collect(session, urls))


@asynccontextmanager
async def notificaties_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Register the own kanalen; with ``dispatcher_in_process`` run a dispatcher task."""
    settings: Settings = app.state.settings
    factory = app.state.sessionmaker
    try:
        await register_kanalen_for_all_tenants(factory, settings.public_base_url)
    except Exception:  # a database not migrated yet must not stop the server from starting
        log.exception("registering the kanalen failed; they are registered at the next start")
    dispatcher: Dispatcher | None = None
    task: asyncio.Task[Any] | None = None
    if settings.dispatcher_in_process:
        install_wakeups()
        dispatcher = Dispatcher(factory, settings, name="in-process")
        task = asyncio.create_task(dispatcher.run_forever(), name="notification-dispatcher")
        app.state.dispatcher = dispatcher
    try:
        yield
    finally:
        if dispatcher is not None and task is not None:
            dispatcher.stop()
            try:
                await asyncio.wait_for(task, settings.notification_timeout + 5)
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
                with contextlib.suppress(BaseException):
                    await task
            await dispatcher.aclose()


def install(app: FastAPI) -> None:
    """Add the metrics endpoint and wrap the app's lifespan with :func:`notificaties_lifespan`.
    Idempotent, so tests may call it on an app ``create_app`` already installed it on."""
    if getattr(app.state, "notificaties_installed", False):
        return
    app.state.notificaties_installed = True
    app.add_api_route(METRICS_PATH, metrics_view, methods=["GET"], include_in_schema=False)
    outer = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(application: Any) -> AsyncIterator[Any]:
        async with outer(application) as state, notificaties_lifespan(application):
            yield state

    app.router.lifespan_context = lifespan
