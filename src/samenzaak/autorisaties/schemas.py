"""Request bodies of the Autorisaties API, named as in the spec."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from samenzaak.common.validators import Vertrouwelijkheidaanduiding

Component = Literal["ac", "nrc", "zrc", "ztc", "drc", "brc"]
COMPONENT_WEERGAVE = {
    "ac": "Autorisaties API",
    "nrc": "Notificaties API",
    "zrc": "Zaken API",
    "ztc": "Catalogi API",
    "drc": "Documenten API",
    "brc": "Besluiten API",
}

Scope = Annotated[str, StringConstraints(min_length=1, max_length=100)]
ClientId = Annotated[str, StringConstraints(min_length=1, max_length=50)]
TypeUrl = Annotated[str, StringConstraints(max_length=1000)]


class AutorisatieIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    component: Component
    scopes: list[Scope]
    zaaktype: TypeUrl | None = None
    informatieobjecttype: TypeUrl | None = None
    besluittype: TypeUrl | None = None
    # The empty string is accepted here so that the standard's rule (ac-003) can answer
    # "required" for it rather than an enum error.
    maxVertrouwelijkheidaanduiding: Vertrouwelijkheidaanduiding | Literal[""] | None = None


class ApplicatieIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    clientIds: list[ClientId]
    label: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    heeftAlleAutorisaties: bool = False
    alleenIsGereedVoorPublicatie: bool = False
    autorisaties: list[AutorisatieIn] = Field(default_factory=list)


class ApplicatiePatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    clientIds: list[ClientId] | None = None
    label: Annotated[str, StringConstraints(min_length=1, max_length=100)] | None = None
    heeftAlleAutorisaties: bool | None = None
    alleenIsGereedVoorPublicatie: bool | None = None
    autorisaties: list[AutorisatieIn] | None = None
