"""The rules of the Besluiten API for besluiten (brc-001, brc-002, brc-006, brc-007, brc-009).

Besluitinformatieobjecten live in ``bio_service``; the cross-API relations in ``relations``.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten import identificatie, references, relations
from samenzaak.besluiten.models import Besluit, BesluitInformatieObject
from samenzaak.besluiten.schemas import VERVALREDEN_WEERGAVE, PatchedBesluit
from samenzaak.besluiten.schemas import Besluit as BesluitIn
from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.notifications import OutboxMessage
from samenzaak.common.problems import InvalidParam, NotFound, PermissionDenied, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import rsin_problem
from samenzaak.db import utcnow
from samenzaak.zaken import access as zaken_access

API = "besluiten"
COMPONENT = "brc"
KANAAL = "besluiten"
# The spec's AuditTrail.bron enum is the lower-case component code.
BRON = "brc"

LEZEN = "besluiten.lezen"
AANMAKEN = "besluiten.aanmaken"
BIJWERKEN = "besluiten.bijwerken"
VERWIJDEREN = "besluiten.verwijderen"
AUDITTRAILS_LEZEN = "audittrails.lezen"

IMMUTABLE = {
    "identificatie": "identificatie",
    "verantwoordelijkeOrganisatie": "verantwoordelijke_organisatie",
    "besluittype": "besluittype",
    "zaak": "zaak",
}
# Request field -> column, for the fields a client may change.
FIELDS = {
    "datum": "datum",
    "toelichting": "toelichting",
    "bestuursorgaan": "bestuursorgaan",
    "ingangsdatum": "ingangsdatum",
    "vervaldatum": "vervaldatum",
    "vervalreden": "vervalreden",
    "publicatiedatum": "publicatiedatum",
    "verzenddatum": "verzenddatum",
    "uiterlijkeReactiedatum": "uiterlijke_reactiedatum",
}


def besluit_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(API, "besluiten", pk)


def _d(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def to_dict(b: Besluit, urls: UrlBuilder) -> dict[str, Any]:
    body: dict[str, Any] = {
        "url": besluit_url(urls, b.uuid),
        "identificatie": b.identificatie,
        "verantwoordelijkeOrganisatie": b.verantwoordelijke_organisatie,
        "besluittype": b.besluittype,
        "zaak": b.zaak,
        "datum": b.datum.isoformat(),
        "toelichting": b.toelichting,
        "bestuursorgaan": b.bestuursorgaan,
        "ingangsdatum": b.ingangsdatum.isoformat(),
        "vervaldatum": _d(b.vervaldatum),
    }
    # The spec's enum has no empty value and vervalredenWeergave has minLength 1: both are
    # left out while the besluit has no vervalreden.
    if b.vervalreden:
        body["vervalreden"] = b.vervalreden
        body["vervalredenWeergave"] = VERVALREDEN_WEERGAVE[b.vervalreden]
    body["publicatiedatum"] = _d(b.publicatiedatum)
    body["verzenddatum"] = _d(b.verzenddatum)
    body["uiterlijkeReactiedatum"] = _d(b.uiterlijke_reactiedatum)
    return body


def kenmerken(b: Besluit) -> dict[str, str]:
    return {"verantwoordelijkeOrganisatie": b.verantwoordelijke_organisatie, "besluittype": b.besluittype}


def may(auth: Auth, scope: str, b: Besluit) -> bool:
    """Besluiten are authorised per besluittype; they carry no vertrouwelijkheidaanduiding."""
    return auth.allows(COMPONENT, scope, b.besluittype)


def require(auth: Auth, scope: str, b: Besluit) -> None:
    if not may(auth, scope, b):
        raise PermissionDenied(f"The client {auth.client_id!r} may not use {scope!r} on this besluit.")


def read_filter(auth: Auth, scope: str = LEZEN) -> Any:
    return auth.sql_filter(COMPONENT, scope, lambda types: Besluit.besluittype.in_(types))


async def get(session: AsyncSession, pk: uuid.UUID) -> Besluit:
    b = await session.scalar(select(Besluit).where(Besluit.uuid == pk))
    if b is None:
        raise NotFound("Besluit niet gevonden.")
    return b


async def besluit_of_url(
    session: AsyncSession, urls: UrlBuilder, url: str, name: str = "besluit"
) -> tuple[Besluit | None, InvalidParam | None]:
    pk = urls.local_uuid(url, API, "besluiten")
    if pk is None:
        return None, InvalidParam(name, "no_match", "Ongeldige hyperlink - Geen URL match.")
    b = await session.scalar(select(Besluit).where(Besluit.uuid == pk))
    if b is None:
        return None, InvalidParam(name, "does_not_exist", "Ongeldige hyperlink - Object bestaat niet.")
    return b, None


# -- validation --------------------------------------------------------------------------------


def check_dates(data: BesluitIn, today: date) -> list[InvalidParam]:
    """datum in the past or today (besluit_create); a werkingsperiode that does not end before
    it starts; a vervalreden only for a besluit that vervalt (has a vervaldatum)."""
    errors: list[InvalidParam] = []
    if data.datum > today:
        errors.append(
            InvalidParam("datum", "future-not-allowed", "De beslisdatum mag niet in de toekomst liggen.")
        )
    if data.vervaldatum is not None and data.vervaldatum < data.ingangsdatum:
        errors.append(
            InvalidParam(
                "vervaldatum", "vervaldatum-voor-ingangsdatum", "De vervaldatum ligt vóór de ingangsdatum."
            )
        )
    if data.vervalreden and data.vervaldatum is None:
        errors.append(InvalidParam("vervaldatum", "required", "Een vervalreden vereist een vervaldatum."))
    return errors


def check_besluittype(bt: references.BesluitTypeRef) -> list[InvalidParam]:
    """brc-001: the besluittype must be published. Its geldigheid is not compared with the
    beslisdatum: besluit_create lists no such rule, and VNG's suite (zrc-021h) records
    besluiten dated years before the besluittype's beginGeldigheid."""
    if bt.concept:
        return [InvalidParam("besluittype", "not-published", "Het besluittype is nog niet gepubliceerd.")]
    return []


