"""Routes of the Documenten API 1.7.0 (``/documenten/api/v1``): documents, their content,
versions, locks and audit trail. Gebruiksrechten, objectinformatieobjecten and verzendingen
are in ``api_relations.py``."""

from __future__ import annotations

import typing
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import quote

import orjson
from fastapi import APIRouter, Request
from sqlalchemy import Select, String, and_, cast, or_, select
from starlette.responses import Response, StreamingResponse

from samenzaak.common.audit import AuditTrail, audit_to_dict
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import NotFound, field_error
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of
from samenzaak.documenten import service, uploads
from samenzaak.documenten.api_relations import router as relations_router
from samenzaak.documenten.models import Document, DocumentVersie, ObjectInformatieObject
from samenzaak.documenten.schemas import (
    EIOZoekRequest,
    EnkelvoudigInformatieObjectCreateLockRequest,
    EnkelvoudigInformatieObjectWithLockRequest,
    PatchedEnkelvoudigInformatieObjectWithLockRequest,
    UnlockEnkelvoudigInformatieObjectRequest,
)
from samenzaak.documenten.service import COMPONENT
from samenzaak.documenten.web import StorageDep, detail_response, parse_model, read_json, read_part_upload

router = APIRouter(tags=["enkelvoudiginformatieobjecten"])
EIO = "/enkelvoudiginformatieobjecten"
EXPANDABLE = {"informatieobjecttype"}


def _expand_fields(expand: str | None) -> set[str]:
    wanted = {e.strip().split(".")[0] for e in (expand or "").split(",") if e.strip()}
    return wanted


async def _list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlBuilder,
    *,
    page: int,
    uuids: list[uuid.UUID] | None = None,
    identificatie: str | None = None,
    bronorganisatie: str | None = None,
    oio_object: str | None = None,
    oio_object_type: str | None = None,
    trefwoorden: list[str] | None = None,
    expand: str | None = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    wanted = _expand_fields(expand)
    if wanted - EXPANDABLE:
        raise field_error(
            "expand", "invalid-expand", f"Onbekende expand: {', '.join(sorted(wanted - EXPANDABLE))}."
        )
    stmt = service.latest().where(service.read_filter(auth))
    if uuids is not None:
        stmt = stmt.where(Document.uuid.in_(uuids))
    if identificatie:
        stmt = stmt.where(DocumentVersie.identificatie == identificatie)
    if bronorganisatie:
        stmt = stmt.where(DocumentVersie.bronorganisatie == bronorganisatie)
    if oio_object or oio_object_type:
        sub = select(ObjectInformatieObject.document_uuid)
        if oio_object:
            sub = sub.where(ObjectInformatieObject.object == oio_object)
        if oio_object_type:
            sub = sub.where(ObjectInformatieObject.object_type == oio_object_type)
        stmt = stmt.where(Document.uuid.in_(sub))
    if trefwoorden:
        # Overlap: any of the words. Matching the quoted word in the JSON text works on both
        # SQLite (JSON text) and PostgreSQL (jsonb::text) without a per-database operator.
        as_text = cast(DocumentVersie.trefwoorden, String)
        stmt = stmt.where(or_(*(as_text.contains(orjson.dumps(word).decode()) for word in trefwoorden)))
    result = await paginate(
        session,
        typing.cast("Select[Any]", stmt.order_by(DocumentVersie.identificatie, Document.uuid)),
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
        scalars=False,
    )
    rows = list(result.items)
    parts = await service.parts_of(session, [doc.uuid for doc, _ in rows])
    bodies = [service.to_dict(doc, v, parts[doc.uuid], urls) for doc, v in rows]
    await service.expand_informatieobjecttype(session, urls, bodies, wanted)
    return JSON(result.body(bodies))


@router.get(EIO)
async def enkelvoudiginformatieobject_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    identificatie: str | None = None,
    bronorganisatie: str | None = None,
    objectinformatieobjecten_object: str | None = None,
    objectinformatieobjecten_objectType: str | None = None,
    trefwoorden: str | None = None,
    expand: str | None = None,
    page: int = 1,
) -> JSON:
    return await _list(
        request,
        session,
        auth,
        urls,
        page=page,
        identificatie=identificatie,
        bronorganisatie=bronorganisatie,
        oio_object=objectinformatieobjecten_object,
        oio_object_type=objectinformatieobjecten_objectType,
        trefwoorden=[t for t in (trefwoorden or "").split(",") if t] or None,
        expand=expand,
    )


@router.post(f"{EIO}/_zoek")
async def enkelvoudiginformatieobject__zoek(
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep, page: int = 1
) -> JSON:
    body = await read_json(request, EIOZoekRequest, limit=1024 * 1024)
    try:
        uuids = [uuid.UUID(u) for u in body.uuid__in]
    except ValueError as exc:
        raise field_error("uuid__in", "invalid", "Ongeldige uuid.") from exc
    return await _list(
        request,
        session,
        auth,
        urls,
        page=page,
        uuids=uuids,
        identificatie=body.identificatie,
        bronorganisatie=body.bronorganisatie,
        expand=body.expand,
    )


