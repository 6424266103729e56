"""Request bodies of the Zaken API 1.7.0, named as in the spec (camelCase, extra keys ignored)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from samenzaak.common.problems import ZGWValueError
from samenzaak.common.validators import Vertrouwelijkheidaanduiding, is_iso_duration, rsin_problem

Url = Annotated[str, StringConstraints(max_length=1000)]
Betalingsindicatie = Literal["", "nvt", "nog_niet", "gedeeltelijk", "geheel"]
Archiefnominatie = Literal["blijvend_bewaren", "vernietigen", ""]
Archiefstatus = Literal[
    "nog_te_archiveren", "gearchiveerd", "gearchiveerd_procestermijn_onbekend", "overgedragen"
]
AardRelatie = Literal["vervolg", "onderwerp", "bijdrage"]
BetrokkeneType = Literal[
    "natuurlijk_persoon", "niet_natuurlijk_persoon", "vestiging", "organisatorische_eenheid", "medewerker"
]
IndicatieMachtiging = Literal["", "gemachtigde", "machtiginggever"]
ObjectType = Literal[
    "adres", "besluit", "buurt", "enkelvoudig_document", "gemeente", "gemeentelijke_openbare_ruimte",
    "huishouden", "inrichtingselement", "kadastrale_onroerende_zaak", "kunstwerkdeel",
    "maatschappelijke_activiteit", "medewerker", "natuurlijk_persoon", "niet_natuurlijk_persoon",
    "openbare_ruimte", "organisatorische_eenheid", "pand", "spoorbaandeel", "status", "terreindeel",
    "terrein_gebouwd_object", "vestiging", "waterdeel", "wegdeel", "wijk", "woonplaats", "woz_deelobject",
    "woz_object", "woz_waarde", "zakelijk_recht", "overige",
]  # fmt: skip


def aware(value: datetime) -> datetime:
    """Datetimes without an offset are read as UTC (the suite sends ``2018-04-20T13:37:00``)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class In(BaseModel):
    model_config = ConfigDict(extra="ignore")


def _rsin(value: str) -> str:
    problem = rsin_problem(value)
    if problem is not None:
        raise ZGWValueError(*problem)
    return value


Rsin = Annotated[str, StringConstraints(max_length=9)]


class Verlenging(In):
    reden: Annotated[str, StringConstraints(max_length=200)]
    duur: str

    @field_validator("duur")
    @classmethod
    def _duur(cls, value: str) -> str:
        if not is_iso_duration(value):
            raise ZGWValueError("invalid", "Geen geldige ISO 8601 duur.")
        return value


class Opschorting(In):
    indicatie: bool
    reden: Annotated[str, StringConstraints(max_length=200)]


class RelevanteZaak(In):
    url: Url
    aardRelatie: AardRelatie


class ZaakKenmerk(In):
    kenmerk: Annotated[str, StringConstraints(max_length=40)]
    bron: Annotated[str, StringConstraints(max_length=40)]


class Processobject(In):
    datumkenmerk: Annotated[str, StringConstraints(max_length=250)]
    identificatie: Annotated[str, StringConstraints(max_length=250)]
    objecttype: Annotated[str, StringConstraints(max_length=250)]
    registratie: Annotated[str, StringConstraints(max_length=250)]


class ZaakIn(In):
    identificatie: Annotated[str, StringConstraints(max_length=40)] = ""
    bronorganisatie: Rsin
    omschrijving: Annotated[str, StringConstraints(max_length=80)] = ""
    toelichting: Annotated[str, StringConstraints(max_length=1000)] = ""
    zaaktype: Url
    registratiedatum: date | None = None
    verantwoordelijkeOrganisatie: Rsin
    startdatum: date
    einddatumGepland: date | None = None
    uiterlijkeEinddatumAfdoening: date | None = None
    publicatiedatum: date | None = None
    communicatiekanaal: Url = ""
    productenOfDiensten: list[Url] = Field(default_factory=list)
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = None
    betalingsindicatie: Betalingsindicatie = ""
    laatsteBetaaldatum: datetime | None = None
    zaakgeometrie: dict[str, Any] | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: Url = ""
    hoofdzaak: Url | None = None
    relevanteAndereZaken: list[RelevanteZaak] = Field(default_factory=list)
    kenmerken: list[ZaakKenmerk] = Field(default_factory=list)
    archiefnominatie: Archiefnominatie | None = None
    archiefstatus: Archiefstatus = "nog_te_archiveren"
    archiefactiedatum: date | None = None
    opdrachtgevendeOrganisatie: Annotated[str, StringConstraints(max_length=9)] = ""
    processobjectaard: Annotated[str, StringConstraints(max_length=200)] | None = None
    startdatumBewaartermijn: date | None = None
    processobject: Processobject | None = None

    @field_validator("bronorganisatie", "verantwoordelijkeOrganisatie")
    @classmethod
    def _check_rsin(cls, value: str) -> str:
        return _rsin(value)

    @field_validator("laatsteBetaaldatum")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        return None if value is None else aware(value)


