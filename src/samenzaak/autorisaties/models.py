"""Tables of the Autorisaties API, and the JWT secrets of the clients."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenzaak.db import Base, JSONType, TenantMixin, UUIDPrimaryKey


class Applicatie(TenantMixin, UUIDPrimaryKey, Base):
    """A (task) application that talks to the APIs, known by one or more client ids."""

    __tablename__ = "ac_applicaties"

    label: Mapped[str] = mapped_column(String(100))
    heeft_alle_autorisaties: Mapped[bool] = mapped_column(default=False)
    alleen_is_gereed_voor_publicatie: Mapped[bool] = mapped_column(default=False)

    clients: Mapped[list[ApplicatieClient]] = relationship(
        back_populates="applicatie",
        cascade="all, delete-orphan",
        order_by="ApplicatieClient.position",
        lazy="raise",
    )
    autorisaties: Mapped[list[Autorisatie]] = relationship(
        back_populates="applicatie",
        cascade="all, delete-orphan",
        order_by="Autorisatie.position",
        lazy="raise",
    )


class ApplicatieClient(TenantMixin, Base):
    """One client id of an applicatie; a client id belongs to one applicatie per tenant."""

    __tablename__ = "ac_applicatie_clients"
    __table_args__ = (UniqueConstraint("tenant_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    applicatie_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ac_applicaties.uuid", ondelete="CASCADE"), index=True
    )
    client_id: Mapped[str] = mapped_column(String(50))
    position: Mapped[int] = mapped_column(default=0)

    applicatie: Mapped[Applicatie] = relationship(back_populates="clients", lazy="raise")


class Autorisatie(TenantMixin, Base):
    """Scopes on one component, limited to a type and a maximum vertrouwelijkheidaanduiding."""

    __tablename__ = "ac_autorisaties"

    id: Mapped[int] = mapped_column(primary_key=True)
    applicatie_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ac_applicaties.uuid", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    component: Mapped[str] = mapped_column(String(10))
    scopes: Mapped[list[str]] = mapped_column(JSONType)
    zaaktype: Mapped[str] = mapped_column(String(1000), default="")
    informatieobjecttype: Mapped[str] = mapped_column(String(1000), default="")
    besluittype: Mapped[str] = mapped_column(String(1000), default="")
    max_vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20), default="")

    applicatie: Mapped[Applicatie] = relationship(back_populates="autorisaties", lazy="raise")

    def snapshot(self) -> dict[str, Any]:
        return {
            "component": self.component,
            "scopes": list(self.scopes),
            "zaaktype": self.zaaktype,
            "informatieobjecttype": self.informatieobjecttype,
            "besluittype": self.besluittype,
            "maxVertrouwelijkheidaanduiding": self.max_vertrouwelijkheidaanduiding,
        }


class ClientCredential(TenantMixin, Base):
    """The shared secret a client signs its JWTs with.

    Kept apart from ``Applicatie`` because the AC standard has no secret field: secrets are
    handed out of band, and a client may hold a secret before an applicatie exists for it.
    HS256 needs the secret itself to verify signatures, so it cannot be stored hashed.
    """

    __tablename__ = "auth_client_credentials"
    __table_args__ = (Index("ix_auth_client_credentials_client", "tenant_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(50))
    secret: Mapped[str] = mapped_column(String(255))
