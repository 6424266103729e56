"""The rules for besluitinformatieobjecten (brc-003, brc-004, brc-005, brc-008).

A besluitinformatieobject is authorised through its besluit (the besluittype); it is
audited under its besluit and notified on kanaal ``besluiten``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, NoReturn

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten import references, relations, service
from samenzaak.besluiten.models import Besluit, BesluitInformatieObject
from samenzaak.besluiten.schemas import BesluitInformatieObject as BesluitInformatieObjectIn
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, Problem, ValidationProblem
from samenzaak.common.urls import UrlBuilder

RESOURCE = "besluitinformatieobjecten"
# brc-004: the RGBZ relation of a document to a besluit (not a field of the 1.1.0 resource).
AARD_RELATIE = "legt_vast"


def bio_url(urls: UrlBuilder, pk: uuid.UUID) -> str:
    return urls.detail(service.API, RESOURCE, pk)


def to_dict(bio: BesluitInformatieObject, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": bio_url(urls, bio.uuid),
        "informatieobject": bio.informatieobject,
        "besluit": service.besluit_url(urls, bio.besluit_uuid),
    }


async def get(session: AsyncSession, pk: uuid.UUID) -> tuple[BesluitInformatieObject, Besluit]:
    row = (
        await session.execute(
            select(BesluitInformatieObject, Besluit)
            .join(Besluit, Besluit.uuid == BesluitInformatieObject.besluit_uuid)
            .where(BesluitInformatieObject.uuid == pk)
        )
    ).first()
    if row is None:
        raise NotFound("BesluitInformatieObject niet gevonden.")
    return row[0], row[1]


async def refuse_change(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, raw: bytes
) -> NoReturn:
    """PUT/PATCH: Besluiten 1.1.0 has no update operation for besluitinformatieobjecten, so
    the answer is 405; except that a body which tries to change ``besluit`` or
    ``informatieobject`` gets the 400 VNG's suite asks (brc-004a..d, code
    ``wijzigen-niet-toegelaten``, as Open Zaak answers). See docs/conformance.md."""
    bio, b = await get(session, pk)
    service.require(auth, service.BIJWERKEN, b)
    try:
        body = json.loads(raw) if raw else None
    except ValueError:
        body = None
    current = to_dict(bio, urls)
    errors = [
        InvalidParam(field, "wijzigen-niet-toegelaten", f"{field} mag niet gewijzigd worden.")
        for field in ("besluit", "informatieobject")
        if isinstance(body, dict) and field in body and body[field] != current[field]
    ]
    if errors:
        raise ValidationProblem(errors)
    raise Problem(status=405, code="method_not_allowed", title="Method not allowed.")


def _not_unique() -> InvalidParam:
    return InvalidParam(
        "nonFieldErrors", "unique", "De velden besluit en informatieobject moeten een unieke set zijn."
    )


def _record(session: AsyncSession, auth: Auth, actie: str, body: dict[str, Any], b: Besluit) -> None:
    record_change(
        session,
        auth,
        bron=service.BRON,
        kanaal=service.KANAAL,
        actie=actie,
        resource="besluitinformatieobject",
        resource_url=body["url"],
        hoofd_object=body["besluit"],
        oud=body if actie == "destroy" else None,
        nieuw=body if actie == "create" else None,
        kenmerken=service.kenmerken(b),
        resource_weergave=f"{b.identificatie} - {body['informatieobject']}"[:200],
    )


async def create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: BesluitInformatieObjectIn
) -> BesluitInformatieObject:
    b, error = await service.besluit_of_url(session, urls, data.besluit)
    if error is not None or b is None:
        raise ValidationProblem([error] if error else [])
    service.require(auth, service.AANMAKEN, b)
    errors: list[InvalidParam] = []
    document, doc_error = await references.resolve_document(session, urls, data.informatieobject)
    if doc_error is not None:
        errors.append(doc_error)
    existing = await session.scalar(
        select(BesluitInformatieObject.uuid).where(
            BesluitInformatieObject.besluit_uuid == b.uuid,
            BesluitInformatieObject.informatieobject == data.informatieobject,
        )
    )
    if existing is not None:
        errors.append(_not_unique())
    if document is not None:
        bt, bt_error = await references.resolve_besluittype(session, urls, b.besluittype, "besluit")
        if bt_error is not None:
            errors.append(bt_error)
        elif bt is not None and not await references.besluittype_allows_informatieobjecttype(
            session, urls, bt, document.informatieobjecttype
        ):
            errors.append(
                InvalidParam(
                    "nonFieldErrors",
                    "missing-besluittype-informatieobjecttype-relation",
                    "Het informatieobjecttype van het informatieobject hoort niet bij het besluittype.",
                )
            )
    if errors or document is None:
        raise ValidationProblem(errors)

    bio = BesluitInformatieObject(
        uuid=uuid.uuid4(), besluit_uuid=b.uuid, informatieobject=data.informatieobject
    )
    session.add(bio)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise ValidationProblem([_not_unique()]) from exc
    body = to_dict(bio, urls)
    if document.document_uuid is not None:
        await relations.link_local_document(session, auth, urls, document.document_uuid, body["besluit"])
    _record(session, auth, "create", body, b)
    await session.commit()
    if document.document_uuid is None:
        sync_error = await relations.link_remote_document(document.url, body["besluit"])
        if sync_error is not None:
            await service.compensate_create(session, body["url"], BesluitInformatieObject, bio.uuid)
            raise ValidationProblem([sync_error])
    return bio


async def destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    bio, b = await get(session, pk)
    service.require(auth, service.VERWIJDEREN, b)
    body = to_dict(bio, urls)
    document_uuid = urls.local_uuid(bio.informatieobject, "documenten", "enkelvoudiginformatieobjecten")
    await session.execute(delete(BesluitInformatieObject).where(BesluitInformatieObject.uuid == bio.uuid))
    if document_uuid is not None:
        await relations.unlink_local_document(session, auth, urls, document_uuid, body["besluit"])
    _record(session, auth, "destroy", body, b)
    await session.commit()
    if document_uuid is None:
        await relations.unlink_remote_document(bio.informatieobject, body["besluit"])
