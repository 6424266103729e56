"""Routes of the zaak resource: list, _zoek, CRUD, zaaknummer_reserveren, audittrail."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Body, Query, Request
from sqlalchemy import false, select
from starlette.responses import Response

from samenzaak.common.audit import AuditTrail, audit_to_dict
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import InvalidParam, NotFound, PermissionDenied, ValidationProblem
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of
from samenzaak.zaken import access, counts, expand, zaak_service
from samenzaak.zaken.api.web import CRS_HEADERS, crs_read, crs_write, detail_response
from samenzaak.zaken.geo import bbox, geometry_problem, within
from samenzaak.zaken.models import ZAAK_COLUMNS, Zaak
from samenzaak.zaken.queries import ordered, zaak_filters
from samenzaak.zaken.render import Related, zaak_to_dict
from samenzaak.zaken.schemas import ReserveZaakIdentificatieIn, ZaakIn, ZaakPatch

router = APIRouter(tags=["zaken"])
NOT_FILTERS = {"page", "expand", "ordering", "fields", "zaakgeometrie", "pageSize"}


async def _list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    params: dict[str, Any],
    page: int,
) -> JSON:
    access.require_any(auth, access.LEZEN)
    where = zaak_filters({k: v for k, v in params.items() if k not in NOT_FILTERS}, urls)
    # Rows, not ORM objects: a page renders 100 zaken and never changes them; building the
    # objects took a third of a page's CPU time.
    where.insert(0, access.zaaktype_filter(auth, urls))
    stmt = select(*ZAAK_COLUMNS).where(*where)
    area = (
        (params.get("zaakgeometrie") or {}).get("within")
        if isinstance(params.get("zaakgeometrie"), dict)
        else None
    )
    if area is not None:
        stmt = await _within(session, stmt, area)
    count = await counts.total(session, where) if area is None else None
    result = await paginate(
        session,
        ordered(stmt, params.get("ordering")),
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
        count_stmt=stmt,
        count=count,
        scalars=False,
    )
    related = await Related.load(session, [z.uuid for z in result.items])
    bodies = [zaak_to_dict(z, urls, related) for z in result.items]
    paths = expand.parse(params.get("expand"))
    if paths:
        await expand.expand_zaken(session, auth, urls, result.items, bodies, paths)
    return JSON(result.body(bodies), headers=CRS_HEADERS)


async def _within(session: SessionDep, stmt: Any, area: Any) -> Any:
    """Geometry search: bounding-box prefilter in SQL, exact test in Python."""
    if not isinstance(area, dict) or geometry_problem(area):
        raise ValidationProblem(
            [InvalidParam("zaakgeometrie.within", "invalid", "Geef een geldige GeoJSON-geometrie op.")]
        )
    if area.get("type") not in ("Polygon", "MultiPolygon"):
        # The spec types `within` as any GeoJSONGeometry; a point, line or collection has
        # no interior, so nothing lies within it: a valid search without results.
        return stmt.where(false())
    min_x, min_y, max_x, max_y = bbox(area)
    candidates = (
        await session.execute(
            stmt.with_only_columns(Zaak.uuid, Zaak.zaakgeometrie).where(
                Zaak.geo_min_x >= min_x,
                Zaak.geo_min_y >= min_y,
                Zaak.geo_max_x <= max_x,
                Zaak.geo_max_y <= max_y,
            )
        )
    ).all()
    matching = [pk for pk, geometry in candidates if geometry and within(geometry, area)]
    return stmt.where(Zaak.uuid.in_(matching))


@router.get("/zaken")
async def zaak_list(
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep, page: Annotated[int, Query()] = 1
) -> JSON:
    crs_read(request)
    return await _list(request, session, auth, urls, dict(request.query_params), page)


@router.post("/zaken/_zoek")
async def zaak_zoek(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    body: Annotated[dict[str, Any], Body()],
    page: Annotated[int, Query()] = 1,
) -> JSON:
    crs_write(request)
    params = dict(body)
    if "expand" in request.query_params:
        params.setdefault("expand", request.query_params["expand"])
    fields = params.pop("fields", None)
    if fields and params.get("expand"):
        raise ValidationProblem(
            [InvalidParam("fields", "invalid", "Gebruik 'fields' of 'expand', niet beide (zrc-029).")]
        )
    if fields:
        params["expand"] = ",".join(expand.paths_of_fields(fields))
    response = await _list(request, session, auth, urls, params, page)
    if fields:
        response = JSON(expand.select_fields(orjson_loads(response.body), fields), headers=CRS_HEADERS)
    return response


def orjson_loads(raw: bytes | memoryview) -> Any:
    import orjson

    return orjson.loads(bytes(raw))


@router.post("/zaken", status_code=201)
async def zaak_create(
    request: Request, body: ZaakIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    crs_write(request)
    access.require_any(auth, access.AANMAKEN)
    data = await zaak_service.create(session, auth, urls, body)
    return JSON(data, status_code=201, headers={"Location": data["url"], **CRS_HEADERS})


@router.api_route("/zaken/{uuid}", methods=["GET", "HEAD"])
async def zaak_read(
    request: Request,
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand_param: Annotated[str | None, Query(alias="expand")] = None,
) -> Response:
    crs_read(request)
    access.require_any(auth, access.LEZEN)
    zaak = await access.get_zaak(session, uuid)
    access.check(auth, urls, zaak, access.LEZEN)
    body = await zaak_service.to_dict(session, urls, zaak)
    paths = expand.parse(expand_param)
    if paths:
        await expand.expand_zaken(session, auth, urls, [zaak], [body], paths)
    return detail_response(request, body, crs=True)


@router.put("/zaken/{uuid}")
async def zaak_update(
    request: Request, uuid: uuid.UUID, body: ZaakIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    crs_write(request)
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    zaak = await zaak_service.update(session, auth, urls, uuid, body)
    return JSON(await zaak_service.to_dict(session, urls, zaak), headers=CRS_HEADERS)


@router.patch("/zaken/{uuid}")
async def zaak_partial_update(
    request: Request, uuid: uuid.UUID, body: ZaakPatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    crs_write(request)
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    zaak = await zaak_service.update(session, auth, urls, uuid, body)
    return JSON(await zaak_service.to_dict(session, urls, zaak), headers=CRS_HEADERS)


@router.delete("/zaken/{uuid}", status_code=204)
async def zaak_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    access.require_any(auth, access.VERWIJDEREN)
    await zaak_service.destroy(session, auth, urls, uuid)
    return Response(status_code=204)


@router.post("/zaaknummer_reserveren", status_code=201)
async def zaaknummer_reserveren(body: ReserveZaakIdentificatieIn, session: SessionDep, auth: AuthDep) -> JSON:
    access.require_any(auth, access.AANMAKEN)
    numbers = await zaak_service.reserve(session, auth, body.bronorganisatie, body.aantal)
    return JSON([{"zaaknummer": n} for n in numbers], status_code=201)


async def _audit_zaak(session: SessionDep, auth: AuthDep, urls: UrlsDep, zaak_uuid: uuid.UUID) -> str:
    if not (auth.all_rights or auth.has_scope(access.COMPONENT, access.AUDITTRAILS_LEZEN)):
        raise PermissionDenied(f"The client {auth.client_id!r} lacks the scope 'audittrails.lezen'.")
    zaak = await access.get_zaak(session, zaak_uuid)
    access.check(auth, urls, zaak, access.AUDITTRAILS_LEZEN, access.LEZEN)
    return urls.detail("zaken", "zaken", zaak.uuid)


@router.get("/zaken/{zaak_uuid}/audittrail")
async def audittrail_list(zaak_uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    hoofd_object = await _audit_zaak(session, auth, urls, zaak_uuid)
    rows = (
        await session.scalars(
            select(AuditTrail)
            .where(AuditTrail.hoofd_object == hoofd_object)
            .order_by(AuditTrail.aanmaakdatum)
        )
    ).all()
    return JSON([_audit(r, hoofd_object) for r in rows])


@router.get("/zaken/{zaak_uuid}/audittrail/{uuid}")
async def audittrail_read(
    zaak_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    hoofd_object = await _audit_zaak(session, auth, urls, zaak_uuid)
    row = await session.scalar(
        select(AuditTrail).where(AuditTrail.uuid == uuid, AuditTrail.hoofd_object == hoofd_object)
    )
    if row is None:
        raise NotFound("Audittrail niet gevonden.")
    return JSON(_audit(row, hoofd_object))


def _audit(row: AuditTrail, hoofd_object: str) -> dict[str, Any]:
    return audit_to_dict(row, f"{hoofd_object}/audittrail/{row.uuid}")
