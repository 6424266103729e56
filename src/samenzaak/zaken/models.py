"""Tables of the Zaken API 1.7.0.

References to types of a Catalogi API (zaaktype, statustype, ...) are stored "local or
remote, never both": ``<name>_uuid`` holds the uuid of a type in this installation's
Catalogi API (no database foreign key: the APIs keep their own migration branches and a
zaak outlives a catalogus clean-up), ``<name>_url`` the URL of a type in another Catalogi
API. A check constraint keeps exactly one of them filled where the reference is required.

The current status of a zaak is kept on the zaak (``status_uuid``) so a list of zaken is
rendered without a query per zaak.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenzaak.db import Base, JSONType, TenantMixin, UTCDateTime, UUIDPrimaryKey, utcnow


def _one_of(name: str) -> CheckConstraint:
    return CheckConstraint(
        f"({name}_uuid IS NULL) <> ({name}_url = '')",
        name=f"{name}_local_or_remote",
    )


class Zaak(TenantMixin, UUIDPrimaryKey, Base):
    """A zaak: a coherent amount of work with a defined cause and result (RGBZ)."""

    __tablename__ = "zrc_zaken"
    __table_args__ = (
        UniqueConstraint("tenant_id", "bronorganisatie", "identificatie"),
        _one_of("zaaktype"),
        # Indexes for the list filters and the authorisation clause; tenant first.
        # GET /zaken?zaaktype=…: the filter, then the list order (queries.ordered: aangemaakt
        # DESC, uuid DESC, a backward scan of this index), then the column the authorisation
        # clause tests. So the count, the first page and the keys of a deep page are an
        # index-only scan that stops after the page (docs/performance.md, 29 Nov 2026 (2)).
        Index(
            "ix_zrc_zaken_zaaktype",
            "tenant_id",
            "zaaktype_uuid",
            "aangemaakt",
            "uuid",
            "vertrouwelijkheidaanduiding",
        ),
        Index("ix_zrc_zaken_zaaktype_url", "tenant_id", "zaaktype_url"),
        Index("ix_zrc_zaken_identificatie", "tenant_id", "identificatie"),
        Index("ix_zrc_zaken_startdatum", "tenant_id", "startdatum"),
        Index("ix_zrc_zaken_einddatum", "tenant_id", "einddatum"),
        Index("ix_zrc_zaken_registratiedatum", "tenant_id", "registratiedatum"),
        Index("ix_zrc_zaken_archief", "tenant_id", "archiefstatus", "archiefactiedatum"),
        Index("ix_zrc_zaken_bbox", "tenant_id", "geo_min_x", "geo_min_y"),
        # The default order of GET /zaken (newest first) without a zaaktype filter; the
        # authorisation clause's columns are in it, so they are tested without the table.
        Index(
            "ix_zrc_zaken_aangemaakt",
            "tenant_id",
            "aangemaakt",
            "uuid",
            "zaaktype_uuid",
            "vertrouwelijkheidaanduiding",
        ),
    )

    identificatie: Mapped[str] = mapped_column(String(40))
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    omschrijving: Mapped[str] = mapped_column(String(80), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    zaaktype_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    zaaktype_url: Mapped[str] = mapped_column(String(1000), default="")
    registratiedatum: Mapped[date] = mapped_column(Date)
    verantwoordelijke_organisatie: Mapped[str] = mapped_column(String(9))
    startdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date, default=None)
    einddatum_gepland: Mapped[date | None] = mapped_column(Date, default=None)
    uiterlijke_einddatum_afdoening: Mapped[date | None] = mapped_column(Date, default=None)
    publicatiedatum: Mapped[date | None] = mapped_column(Date, default=None)
    communicatiekanaal: Mapped[str] = mapped_column(String(1000), default="")
    producten_of_diensten: Mapped[list[str]] = mapped_column(JSONType, default=list)
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    betalingsindicatie: Mapped[str] = mapped_column(String(20), default="")
    laatste_betaaldatum: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    zaakgeometrie: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    # Bounding box of zaakgeometrie: the SQL prefilter of a `within` search.
    geo_min_x: Mapped[float | None] = mapped_column(Float, default=None)
    geo_min_y: Mapped[float | None] = mapped_column(Float, default=None)
    geo_max_x: Mapped[float | None] = mapped_column(Float, default=None)
    geo_max_y: Mapped[float | None] = mapped_column(Float, default=None)
    verlenging: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    opschorting: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    selectielijstklasse: Mapped[str] = mapped_column(String(1000), default="")
    hoofdzaak_uuid: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("zrc_zaken.uuid", ondelete="CASCADE"), default=None, index=True
    )
    relevante_andere_zaken: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    kenmerken: Mapped[list[dict[str, str]]] = mapped_column(JSONType, default=list)
    archiefnominatie: Mapped[str | None] = mapped_column(String(20), default=None)
    archiefstatus: Mapped[str] = mapped_column(String(40), default="nog_te_archiveren")
    archiefactiedatum: Mapped[date | None] = mapped_column(Date, default=None)
    opdrachtgevende_organisatie: Mapped[str] = mapped_column(String(9), default="")
    processobjectaard: Mapped[str | None] = mapped_column(String(200), default=None)
    startdatum_bewaartermijn: Mapped[date | None] = mapped_column(Date, default=None)
    processobject: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    # Denormalised: the most recent status (by datumStatusGezet) and the resultaat.
    status_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    aangemaakt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    statussen: Mapped[list[Status]] = relationship(lazy="raise", viewonly=True)


class ZaakIdentificatie(TenantMixin, Base):
    """A zaaknummer handed out (reserved or generated) under a bronorganisatie.

    Generated numbers come from ``ZaakNummerTeller``; a reserved number may later be used
    by exactly one zaak of the same bronorganisatie.
    """

    __tablename__ = "zrc_zaakidentificaties"
    __table_args__ = (UniqueConstraint("tenant_id", "bronorganisatie", "identificatie"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    identificatie: Mapped[str] = mapped_column(String(40))
    aangemaakt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ZaakAantal(TenantMixin, Base):
    """How many zaken there are per zaaktype and vertrouwelijkheidaanduiding: kept by
    database triggers on ``zrc_zaken`` (migration zaken_0003), so every write path counts,
    cascades included. A list filtered only on these columns (by zaaktype, by what the
    caller may see) sums a handful of rows instead of counting its zaken (``zaken.counts``).

    ``sleutel`` is the zaaktype's uuid or, for a zaaktype of another Catalogi API, its URL:
    the key the triggers upsert on."""

    __tablename__ = "zrc_zaak_aantallen"
    __table_args__ = (PrimaryKeyConstraint("tenant_id", "sleutel", "vertrouwelijkheidaanduiding"),)

    sleutel: Mapped[str] = mapped_column(String(1000))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    zaaktype_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    zaaktype_url: Mapped[str] = mapped_column(String(1000), default="")
    aantal: Mapped[int] = mapped_column(BigInteger, default=0)


class ZaakNummerTeller(TenantMixin, Base):
    """The last sequence number used per bronorganisatie and year (advanced by
    :mod:`samenzaak.common.numbering`)."""

    __tablename__ = "zrc_zaaknummer_tellers"
    __table_args__ = (UniqueConstraint("tenant_id", "bronorganisatie", "jaar"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    jaar: Mapped[int] = mapped_column(Integer)
    laatste: Mapped[int] = mapped_column(Integer, default=0)


class ZaakChild:
    """Rows that belong to one zaak and disappear with it (zrc-023)."""

    zaak_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("zrc_zaken.uuid", ondelete="CASCADE"), index=True)


class Status(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_statussen"
    __table_args__ = (_one_of("statustype"),)

    statustype_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    statustype_url: Mapped[str] = mapped_column(String(1000), default="")
    datum_status_gezet: Mapped[datetime] = mapped_column(UTCDateTime)
    statustoelichting: Mapped[str] = mapped_column(String(1000), default="")
    gezetdoor: Mapped[str] = mapped_column(String(1000), default="")
    aangemaakt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# betrokkeneIdentificatie field -> the indexed Rol column the list filters search on.
ROL_ID_COLUMNS = {
    "inpBsn": "inp_bsn",
    "anpIdentificatie": "anp_identificatie",
    "inpA_nummer": "inp_a_nummer",
    "innNnpId": "inn_nnp_id",
    "annIdentificatie": "ann_identificatie",
    "vestigingsNummer": "vestigings_nummer",
    "identificatie": "identificatie",
}


class Rol(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_rollen"
    __table_args__ = (
        _one_of("roltype"),
        Index("ix_zrc_rollen_betrokkene", "tenant_id", "betrokkene"),
        # The rol__betrokkeneIdentificatie__* filters of /zaken and /rollen: equality on an
        # indexed column each (the zaak filter is an EXISTS on these).
        *(Index(f"ix_zrc_rollen_{column}", "tenant_id", column) for column in ROL_ID_COLUMNS.values()),
    )

    betrokkene: Mapped[str] = mapped_column(String(1000), default="")
    betrokkene_type: Mapped[str] = mapped_column(String(30))
    afwijkende_naam_betrokkene: Mapped[str] = mapped_column(String(625), default="")
    roltype_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    roltype_url: Mapped[str] = mapped_column(String(1000), default="")
    omschrijving: Mapped[str] = mapped_column(String(100), default="")
    omschrijving_generiek: Mapped[str] = mapped_column(String(40), default="")
    roltoelichting: Mapped[str] = mapped_column(String(1000), default="")
    registratiedatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    indicatie_machtiging: Mapped[str] = mapped_column(String(20), default="")
    contactpersoon_rol: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    betrokkene_identificatie: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    inp_bsn: Mapped[str | None] = mapped_column(String(254), default=None)
    anp_identificatie: Mapped[str | None] = mapped_column(String(254), default=None)
    inp_a_nummer: Mapped[str | None] = mapped_column(String(254), default=None)
    inn_nnp_id: Mapped[str | None] = mapped_column(String(254), default=None)
    ann_identificatie: Mapped[str | None] = mapped_column(String(254), default=None)
    vestigings_nummer: Mapped[str | None] = mapped_column(String(254), default=None)
    # identificatie of a medewerker or organisatorische eenheid.
    identificatie: Mapped[str | None] = mapped_column(String(254), default=None)


class Resultaat(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_resultaten"
    __table_args__ = (UniqueConstraint("tenant_id", "zaak_uuid"), _one_of("resultaattype"))

    resultaattype_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    resultaattype_url: Mapped[str] = mapped_column(String(1000), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")


class ZaakObject(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakobjecten"

    object: Mapped[str] = mapped_column(String(1000), default="")
    zaakobjecttype: Mapped[str] = mapped_column(String(1000), default="")
    object_type: Mapped[str] = mapped_column(String(40))
    object_type_overige: Mapped[str] = mapped_column(String(100), default="")
    object_type_overige_definitie: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)
    relatieomschrijving: Mapped[str] = mapped_column(String(80), default="")
    object_identificatie: Mapped[dict[str, Any] | None] = mapped_column(JSONType, default=None)


class ZaakInformatieObject(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakinformatieobjecten"
    __table_args__ = (Index("ix_zrc_zio_informatieobject", "tenant_id", "informatieobject"),)

    informatieobject: Mapped[str] = mapped_column(String(1000))
    aard_relatie: Mapped[str] = mapped_column(String(20), default="hoort_bij")
    titel: Mapped[str] = mapped_column(String(200), default="")
    beschrijving: Mapped[str] = mapped_column(Text, default="")
    registratiedatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    vernietigingsdatum: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    status_uuid: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("zrc_statussen.uuid", ondelete="SET NULL"), default=None
    )


class ZaakEigenschap(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakeigenschappen"
    __table_args__ = (_one_of("eigenschap"),)

    eigenschap_uuid: Mapped[uuid.UUID | None] = mapped_column(Uuid, default=None)
    eigenschap_url: Mapped[str] = mapped_column(String(1000), default="")
    naam: Mapped[str] = mapped_column(String(20), default="")
    waarde: Mapped[str] = mapped_column(Text)


class KlantContact(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_klantcontacten"

    identificatie: Mapped[str] = mapped_column(String(14))
    datumtijd: Mapped[datetime] = mapped_column(UTCDateTime)
    kanaal: Mapped[str] = mapped_column(String(20), default="")
    onderwerp: Mapped[str] = mapped_column(String(200), default="")
    toelichting: Mapped[str] = mapped_column(String(1000), default="")


class ZaakContactMoment(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakcontactmomenten"

    contactmoment: Mapped[str] = mapped_column(String(1000))


class ZaakVerzoek(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakverzoeken"

    verzoek: Mapped[str] = mapped_column(String(1000))


class ZaakBesluit(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaakbesluiten"

    besluit: Mapped[str] = mapped_column(String(1000))


class ZaakNotitie(TenantMixin, UUIDPrimaryKey, ZaakChild, Base):
    __tablename__ = "zrc_zaaknotities"

    onderwerp: Mapped[str] = mapped_column(String(255))
    tekst: Mapped[str] = mapped_column(Text)
    aangemaakt_door: Mapped[str] = mapped_column(String(255), default="")
    notitie_type: Mapped[str] = mapped_column(String(20), default="")
    status: Mapped[str] = mapped_column(String(20), default="")
    aanmaakdatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    wijzigingsdatum: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# Every column of a zaak as ORM attributes: ``select(*ZAAK_COLUMNS)`` returns rows with the
# attribute names (and still gets the tenant criteria, unlike a select of the bare table).
ZAAK_COLUMNS = tuple(getattr(Zaak, column.key) for column in Zaak.__table__.columns)