async def check_zaak(
    session: AsyncSession, urls: UrlBuilder, zaak_url: str, bt: references.BesluitTypeRef | None
) -> tuple[references.ZaakRef | None, list[InvalidParam]]:
    zaak, error = await references.resolve_zaak(session, urls, zaak_url)
    if error is not None or zaak is None:
        return None, [error] if error else []
    if bt is not None and not await references.zaaktype_allows_besluittype(session, urls, zaak.zaaktype, bt):
        return zaak, [
            InvalidParam(
                "nonFieldErrors",
                "zaaktype-mismatch",
                "Het besluittype van het besluit hoort niet bij het zaaktype van de zaak.",
            )
        ]
    return zaak, []


# -- writes ------------------------------------------------------------------------------------


def _record(
    session: AsyncSession, auth: Auth, actie: str, body: dict[str, Any], b: Besluit, oud: Any, nieuw: Any
) -> None:
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=KANAAL,
        actie=actie,
        resource="besluit",
        resource_url=body["url"],
        hoofd_object=body["url"],
        oud=oud,
        nieuw=nieuw,
        kenmerken=kenmerken(b),
        resource_weergave=b.identificatie,
        # brc-009: the audit trail goes with the besluit, so a destroy leaves none behind.
        audit=actie != "destroy",
    )


def _not_unique() -> ValidationProblem:
    return ValidationProblem(
        [
            InvalidParam(
                "identificatie",
                "identificatie-niet-uniek",
                "Deze identificatie bestaat al voor deze verantwoordelijke organisatie.",
            )
        ]
    )