class ZaakPatch(In):
    """Every field optional; the merge with the stored zaak is validated as :class:`ZaakIn`."""

    identificatie: str | None = None
    bronorganisatie: str | None = None
    omschrijving: str | None = None
    toelichting: str | None = None
    zaaktype: str | None = None
    registratiedatum: date | None = None
    verantwoordelijkeOrganisatie: str | None = None
    startdatum: date | None = None
    einddatumGepland: date | None = None
    uiterlijkeEinddatumAfdoening: date | None = None
    publicatiedatum: date | None = None
    communicatiekanaal: str | None = None
    productenOfDiensten: list[str] | None = None
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | None = None
    betalingsindicatie: Betalingsindicatie | None = None
    laatsteBetaaldatum: datetime | None = None
    zaakgeometrie: dict[str, Any] | None = None
    verlenging: Verlenging | None = None
    opschorting: Opschorting | None = None
    selectielijstklasse: str | None = None
    hoofdzaak: str | None = None
    relevanteAndereZaken: list[RelevanteZaak] | None = None
    kenmerken: list[ZaakKenmerk] | None = None
    archiefnominatie: Archiefnominatie | None = None
    archiefstatus: Archiefstatus | None = None
    archiefactiedatum: date | None = None
    opdrachtgevendeOrganisatie: str | None = None
    processobjectaard: str | None = None
    startdatumBewaartermijn: date | None = None
    processobject: Processobject | None = None


class StatusIn(In):
    zaak: Url
    statustype: Url
    datumStatusGezet: datetime
    statustoelichting: Annotated[str, StringConstraints(max_length=1000)] = ""
    gezetdoor: Url = ""

    @field_validator("datumStatusGezet")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return aware(value)


class ContactPersoonRol(In):
    emailadres: Annotated[str, StringConstraints(max_length=254)] = ""
    functie: Annotated[str, StringConstraints(max_length=50)] = ""
    telefoonnummer: Annotated[str, StringConstraints(max_length=20)] = ""
    naam: Annotated[str, StringConstraints(max_length=200)]


class RolIn(In):
    zaak: Url
    betrokkene: Url = ""
    betrokkeneType: BetrokkeneType
    afwijkendeNaamBetrokkene: Annotated[str, StringConstraints(max_length=625)] = ""
    roltype: Url
    roltoelichting: Annotated[str, StringConstraints(max_length=1000)] = ""
    indicatieMachtiging: IndicatieMachtiging = ""
    contactpersoonRol: ContactPersoonRol | None = None
    betrokkeneIdentificatie: dict[str, Any] | None = None


class ResultaatIn(In):
    zaak: Url
    resultaattype: Url
    toelichting: Annotated[str, StringConstraints(max_length=1000)] = ""


class ResultaatPatch(In):
    zaak: Url | None = None
    resultaattype: Url | None = None
    toelichting: Annotated[str, StringConstraints(max_length=1000)] | None = None


class ZaakObjectIn(In):
    zaak: Url
    object: Url = ""
    zaakobjecttype: Url = ""
    objectType: ObjectType
    objectTypeOverige: Annotated[str, StringConstraints(max_length=100)] = ""
    objectTypeOverigeDefinitie: dict[str, Any] | None = None
    relatieomschrijving: Annotated[str, StringConstraints(max_length=80)] = ""
    objectIdentificatie: dict[str, Any] | None = None


class ZaakObjectPatch(In):
    zaak: Url | None = None
    object: Url | None = None
    zaakobjecttype: Url | None = None
    objectType: ObjectType | None = None
    objectTypeOverige: str | None = None
    objectTypeOverigeDefinitie: dict[str, Any] | None = None
    relatieomschrijving: str | None = None
    objectIdentificatie: dict[str, Any] | None = None


class ZaakInformatieObjectIn(In):
    informatieobject: Url
    zaak: Url
    titel: Annotated[str, StringConstraints(max_length=200)] = ""
    beschrijving: str = ""
    vernietigingsdatum: datetime | None = None
    status: Url | None = None


class ZaakInformatieObjectPatch(In):
    informatieobject: Url | None = None
    zaak: Url | None = None
    titel: Annotated[str, StringConstraints(max_length=200)] | None = None
    beschrijving: str | None = None
    vernietigingsdatum: datetime | None = None
    status: Url | None = None


class ZaakEigenschapIn(In):
    zaak: Url
    eigenschap: Url
    waarde: str


class ZaakEigenschapPatch(In):
    zaak: Url | None = None
    eigenschap: Url | None = None
    waarde: str | None = None


class KlantContactIn(In):
    zaak: Url
    identificatie: Annotated[str, StringConstraints(max_length=14)] = ""
    datumtijd: datetime
    kanaal: Annotated[str, StringConstraints(max_length=20)] = ""
    onderwerp: Annotated[str, StringConstraints(max_length=200)] = ""
    toelichting: Annotated[str, StringConstraints(max_length=1000)] = ""

    @field_validator("datumtijd")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return aware(value)


class ZaakContactMomentIn(In):
    zaak: Url
    contactmoment: Url


class ZaakVerzoekIn(In):
    zaak: Url
    verzoek: Url


class ZaakBesluitIn(In):
    besluit: Url


class ZaakNotitieIn(In):
    onderwerp: Annotated[str, StringConstraints(max_length=255)]
    tekst: str
    aangemaaktDoor: Annotated[str, StringConstraints(max_length=255)] = ""
    notitieType: Literal["", "extern", "intern"] = ""
    status: Literal["", "concept", "definitief"] = ""
    gerelateerdAan: Url


class ZaakNotitiePatch(In):
    onderwerp: Annotated[str, StringConstraints(max_length=255)] | None = None
    tekst: str | None = None
    aangemaaktDoor: Annotated[str, StringConstraints(max_length=255)] | None = None
    notitieType: Literal["", "extern", "intern"] | None = None
    status: Literal["", "concept", "definitief"] | None = None
    gerelateerdAan: Url | None = None


class ReserveZaakIdentificatieIn(In):
    bronorganisatie: Rsin
    aantal: Annotated[int, Field(ge=1, le=100)] = 1

    @field_validator("bronorganisatie")
    @classmethod
    def _check_rsin(cls, value: str) -> str:
        return _rsin(value)
