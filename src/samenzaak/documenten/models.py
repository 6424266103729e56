"""Tables of the Documenten API.

A document (``EnkelvoudigInformatieObject``) is one row in ``drc_documenten`` holding what
does not change between versions (its uuid, the lock, the number of the latest version) and
one row per version in ``drc_document_versies``. Every change writes a new version row; the
content of a version lives in the storage backend under ``inhoud_key``, and versions that
did not change the content share the key of the version before them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenzaak.db import Base, BigIntPK, JSONType, TenantMixin, UTCDateTime, UUIDPrimaryKey, utcnow


class Document(TenantMixin, UUIDPrimaryKey, Base):
    """An informatieobject across its versions; ``versie`` is the number of the latest one."""

    __tablename__ = "drc_documenten"

    versie: Mapped[int] = mapped_column(Integer, default=1)
    # Empty when unlocked; otherwise the unguessable id a client needs to change the document.
    lock: Mapped[str] = mapped_column(String(100), default="")
    # When the document was locked: an upload in parts that stays locked too long is abandoned.
    locked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    versies: Mapped[list[DocumentVersie]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="DocumentVersie.versie",
        lazy="raise",
    )
    bestandsdelen: Mapped[list[Bestandsdeel]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Bestandsdeel.volgnummer",
        lazy="raise",
    )


class DocumentVersie(TenantMixin, Base):
    """One version of a document's metadata and content (``EnkelvoudigInformatieObject``)."""

    __tablename__ = "drc_document_versies"
    __table_args__ = (
        UniqueConstraint("document_uuid", "versie"),
        Index("ix_drc_document_versies_ident", "tenant_id", "bronorganisatie", "identificatie"),
    )

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    document_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drc_documenten.uuid", ondelete="CASCADE"), index=True
    )
    versie: Mapped[int] = mapped_column(Integer)
    begin_registratie: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    identificatie: Mapped[str] = mapped_column(String(40))
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    creatiedatum: Mapped[date] = mapped_column(Date)
    titel: Mapped[str] = mapped_column(String(200))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    is_gereed_voor_publicatie: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    tonen_aan_initiator: Mapped[bool] = mapped_column(Boolean, default=False)
    auteur: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="")
    inhoud_is_vervallen: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    formaat: Mapped[str] = mapped_column(String(255), default="")
    taal: Mapped[str] = mapped_column(String(3))
    bestandsnaam: Mapped[str] = mapped_column(String(255), default="")
    # Storage key of the content; empty when there is none (yet).
    inhoud_key: Mapped[str] = mapped_column(String(255), default="")
    bestandsomvang: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # SHA-256 of the stored content, to check what comes back from the storage.
    inhoud_sha256: Mapped[str] = mapped_column(String(64), default="")
    link: Mapped[str] = mapped_column(String(200), default="")
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    ontvangstdatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    verzenddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    indicatie_gebruiksrecht: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    verschijningsvorm: Mapped[str] = mapped_column(Text, default="")
    ondertekening: Mapped[Any] = mapped_column(JSONType, nullable=True)
    integriteit: Mapped[Any] = mapped_column(JSONType, nullable=True)
    informatieobjecttype: Mapped[str] = mapped_column(String(200), index=True)
    trefwoorden: Mapped[list[str]] = mapped_column(JSONType, default=list)

    document: Mapped[Document] = relationship(back_populates="versies", lazy="raise")


class Bestandsdeel(TenantMixin, UUIDPrimaryKey, Base):
    """One part of a content upload in parts; the parts are merged when the document is unlocked."""

    __tablename__ = "drc_bestandsdelen"
    __table_args__ = (UniqueConstraint("document_uuid", "volgnummer"),)

    document_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drc_documenten.uuid", ondelete="CASCADE"), index=True
    )
    volgnummer: Mapped[int] = mapped_column(Integer)
    omvang: Mapped[int] = mapped_column(BigInteger)
    # The lock under which the upload was started: parts belong to one locked session.
    lock: Mapped[str] = mapped_column(String(100))
    inhoud_key: Mapped[str] = mapped_column(String(255), default="")

    document: Mapped[Document] = relationship(back_populates="bestandsdelen", lazy="raise")

    @property
    def voltooid(self) -> bool:
        return bool(self.inhoud_key)


class Gebruiksrechten(TenantMixin, UUIDPrimaryKey, Base):
    """The conditions under which a document may be (re)used."""

    __tablename__ = "drc_gebruiksrechten"

    document_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drc_documenten.uuid", ondelete="CASCADE"), index=True
    )
    startdatum: Mapped[datetime] = mapped_column(UTCDateTime)
    einddatum: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    omschrijving_voorwaarden: Mapped[str] = mapped_column(Text)


class ObjectInformatieObject(TenantMixin, UUIDPrimaryKey, Base):
    """The document side of a zaak-, besluit- or verzoekinformatieobject (kept by their APIs)."""

    __tablename__ = "drc_objectinformatieobjecten"
    __table_args__ = (UniqueConstraint("document_uuid", "object"),)

    document_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drc_documenten.uuid", ondelete="RESTRICT"), index=True
    )
    object: Mapped[str] = mapped_column(String(1000), index=True)
    object_type: Mapped[str] = mapped_column(String(20))


class Verzending(TenantMixin, UUIDPrimaryKey, Base):
    """A document sent to or received from a betrokkene, at exactly one address."""

    __tablename__ = "drc_verzendingen"

    document_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("drc_documenten.uuid", ondelete="CASCADE"), index=True
    )
    betrokkene: Mapped[str] = mapped_column(String(200), index=True)
    aard_relatie: Mapped[str] = mapped_column(String(20))
    toelichting: Mapped[str] = mapped_column(String(200), default="")
    ontvangstdatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    verzenddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    contact_persoon: Mapped[str] = mapped_column(String(1000))
    contactpersoonnaam: Mapped[str] = mapped_column(String(40), default="")
    binnenlands_correspondentieadres: Mapped[Any] = mapped_column(JSONType, nullable=True)
    buitenlands_correspondentieadres: Mapped[Any] = mapped_column(JSONType, nullable=True)
    correspondentie_postadres: Mapped[Any] = mapped_column(JSONType, nullable=True)
    faxnummer: Mapped[str | None] = mapped_column(String(15), nullable=True)
    emailadres: Mapped[str | None] = mapped_column(String(100), nullable=True)
    mijn_overheid: Mapped[bool] = mapped_column(Boolean, default=False)
    telefoonnummer: Mapped[str | None] = mapped_column(String(15), nullable=True)
