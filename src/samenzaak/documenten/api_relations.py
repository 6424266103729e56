"""Routes for gebruiksrechten, objectinformatieobjecten and verzendingen."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from samenzaak.common.auth import Auth
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import NotFound, field_error
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of
from samenzaak.documenten import relations, service
from samenzaak.documenten.models import (
    Document,
    DocumentVersie,
    Gebruiksrechten,
    ObjectInformatieObject,
    Verzending,
)
from samenzaak.documenten.schemas import (
    GebruiksrechtenRequest,
    ObjectInformatieObjectRequest,
    PatchedGebruiksrechtenRequest,
    PatchedVerzendingRequest,
    VerzendingRequest,
)
from samenzaak.documenten.service import COMPONENT
from samenzaak.documenten.web import detail_response, read_json

router = APIRouter()
JSON_LIMIT = 1024 * 1024


def _readable(stmt: Select[Any], document_uuid: Any, auth: Auth) -> Select[Any]:
    """Limit rows hanging off a document to documents the caller may read (one join)."""
    return (
        stmt.join(Document, Document.uuid == document_uuid)
        .join(
            DocumentVersie,
            (DocumentVersie.document_uuid == Document.uuid) & (DocumentVersie.versie == Document.versie),
        )
        .where(service.read_filter(auth))
    )


def _document_filter(urls: UrlBuilder, column: Any, url: str | None) -> ColumnElement[bool] | None:
    if url is None:
        return None
    pk = urls.local_uuid(url, service.API, service.RESOURCE)
    clause: ColumnElement[bool] = column == pk if pk is not None else column.is_(None)
    return clause


def _expand_paths(expand: str | None) -> set[str]:
    return {e.strip() for e in (expand or "").split(",") if e.strip()}


def _check_expand(paths: set[str], *, detail: bool) -> None:
    """drc-013: only ``informatieobject`` (and ``informatieobject.informatieobjecttype``)."""
    unknown = paths - {"informatieobject", "informatieobject.informatieobjecttype"}
    if unknown:
        message = f"Onbekende expand: {', '.join(sorted(unknown))}."
        if detail:
            raise NotFound(message)
        raise field_error("expand", "invalid-expand", message)


async def _expand(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, bodies: list[dict[str, Any]], paths: set[str]
) -> None:
    """``_expand.informatieobject`` for the documents the caller may read, in two queries
    (documents, their parts) plus one per distinct informatieobjecttype when nested."""
    if not paths:
        return
    pks = {urls.local_uuid(b["informatieobject"], service.API, service.RESOURCE) for b in bodies}
    wanted = [pk for pk in pks if pk is not None]
    rows = (
        await session.execute(service.latest().where(Document.uuid.in_(wanted), service.read_filter(auth)))
    ).all()
    parts = await service.parts_of(session, [doc.uuid for doc, _ in rows])
    docs = {
        service.document_url(urls, doc.uuid): service.to_dict(doc, v, parts[doc.uuid], urls)
        for doc, v in rows
    }
    nested = {p.split(".", 1)[1] for p in paths if "." in p}
    await service.expand_informatieobjecttype(session, urls, list(docs.values()), nested)
    for body in bodies:
        found = docs.get(body["informatieobject"])
        body["_expand"] = {"informatieobject": found} if found is not None else {}


# -- gebruiksrechten ---------------------------------------------------------------------------


def _parse_dt(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise field_error(name, "invalid", "Ongeldige datum/tijd.") from exc
    if parsed.tzinfo is None:
        from datetime import UTC

        parsed = parsed.replace(tzinfo=UTC)
    return parsed


@router.get("/gebruiksrechten", tags=["gebruiksrechten"])
async def gebruiksrechten_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    informatieobject: str | None = None,
    expand: str | None = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=False)
    stmt = _readable(select(Gebruiksrechten), Gebruiksrechten.document_uuid, auth)
    clause = _document_filter(urls, Gebruiksrechten.document_uuid, informatieobject)
    if clause is not None:
        stmt = stmt.where(clause)
    params = request.query_params
    for field, column in (
        ("startdatum", Gebruiksrechten.startdatum),
        ("einddatum", Gebruiksrechten.einddatum),
    ):
        for op in ("lt", "lte", "gt", "gte"):
            value = _parse_dt(f"{field}__{op}", params.get(f"{field}__{op}"))
            if value is None:
                continue
            stmt = stmt.where(
                {"lt": column < value, "lte": column <= value, "gt": column > value, "gte": column >= value}[
                    op
                ]
            )
    rows = await session.scalars(stmt.order_by(Gebruiksrechten.startdatum, Gebruiksrechten.uuid))
    bodies = [relations.gebruiksrechten_to_dict(g, urls) for g in rows]
    await _expand(session, auth, urls, bodies, paths)
    return JSON(bodies)


@router.post("/gebruiksrechten", status_code=201, tags=["gebruiksrechten"])
async def gebruiksrechten_create(request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = await read_json(request, GebruiksrechtenRequest, JSON_LIMIT)
    body = await relations.create_gebruiksrechten(session, auth, urls, data)
    return JSON(body, status_code=201, headers={"Location": body["url"]})


@router.api_route("/gebruiksrechten/{uuid}", methods=["GET", "HEAD"], tags=["gebruiksrechten"])
async def gebruiksrechten_retrieve(
    request: Request,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand: str | None = None,
) -> Response:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=True)
    g, _ = await relations.get_gebruiksrechten(session, auth, uuid, service.LEZEN)
    body = relations.gebruiksrechten_to_dict(g, urls)
    await _expand(session, auth, urls, [body], paths)
    return detail_response(request, body)


@router.put("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrechten_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, GebruiksrechtenRequest, JSON_LIMIT)
    return JSON(await relations.update_gebruiksrechten(session, auth, urls, uuid, data))


@router.patch("/gebruiksrechten/{uuid}", tags=["gebruiksrechten"])
async def gebruiksrechten_partial_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, PatchedGebruiksrechtenRequest, JSON_LIMIT)
    return JSON(await relations.update_gebruiksrechten(session, auth, urls, uuid, data))


@router.delete("/gebruiksrechten/{uuid}", status_code=204, tags=["gebruiksrechten"])
async def gebruiksrechten_destroy(
    uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await relations.destroy_gebruiksrechten(session, auth, urls, uuid)
    return Response(status_code=204)


# -- objectinformatieobjecten ------------------------------------------------------------------


@router.get("/objectinformatieobjecten", tags=["objectinformatieobjecten"])
async def objectinformatieobject_list(
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    object: str | None = None,
    informatieobject: str | None = None,
    expand: str | None = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=False)
    stmt = _readable(select(ObjectInformatieObject), ObjectInformatieObject.document_uuid, auth)
    if object is not None:
        stmt = stmt.where(ObjectInformatieObject.object == object)
    clause = _document_filter(urls, ObjectInformatieObject.document_uuid, informatieobject)
    if clause is not None:
        stmt = stmt.where(clause)
    rows = await session.scalars(stmt.order_by(ObjectInformatieObject.object, ObjectInformatieObject.uuid))
    bodies = [service.oio_to_dict(o, urls) for o in rows]
    await _expand(session, auth, urls, bodies, paths)
    return JSON(bodies)


@router.post("/objectinformatieobjecten", status_code=201, tags=["objectinformatieobjecten"])
async def objectinformatieobject_create(
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = await read_json(request, ObjectInformatieObjectRequest, JSON_LIMIT)
    body = await relations.create_oio(session, auth, urls, data)
    return JSON(body, status_code=201, headers={"Location": body["url"]})


@router.api_route(
    "/objectinformatieobjecten/{uuid}", methods=["GET", "HEAD"], tags=["objectinformatieobjecten"]
)
async def objectinformatieobject_retrieve(
    request: Request,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand: str | None = None,
) -> Response:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=True)
    oio = await relations.get_oio(session, auth, uuid, service.LEZEN)
    body = service.oio_to_dict(oio, urls)
    await _expand(session, auth, urls, [body], paths)
    return detail_response(request, body)


@router.delete("/objectinformatieobjecten/{uuid}", status_code=204, tags=["objectinformatieobjecten"])
async def objectinformatieobject_destroy(
    uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await relations.destroy_oio(session, auth, urls, uuid)
    return Response(status_code=204)


# -- verzendingen ------------------------------------------------------------------------------


@router.get("/verzendingen", tags=["verzendingen"])
async def verzending_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    aardRelatie: str | None = None,
    informatieobject: str | None = None,
    betrokkene: str | None = None,
    expand: str | None = None,
    page: int = 1,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=False)
    stmt = _readable(select(Verzending), Verzending.document_uuid, auth)
    if aardRelatie:
        stmt = stmt.where(Verzending.aard_relatie == aardRelatie)
    if betrokkene:
        stmt = stmt.where(Verzending.betrokkene == betrokkene)
    clause = _document_filter(urls, Verzending.document_uuid, informatieobject)
    if clause is not None:
        stmt = stmt.where(clause)
    result = await paginate(
        session,
        stmt.order_by(Verzending.uuid),
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
    )
    bodies = [relations.verzending_to_dict(z, urls) for z in result.items]
    await _expand(session, auth, urls, bodies, paths)
    return JSON(result.body(bodies))


@router.post("/verzendingen", status_code=201, tags=["verzendingen"])
async def verzending_create(request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = await read_json(request, VerzendingRequest, JSON_LIMIT)
    body = await relations.create_verzending(session, auth, urls, data)
    return JSON(body, status_code=201, headers={"Location": body["url"]})


@router.api_route("/verzendingen/{uuid}", methods=["GET", "HEAD"], tags=["verzendingen"])
async def verzending_retrieve(
    request: Request,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand: str | None = None,
) -> Response:
    auth.require(COMPONENT, service.LEZEN)
    paths = _expand_paths(expand)
    _check_expand(paths, detail=True)
    z, _ = await relations.get_verzending(session, auth, uuid, service.LEZEN)
    body = relations.verzending_to_dict(z, urls)
    await _expand(session, auth, urls, [body], paths)
    return detail_response(request, body)


@router.put("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, VerzendingRequest, JSON_LIMIT)
    return JSON(await relations.update_verzending(session, auth, urls, uuid, data))


@router.patch("/verzendingen/{uuid}", tags=["verzendingen"])
async def verzending_partial_update(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    data = await read_json(request, PatchedVerzendingRequest, JSON_LIMIT)
    return JSON(await relations.update_verzending(session, auth, urls, uuid, data))


@router.delete("/verzendingen/{uuid}", status_code=204, tags=["verzendingen"])
async def verzending_destroy(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await relations.destroy_verzending(session, auth, urls, uuid)
    return Response(status_code=204)