@router.post(EIO, status_code=201)
async def enkelvoudiginformatieobject_create(
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = await read_json(request, EnkelvoudigInformatieObjectCreateLockRequest)
    body, lock = await service.create(session, auth, urls, storage, settings_of(request), data)
    return JSON(body | {"lock": lock}, status_code=201, headers={"Location": body["url"]})


def _registratie_op(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise NotFound("Ongeldige registratieOp.") from exc
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@router.api_route(f"{EIO}/{{uuid}}", methods=["GET", "HEAD"])
async def enkelvoudiginformatieobject_retrieve(
    request: Request,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    versie: int | None = None,
    registratieOp: str | None = None,
    expand: str | None = None,
) -> Response:
    auth.require(COMPONENT, service.LEZEN)
    wanted = _expand_fields(expand)
    if wanted - EXPANDABLE:
        raise NotFound(f"Onbekende expand: {', '.join(sorted(wanted - EXPANDABLE))}.")
    doc, v = await service.get_version(
        session, uuid, versie=versie, registratie_op=_registratie_op(registratieOp)
    )
    service.require(auth, service.LEZEN, v)
    parts = (await service.parts_of(session, [doc.uuid]))[doc.uuid] if v.versie == doc.versie else []
    body = service.to_dict(doc, v, parts, urls)
    await service.expand_informatieobjecttype(session, urls, [body], wanted)
    return detail_response(request, body)


@router.put(f"{EIO}/{{uuid}}")
async def enkelvoudiginformatieobject_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, EnkelvoudigInformatieObjectWithLockRequest)
    return JSON(await service.update(session, auth, urls, storage, settings_of(request), uuid, data))


@router.patch(f"{EIO}/{{uuid}}")
async def enkelvoudiginformatieobject_partial_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, PatchedEnkelvoudigInformatieObjectWithLockRequest)
    return JSON(await service.update(session, auth, urls, storage, settings_of(request), uuid, data))


@router.delete(f"{EIO}/{{uuid}}", status_code=204)
async def enkelvoudiginformatieobject_destroy(
    uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> Response:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await service.destroy(session, auth, urls, storage, uuid)
    return Response(status_code=204)


@router.get(f"{EIO}/{{uuid}}/download")
async def enkelvoudiginformatieobject_download(
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    storage: StorageDep,
    versie: int | None = None,
    registratieOp: str | None = None,
) -> Response:
    """The content, streamed from the storage in chunks with its length."""
    auth.require(COMPONENT, service.LEZEN)
    target = await service.download_target(
        session, auth, uuid, versie=versie, registratie_op=_registratie_op(registratieOp)
    )
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(target.bestandsnaam)}"}
    if not target.key:
        return Response(b"", media_type="application/octet-stream", headers=headers)
    headers["Content-Length"] = str(await storage.size(target.key))
    return StreamingResponse(storage.read(target.key), media_type="application/octet-stream", headers=headers)


@router.post(f"{EIO}/{{uuid}}/lock")
async def enkelvoudiginformatieobject_lock(uuid: uuid.UUID, session: SessionDep, auth: AuthDep) -> JSON:
    auth.require(COMPONENT, service.LOCK)
    return JSON({"lock": await service.lock(session, auth, uuid)})


@router.post(f"{EIO}/{{uuid}}/unlock", status_code=204)
async def enkelvoudiginformatieobject_unlock(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> Response:
    auth.require(COMPONENT, service.LOCK)
    # An empty body (a forced unlock) is allowed, whatever the Content-Type says.
    data = parse_model(UnlockEnkelvoudigInformatieObjectRequest, await request.body())
    await service.unlock(session, auth, urls, storage, uuid, data.lock)
    return Response(status_code=204)


@router.get(f"{EIO}/{{enkelvoudiginformatieobject_uuid}}/audittrail")
async def audittrail_list(
    enkelvoudiginformatieobject_uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    _, v = await service.latest_version(session, enkelvoudiginformatieobject_uuid)
    service.require(auth, service.LEZEN, v)
    url = service.document_url(urls, enkelvoudiginformatieobject_uuid)
    records = await session.scalars(
        select(AuditTrail).where(AuditTrail.hoofd_object == url).order_by(AuditTrail.aanmaakdatum)
    )
    base = f"{url}/audittrail"
    return JSON([_audit(r, f"{base}/{r.uuid}") for r in records])


@router.get(f"{EIO}/{{enkelvoudiginformatieobject_uuid}}/audittrail/{{uuid}}")
async def audittrail_retrieve(
    enkelvoudiginformatieobject_uuid: uuid.UUID,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    _, v = await service.latest_version(session, enkelvoudiginformatieobject_uuid)
    service.require(auth, service.LEZEN, v)
    url = service.document_url(urls, enkelvoudiginformatieobject_uuid)
    record = await session.scalar(
        select(AuditTrail).where(and_(AuditTrail.hoofd_object == url, AuditTrail.uuid == uuid))
    )
    if record is None:
        raise NotFound("Audittrail niet gevonden.")
    return JSON(_audit(record, f"{url}/audittrail/{record.uuid}"))


def _audit(record: AuditTrail, url: str) -> dict[str, Any]:
    # The spec's Wijzigingen has non-nullable objects: no "before" of a create is {}.
    body = audit_to_dict(record, url)
    body["wijzigingen"] = {k: v if v is not None else {} for k, v in body["wijzigingen"].items()}
    return body


@router.put("/bestandsdelen/{uuid}", tags=["bestandsdelen"])
async def bestandsdeel_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep, storage: StorageDep
) -> JSON:
    """One part of an upload in parts, streamed into the storage as it arrives."""
    # Parts are sent by whoever created (aanmaken) or changes (bijwerken) the document.
    if not (auth.has_scope(COMPONENT, service.AANMAKEN) or auth.has_scope(COMPONENT, service.BIJWERKEN)):
        auth.require(COMPONENT, service.BIJWERKEN)
    await uploads.check_part_upload(session, auth, uuid)
    stored, fields = await read_part_upload(request, storage)
    return JSON(await uploads.save_part(session, urls, storage, uuid, stored, fields.get("lock", "")))


router.include_router(relations_router)
