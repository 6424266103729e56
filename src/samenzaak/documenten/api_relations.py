"""Routes for gebruiksrechten, objectinformatieobjecten and verzendingen."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel
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


# -- create, read, update and delete: the same thin shape for each relation resource ----------


Updater = Callable[[AsyncSession, Auth, UrlBuilder, uuid.UUID, Any], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class RelationResource:
    """What differs between the relation resources' single-object routes."""

    path: str  # "/gebruiksrechten"
    name: str  # the spec's operation prefix: gebruiksrechten_create, …
    request: type[BaseModel]
    create: Callable[[AsyncSession, Auth, UrlBuilder, Any], Awaitable[dict[str, Any]]]
    read: Callable[[AsyncSession, Auth, UrlBuilder, uuid.UUID], Awaitable[dict[str, Any]]]
    destroy: Callable[[AsyncSession, Auth, UrlBuilder, uuid.UUID], Awaitable[None]]
    patch_request: type[BaseModel] | None = None  # None: no PUT/PATCH in the spec
    update: Updater | None = None


def add_relation_routes(resource: RelationResource) -> None:
    tags: list[str | Enum] = [resource.path.strip("/")]
    detail, name = resource.path + "/{uuid}", resource.name

    async def create(request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
        auth.require(COMPONENT, service.AANMAKEN)
        data = await read_json(request, resource.request, JSON_LIMIT)
        body = await resource.create(session, auth, urls, data)
        return JSON(body, status_code=201, headers={"Location": body["url"]})

    async def retrieve(
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
        body = await resource.read(session, auth, urls, uuid)
        await _expand(session, auth, urls, [body], paths)
        return detail_response(request, body)

    async def destroy(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
        auth.require(COMPONENT, service.VERWIJDEREN)
        await resource.destroy(session, auth, urls, uuid)
        return Response(status_code=204)

    router.add_api_route(
        resource.path, create, methods=["POST"], status_code=201, tags=tags, name=f"{name}_create"
    )
    router.add_api_route(detail, retrieve, methods=["GET", "HEAD"], tags=tags, name=f"{name}_retrieve")
    if resource.update is not None and resource.patch_request is not None:
        update, patch_request = resource.update, resource.patch_request

        def updater(schema: type[BaseModel]) -> Callable[..., Awaitable[JSON]]:
            async def change(
                request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
            ) -> JSON:
                auth.require(COMPONENT, service.BIJWERKEN)
                data = await read_json(request, schema, JSON_LIMIT)
                return JSON(await update(session, auth, urls, uuid, data))

            return change

        router.add_api_route(
            detail, updater(resource.request), methods=["PUT"], tags=tags, name=f"{name}_update"
        )
        router.add_api_route(
            detail,
            updater(patch_request),
            methods=["PATCH"],
            tags=tags,
            name=f"{name}_partial_update",
        )
    router.add_api_route(
        detail, destroy, methods=["DELETE"], status_code=204, tags=tags, name=f"{name}_destroy"
    )


async def _read_gebruiksrechten(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID
) -> dict[str, Any]:
    g, _ = await relations.get_gebruiksrechten(session, auth, pk, service.LEZEN)
    return relations.gebruiksrechten_to_dict(g, urls)


async def _read_oio(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> dict[str, Any]:
    return service.oio_to_dict(await relations.get_oio(session, auth, pk, service.LEZEN), urls)


async def _read_verzending(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID
) -> dict[str, Any]:
    z, _ = await relations.get_verzending(session, auth, pk, service.LEZEN)
    return relations.verzending_to_dict(z, urls)


for _resource in (
    RelationResource(
        "/gebruiksrechten",
        "gebruiksrechten",
        GebruiksrechtenRequest,
        relations.create_gebruiksrechten,
        _read_gebruiksrechten,
        relations.destroy_gebruiksrechten,
        PatchedGebruiksrechtenRequest,
        relations.update_gebruiksrechten,
    ),
    RelationResource(
        "/objectinformatieobjecten",
        "objectinformatieobject",
        ObjectInformatieObjectRequest,
        relations.create_oio,
        _read_oio,
        relations.destroy_oio,
    ),
    RelationResource(
        "/verzendingen",
        "verzending",
        VerzendingRequest,
        relations.create_verzending,
        _read_verzending,
        relations.destroy_verzending,
        PatchedVerzendingRequest,
        relations.update_verzending,
    ),
):
    add_relation_routes(_resource)
