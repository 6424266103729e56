"""Metrics (Prometheus, ``/metrics``) and structured JSON logs.

Labels are the API, the route template (never the concrete path, which holds UUIDs) and the
tenant. Logs carry the request id, tenant and client id, and never a query string, a header
or a body: those may hold secrets or a BSN.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samenzaak.common.urls import APIS

access_log = logging.getLogger("samenzaak.access")

_API_SEGMENTS = {spec[0] for spec in APIS.values()}


def configure_logging(level: str = "INFO", json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if json:
        handler.setFormatter(JsonFormatter("{asctime}{levelname}{name}{message}", style="{"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "samenzaak_http_requests",
            "HTTP requests handled.",
            ["api", "route", "method", "status", "tenant"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "samenzaak_http_request_duration_seconds",
            "Time to answer a request.",
            ["api", "route", "method", "tenant"],
            buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.pool_in_use = Gauge(
            "samenzaak_db_pool_connections_in_use",
            "Database connections checked out.",
            registry=self.registry,
        )
        self.pool_size = Gauge("samenzaak_db_pool_size", "Database pool size.", registry=self.registry)
        self.backlog = Gauge(
            "samenzaak_notification_backlog",
            "Notifications written but not yet fanned out to subscribers.",
            ["tenant"],
            registry=self.registry,
        )
        self.oldest = Gauge(
            "samenzaak_notification_oldest_pending_seconds",
            "Age of the oldest notification not yet fanned out.",
            ["tenant"],
            registry=self.registry,
        )

    async def render(self, app_state: Any) -> tuple[bytes, str]:
        """Refresh the gauges that are read at scrape time, then render every metric."""
        from samenzaak.common.notifications import OutboxMessage
        from samenzaak.db import Tenant, utcnow

        pool = app_state.engine.sync_engine.pool
        if hasattr(pool, "checkedout"):
            self.pool_in_use.set(pool.checkedout())
            self.pool_size.set(pool.size())
        async with app_state.sessionmaker() as session:
            session.info["all_tenants"] = True  # the backlog of every tenant, for the operator
            rows = (
                await session.execute(
                    select(Tenant.slug, func.count(OutboxMessage.id), func.min(OutboxMessage.aanmaakdatum))
                    .join(OutboxMessage, OutboxMessage.tenant_id == Tenant.id)
                    .where(OutboxMessage.dispatched_at.is_(None))
                    .group_by(Tenant.slug)
                )
            ).all()
        self.backlog.clear()
        self.oldest.clear()
        now = utcnow()
        for slug, count, oldest in rows:
            self.backlog.labels(slug).set(count)
            if oldest is not None:
                oldest_utc = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
                self.oldest.labels(slug).set((now - oldest_utc).total_seconds())
        return generate_latest(self.registry), CONTENT_TYPE_LATEST


def api_of(path: str) -> str:
    parts = path.split("/", 3)
    return parts[1] if len(parts) > 2 and parts[1] in _API_SEGMENTS else "other"


class ObservabilityMiddleware:
    """Counts, times and logs every request (after tenant resolution, inside the request id)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            elapsed = time.perf_counter() - start
            state = scope.get("state", {})
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            api = api_of(scope["path"])
            tenant = state.get("tenant_slug", "default")
            method = scope["method"]
            self.metrics.requests.labels(api, template, method, str(status), tenant).inc()
            self.metrics.latency.labels(api, template, method, tenant).observe(elapsed)
            access_log.info(
                "%s %s %s",
                method,
                scope["path"],
                status,
                extra={
                    "request_id": state.get("request_id"),
                    "tenant": tenant,
                    "client_id": state.get("client_id"),
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "route": template,
                },
            )
