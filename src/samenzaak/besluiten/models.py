"""Tables of the Besluiten API 1.1.0.

References to other APIs are stored as URLs, as the Documenten API stores its types: the
besluittype (Catalogi API), the zaak (Zaken API) and the informatieobject (Documenten API)
may each live in this installation or in another one. Local URLs are resolved to rows when
read (``urls.parse``); there is no database foreign key across APIs, because every API owns
its own migration branch.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.db import Base, TenantMixin, UUIDPrimaryKey


class Besluit(TenantMixin, UUIDPrimaryKey, Base):
    """A decision taken, after consideration, for an individual or concrete case (AWB)."""

    __tablename__ = "brc_besluiten"
    __table_args__ = (
        # brc-002: the identificatie is unique within the verantwoordelijke organisatie.
        UniqueConstraint("tenant_id", "verantwoordelijke_organisatie", "identificatie"),
        Index("ix_brc_besluiten_besluittype", "tenant_id", "besluittype"),
        Index("ix_brc_besluiten_zaak", "tenant_id", "zaak"),
        Index("ix_brc_besluiten_identificatie", "tenant_id", "identificatie"),
    )

    identificatie: Mapped[str] = mapped_column(String(50))
    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9))
    besluittype: Mapped[str] = mapped_column(String(1000))
    zaak: Mapped[str] = mapped_column(String(1000), default="")
    datum: Mapped[date] = mapped_column(Date)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    bestuursorgaan: Mapped[str] = mapped_column(String(50), default="")
    ingangsdatum: Mapped[date] = mapped_column(Date)
    vervaldatum: Mapped[date | None] = mapped_column(Date, default=None)
    vervalreden: Mapped[str] = mapped_column(String(30), default="")
    publicatiedatum: Mapped[date | None] = mapped_column(Date, default=None)
    verzenddatum: Mapped[date | None] = mapped_column(Date, default=None)
    uiterlijke_reactiedatum: Mapped[date | None] = mapped_column(Date, default=None)


class BesluitNummerTeller(TenantMixin, Base):
    """The last sequence number handed out per verantwoordelijke organisatie and year
    (advanced by :mod:`samenzaak.common.numbering`)."""

    __tablename__ = "brc_besluitnummer_tellers"
    __table_args__ = (UniqueConstraint("tenant_id", "verantwoordelijke_organisatie", "jaar"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9))
    jaar: Mapped[int] = mapped_column(Integer)
    laatste: Mapped[int] = mapped_column(Integer, default=0)


class BesluitInformatieObject(TenantMixin, UUIDPrimaryKey, Base):
    """A document in which (part of) a besluit is laid down (aardRelatie ``legt_vast``).

    This side is leading; the Documenten API holds the mirrored objectinformatieobject.
    """

    __tablename__ = "brc_besluitinformatieobjecten"
    __table_args__ = (
        UniqueConstraint("tenant_id", "besluit_uuid", "informatieobject"),
        Index("ix_brc_bio_informatieobject", "tenant_id", "informatieobject"),
    )

    besluit_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("brc_besluiten.uuid", ondelete="CASCADE"), index=True
    )
    informatieobject: Mapped[str] = mapped_column(String(1000))
