"""Routes of the Catalogi API 1.3.3 (``/catalogi/api/v1``).

Routes parse and authorise, then call one function of ``writes`` (changes) or build a
``View`` (reads). Read access follows ztc-014: ``catalogi.lezen``, or ``zaken.lezen`` /
``documenten.lezen`` of the Zaken and Documenten APIs consulting the catalogue.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request
from sqlalchemy import Select
from starlette.responses import Response

from samenzaak.catalogi import parts, queries, writes
from samenzaak.catalogi.models import (
    BesluitType,
    Catalogus,
    Eigenschap,
    InformatieObjectType,
    ResultaatType,
    RolType,
    StatusType,
    ZaakObjectType,
    ZaakType,
    ZaakTypeInformatieObjectType,
)
from samenzaak.catalogi.rules import COMPONENT, GEFORCEERD_VERWIJDEREN, LEZEN, SCHRIJVEN
from samenzaak.catalogi.schemas import CatalogusIn, ZaakTypeIn
from samenzaak.catalogi.views import View, expand, render, render_many, today
from samenzaak.common.auth import Auth
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import NotFound
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of

router = APIRouter()
JsonBody = Annotated[dict[str, Any], Body()]


def require_read(auth: Auth) -> None:
    """ztc-014: the Zaken and Documenten APIs' read scopes also read the catalogue."""
    if auth.has_scope("zrc", "zaken.lezen") or auth.has_scope("drc", "documenten.lezen"):
        return
    auth.require(COMPONENT, LEZEN)


def require_write(auth: Auth) -> None:
    auth.require(COMPONENT, SCHRIJVEN)


def require_delete(auth: Auth) -> None:
    if not auth.has_scope(COMPONENT, GEFORCEERD_VERWIJDEREN):
        auth.require(COMPONENT, SCHRIJVEN)


def etag_of(body: dict[str, Any]) -> str:
    return (
        '"'
        + hashlib.md5(orjson.dumps(body, option=orjson.OPT_SORT_KEYS), usedforsecurity=False).hexdigest()
        + '"'
    )


def detail_response(request: Request, body: dict[str, Any], status_code: int = 200) -> Response:
    """A detail body with its ETag; 304 when the client's If-None-Match holds it (HTTP caching)."""
    etag = etag_of(body)
    if status_code == 200:
        wanted = {t.strip().removeprefix("W/") for t in request.headers.get("if-none-match", "").split(",")}
        if etag in wanted:
            return Response(status_code=304, headers={"ETag": etag})
        if request.method == "HEAD":
            return Response(status_code=200, headers={"ETag": etag, "Content-Type": "application/json"})
    headers = {"ETag": etag}
    if status_code == 201:
        headers["Location"] = body["url"]
    return JSON(body, status_code=status_code, headers=headers)


def view_for(session: Any, urls: UrlBuilder, datum: date | None = None) -> View:
    return View(session, urls, datum or today())


def expand_paths(request: Request) -> list[str]:
    return [p for value in request.query_params.getlist("expand") for p in value.split(",") if p]


def resource_of(request: Request) -> str:
    return request.url.path.rstrip("/").split("/api/v1/", 1)[1].split("/")[0]


async def page_of(
    request: Request, session: Any, urls: UrlBuilder, stmt: Select[Any], page: int, datum: date | None = None
) -> JSON:
    result = await paginate(
        session, stmt, page=page, page_size=settings_of(request).page_size, url=public_url(request, urls)
    )
    view = view_for(session, urls, datum)
    bodies = await render_many(view, result.items)
    if paths := expand_paths(request):
        await expand(view, resource_of(request), bodies, paths)
    return JSON(result.body(bodies))


async def read_one(
    session: Any,
    urls: UrlBuilder,
    model: type[Any],
    pk: uuid.UUID,
    datum: date | None = None,
    request: Request | None = None,
) -> dict[str, Any]:
    """One object's body; with the request, its ``expand`` is applied too."""
    obj = await session.get(model, pk)
    if obj is None:
        raise NotFound(f"{model.__name__} niet gevonden.")
    view = view_for(session, urls, datum)
    body = await render(view, obj)
    if request is not None and (paths := expand_paths(request)):
        await expand(view, resource_of(request), [body], paths)
    return body


Page = Annotated[int, Query()]


# -- catalogussen --------------------------------------------------------------------------


