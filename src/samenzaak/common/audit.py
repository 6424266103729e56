"""Audit-trail records, written in the same transaction as the change they describe."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.common.auth import Auth
from samenzaak.db import Base, JSONType, TenantMixin, UTCDateTime, UUIDPrimaryKey, utcnow

ACTIE_WEERGAVE = {
    "create": "Object aangemaakt",
    "list": "Lijst van objecten opgehaald",
    "retrieve": "Object opgehaald",
    "destroy": "Object verwijderd",
    "update": "Object bijgewerkt",
    "partial_update": "Object deels bijgewerkt",
}


class AuditTrail(TenantMixin, UUIDPrimaryKey, Base):
    """One change to a resource, kept under its main object (``hoofdObject``)."""

    __tablename__ = "audittrail"
    __table_args__ = (Index("ix_audittrail_hoofd_object", "tenant_id", "hoofd_object", "aanmaakdatum"),)

    bron: Mapped[str] = mapped_column(String(50))
    applicatie_id: Mapped[str] = mapped_column(String(100), default="")
    applicatie_weergave: Mapped[str] = mapped_column(String(200), default="")
    gebruikers_id: Mapped[str] = mapped_column(String(255), default="")
    gebruikers_weergave: Mapped[str] = mapped_column(String(255), default="")
    actie: Mapped[str] = mapped_column(String(50))
    actie_weergave: Mapped[str] = mapped_column(String(200), default="")
    resultaat: Mapped[int] = mapped_column(Integer)
    hoofd_object: Mapped[str] = mapped_column(String(1000))
    resource: Mapped[str] = mapped_column(String(50))
    resource_url: Mapped[str] = mapped_column(String(1000))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    resource_weergave: Mapped[str] = mapped_column(String(200), default="")
    aanmaakdatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    oud: Mapped[Any] = mapped_column(JSONType, nullable=True)
    nieuw: Mapped[Any] = mapped_column(JSONType, nullable=True)


def add_audit(
    session: AsyncSession,
    auth: Auth,
    *,
    bron: str,
    actie: str,
    resultaat: int,
    hoofd_object: str,
    resource: str,
    resource_url: str,
    oud: Any = None,
    nieuw: Any = None,
    resource_weergave: str = "",
    toelichting: str = "",
) -> AuditTrail:
    record = AuditTrail(
        uuid=uuid.uuid4(),
        bron=bron,
        applicatie_id=auth.applicatie_uuid or "",
        applicatie_weergave=auth.applicatie_label or auth.client_id,
        gebruikers_id=auth.user_id,
        gebruikers_weergave=auth.user_representation,
        actie=actie,
        actie_weergave=ACTIE_WEERGAVE.get(actie, ""),
        resultaat=resultaat,
        hoofd_object=hoofd_object,
        resource=resource,
        resource_url=resource_url,
        toelichting=toelichting,
        resource_weergave=resource_weergave,
        aanmaakdatum=utcnow(),
        oud=oud,
        nieuw=nieuw,
    )
    session.add(record)
    return record


def audit_to_dict(record: AuditTrail, url: str) -> dict[str, Any]:
    return {
        "uuid": str(record.uuid),
        "bron": record.bron,
        "applicatieId": record.applicatie_id,
        "applicatieWeergave": record.applicatie_weergave,
        "gebruikersId": record.gebruikers_id,
        "gebruikersWeergave": record.gebruikers_weergave,
        "actie": record.actie,
        "actieWeergave": record.actie_weergave,
        "resultaat": record.resultaat,
        "hoofdObject": record.hoofd_object,
        "resource": record.resource,
        "resourceUrl": record.resource_url,
        "toelichting": record.toelichting,
        "resourceWeergave": record.resource_weergave,
        "aanmaakdatum": record.aanmaakdatum.isoformat().replace("+00:00", "Z"),
        # The spec's Wijzigingen are objects, never null: an absent side is {}.
        "wijzigingen": {"oud": record.oud or {}, "nieuw": record.nieuw or {}},
    }
