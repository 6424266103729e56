"""Routes for gebruiksrechten, objectinformatieobjecten and verzendingen."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy import ColumnElement, Select, select
from starlette.responses import Response

from samenzaak.common.auth import Auth
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import field_error
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
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep, informatieobject: str | None = None
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
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
    return JSON([relations.gebruiksrechten_to_dict(g, urls) for g in rows])


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
    g, _ = await relations.get_gebruiksrechten(session, auth, uuid, service.LEZEN)
    return detail_response(request, relations.gebruiksrechten_to_dict(g, urls))


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
    stmt = _readable(select(ObjectInformatieObject), ObjectInformatieObject.document_uuid, auth)
    if object is not None:
        stmt = stmt.where(ObjectInformatieObject.object == object)
    clause = _document_filter(urls, ObjectInformatieObject.document_uuid, informatieobject)
    if clause is not None:
        stmt = stmt.where(clause)
    rows = await session.scalars(stmt.order_by(ObjectInformatieObject.object, ObjectInformatieObject.uuid))
    return JSON([service.oio_to_dict(o, urls) for o in rows])


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
    oio = await relations.get_oio(session, auth, uuid, service.LEZEN)
    return detail_response(request, service.oio_to_dict(oio, urls))


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
    return JSON(result.body([relations.verzending_to_dict(z, urls) for z in result.items]))


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
    z, _ = await relations.get_verzending(session, auth, uuid, service.LEZEN)
    return detail_response(request, relations.verzending_to_dict(z, urls))


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