@router.get("/catalogussen")
async def catalogus_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    domein: str | None = None,
    domein__in: str | None = None,
    rsin: str | None = None,
    rsin__in: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    return await page_of(
        request, session, urls, queries.catalogussen(domein, domein__in, rsin, rsin__in), page
    )


@router.post("/catalogussen", status_code=201)
async def catalogus_create(
    request: Request, body: CatalogusIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    require_write(auth)
    obj = await writes.save_catalogus(session, auth, urls, body)
    return detail_response(request, await read_one(session, urls, Catalogus, obj.uuid), 201)


@router.put("/catalogussen/{uuid}")
async def catalogus_update(
    request: Request, uuid: uuid.UUID, body: CatalogusIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    require_write(auth)
    obj = await writes.save_catalogus(session, auth, urls, body, uuid, "update")
    return detail_response(request, await read_one(session, urls, Catalogus, obj.uuid))


@router.patch("/catalogussen/{uuid}")
async def catalogus_partial_update(
    request: Request, uuid: uuid.UUID, body: JsonBody, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    require_write(auth)
    current = await writes.get_or_404(session, Catalogus, uuid)
    data = writes.merged(CatalogusIn, writes.catalogus_input(current), body)
    obj = await writes.save_catalogus(session, auth, urls, data, uuid, "partial_update")
    return detail_response(request, await read_one(session, urls, Catalogus, obj.uuid))


# -- generic detail routes -----------------------------------------------------------------

Saver = Callable[..., Awaitable[Any]]


def detail_routes(
    path: str,
    model: type[Any],
    *,
    save: Saver | None = None,
    delete: Callable[..., Awaitable[None]] | None = None,
    with_datum: bool = False,
) -> None:
    """GET/HEAD/PUT/PATCH/DELETE on ``/{path}/{uuid}`` (and POST ``/{path}``)."""

    async def read(
        request: Request,
        uuid: uuid.UUID,
        session: SessionDep,
        auth: AuthDep,
        urls: UrlsDep,
        datumGeldigheid: str | None = None,
    ) -> Response:
        require_read(auth)
        datum = queries.parse_date("datumGeldigheid", datumGeldigheid) if with_datum else None
        return detail_response(request, await read_one(session, urls, model, uuid, datum, request))

    router.add_api_route(f"/{path}/{{uuid}}", read, methods=["GET"], name=f"{path}_read")
    router.add_api_route(f"/{path}/{{uuid}}", read, methods=["HEAD"], name=f"{path}_head")
    if save is not None:
        saver = save

        async def create(
            request: Request, body: JsonBody, session: SessionDep, auth: AuthDep, urls: UrlsDep
        ) -> Response:
            require_write(auth)
            obj = await saver(session, auth, urls, body)
            return detail_response(request, await read_one(session, urls, model, obj.uuid), 201)

        async def put(
            request: Request,
            uuid: uuid.UUID,
            body: JsonBody,
            session: SessionDep,
            auth: AuthDep,
            urls: UrlsDep,
        ) -> Response:
            require_write(auth)
            obj = await saver(session, auth, urls, body, uuid, False)
            return detail_response(request, await read_one(session, urls, model, obj.uuid))

        async def patch(
            request: Request,
            uuid: uuid.UUID,
            body: JsonBody,
            session: SessionDep,
            auth: AuthDep,
            urls: UrlsDep,
        ) -> Response:
            require_write(auth)
            obj = await saver(session, auth, urls, body, uuid, True)
            return detail_response(request, await read_one(session, urls, model, obj.uuid))

        router.add_api_route(f"/{path}", create, methods=["POST"], status_code=201, name=f"{path}_create")
        router.add_api_route(f"/{path}/{{uuid}}", put, methods=["PUT"], name=f"{path}_update")
        router.add_api_route(f"/{path}/{{uuid}}", patch, methods=["PATCH"], name=f"{path}_partial_update")
    if delete is not None:
        remover = delete

        async def destroy(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
            require_delete(auth)
            await remover(session, auth, urls, model, uuid)
            return Response(status_code=204)

        router.add_api_route(
            f"/{path}/{{uuid}}", destroy, methods=["DELETE"], status_code=204, name=f"{path}_delete"
        )

    if model in (ZaakType, InformatieObjectType, BesluitType):

        async def publish(
            request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
        ) -> Response:
            require_write(auth)
            obj = await writes.publish(session, auth, urls, model, uuid)
            return detail_response(request, await read_one(session, urls, model, obj.uuid))

        router.add_api_route(f"/{path}/{{uuid}}/publish", publish, methods=["POST"], name=f"{path}_publish")


def _zaaktype_saver(
    session: Any,
    auth: Auth,
    urls: UrlBuilder,
    body: dict[str, Any],
    pk: uuid.UUID | None = None,
    partial: bool = False,
) -> Awaitable[Any]:
    if pk is None:
        return writes.create_zaaktype(session, auth, urls, writes.validate(ZaakTypeIn, body))
    return writes.update_zaaktype(session, auth, urls, pk, body, partial)


# -- lists ---------------------------------------------------------------------------------


@router.get("/catalogussen/{uuid}")
async def catalogus_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    require_read(auth)
    return detail_response(request, await read_one(session, urls, Catalogus, uuid, request=request))


@router.head("/catalogussen/{uuid}")
async def catalogus_head(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    return await catalogus_read(request, uuid, session, auth, urls)


@router.get("/zaaktypen")
async def zaaktype_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    catalogus: str | None = None,
    identificatie: str | None = None,
    trefwoorden: Annotated[list[str] | None, Query()] = None,
    status: str | None = None,
    datumGeldigheid: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    datum = queries.parse_date("datumGeldigheid", datumGeldigheid)
    stmt = queries.zaaktypen(
        urls,
        catalogus=catalogus,
        identificatie=identificatie,
        trefwoorden=trefwoorden or [],
        status=queries.parse_status(status),
        datum=datum,
    )
    condition = await queries.trefwoorden_condition(session, trefwoorden or [])
    if condition is not None:
        stmt = stmt.where(condition)
    return await page_of(request, session, urls, stmt, page, datum)


@router.get("/informatieobjecttypen")
async def informatieobjecttype_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    catalogus: str | None = None,
    omschrijving: str | None = None,
    status: str | None = None,
    datumGeldigheid: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    datum = queries.parse_date("datumGeldigheid", datumGeldigheid)
    stmt = queries.informatieobjecttypen(
        urls, catalogus=catalogus, omschrijving=omschrijving, status=queries.parse_status(status), datum=datum
    )
    return await page_of(request, session, urls, stmt, page, datum)


@router.get("/besluittypen")
async def besluittype_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    catalogus: str | None = None,
    zaaktypen: str | None = None,
    informatieobjecttypen: str | None = None,
    omschrijving: str | None = None,
    status: str | None = None,
    datumGeldigheid: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    datum = queries.parse_date("datumGeldigheid", datumGeldigheid)
    stmt = await queries.besluittypen(
        session,
        urls,
        catalogus=catalogus,
        zaaktypen=zaaktypen,
        informatieobjecttypen=informatieobjecttypen,
        omschrijving=omschrijving,
        status=queries.parse_status(status),
        datum=datum,
    )
    return await page_of(request, session, urls, stmt, page, datum)


def _children_list(
    path: str, model: Any, order: Any, extra: dict[str, Callable[[str], Any]] | None = None
) -> None:
    async def listing(
        request: Request,
        session: SessionDep,
        auth: AuthDep,
        urls: UrlsDep,
        zaaktype: str | None = None,
        zaaktypeIdentificatie: str | None = None,
        zaaktype_identificatie: str | None = None,
        status: str | None = None,
        datumGeldigheid: str | None = None,
        datum_geldigheid: str | None = None,
        omschrijvingGeneriek: str | None = None,
        page: Page = 1,
    ) -> JSON:
        require_read(auth)
        datum = queries.parse_date("datumGeldigheid", datumGeldigheid or datum_geldigheid)
        stmt = queries.children(
            model,
            urls,
            zaaktype=zaaktype,
            zaaktype_identificatie=zaaktypeIdentificatie or zaaktype_identificatie,
            status=queries.parse_status(status),
            datum=datum,
        ).order_by(*order)
        if omschrijvingGeneriek and hasattr(model, "omschrijving_generiek"):
            stmt = stmt.where(model.omschrijving_generiek == omschrijvingGeneriek)
        return await page_of(request, session, urls, stmt, page, datum)

    router.add_api_route(f"/{path}", listing, methods=["GET"], name=f"{path}_list")


_children_list("statustypen", StatusType, (StatusType.zaaktype_uuid, StatusType.volgnummer))
_children_list("roltypen", RolType, (RolType.zaaktype_uuid, RolType.omschrijving, RolType.uuid))
_children_list(
    "resultaattypen",
    ResultaatType,
    (ResultaatType.zaaktype_uuid, ResultaatType.omschrijving, ResultaatType.uuid),
)
_children_list("eigenschappen", Eigenschap, (Eigenschap.zaaktype_uuid, Eigenschap.naam, Eigenschap.uuid))


@router.get("/zaaktype-informatieobjecttypen")
async def ziot_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaaktype: str | None = None,
    informatieobjecttype: str | None = None,
    richting: str | None = None,
    status: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    stmt = queries.children(
        ZaakTypeInformatieObjectType,
        urls,
        zaaktype=zaaktype,
        zaaktype_identificatie=None,
        status=queries.parse_status(status),
        datum=None,
    ).order_by(
        ZaakTypeInformatieObjectType.zaaktype_uuid,
        ZaakTypeInformatieObjectType.volgnummer,
        ZaakTypeInformatieObjectType.uuid,
    )
    stmt = queries.where_all(
        stmt,
        queries.ziot_condition(urls, informatieobjecttype),
        ZaakTypeInformatieObjectType.richting == richting if richting else None,
    )
    return await page_of(request, session, urls, stmt, page)


@router.get("/zaakobjecttypen")
async def zaakobjecttype_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    anderObjecttype: str | None = None,
    catalogus: str | None = None,
    datumBeginGeldigheid: str | None = None,
    datumEindeGeldigheid: str | None = None,
    datumGeldigheid: str | None = None,
    objecttype: str | None = None,
    relatieOmschrijving: str | None = None,
    zaaktype: str | None = None,
    zaaktypeIdentificatie: str | None = None,
    page: Page = 1,
) -> JSON:
    require_read(auth)
    begin = queries.parse_date("datumBeginGeldigheid", datumBeginGeldigheid)
    einde = queries.parse_date("datumEindeGeldigheid", datumEindeGeldigheid)
    datum = queries.parse_date("datumGeldigheid", datumGeldigheid)
    stmt = queries.children(
        ZaakObjectType,
        urls,
        zaaktype=zaaktype,
        zaaktype_identificatie=zaaktypeIdentificatie,
        status=None,
        datum=None,
        catalogus=catalogus,
    ).order_by(ZaakObjectType.zaaktype_uuid, ZaakObjectType.relatie_omschrijving, ZaakObjectType.uuid)
    ander = {"true": True, "false": False}.get((anderObjecttype or "").lower())
    stmt = queries.where_all(
        stmt,
        ZaakObjectType.ander_objecttype.is_(ander) if ander is not None else None,
        ZaakObjectType.begin_geldigheid == begin if begin else None,
        ZaakObjectType.einde_geldigheid == einde if einde else None,
        queries.valid_on(ZaakObjectType, datum) if datum else None,
        ZaakObjectType.objecttype == objecttype if objecttype else None,
        ZaakObjectType.relatie_omschrijving == relatieOmschrijving if relatieOmschrijving else None,
    )
    return await page_of(request, session, urls, stmt, page, datum)


detail_routes("zaaktypen", ZaakType, save=_zaaktype_saver, delete=writes.delete_type, with_datum=True)
detail_routes("informatieobjecttypen", InformatieObjectType, save=writes.save_iot, delete=writes.delete_type)
detail_routes("besluittypen", BesluitType, save=writes.save_besluittype, delete=writes.delete_type)
detail_routes("statustypen", StatusType, save=parts.save_statustype, delete=parts.delete_child)
detail_routes("roltypen", RolType, save=parts.save_roltype, delete=parts.delete_child)
detail_routes("resultaattypen", ResultaatType, save=parts.save_resultaattype, delete=parts.delete_child)
detail_routes("eigenschappen", Eigenschap, save=parts.save_eigenschap, delete=parts.delete_child)
detail_routes(
    "zaaktype-informatieobjecttypen",
    ZaakTypeInformatieObjectType,
    save=parts.save_ziot,
    delete=parts.delete_child,
)
detail_routes("zaakobjecttypen", ZaakObjectType, save=parts.save_zaakobjecttype, delete=parts.delete_child)
