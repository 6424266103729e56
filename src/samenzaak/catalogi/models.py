"""Tables of the Catalogi API 1.3.3.

Relations between types follow the standard's historiemodel: a zaaktype refers to its
besluittypen by ``omschrijving``, a besluittype to its informatieobjecttypen by
``omschrijving``, a zaaktype to deelzaaktypen by ``identificatie``. The key is stored, and
resolved to the version valid on a date when read (see ``service.relations``), so a new
version of a besluittype is picked up without touching the zaaktypen that use it.
Children of a zaaktype (statustypen, roltypen, ...) belong to one zaaktype version.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from samenzaak.db import Base, JSONType, TenantMixin, UUIDPrimaryKey


class Catalogus(TenantMixin, UUIDPrimaryKey, Base):
    """A catalogue of types, maintained by one organisation (rsin) for one domain."""

    __tablename__ = "ztc_catalogussen"
    __table_args__ = (Index("ix_ztc_catalogussen_domein_rsin", "tenant_id", "domein", "rsin", unique=True),)

    domein: Mapped[str] = mapped_column(String(5))
    rsin: Mapped[str] = mapped_column(String(9))
    contactpersoon_beheer_naam: Mapped[str] = mapped_column(String(40))
    contactpersoon_beheer_telefoonnummer: Mapped[str] = mapped_column(String(20), default="")
    contactpersoon_beheer_emailadres: Mapped[str] = mapped_column(String(254), default="")
    naam: Mapped[str | None] = mapped_column(String(200), default=None)
    versie: Mapped[str | None] = mapped_column(String(20), default=None)
    begindatum_versie: Mapped[date | None] = mapped_column(Date, default=None)


class VersionedType:
    """Columns every published-in-time type shares: concept flag and validity period."""

    concept: Mapped[bool] = mapped_column(default=True)
    begin_geldigheid: Mapped[date] = mapped_column(Date)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)


class ZaakType(TenantMixin, UUIDPrimaryKey, VersionedType, Base):
    __tablename__ = "ztc_zaaktypen"
    __table_args__ = (Index("ix_ztc_zaaktypen_catalogus_identificatie", "catalogus_uuid", "identificatie"),)

    catalogus_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_catalogussen.uuid"), index=True)
    identificatie: Mapped[str] = mapped_column(String(50))
    omschrijving: Mapped[str] = mapped_column(String(80))
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    doel: Mapped[str] = mapped_column(Text)
    aanleiding: Mapped[str] = mapped_column(Text)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    indicatie_intern_of_extern: Mapped[str] = mapped_column(String(6))
    handeling_initiator: Mapped[str] = mapped_column(String(20))
    onderwerp: Mapped[str] = mapped_column(String(80))
    handeling_behandelaar: Mapped[str] = mapped_column(String(20))
    doorlooptijd: Mapped[str] = mapped_column(String(50))
    servicenorm: Mapped[str | None] = mapped_column(String(50), default=None)
    opschorting_en_aanhouding_mogelijk: Mapped[bool] = mapped_column(default=False)
    verlenging_mogelijk: Mapped[bool] = mapped_column(default=False)
    verlengingstermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    trefwoorden: Mapped[list[str]] = mapped_column(JSONType, default=list)
    publicatie_indicatie: Mapped[bool] = mapped_column(default=False)
    publicatietekst: Mapped[str] = mapped_column(Text, default="")
    verantwoordingsrelatie: Mapped[list[str]] = mapped_column(JSONType, default=list)
    producten_of_diensten: Mapped[list[str]] = mapped_column(JSONType, default=list)
    selectielijst_procestype: Mapped[str] = mapped_column(String(200), default="")
    referentieproces_naam: Mapped[str] = mapped_column(String(80), default="")
    referentieproces_link: Mapped[str] = mapped_column(String(200), default="")
    verantwoordelijke: Mapped[str] = mapped_column(String(50), default="")
    broncatalogus_url: Mapped[str] = mapped_column(String(200), default="")
    broncatalogus_domein: Mapped[str] = mapped_column(String(5), default="")
    broncatalogus_rsin: Mapped[str] = mapped_column(String(9), default="")
    bronzaaktype_url: Mapped[str] = mapped_column(String(200), default="")
    bronzaaktype_identificatie: Mapped[str] = mapped_column(String(50), default="")
    bronzaaktype_omschrijving: Mapped[str] = mapped_column(String(80), default="")
    # Identificaties of zaaktypen whose zaken may be deelzaak of a zaak of this type.
    deelzaaktypen: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # [{"zaaktype": identificatie, "aardRelatie": ..., "toelichting": ...}]
    gerelateerde_zaaktypen: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    # Omschrijvingen of the besluittypen (same catalogus) possible within this zaaktype.
    besluittypen: Mapped[list[str]] = mapped_column(JSONType, default=list)
    versiedatum: Mapped[date] = mapped_column(Date)
    # True when the besluittypen were given as URLs (1.0-style, one fixed version): then the
    # VNG suite's ztc-010/011 ties to published types apply (see rules.has_published_relation).
    relaties_via_url: Mapped[bool] = mapped_column(default=False)

    statustypen: Mapped[list[StatusType]] = relationship(
        order_by="StatusType.volgnummer", lazy="raise", viewonly=True
    )
    roltypen: Mapped[list[RolType]] = relationship(
        order_by="RolType.omschrijving", lazy="raise", viewonly=True
    )
    resultaattypen: Mapped[list[ResultaatType]] = relationship(
        order_by="ResultaatType.omschrijving", lazy="raise", viewonly=True
    )
    eigenschappen: Mapped[list[Eigenschap]] = relationship(
        order_by="Eigenschap.naam", lazy="raise", viewonly=True
    )


class StatusType(TenantMixin, UUIDPrimaryKey, Base):
    __tablename__ = "ztc_statustypen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(80))
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    statustekst: Mapped[str] = mapped_column(String(1000), default="")
    volgnummer: Mapped[int] = mapped_column(Integer)
    informeren: Mapped[bool] = mapped_column(default=False)
    doorlooptijd: Mapped[str | None] = mapped_column(String(50), default=None)
    toelichting: Mapped[str | None] = mapped_column(String(1000), default=None)
    checklistitem_statustype: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    begin_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)


class RolType(TenantMixin, UUIDPrimaryKey, Base):
    __tablename__ = "ztc_roltypen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(100))
    omschrijving_generiek: Mapped[str] = mapped_column(String(20))
    begin_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)


class ResultaatType(TenantMixin, UUIDPrimaryKey, Base):
    __tablename__ = "ztc_resultaattypen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    omschrijving: Mapped[str] = mapped_column(String(30))
    resultaattypeomschrijving: Mapped[str] = mapped_column(String(1000))
    # Derived from the Referentielijsten resultaattypeomschrijving (ztc-002).
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    selectielijstklasse: Mapped[str] = mapped_column(String(1000))
    toelichting: Mapped[str] = mapped_column(Text, default="")
    archiefnominatie: Mapped[str] = mapped_column(String(20), default="")
    archiefactietermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    brondatum_afleidingswijze: Mapped[str] = mapped_column(String(20), default="")
    brondatum_datumkenmerk: Mapped[str] = mapped_column(String(80), default="")
    brondatum_einddatum_bekend: Mapped[bool] = mapped_column(default=False)
    brondatum_objecttype: Mapped[str] = mapped_column(String(80), default="")
    brondatum_registratie: Mapped[str] = mapped_column(String(80), default="")
    brondatum_procestermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    procesobjectaard: Mapped[str | None] = mapped_column(String(200), default=None)
    indicatie_specifiek: Mapped[bool | None] = mapped_column(default=None)
    procestermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    # Omschrijvingen (historiemodel keys) in the zaaktype's catalogus.
    besluittypen: Mapped[list[str]] = mapped_column(JSONType, default=list)
    informatieobjecttypen: Mapped[list[str]] = mapped_column(JSONType, default=list)
    begin_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)


class Eigenschap(TenantMixin, UUIDPrimaryKey, Base):
    __tablename__ = "ztc_eigenschappen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    naam: Mapped[str] = mapped_column(String(20))
    definitie: Mapped[str] = mapped_column(String(255))
    specificatie_groep: Mapped[str] = mapped_column(String(32), default="")
    specificatie_formaat: Mapped[str] = mapped_column(String(20))
    specificatie_lengte: Mapped[str] = mapped_column(String(14))
    specificatie_kardinaliteit: Mapped[str] = mapped_column(String(3))
    specificatie_waardenverzameling: Mapped[list[str]] = mapped_column(JSONType, default=list)
    toelichting: Mapped[str] = mapped_column(String(1000), default="")
    statustype_uuid: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ztc_statustypen.uuid", ondelete="SET NULL"), default=None, index=True
    )
    begin_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)


class InformatieObjectType(TenantMixin, UUIDPrimaryKey, VersionedType, Base):
    __tablename__ = "ztc_informatieobjecttypen"
    __table_args__ = (
        Index("ix_ztc_informatieobjecttypen_catalogus_omschrijving", "catalogus_uuid", "omschrijving"),
    )

    catalogus_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_catalogussen.uuid"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(80))
    vertrouwelijkheidaanduiding: Mapped[str] = mapped_column(String(20))
    informatieobjectcategorie: Mapped[str] = mapped_column(String(80))
    trefwoord: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # InformatieObjectTypeOmschrijvingGeneriek, camelCase keys as in the spec; {} when not given.
    omschrijving_generiek: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class BesluitType(TenantMixin, UUIDPrimaryKey, VersionedType, Base):
    """A besluittype. Its zaaktypen are those whose ``besluittypen`` name its omschrijving;
    its informatieobjecttypen are named by omschrijving in ``informatieobjecttypen``."""

    __tablename__ = "ztc_besluittypen"
    __table_args__ = (Index("ix_ztc_besluittypen_catalogus_omschrijving", "catalogus_uuid", "omschrijving"),)

    catalogus_uuid: Mapped[uuid.UUID] = mapped_column(ForeignKey("ztc_catalogussen.uuid"), index=True)
    omschrijving: Mapped[str] = mapped_column(String(80), default="")
    omschrijving_generiek: Mapped[str] = mapped_column(String(80), default="")
    besluitcategorie: Mapped[str] = mapped_column(String(40), default="")
    reactietermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    publicatie_indicatie: Mapped[bool] = mapped_column(default=False)
    publicatietekst: Mapped[str] = mapped_column(Text, default="")
    publicatietermijn: Mapped[str | None] = mapped_column(String(50), default=None)
    toelichting: Mapped[str] = mapped_column(Text, default="")
    informatieobjecttypen: Mapped[list[str]] = mapped_column(JSONType, default=list)
    relaties_via_url: Mapped[bool] = mapped_column(default=False)


class ZaakTypeInformatieObjectType(TenantMixin, UUIDPrimaryKey, Base):
    """An informatieobjecttype (by omschrijving) that zaken of a zaaktype may hold."""

    __tablename__ = "ztc_zaaktype_informatieobjecttypen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    informatieobjecttype_omschrijving: Mapped[str] = mapped_column(String(100), index=True)
    via_url: Mapped[bool] = mapped_column(default=False)
    # The version a 1.0-style client named by URL; shown as long as it exists.
    informatieobjecttype_uuid: Mapped[uuid.UUID | None] = mapped_column(default=None)
    volgnummer: Mapped[int] = mapped_column(Integer)
    richting: Mapped[str] = mapped_column(String(20))
    statustype_uuid: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ztc_statustypen.uuid", ondelete="SET NULL"), default=None, index=True
    )


class ZaakObjectType(TenantMixin, UUIDPrimaryKey, Base):
    __tablename__ = "ztc_zaakobjecttypen"

    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ztc_zaaktypen.uuid", ondelete="CASCADE"), index=True
    )
    ander_objecttype: Mapped[bool] = mapped_column(default=False)
    objecttype: Mapped[str] = mapped_column(String(200))
    relatie_omschrijving: Mapped[str] = mapped_column(String(80))
    begin_geldigheid: Mapped[date] = mapped_column(Date)
    einde_geldigheid: Mapped[date | None] = mapped_column(Date, default=None)
    begin_object: Mapped[date | None] = mapped_column(Date, default=None)
    einde_object: Mapped[date | None] = mapped_column(Date, default=None)
