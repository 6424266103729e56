"""Tables of the Notificaties API: kanalen, abonnementen, and the deliveries to subscribers."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, SmallInteger, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenzaak.db import Base, BigIntPK, JSONType, TenantMixin, UTCDateTime, UUIDPrimaryKey, utcnow


class Kanaal(TenantMixin, UUIDPrimaryKey, Base):
    """A channel (an AMQP exchange in the standard's words) a source publishes on.

    ``filters`` names the kenmerken every message on the kanaal carries; abonnementen may
    filter on them.
    """

    __tablename__ = "nrc_kanalen"
    __table_args__ = (UniqueConstraint("tenant_id", "naam"),)

    naam: Mapped[str] = mapped_column(String(50))
    documentatie_link: Mapped[str] = mapped_column(String(200), default="")
    filters: Mapped[list[str]] = mapped_column(JSONType, default=list)


class Abonnement(TenantMixin, UUIDPrimaryKey, Base):
    """A consumer's subscription: where to POST (``callback_url``), with which Authorization
    header (``auth``), and on which kanalen with which filters."""

    __tablename__ = "nrc_abonnementen"

    callback_url: Mapped[str] = mapped_column(Text)
    auth: Mapped[str] = mapped_column(Text)
    client_id: Mapped[str] = mapped_column(String(50), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    kanalen: Mapped[list[AbonnementKanaal]] = relationship(
        back_populates="abonnement",
        cascade="all, delete-orphan",
        order_by="AbonnementKanaal.position",
        lazy="raise",
    )


class AbonnementKanaal(TenantMixin, Base):
    """One kanaal of an abonnement with its filters (the spec's ``FilterGroup``)."""

    __tablename__ = "nrc_abonnement_kanalen"

    id: Mapped[int] = mapped_column(primary_key=True)
    abonnement_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("nrc_abonnementen.uuid", ondelete="CASCADE"), index=True
    )
    kanaal_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("nrc_kanalen.uuid"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    filters: Mapped[dict[str, str]] = mapped_column(JSONType, default=dict)

    abonnement: Mapped[Abonnement] = relationship(back_populates="kanalen", lazy="raise")
    kanaal: Mapped[Kanaal] = relationship(lazy="raise")


class DeliveryState:
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Delivery(TenantMixin, Base):
    """One notification (outbox row) to one abonnement: a durable row, so nothing is lost.

    A worker claims a pending row by moving ``next_attempt_at`` a lease ahead; if it dies
    before recording the outcome, the row becomes due again when the lease ends and another
    worker sends it (at-least-once). After ``give_up_at`` a failing row is kept as failed.
    """

    __tablename__ = "nrc_deliveries"
    __table_args__ = (
        UniqueConstraint("outbox_id", "abonnement_uuid"),
        Index("ix_nrc_deliveries_due", "state", "next_attempt_at"),
        Index("ix_nrc_deliveries_delivered_at", "delivered_at"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    outbox_id: Mapped[int] = mapped_column(
        BigIntPK,
        ForeignKey("notification_outbox.id", ondelete="CASCADE"),
    )
    abonnement_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("nrc_abonnementen.uuid", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(10), default=DeliveryState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    give_up_at: Mapped[datetime] = mapped_column(UTCDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    response_status: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # The claim that holds the row; an outcome is recorded only under the same claim, so a
    # worker that outlived its lease cannot overwrite what another worker recorded since.
    claim_token: Mapped[str | None] = mapped_column(String(32), nullable=True)
