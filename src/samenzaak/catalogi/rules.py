"""The Catalogi API's business rules, as plain functions that return or raise problems.

ztc-001..008  selectielijst and brondatumArchiefprocedure of resultaattypen
ztc-009       a published type changes only in eindeGeldigheid (or with geforceerd-schrijven)
ztc-010       children of a published zaaktype are fixed (non-concept-zaaktype)
ztc-010/011   relations with published types (non-concept-relation, as the VNG suite checks)
ztc-012       a zaaktype is published only when its besluittypen and informatieobjecttypen are
ztc-013       relations stay within one catalogus (relations-incorrect-catalogus)
ztc-016       published versions with the same identificatie/omschrijving never overlap
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import (
    BesluitType,
    InformatieObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.catalogi.schemas import BrondatumArchiefprocedureIn
from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.referentielijsten.service import ReferentielijstenError, resolve

COMPONENT = "ztc"
LEZEN = "catalogi.lezen"
SCHRIJVEN = "catalogi.schrijven"
GEFORCEERD_SCHRIJVEN = "catalogi.geforceerd-schrijven"
GEFORCEERD_VERWIJDEREN = "catalogi.geforceerd-verwijderen"
API = "catalogi"
NON_FIELD = "nonFieldErrors"

Versioned = TypeVar("Versioned", ZaakType, InformatieObjectType, BesluitType)


def forced_write(auth: Auth) -> bool:
    return auth.has_scope(COMPONENT, GEFORCEERD_SCHRIJVEN)


def forced_delete(auth: Auth) -> bool:
    return auth.has_scope(COMPONENT, GEFORCEERD_VERWIJDEREN)


def non_concept_object(kind: str) -> ValidationProblem:
    return ValidationProblem(
        [
            InvalidParam(
                NON_FIELD,
                "non-concept-object",
                f"Het {kind} is gepubliceerd (concept=false) en kan niet meer worden gewijzigd "
                "of verwijderd.",
            )
        ]
    )


def non_concept_relation(reason: str) -> InvalidParam:
    return InvalidParam(NON_FIELD, "non-concept-relation", reason)


def non_concept_zaaktype() -> ValidationProblem:
    return ValidationProblem(
        [
            InvalidParam(
                NON_FIELD,
                "non-concept-zaaktype",
                "Het zaaktype is gepubliceerd (concept=false); zijn onderdelen kunnen niet meer worden "
                "aangemaakt, gewijzigd of verwijderd.",
            )
        ]
    )


def only_einde_geldigheid(patch_keys: set[str] | None) -> bool:
    """ztc-009: a PATCH of just eindeGeldigheid is allowed on a published type."""
    return patch_keys is not None and patch_keys == {"eindeGeldigheid"}


def check_update_published(
    auth: Auth, obj: ZaakType | InformatieObjectType | BesluitType, kind: str, patch_keys: set[str] | None
) -> None:
    """ztc-009 for PUT/PATCH of a zaaktype, informatieobjecttype or besluittype."""
    if not obj.concept and not only_einde_geldigheid(patch_keys) and not forced_write(auth):
        raise non_concept_object(kind)


def check_delete_published(auth: Auth, obj: ZaakType | InformatieObjectType | BesluitType, kind: str) -> None:
    if not obj.concept and not forced_delete(auth):
        raise non_concept_object(kind)


async def check_child_of_zaaktype(auth: Auth, zaaktype: ZaakType, *, delete: bool = False) -> None:
    """ztc-010: statustypen, roltypen, ... of a published zaaktype are fixed (unless a correctie)."""
    if zaaktype.concept:
        return
    if delete and forced_delete(auth):
        return
    if not delete and forced_write(auth):
        return
    raise non_concept_zaaktype()


# -- relations by name -----------------------------------------------------------------


@dataclass
class Names:
    """Relation values given by a client, resolved to the names (historiemodel keys) we keep."""

    names: list[str] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)  # types given by URL (1.0-style clients)
    errors: list[InvalidParam] = field(default_factory=list)


async def resolve_names(
    session: AsyncSession,
    urls: UrlBuilder,
    catalogus: uuid.UUID | None,
    values: list[str],
    *,
    model: type[Versioned],
    resource: str,
    key: str,
    field_name: str,
    must_exist: bool = True,
) -> Names:
    """Turn omschrijvingen/identificaties or URLs of our types into names in ``catalogus``.

    A URL of ours resolves to its row (ztc-013: it must be in the same catalogus); another
    http(s) URL is refused; any other value is a name, which must name a type of the catalogus.
    """
    out = Names()
    for i, value in enumerate(values):
        name_field = f"{field_name}.{i}" if len(values) > 1 else field_name
        if value.startswith(("http://", "https://")):
            pk = urls.local_uuid(value, API, resource)
            row = await session.get(model, pk) if pk is not None else None
            if row is None:
                out.errors.append(
                    InvalidParam(name_field, "does_not_exist", f"Het object {value} bestaat niet.")
                )
                continue
            if catalogus is not None and row.catalogus_uuid != catalogus:
                out.errors.append(
                    InvalidParam(
                        NON_FIELD,
                        "relations-incorrect-catalogus",
                        f"{field_name} moet tot dezelfde catalogus behoren.",
                    )
                )
                continue
            out.rows.append(row)
            name = getattr(row, key)
        else:
            name = value
            if must_exist and catalogus is not None:
                found = await session.scalar(
                    select(model.uuid)
                    .where(model.catalogus_uuid == catalogus, getattr(model, key) == name)
                    .limit(1)
                )
                if found is None:
                    out.errors.append(
                        InvalidParam(
                            name_field,
                            "does_not_exist",
                            f"Er is geen {resource[:-2]} met {key} {name!r} in de catalogus.",
                        )
                    )
                    continue
        if name not in out.names:
            out.names.append(name)
    return out


def linked_published(names: Names, what: str) -> list[InvalidParam]:
    """ztc-011 (VNG suite): a relation to one specific, published version may not be laid.

    Applied to relations given by URL only: the 1.3 way (by name) refers to whichever
    version is valid, and a new concept version must be able to use published types.
    """
    if any(not row.concept for row in names.rows):
        return [non_concept_relation(f"Relaties met een gepubliceerd {what} kunnen niet worden gelegd.")]
    return []


async def published_exists(
    session: AsyncSession, model: type[Versioned], catalogus: uuid.UUID, key: str, names: list[str]
) -> bool:
    if not names:
        return False
    found = await session.scalar(
        select(model.uuid)
        .where(model.catalogus_uuid == catalogus, getattr(model, key).in_(names), model.concept.is_(False))
        .limit(1)
    )
    return found is not None


async def zaaktype_iot_names(session: AsyncSession, zaaktype: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving).where(
            ZaakTypeInformatieObjectType.zaaktype_uuid == zaaktype
        )
    )
    return list(dict.fromkeys(rows))


async def has_published_relation(session: AsyncSession, obj: Any, *, delete: bool) -> bool:
    """Whether a concept type is tied to a published one (the VNG suite's ztc-010a/c/h).

    Only relations laid by URL count: such a client (Catalogi 1.0-1.3.1 style) tied the
    type to one version. Relations by name (1.3) refer to whichever version is valid, so a
    new concept version that names published types stays editable, as the historiemodel
    primer shows. Updates look at the relations a type owns by name; deleting also at the
    zaaktype-informatieobjecttypen and at the types that name this one.
    """
    if isinstance(obj, ZaakType):
        if obj.relaties_via_url and await published_exists(
            session, BesluitType, obj.catalogus_uuid, "omschrijving", obj.besluittypen or []
        ):
            return True
        if delete:
            names = list(
                await session.scalars(
                    select(ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving).where(
                        ZaakTypeInformatieObjectType.zaaktype_uuid == obj.uuid,
                        ZaakTypeInformatieObjectType.via_url.is_(True),
                    )
                )
            )
            return await published_exists(
                session, InformatieObjectType, obj.catalogus_uuid, "omschrijving", names
            )
        return False
    if isinstance(obj, BesluitType):
        if obj.relaties_via_url and await published_exists(
            session, InformatieObjectType, obj.catalogus_uuid, "omschrijving", obj.informatieobjecttypen or []
        ):
            return True
        if not delete:
            return False
        users = await session.scalars(
            select(ZaakType).where(
                ZaakType.catalogus_uuid == obj.catalogus_uuid,
                ZaakType.concept.is_(False),
                ZaakType.relaties_via_url.is_(True),
            )
        )
        return any(obj.omschrijving in (z.besluittypen or []) for z in users)
    if isinstance(obj, InformatieObjectType):
        users_bt = await session.scalars(
            select(BesluitType).where(
                BesluitType.catalogus_uuid == obj.catalogus_uuid,
                BesluitType.concept.is_(False),
                BesluitType.relaties_via_url.is_(True),
            )
        )
        if any(obj.omschrijving in (b.informatieobjecttypen or []) for b in users_bt):
            return True
        if delete:
            found = await session.scalar(
                select(ZaakType.uuid)
                .join(
                    ZaakTypeInformatieObjectType, ZaakTypeInformatieObjectType.zaaktype_uuid == ZaakType.uuid
                )
                .where(
                    ZaakType.catalogus_uuid == obj.catalogus_uuid,
                    ZaakType.concept.is_(False),
                    ZaakTypeInformatieObjectType.via_url.is_(True),
                    ZaakTypeInformatieObjectType.informatieobjecttype_omschrijving == obj.omschrijving,
                )
                .limit(1)
            )
            return found is not None
    return False


# -- publishing ------------------------------------------------------------------------


async def check_publish_zaaktype(session: AsyncSession, zaaktype: ZaakType) -> list[InvalidParam]:
    """ztc-012: the besluittypen and informatieobjecttypen a zaaktype uses must be published.

    Per name, the version valid on the zaaktype's beginGeldigheid (or any published
    version when none is valid then) must exist; nothing else is demanded.
    """
    errors: list[InvalidParam] = []
    for model, names, field_name in (
        (BesluitType, zaaktype.besluittypen or [], "besluittypen"),
        (InformatieObjectType, await zaaktype_iot_names(session, zaaktype.uuid), "informatieobjecttypen"),
    ):
        if not names:
            continue
        published = set(
            await session.scalars(
                select(model.omschrijving).where(
                    model.catalogus_uuid == zaaktype.catalogus_uuid,
                    model.omschrijving.in_(names),
                    model.concept.is_(False),
                )
            )
        )
        missing = [n for n in names if n not in published]
        if missing:
            errors.append(
                InvalidParam(
                    field_name,
                    "concept-relation",
                    f"Alle gerelateerde {field_name} moeten gepubliceerd zijn; "
                    f"niet gepubliceerd: {', '.join(missing)}.",
                )
            )
    return errors


def overlaps(a_begin: date, a_end: date | None, b_begin: date, b_end: date | None) -> bool:
    """Whether two validity periods share a day; a withdrawn version (ending before it
    begins) is valid on no day and overlaps nothing."""
    if (a_end is not None and a_end < a_begin) or (b_end is not None and b_end < b_begin):
        return False
    return a_begin <= (b_end or date.max) and b_begin <= (a_end or date.max)


async def close_and_check_versions(
    session: AsyncSession, obj: Versioned, key: str, *, refuse_overlap: bool = True
) -> list[InvalidParam]:
    """ztc-016 on publish: the previous open-ended version is closed the day before the new
    one starts; any other overlap with a published version of the same name is refused.

    The standard states the refusal for zaaktypen only; for besluittypen and
    informatieobjecttypen (``refuse_overlap=False``) the previous version is closed and
    nothing is refused.
    """
    model = type(obj)
    others = list(
        await session.scalars(
            select(model).where(
                model.catalogus_uuid == obj.catalogus_uuid,
                getattr(model, key) == getattr(obj, key),
                model.concept.is_(False),
                model.uuid != obj.uuid,
            )
        )
    )
    errors: list[InvalidParam] = []
    for other in others:
        if other.einde_geldigheid is None and other.begin_geldigheid < obj.begin_geldigheid:
            # A new version takes over from the open-ended previous one.
            other.einde_geldigheid = obj.begin_geldigheid - timedelta(days=1)
            continue
        if refuse_overlap and overlaps(
            obj.begin_geldigheid, obj.einde_geldigheid, other.begin_geldigheid, other.einde_geldigheid
        ):
            errors.append(
                InvalidParam(
                    "beginGeldigheid",
                    "overlap",
                    f"De geldigheid overlapt met een gepubliceerde versie met dezelfde {key} "
                    f"({other.begin_geldigheid.isoformat()} t/m "
                    f"{other.einde_geldigheid.isoformat() if other.einde_geldigheid else 'onbepaald'}).",
                )
            )
    return errors


# -- Selectielijst (ztc-001..008) --------------------------------------------------------


async def referentie(
    urls: UrlBuilder, url: str, kind: str, field_name: str, errors: list[InvalidParam]
) -> dict[str, Any] | None:
    """The Referentielijsten resource at ``url``, or None with an ``invalid-resource``/``bad-url`` error."""
    try:
        found = await resolve(urls, url, kind)
    except ReferentielijstenError as exc:
        errors.append(InvalidParam(field_name, "bad-url", f"De URL kon niet worden opgehaald: {exc.reason}."))
        return None
    if found is None:
        errors.append(
            InvalidParam(
                field_name, "invalid-resource", f"De URL {url} wijst niet naar een geldige {kind[:-1]}."
            )
        )
    return found


async def check_selectielijst_procestype(urls: UrlBuilder, url: str) -> list[InvalidParam]:
    """ztc-001: selectielijstProcestype, if given, is a Procestype of the Selectielijst."""
    errors: list[InvalidParam] = []
    if url:
        await referentie(urls, url, "procestypen", "selectielijstProcestype", errors)
    return errors


AFLEIDING_MET_DATUMKENMERK = {"eigenschap", "zaakobject", "ander_datumkenmerk"}
AFLEIDING_MET_OBJECTTYPE = {"zaakobject", "ander_datumkenmerk"}


def check_brondatum(
    brondatum: BrondatumArchiefprocedureIn | None, procestermijn: str | None
) -> list[InvalidParam]:
    """ztc-003..008 for brondatumArchiefprocedure; ``procestermijn`` is the selectielijstklasse's."""
    if brondatum is None:
        return []
    errors: list[InvalidParam] = []
    prefix = "brondatumArchiefprocedure"
    wijze = brondatum.afleidingswijze
    if procestermijn == "nihil" and wijze != "afgehandeld":
        errors.append(
            InvalidParam(
                NON_FIELD,
                "invalid-afleidingswijze-for-procestermijn",
                "De afleidingswijze moet 'afgehandeld' zijn bij een selectielijstklasse met "
                "procestermijn 'nihil'.",
            )
        )
    if procestermijn == "ingeschatte_bestaansduur_procesobject" and wijze != "termijn":
        errors.append(
            InvalidParam(
                NON_FIELD,
                "invalid-afleidingswijze-for-procestermijn",
                "De afleidingswijze moet 'termijn' zijn bij een selectielijstklasse met procestermijn "
                "'ingeschatte_bestaansduur_procesobject'.",
            )
        )
    # Without a procestermijn (typically 'bewaren') every afleidingswijze is possible.

    def must(name: str, value: Any, needed: bool) -> None:
        if needed and not value:
            errors.append(
                InvalidParam(
                    f"{prefix}.{name}", "required", f"{name} is verplicht bij afleidingswijze {wijze}."
                )
            )
        if not needed and value:
            errors.append(
                InvalidParam(
                    f"{prefix}.{name}", "must-be-empty", f"{name} moet leeg zijn bij afleidingswijze {wijze}."
                )
            )

    must("datumkenmerk", brondatum.datumkenmerk, wijze in AFLEIDING_MET_DATUMKENMERK)  # ztc-004
    if wijze in ("afgehandeld", "termijn") and brondatum.einddatumBekend:  # ztc-005
        errors.append(
            InvalidParam(
                f"{prefix}.einddatumBekend",
                "must-be-empty",
                f"einddatumBekend moet leeg zijn bij afleidingswijze {wijze}.",
            )
        )
    must("objecttype", brondatum.objecttype, wijze in AFLEIDING_MET_OBJECTTYPE)  # ztc-006
    must("registratie", brondatum.registratie, wijze == "ander_datumkenmerk")  # ztc-007
    must("procestermijn", brondatum.procestermijn, wijze == "termijn")  # ztc-008
    return errors
