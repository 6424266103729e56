"""The notification outbox: one row per change, written in the change's own transaction.

The dispatcher (``samenzaak.notificaties``) claims these rows and delivers them to the
abonnementen; a change that rolls back takes its outbox row with it, so no notification is
sent for a change that did not happen, and none is lost for one that did.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.db import Base, BigIntPK, JSONType, TenantMixin, UTCDateTime, utcnow


class OutboxMessage(TenantMixin, Base):
    """A notification waiting to be fanned out to the subscribers of its kanaal."""

    __tablename__ = "notification_outbox"
    __table_args__ = (Index("ix_notification_outbox_pending", "dispatched_at", "id"),)

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    kanaal: Mapped[str] = mapped_column(String(50))
    hoofd_object: Mapped[str] = mapped_column(String(1000))
    resource: Mapped[str] = mapped_column(String(100))
    resource_url: Mapped[str] = mapped_column(String(1000))
    actie: Mapped[str] = mapped_column(String(100))
    aanmaakdatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kenmerken: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    def message(self) -> dict[str, Any]:
        """The body as the Notificaties API defines a ``Message``."""
        return {
            "kanaal": self.kanaal,
            "hoofdObject": self.hoofd_object,
            "resource": self.resource,
            "resourceUrl": self.resource_url,
            "actie": self.actie,
            "aanmaakdatum": self.aanmaakdatum.isoformat().replace("+00:00", "Z"),
            "kenmerken": dict(self.kenmerken or {}),
        }


def publish(
    session: AsyncSession,
    *,
    kanaal: str,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    actie: str,
    kenmerken: dict[str, str] | None = None,
) -> OutboxMessage:
    row = OutboxMessage(
        kanaal=kanaal,
        hoofd_object=hoofd_object,
        resource=resource,
        resource_url=resource_url,
        actie=actie,
        aanmaakdatum=utcnow(),
        kenmerken=kenmerken or {},
    )
    session.add(row)
    return row
