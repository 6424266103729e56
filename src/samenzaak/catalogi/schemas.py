"""Request bodies of the Catalogi API 1.3.3, named as in the spec (camelCase, extra ignored).

Read-only fields the spec lists (``url``, ``concept``, ``statustypen``...) are ignored when
sent. Relation fields take the 1.3 keys (omschrijving/identificatie) and, for clients
written against 1.0-1.3.1, the URL of one of our types; the service resolves both.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from samenzaak.common.problems import ZGWValueError
from samenzaak.common.validators import Vertrouwelijkheidaanduiding, is_iso_duration


def _duration(value: str) -> str:
    if not is_iso_duration(value):
        raise ZGWValueError("invalid", "Geen geldige ISO 8601 duur (bijvoorbeeld P30D).")
    return value


def _url(value: str) -> str:
    if value and not value.startswith(("http://", "https://")):
        raise ZGWValueError("invalid", "Voer een geldige URL in.")
    return value


Duration = Annotated[str, AfterValidator(_duration)]
Url = Annotated[str, StringConstraints(max_length=1000), AfterValidator(_url)]
Required = Annotated[str, StringConstraints(min_length=1)]

IndicatieInternOfExtern = Literal["intern", "extern"]
AardRelatie = Literal["vervolg", "bijdrage", "onderwerp"]
Afleidingswijze = Literal[
    "afgehandeld",
    "ander_datumkenmerk",
    "eigenschap",
    "gerelateerde_zaak",
    "hoofdzaak",
    "ingangsdatum_besluit",
    "termijn",
    "vervaldatum_besluit",
    "zaakobject",
]
Archiefnominatie = Literal["blijvend_bewaren", "vernietigen"]
Formaat = Literal["tekst", "getal", "datum", "datum_tijd"]
Objecttype = Literal[
    "adres",
    "besluit",
    "buurt",
    "enkelvoudig_document",
    "gemeente",
    "gemeentelijke_openbare_ruimte",
    "huishouden",
    "inrichtingselement",
    "kadastrale_onroerende_zaak",
    "kunstwerkdeel",
    "maatschappelijke_activiteit",
    "medewerker",
    "natuurlijk_persoon",
    "niet_natuurlijk_persoon",
    "openbare_ruimte",
    "organisatorische_eenheid",
    "pand",
    "spoorbaandeel",
    "status",
    "terreindeel",
    "terrein_gebouwd_object",
    "vestiging",
    "waterdeel",
    "wegdeel",
    "wijk",
    "woonplaats",
    "woz_deelobject",
    "woz_object",
    "woz_waarde",
    "zakelijk_recht",
    "overige",
]
RolOmschrijvingGeneriek = Literal[
    "adviseur",
    "behandelaar",
    "belanghebbende",
    "beslisser",
    "initiator",
    "klantcontacter",
    "zaakcoordinator",
    "mede_initiator",
]
Richting = Literal["inkomend", "intern", "uitgaand"]


class In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class CatalogusIn(In):
    domein: Annotated[str, StringConstraints(min_length=1, max_length=5)]
    rsin: Annotated[str, StringConstraints(max_length=9)]
    contactpersoonBeheerNaam: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    contactpersoonBeheerTelefoonnummer: Annotated[str, StringConstraints(max_length=20)] = ""
    contactpersoonBeheerEmailadres: Annotated[str, StringConstraints(max_length=254)] = ""
    naam: Annotated[str, StringConstraints(max_length=200)] | None = None
    versie: Annotated[str, StringConstraints(max_length=20)] | None = None
    begindatumVersie: date | None = None


class Geldigheid(In):
    beginGeldigheid: date
    eindeGeldigheid: date | None = None
    beginObject: date | None = None
    eindeObject: date | None = None


class ReferentieProces(In):
    naam: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    link: Annotated[str, StringConstraints(max_length=200), AfterValidator(_url)] = ""


class BronCatalogus(In):
    url: Annotated[str, StringConstraints(max_length=200), AfterValidator(_url)]
    domein: Annotated[str, StringConstraints(max_length=5)]
    rsin: Annotated[str, StringConstraints(max_length=9)]


class BronZaaktype(In):
    url: Annotated[str, StringConstraints(max_length=200), AfterValidator(_url)]
    identificatie: Annotated[str, StringConstraints(max_length=50)]
    omschrijving: Annotated[str, StringConstraints(max_length=80)]


class ZaakTypenRelatieIn(In):
    zaaktype: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    aardRelatie: AardRelatie
    toelichting: Annotated[str, StringConstraints(max_length=255)] = ""


def _number_as_text(value: object) -> object:
    # Clients (VNG's suite among them, zrc-006) send a numeric identificatie as a JSON number;
    # other implementations accept it as the text it is.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ZaakTypeIn(Geldigheid):
    identificatie: Annotated[
        str, BeforeValidator(_number_as_text), StringConstraints(min_length=1, max_length=50)
    ]
    omschrijving: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    omschrijvingGeneriek: Annotated[str, StringConstraints(max_length=80)] = ""
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    doel: Required
    aanleiding: Required
    toelichting: str = ""
    indicatieInternOfExtern: IndicatieInternOfExtern
    handelingInitiator: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    onderwerp: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    handelingBehandelaar: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    doorlooptijd: Duration
    servicenorm: Duration | None = None
    opschortingEnAanhoudingMogelijk: bool
    verlengingMogelijk: bool
    verlengingstermijn: Duration | None = None
    trefwoorden: list[Annotated[str, StringConstraints(max_length=30)]] = Field(default_factory=list)
    publicatieIndicatie: bool
    publicatietekst: str = ""
    verantwoordingsrelatie: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list
    )
    productenOfDiensten: list[Url] = Field(default_factory=list)
    selectielijstProcestype: Annotated[str, StringConstraints(max_length=200), AfterValidator(_url)] = ""
    referentieproces: ReferentieProces
    verantwoordelijke: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    broncatalogus: BronCatalogus | None = None
    bronzaaktype: BronZaaktype | None = None
    catalogus: Url
    besluittypen: list[str] = Field(default_factory=list)
    deelzaaktypen: list[str] = Field(default_factory=list)
    gerelateerdeZaaktypen: list[ZaakTypenRelatieIn] = Field(default_factory=list)
    versiedatum: date | None = None


class InformatieObjectTypeOmschrijvingGeneriekIn(In):
    informatieobjecttypeOmschrijvingGeneriek: Annotated[str, StringConstraints(max_length=80)] = ""
    definitieInformatieobjecttypeOmschrijvingGeneriek: Annotated[str, StringConstraints(max_length=255)] = ""
    herkomstInformatieobjecttypeOmschrijvingGeneriek: Annotated[str, StringConstraints(max_length=12)] = ""
    hierarchieInformatieobjecttypeOmschrijvingGeneriek: Annotated[str, StringConstraints(max_length=80)] = ""
    opmerkingInformatieobjecttypeOmschrijvingGeneriek: (
        Annotated[str, StringConstraints(max_length=255)] | None
    ) = None


class InformatieObjectTypeIn(Geldigheid):
    catalogus: Url
    omschrijving: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding
    informatieobjectcategorie: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    trefwoord: list[Annotated[str, StringConstraints(max_length=30)]] = Field(default_factory=list)
    omschrijvingGeneriek: InformatieObjectTypeOmschrijvingGeneriekIn | None = None


class BesluitTypeIn(Geldigheid):
    catalogus: Url
    omschrijving: Annotated[str, StringConstraints(max_length=80)] = ""
    omschrijvingGeneriek: Annotated[str, StringConstraints(max_length=80)] = ""
    besluitcategorie: Annotated[str, StringConstraints(max_length=40)] = ""
    reactietermijn: Duration | None = None
    publicatieIndicatie: bool
    publicatietekst: str = ""
    publicatietermijn: Duration | None = None
    toelichting: str = ""
    informatieobjecttypen: list[str] = Field(default_factory=list)


class OptionalGeldigheid(In):
    beginGeldigheid: date | None = None
    eindeGeldigheid: date | None = None
    beginObject: date | None = None
    eindeObject: date | None = None


class CheckListItemIn(In):
    itemnaam: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    toelichting: Annotated[str, StringConstraints(max_length=1000)] | None = None
    vraagstelling: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    verplicht: bool = False


class StatusTypeIn(OptionalGeldigheid):
    omschrijving: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    omschrijvingGeneriek: Annotated[str, StringConstraints(max_length=80)] = ""
    statustekst: Annotated[str, StringConstraints(max_length=1000)] = ""
    zaaktype: Url
    volgnummer: Annotated[int, Field(ge=1, le=9999)]
    informeren: bool = False
    doorlooptijd: Duration | None = None
    toelichting: Annotated[str, StringConstraints(max_length=1000)] | None = None
    checklistitemStatustype: list[CheckListItemIn] = Field(default_factory=list)
    eigenschappen: list[Url] = Field(default_factory=list)


class RolTypeIn(OptionalGeldigheid):
    zaaktype: Url
    omschrijving: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    omschrijvingGeneriek: RolOmschrijvingGeneriek


class BrondatumArchiefprocedureIn(In):
    afleidingswijze: Afleidingswijze
    datumkenmerk: Annotated[str, StringConstraints(max_length=80)] = ""
    einddatumBekend: bool = False
    objecttype: Objecttype | Literal[""] = ""
    registratie: Annotated[str, StringConstraints(max_length=80)] = ""
    procestermijn: Duration | None = None


class ResultaatTypeIn(OptionalGeldigheid):
    zaaktype: Url
    omschrijving: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    resultaattypeomschrijving: Annotated[
        str, StringConstraints(min_length=1, max_length=1000), AfterValidator(_url)
    ]
    selectielijstklasse: Annotated[
        str, StringConstraints(min_length=1, max_length=1000), AfterValidator(_url)
    ]
    toelichting: str = ""
    archiefnominatie: Archiefnominatie | Literal[""] = ""
    archiefactietermijn: Duration | None = None
    brondatumArchiefprocedure: BrondatumArchiefprocedureIn | None = None
    procesobjectaard: Annotated[str, StringConstraints(max_length=200)] | None = None
    indicatieSpecifiek: bool | None = None
    procestermijn: Duration | None = None
    besluittypen: list[str] = Field(default_factory=list)
    informatieobjecttypen: list[str] = Field(default_factory=list)


class EigenschapSpecificatieIn(In):
    groep: Annotated[str, StringConstraints(max_length=32)] = ""
    formaat: Formaat
    lengte: Annotated[str, StringConstraints(min_length=1, max_length=14)]
    kardinaliteit: Annotated[str, StringConstraints(min_length=1, max_length=3)]
    waardenverzameling: list[Annotated[str, StringConstraints(max_length=100)]] = Field(default_factory=list)


class EigenschapIn(OptionalGeldigheid):
    naam: Annotated[str, StringConstraints(min_length=1, max_length=20)]
    definitie: Annotated[str, StringConstraints(min_length=1, max_length=255)]
    specificatie: EigenschapSpecificatieIn
    toelichting: Annotated[str, StringConstraints(max_length=1000)] = ""
    zaaktype: Url
    statustype: Url | None = None


class ZaakTypeInformatieObjectTypeIn(In):
    zaaktype: Url
    informatieobjecttype: Annotated[str, StringConstraints(min_length=1, max_length=1000)]
    volgnummer: Annotated[int, Field(ge=1, le=999)]
    richting: Richting
    statustype: Url | None = None


class ZaakObjectTypeIn(Geldigheid):
    anderObjecttype: bool
    objecttype: Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_url)]
    relatieOmschrijving: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    zaaktype: Url
    catalogus: Url | None = None