async def create(session: AsyncSession, auth: Auth, urls: UrlBuilder, data: BesluitIn) -> Besluit:
    if not auth.allows(COMPONENT, AANMAKEN, data.besluittype):
        raise PermissionDenied(f"The client {auth.client_id!r} may not create besluiten of this besluittype.")
    today = utcnow().date()
    errors: list[InvalidParam] = []
    problem = rsin_problem(data.verantwoordelijkeOrganisatie)
    if problem is not None:
        errors.append(InvalidParam("verantwoordelijkeOrganisatie", *problem))
    bt, error = await references.resolve_besluittype(session, urls, data.besluittype)
    if error is not None:
        errors.append(error)
    elif bt is not None:
        errors += check_besluittype(bt)
    errors += check_dates(data, today)
    zaak: references.ZaakRef | None = None
    if data.zaak:
        zaak, zaak_errors = await check_zaak(session, urls, data.zaak, bt if error is None else None)
        errors += zaak_errors
    if data.identificatie and await identificatie.is_taken(
        session, data.verantwoordelijkeOrganisatie, data.identificatie
    ):
        errors.append(_not_unique().invalid_params[0])
    if errors:
        raise ValidationProblem(errors)
    if zaak is not None and zaak.zaak is not None:
        # The zaakbesluit changes the zaak: a closed zaak takes it only with geforceerd-bijwerken (zrc-007).
        zaken_access.check_open_or_forced(auth, urls, zaak.zaak)

    b = Besluit(
        uuid=uuid.uuid4(),
        identificatie=data.identificatie
        or await identificatie.generate(session, data.verantwoordelijkeOrganisatie, today),
        verantwoordelijke_organisatie=data.verantwoordelijkeOrganisatie,
        besluittype=data.besluittype,
        zaak=data.zaak or "",
    )
    _apply(b, data, FIELDS)
    session.add(b)
    try:
        await session.flush()
    except IntegrityError as exc:
        # A concurrent create took the same identificatie between our check and insert.
        raise _not_unique() from exc
    body = to_dict(b, urls)
    if zaak is not None and zaak.zaak is not None:
        await relations.link_local_zaak(session, auth, urls, zaak.zaak, body["url"])
    _record(session, auth, "create", body, b, None, body)
    await session.commit()
    if zaak is not None and zaak.zaak is None:
        sync_error = await relations.link_remote_zaak(zaak.url, body["url"])
        if sync_error is not None:
            await compensate_create(session, body["url"], Besluit, b.uuid)
            raise ValidationProblem([sync_error])
    return b


def _apply(
    b: Besluit, data: BesluitIn | PatchedBesluit, fields: dict[str, str], given: set[str] | None = None
) -> None:
    for name, column in fields.items():
        if given is not None and name not in given:
            continue
        value = getattr(data, name)
        if value is None and name in ("toelichting", "bestuursorgaan", "vervalreden"):
            value = ""
        setattr(b, column, value)


def _merged(b: Besluit, data: BesluitIn | PatchedBesluit) -> BesluitIn:
    """The besluit as it would be after the write, for the rules that look at the whole."""
    current = {
        "identificatie": b.identificatie,
        "verantwoordelijkeOrganisatie": b.verantwoordelijke_organisatie,
        "besluittype": b.besluittype,
        "zaak": b.zaak,
        "datum": b.datum,
        "toelichting": b.toelichting,
        "bestuursorgaan": b.bestuursorgaan,
        "ingangsdatum": b.ingangsdatum,
        "vervaldatum": b.vervaldatum,
        "vervalreden": b.vervalreden,
        "publicatiedatum": b.publicatiedatum,
        "verzenddatum": b.verzenddatum,
        "uiterlijkeReactiedatum": b.uiterlijke_reactiedatum,
    }
    given = data.model_dump(include=set(FIELDS) & data.model_fields_set)
    if isinstance(data, BesluitIn):
        # A full update replaces every changeable field, absent ones by their default.
        given = data.model_dump(include=set(FIELDS))
    for name in ("toelichting", "bestuursorgaan", "vervalreden"):
        if given.get(name, "") is None:
            given[name] = ""
    return BesluitIn.model_validate(current | given)


