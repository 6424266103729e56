"""Request bodies of the Besluiten API, named as in the spec."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints

Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Vervalreden = Literal["tijdelijk", "ingetrokken_overheid", "ingetrokken_belanghebbende"]
VERVALREDEN_WEERGAVE: dict[str, str] = {
    "tijdelijk": "Besluit met tijdelijke werking",
    "ingetrokken_overheid": "Besluit ingetrokken door overheid",
    "ingetrokken_belanghebbende": "Besluit ingetrokken o.v.v. belanghebbende",
}

Identificatie = Annotated[str, StringConstraints(max_length=50)]
Rsin = Annotated[str, StringConstraints(min_length=1, max_length=9)]
TypeUrl = Annotated[Url, StringConstraints(min_length=1, max_length=200)]
ZaakUrl = Annotated[Url, StringConstraints(max_length=200)] | Literal[""]
Bestuursorgaan = Annotated[str, StringConstraints(max_length=50)]


class _In(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Besluit(_In):
    """The body of ``besluit_create`` and ``besluit_update`` (all required fields given)."""

    identificatie: Identificatie = ""
    verantwoordelijkeOrganisatie: Rsin
    besluittype: TypeUrl
    zaak: ZaakUrl | None = None
    datum: date
    toelichting: str = ""
    bestuursorgaan: Bestuursorgaan = ""
    ingangsdatum: date
    vervaldatum: date | None = None
    vervalreden: Vervalreden | Literal[""] = ""
    publicatiedatum: date | None = None
    verzenddatum: date | None = None
    uiterlijkeReactiedatum: date | None = None


class PatchedBesluit(_In):
    """The body of ``besluit_partial_update``: only the fields given change."""

    identificatie: Identificatie | None = None
    verantwoordelijkeOrganisatie: Rsin | None = None
    besluittype: TypeUrl | None = None
    zaak: ZaakUrl | None = None
    datum: date | None = None
    toelichting: str | None = None
    bestuursorgaan: Bestuursorgaan | None = None
    ingangsdatum: date | None = None
    vervaldatum: date | None = None
    vervalreden: Vervalreden | Literal[""] | None = None
    publicatiedatum: date | None = None
    verzenddatum: date | None = None
    uiterlijkeReactiedatum: date | None = None


class BesluitInformatieObject(_In):
    informatieobject: Annotated[Url, StringConstraints(min_length=1, max_length=1000)]
    besluit: Url
