"""Request bodies of the Documenten API, named as in the spec."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from samenzaak.common.validators import Vertrouwelijkheidaanduiding

Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Status = Literal["in_bewerking", "ter_vaststelling", "definitief", "gearchiveerd"]
Algoritme = Literal[
    "crc_16",
    "crc_32",
    "crc_64",
    "fletcher_4",
    "fletcher_8",
    "fletcher_16",
    "fletcher_32",
    "hmac",
    "md5",
    "sha_1",
    "sha_256",
    "sha_512",
    "sha_3",
]
ObjectType = Literal["besluit", "zaak", "verzoek"]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class OndertekeningRequest(_In):
    soort: Literal["analoog", "digitaal", "pki"] | Literal[""] = ""
    datum: date | None = None


class IntegriteitRequest(_In):
    algoritme: Algoritme | Literal[""] = ""
    waarde: Annotated[str, StringConstraints(max_length=128)] = ""
    datum: date | None = None


class _DocumentFields(_In):
    identificatie: Annotated[str, StringConstraints(max_length=40)] = ""
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | Literal[""] = ""
    isGereedVoorPublicatie: bool | None = None
    tonenAanInitiator: bool = False
    status: Status | Literal[""] = ""
    inhoudIsVervallen: bool | None = None
    formaat: Annotated[str, StringConstraints(max_length=255)] = ""
    bestandsnaam: Annotated[str, StringConstraints(max_length=255)] = ""
    inhoud: str | None = None
    bestandsomvang: Annotated[int, Field(ge=0, le=9223372036854775807)] | None = None
    link: Annotated[str, StringConstraints(max_length=200)] = ""
    beschrijving: Annotated[str, StringConstraints(max_length=1000)] = ""
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    indicatieGebruiksrecht: bool | None = None
    verschijningsvorm: str = ""
    ondertekening: OndertekeningRequest | None = None
    integriteit: IntegriteitRequest | None = None
    trefwoorden: list[str] = Field(default_factory=list)


class EnkelvoudigInformatieObjectCreateLockRequest(_DocumentFields):
    bronorganisatie: Annotated[str, StringConstraints(min_length=1, max_length=9)]
    creatiedatum: date
    titel: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    auteur: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    taal: Annotated[str, StringConstraints(min_length=3, max_length=3)]
    informatieobjecttype: Annotated[Url, StringConstraints(min_length=1, max_length=200)]


class EnkelvoudigInformatieObjectWithLockRequest(EnkelvoudigInformatieObjectCreateLockRequest):
    lock: Annotated[str, StringConstraints(min_length=1)]


class PatchedEnkelvoudigInformatieObjectWithLockRequest(_In):
    """Every field optional; only the fields sent are changed (``model_fields_set``)."""

    identificatie: Annotated[str, StringConstraints(max_length=40)] | None = None
    bronorganisatie: Annotated[str, StringConstraints(min_length=1, max_length=9)] | None = None
    creatiedatum: date | None = None
    titel: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    vertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | Literal[""] | None = None
    isGereedVoorPublicatie: bool | None = None
    tonenAanInitiator: bool | None = None
    auteur: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    status: Status | Literal[""] | None = None
    inhoudIsVervallen: bool | None = None
    formaat: Annotated[str, StringConstraints(max_length=255)] | None = None
    taal: Annotated[str, StringConstraints(min_length=3, max_length=3)] | None = None
    bestandsnaam: Annotated[str, StringConstraints(max_length=255)] | None = None
    inhoud: str | None = None
    bestandsomvang: Annotated[int, Field(ge=0, le=9223372036854775807)] | None = None
    link: Annotated[str, StringConstraints(max_length=200)] | None = None
    beschrijving: Annotated[str, StringConstraints(max_length=1000)] | None = None
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    indicatieGebruiksrecht: bool | None = None
    verschijningsvorm: str | None = None
    ondertekening: OndertekeningRequest | None = None
    integriteit: IntegriteitRequest | None = None
    informatieobjecttype: Annotated[Url, StringConstraints(min_length=1, max_length=200)] | None = None
    trefwoorden: list[str] | None = None
    lock: str | None = None


class UnlockEnkelvoudigInformatieObjectRequest(_In):
    lock: Annotated[str, StringConstraints(max_length=100)] = ""


class EIOZoekRequest(_In):
    uuid__in: list[str]
    identificatie: str | None = None
    bronorganisatie: str | None = None
    expand: str | None = None


class GebruiksrechtenRequest(_In):
    informatieobject: Url
    startdatum: datetime
    einddatum: datetime | None = None
    omschrijvingVoorwaarden: Annotated[str, StringConstraints(min_length=1)]


class PatchedGebruiksrechtenRequest(_In):
    informatieobject: Url | None = None
    startdatum: datetime | None = None
    einddatum: datetime | None = None
    omschrijvingVoorwaarden: Annotated[str, StringConstraints(min_length=1)] | None = None


class ObjectInformatieObjectRequest(_In):
    informatieobject: Url
    object: Annotated[Url, StringConstraints(min_length=1, max_length=1000)]
    objectType: ObjectType


class BinnenlandsCorrespondentieadresVerzendingRequest(_In):
    huisletter: Annotated[str, StringConstraints(max_length=1)] = ""
    huisnummer: Annotated[int, Field(ge=1, le=99999)]
    huisnummerToevoeging: Annotated[str, StringConstraints(max_length=4)] = ""
    naamOpenbareRuimte: Annotated[str, StringConstraints(min_length=1, max_length=80)]
    postcode: Annotated[str, StringConstraints(max_length=6)] = ""
    woonplaatsnaam: Annotated[str, StringConstraints(min_length=1, max_length=80)]


class BuitenlandsCorrespondentieadresVerzendingRequest(_In):
    adresBuitenland1: Annotated[str, StringConstraints(min_length=1, max_length=35)]
    adresBuitenland2: Annotated[str, StringConstraints(max_length=35)] = ""
    adresBuitenland3: Annotated[str, StringConstraints(max_length=35)] = ""
    landPostadres: Annotated[Url, StringConstraints(min_length=1, max_length=200)]


class BuitenlandsCorrespondentiepostadresVerzendingRequest(_In):
    postBusOfAntwoordnummer: Annotated[int, Field(ge=1, le=9999)]
    postadresPostcode: Annotated[str, StringConstraints(min_length=1, max_length=6)]
    postadresType: Literal["antwoordnummer", "postbusnummer"]
    woonplaatsnaam: Annotated[str, StringConstraints(min_length=1, max_length=80)]


ADDRESS_FIELDS = (
    "binnenlandsCorrespondentieadres",
    "buitenlandsCorrespondentieadres",
    "correspondentiePostadres",
    "faxnummer",
    "emailadres",
    "mijnOverheid",
    "telefoonnummer",
)


class VerzendingRequest(_In):
    betrokkene: Annotated[Url, StringConstraints(min_length=1, max_length=200)]
    informatieobject: Url
    aardRelatie: Literal["afzender", "geadresseerde"]
    toelichting: Annotated[str, StringConstraints(max_length=200)] = ""
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    contactPersoon: Annotated[Url, StringConstraints(min_length=1, max_length=1000)]
    contactpersoonnaam: Annotated[str, StringConstraints(max_length=40)] = ""
    binnenlandsCorrespondentieadres: BinnenlandsCorrespondentieadresVerzendingRequest | None = None
    buitenlandsCorrespondentieadres: BuitenlandsCorrespondentieadresVerzendingRequest | None = None
    correspondentiePostadres: BuitenlandsCorrespondentiepostadresVerzendingRequest | None = None
    faxnummer: Annotated[str, StringConstraints(max_length=15)] | None = None
    emailadres: Annotated[str, StringConstraints(max_length=100)] | None = None
    mijnOverheid: bool = False
    telefoonnummer: Annotated[str, StringConstraints(max_length=15)] | None = None


class PatchedVerzendingRequest(_In):
    betrokkene: Annotated[Url, StringConstraints(min_length=1, max_length=200)] | None = None
    informatieobject: Url | None = None
    aardRelatie: Literal["afzender", "geadresseerde"] | None = None
    toelichting: Annotated[str, StringConstraints(max_length=200)] | None = None
    ontvangstdatum: date | None = None
    verzenddatum: date | None = None
    contactPersoon: Annotated[Url, StringConstraints(min_length=1, max_length=1000)] | None = None
    contactpersoonnaam: Annotated[str, StringConstraints(max_length=40)] | None = None
    binnenlandsCorrespondentieadres: BinnenlandsCorrespondentieadresVerzendingRequest | None = None
    buitenlandsCorrespondentieadres: BuitenlandsCorrespondentieadresVerzendingRequest | None = None
    correspondentiePostadres: BuitenlandsCorrespondentiepostadresVerzendingRequest | None = None
    faxnummer: Annotated[str, StringConstraints(max_length=15)] | None = None
    emailadres: Annotated[str, StringConstraints(max_length=100)] | None = None
    mijnOverheid: bool | None = None
    telefoonnummer: Annotated[str, StringConstraints(max_length=15)] | None = None