def check_immutable(b: Besluit, data: BesluitIn | PatchedBesluit) -> list[InvalidParam]:
    """brc-001, brc-002, brc-006: besluittype, identificatie, verantwoordelijkeOrganisatie and
    zaak are fixed once the besluit exists."""
    errors: list[InvalidParam] = []
    for name, column in IMMUTABLE.items():
        if name not in data.model_fields_set:
            continue
        value = getattr(data, name)
        if value is None or (name == "identificatie" and value == ""):
            continue
        if value != getattr(b, column):
            errors.append(
                InvalidParam(name, "wijzigen-niet-toegelaten", f"{name} mag niet gewijzigd worden.")
            )
    return errors


async def update(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, data: BesluitIn | PatchedBesluit
) -> Besluit:
    b = await get(session, pk)
    require(auth, BIJWERKEN, b)
    errors = check_immutable(b, data)
    if errors:
        raise ValidationProblem(errors)
    merged = _merged(b, data)
    bt, error = await references.resolve_besluittype(session, urls, b.besluittype)
    errors = [error] if error is not None else check_besluittype(bt) if bt is not None else []
    errors += check_dates(merged, utcnow().date())
    if errors:
        raise ValidationProblem(errors)
    before = to_dict(b, urls)
    partial = isinstance(data, PatchedBesluit)
    _apply(b, merged, FIELDS)
    await session.flush()
    after = to_dict(b, urls)
    _record(session, auth, "partial_update" if partial else "update", after, b, before, after)
    await session.commit()
    return b


async def destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    """brc-009: the besluit goes with its besluitinformatieobjecten and audit trail; the mirrored
    zaakbesluit and objectinformatieobjecten go too."""
    b = await get(session, pk)
    require(auth, VERWIJDEREN, b)
    body = to_dict(b, urls)
    url = body["url"]
    documents = (
        await session.scalars(
            select(BesluitInformatieObject.informatieobject).where(
                BesluitInformatieObject.besluit_uuid == b.uuid
            )
        )
    ).all()
    remote_documents: list[str] = []
    for document in documents:
        document_uuid = urls.local_uuid(document, "documenten", "enkelvoudiginformatieobjecten")
        if document_uuid is not None:
            await relations.unlink_local_document(session, auth, urls, document_uuid, url)
        else:
            remote_documents.append(document)
    await session.execute(
        delete(BesluitInformatieObject).where(BesluitInformatieObject.besluit_uuid == b.uuid)
    )
    zaak_is_local = bool(b.zaak) and urls.parse(b.zaak) is not None
    if zaak_is_local:
        await relations.unlink_local_zaak(session, auth, urls, b.zaak, url)
    await session.execute(delete(AuditTrail).where(AuditTrail.hoofd_object == url))
    await session.execute(delete(Besluit).where(Besluit.uuid == b.uuid))
    _record(session, auth, "destroy", body, b, body, None)
    await session.commit()
    for document in remote_documents:
        await relations.unlink_remote_document(document, url)
    if b.zaak and not zaak_is_local:
        await relations.unlink_remote_zaak(b.zaak, url)


async def compensate_create(session: AsyncSession, url: str, model: Any, pk: uuid.UUID) -> None:
    """Undo a committed create whose remote mirror was refused: the row, its audit records and
    its (not yet dispatched) notifications go again, as if the request never happened."""
    await session.execute(delete(model).where(model.uuid == pk))
    await session.execute(delete(AuditTrail).where(AuditTrail.resource_url == url))
    await session.execute(
        delete(OutboxMessage).where(OutboxMessage.resource_url == url, OutboxMessage.dispatched_at.is_(None))
    )
    await session.commit()
