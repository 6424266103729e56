"""Request bodies of the Notificaties API 1.0.1, named as in the spec."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

from samenzaak.common.validators import is_http_url


def check_uri(value: str) -> str:
    """An absolute http(s) URL, kept exactly as given (Pydantic's URL types normalise it)."""
    if not is_http_url(value):
        raise PydanticCustomError("url_parsing", "Voer een geldige URL in.")
    return value


def check_optional_uri(value: str) -> str:
    return value and check_uri(value)


def check_header_value(value: str) -> str:
    """``auth`` is sent as the callback's Authorization header: visible ASCII and spaces only
    (anything else cannot be sent, and CR/LF would split the header)."""
    if not all(" " <= c <= "~" or c == "\t" for c in value):
        raise PydanticCustomError("invalid_header", "Gebruik alleen zichtbare ASCII-tekens en spaties.")
    return value


Uri = Annotated[str, StringConstraints(min_length=1), AfterValidator(check_uri)]
OptionalUri = Annotated[str, StringConstraints(max_length=200), AfterValidator(check_optional_uri)]
HeaderValue = Annotated[str, StringConstraints(min_length=1), AfterValidator(check_header_value)]
Kenmerk = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class KanaalIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    naam: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    documentatieLink: OptionalUri = ""
    filters: list[Annotated[str, StringConstraints(min_length=1, max_length=100)]] = Field(
        default_factory=list
    )


class FilterGroup(BaseModel):
    model_config = ConfigDict(extra="ignore")

    naam: Annotated[str, StringConstraints(min_length=1)]
    filters: dict[str, Kenmerk] = Field(default_factory=dict)


class AbonnementIn(BaseModel):
    model_config = ConfigDict(extra="ignore")

    # 1.0.1 dropped the maxLength of callbackUrl and auth (gemma-zaken#2571).
    callbackUrl: Uri
    auth: HeaderValue
    kanalen: list[FilterGroup]


class AbonnementPatch(BaseModel):
    model_config = ConfigDict(extra="ignore")

    callbackUrl: Uri | None = None
    auth: HeaderValue | None = None
    kanalen: list[FilterGroup] | None = None


class Message(BaseModel):
    """A notification sent in by a source (``POST /notificaties``)."""

    model_config = ConfigDict(extra="ignore")

    kanaal: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    # The outbox stores these in 1000 characters (the other APIs' URL fields' limit).
    hoofdObject: Annotated[Uri, StringConstraints(max_length=1000)]
    resource: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    resourceUrl: Annotated[Uri, StringConstraints(max_length=1000)]
    actie: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    aanmaakdatum: datetime  # naive values are read as UTC
    kenmerken: dict[str, Kenmerk] = Field(default_factory=dict)
