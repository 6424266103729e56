"""The filters of ``GET /zaken`` and ``POST /zaken/_zoek`` as SQL, and ordering."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select

from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import vertrouwelijkheid_up_to
from samenzaak.zaken.children_service import IDENTIFYING
from samenzaak.zaken.models import ROL_ID_COLUMNS, Rol, Zaak

ORDERING = {
    "startdatum": Zaak.startdatum,
    "einddatum": Zaak.einddatum,
    "publicatiedatum": Zaak.publicatiedatum,
    "archiefactiedatum": Zaak.archiefactiedatum,
    "registratiedatum": Zaak.registratiedatum,
    "identificatie": Zaak.identificatie,
}

DATE_FIELDS: dict[str, Any] = {
    "archiefactiedatum": Zaak.archiefactiedatum,
    "startdatum": Zaak.startdatum,
    "registratiedatum": Zaak.registratiedatum,
    "einddatum": Zaak.einddatum,
    "einddatumGepland": Zaak.einddatum_gepland,
    "uiterlijkeEinddatumAfdoening": Zaak.uiterlijke_einddatum_afdoening,
}
OPERATORS: dict[str, Callable[[Any, Any], ColumnElement[bool]]] = {
    "": lambda c, v: c == v,
    "gt": lambda c, v: c > v,
    "gte": lambda c, v: c >= v,
    "lt": lambda c, v: c < v,
    "lte": lambda c, v: c <= v,
}

# Filter name (after rol__betrokkeneIdentificatie__) -> (betrokkeneType, field).
ROL_IDENTIFICATIE = {
    "natuurlijkPersoon__inpBsn": ("natuurlijk_persoon", "inpBsn"),
    "natuurlijkPersoon__anpIdentificatie": ("natuurlijk_persoon", "anpIdentificatie"),
    "natuurlijkPersoon__inpA_nummer": ("natuurlijk_persoon", "inpA_nummer"),
    "nietNatuurlijkPersoon__innNnpId": ("niet_natuurlijk_persoon", "innNnpId"),
    "nietNatuurlijkPersoon__annIdentificatie": ("niet_natuurlijk_persoon", "annIdentificatie"),
    "vestiging__vestigingsNummer": ("vestiging", "vestigingsNummer"),
    "medewerker__identificatie": ("medewerker", "identificatie"),
    "organisatorischeEenheid__identificatie": ("organisatorische_eenheid", "identificatie"),
}
assert all(f in IDENTIFYING[t] for t, f in ROL_IDENTIFICATIE.values())


def _as_list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value).split(",") if v]


def _date(name: str, value: Any, errors: list[InvalidParam]) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        errors.append(InvalidParam(name, "invalid", "Voer een geldige datum in."))
        return None


def _bool(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def type_match(urls: UrlBuilder, values: list[str]) -> ColumnElement[bool]:
    local = [pk for pk in (urls.local_uuid(v, "catalogi", "zaaktypen") for v in values) if pk]
    remote = [v for v in values if urls.local_uuid(v, "catalogi", "zaaktypen") is None]
    # Only the non-empty terms: an empty IN renders as a subquery the planner cannot fold
    # away, and the OR with it kept PostgreSQL from reading the list order from an index.
    terms = []
    if local:
        terms.append(Zaak.zaaktype_uuid.in_(local))
    if remote:
        terms.append(Zaak.zaaktype_url.in_(remote))
    return or_(*terms) if terms else false()


def zaak_filters(params: Mapping[str, Any], urls: UrlBuilder) -> list[ColumnElement[bool]]:
    """WHERE terms for the given filter parameters; 400 on malformed values."""
    errors: list[InvalidParam] = []
    where: list[ColumnElement[bool]] = []
    rol_terms: list[ColumnElement[bool]] = []
    for name, value in params.items():
        if value is None or value == "" or value == []:
            continue
        field, _, op = name.partition("__")
        if name == "identificatie":
            where.append(Zaak.identificatie == str(value))
        elif name == "bronorganisatie":
            where.append(Zaak.bronorganisatie == str(value))
        elif name == "bronorganisatie__in":
            where.append(Zaak.bronorganisatie.in_(_as_list(value)))
        elif name == "zaaktype":
            where.append(type_match(urls, [str(value)]))
        elif name == "zaaktype__in":
            where.append(type_match(urls, _as_list(value)))
        elif name == "uuid__in":
            try:
                where.append(Zaak.uuid.in_([uuid.UUID(v) for v in _as_list(value)]))
            except ValueError:
                errors.append(InvalidParam(name, "invalid", "Ongeldige UUID."))
        elif name == "archiefnominatie":
            where.append(Zaak.archiefnominatie == str(value))
        elif name == "archiefnominatie__in":
            where.append(Zaak.archiefnominatie.in_(_as_list(value)))
        elif name == "archiefstatus":
            where.append(Zaak.archiefstatus == str(value))
        elif name == "archiefstatus__in":
            where.append(Zaak.archiefstatus.in_(_as_list(value)))
        elif name == "maximaleVertrouwelijkheidaanduiding":
            where.append(Zaak.vertrouwelijkheidaanduiding.in_(vertrouwelijkheid_up_to(str(value))))
        elif field in DATE_FIELDS and op == "isnull":
            column = DATE_FIELDS[field]
            where.append(column.is_(None) if _bool(value) else column.is_not(None))
        elif field in DATE_FIELDS and op in OPERATORS:
            day = _date(name, value, errors)
            if day is not None:
                where.append(OPERATORS[op](DATE_FIELDS[field], day))
        elif name == "rol__betrokkeneType":
            rol_terms.append(Rol.betrokkene_type == str(value))
        elif name == "rol__betrokkene":
            rol_terms.append(Rol.betrokkene == str(value))
        elif name == "rol__omschrijvingGeneriek":
            rol_terms.append(Rol.omschrijving_generiek == str(value))
        elif name.startswith("rol__betrokkeneIdentificatie__"):
            key = ROL_IDENTIFICATIE.get(name.removeprefix("rol__betrokkeneIdentificatie__"))
            if key is not None:
                rol_terms.append(rol_identificatie_term(key[0], key[1], str(value)))
    if errors:
        raise ValidationProblem(errors)
    if rol_terms:
        # All rol conditions on the same rol, as Open Zaak's filter does.
        where.append(exists().where(Rol.zaak_uuid == Zaak.uuid, and_(*rol_terms)))
    return where


def rol_identificatie_term(betrokkene_type: str, field: str, value: str) -> ColumnElement[bool]:
    return and_(
        Rol.betrokkene_type == betrokkene_type,
        getattr(Rol, ROL_ID_COLUMNS[field]) == value,
    )


def ordered(stmt: Select[Any], ordering: list[str] | str | None) -> Select[Any]:
    keys = _as_list(ordering) if ordering else []
    clauses = []
    for key in keys:
        column = ORDERING.get(key.lstrip("-"))
        if column is None:
            raise ValidationProblem(
                [InvalidParam("ordering", "invalid_choice", f"Onbekende ordening {key!r}.")]
            )
        clauses.append(column.desc() if key.startswith("-") else column.asc())
    # A stable order for paging: newest first, then uuid. Both descending, so a backward
    # scan of an ascending (…, aangemaakt, uuid) index yields it without a sort.
    return stmt.order_by(*clauses, Zaak.aangemaakt.desc(), Zaak.uuid.desc())


def zaak_url_filter(urls: UrlBuilder, column: Any, value: str | None) -> ColumnElement[bool] | None:
    """A ``zaak=<url>`` filter of a sub-resource list; an unknown URL matches nothing."""
    if not value:
        return None
    pk = urls.local_uuid(value, "zaken", "zaken")
    return column == pk if pk is not None else false()


def base() -> Select[Any]:
    return select(Zaak)
