"""Delivery health as JSON: backlog, throughput, failures per subscriber, oldest waiting.

Queries run through a tenant-scoped session, so a municipality sees its own figures.
Every figure is one aggregate query over indexed columns; nothing here grows with the
number of subscribers beyond the one grouped query.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.notifications import OutboxMessage
from samenzaak.common.urls import UrlBuilder
from samenzaak.db import utcnow
from samenzaak.notificaties.models import Abonnement, Delivery, DeliveryState


async def collect(
    session: AsyncSession, urls: UrlBuilder | None = None, *, window: float = 60.0
) -> dict[str, Any]:
    now = utcnow()
    undispatched, oldest_message = (
        await session.execute(
            select(func.count(), func.min(OutboxMessage.aanmaakdatum)).where(
                OutboxMessage.dispatched_at.is_(None)
            )
        )
    ).one()
    pending, oldest_delivery = (
        await session.execute(
            select(func.count(), func.min(Delivery.created_at)).where(Delivery.state == DeliveryState.PENDING)
        )
    ).one()
    recent = (
        await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.delivered_at >= now - timedelta(seconds=window))
        )
        or 0
    )
    failing = case((Delivery.state == DeliveryState.FAILED, 1), else_=0)
    retrying = case(
        (and_(Delivery.state == DeliveryState.PENDING, Delivery.last_error != ""), 1),
        else_=0,
    )
    per_subscriber = (
        await session.execute(
            select(Abonnement.uuid, Abonnement.callback_url, func.sum(failing), func.sum(retrying))
            .join(Delivery, Delivery.abonnement_uuid == Abonnement.uuid)
            .where(Delivery.state.in_((DeliveryState.FAILED, DeliveryState.PENDING)))
            .group_by(Abonnement.uuid, Abonnement.callback_url)
            .order_by(Abonnement.callback_url)
        )
    ).all()
    oldest = _earliest(oldest_message, oldest_delivery)
    return {
        "backlog": {"outbox": undispatched, "deliveries": pending, "total": undispatched + pending},
        "deliveriesPerSecond": round(recent / window, 3),
        "windowSeconds": window,
        # Undispatched messages count from their aanmaakdatum, waiting deliveries from their
        # fan-out: the age of the oldest notification a subscriber still waits for.
        "oldestUndeliveredAgeSeconds": round((now - oldest).total_seconds(), 3) if oldest else None,
        "failuresPerSubscriber": [
            {
                "abonnement": urls.detail("notificaties", "abonnement", uuid) if urls else str(uuid),
                "callbackUrl": callback_url,
                "failed": int(failed or 0),
                "retrying": int(retrying_count or 0),
            }
            for uuid, callback_url, failed, retrying_count in per_subscriber
            if failed or retrying_count
        ],
    }


def _earliest(*values: datetime | None) -> datetime | None:
    present = [v for v in values if v is not None]
    return min(present) if present else None
