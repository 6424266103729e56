"""Tables for shared model catalogues, adoptions and zaaktype switches."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.db import Base, JSONType, TenantMixin, UTCDateTime, UUIDPrimaryKey, utcnow


class ModelCatalogus(TenantMixin, Base):
    """Marks a catalogus as a model that other municipalities (tenants) may adopt from,
    for example one maintained by a cooperation of municipalities."""

    __tablename__ = "leg_model_catalogussen"

    catalogus_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_catalogussen.uuid", ondelete="CASCADE"), primary_key=True
    )
    beheerder: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Adoption(TenantMixin, UUIDPrimaryKey, Base):
    """A zaaktype of ours that was copied from a model zaaktype: it remembers its origin."""

    __tablename__ = "leg_adoptions"
    __table_args__ = (
        Index("ix_leg_adoptions_catalogus", "tenant_id", "catalogus_uuid", "model_identificatie"),
    )

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), unique=True
    )
    catalogus_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_catalogussen.uuid", ondelete="CASCADE"))
    model_zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="SET NULL"), nullable=True
    )
    model_catalogus_uuid: Mapped[uuid.UUID] = mapped_column()
    model_identificatie: Mapped[str] = mapped_column(String(50))
    model_versiedatum: Mapped[date] = mapped_column(Date)
    adopted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SwitchRun(TenantMixin, UUIDPrimaryKey, Base):
    """One switch of running zaken from one zaaktype version to another (resumable)."""

    __tablename__ = "leg_switch_runs"

    from_zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_zaaktypen.uuid"))
    to_zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_zaaktypen.uuid"))
    mapping: Mapped[dict[str, Any]] = mapped_column(JSONType)
    mapping_digest: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(20), default="running")  # running | finished
    started_by: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SwitchItem(TenantMixin, Base):
    """One zaak of a switch run: pending, switched or skipped (with the reason)."""

    __tablename__ = "leg_switch_items"
    __table_args__ = (UniqueConstraint("run_uuid", "zaak_uuid"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("leg_switch_runs.uuid", ondelete="CASCADE"), index=True
    )
    zaak_uuid: Mapped[uuid.UUID] = mapped_column()
    state: Mapped[str] = mapped_column(String(20), default="pending")  # pending | switched | skipped
    reason: Mapped[str] = mapped_column(Text, default="")
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
