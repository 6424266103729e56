"""Routes of the resources under a zaak: statussen, rollen, resultaten, zaakobjecten,
zaakinformatieobjecten, zaakeigenschappen, klantcontacten, zaakcontactmomenten,
zaakverzoeken, zaakbesluiten and zaaknotities.

Lists join their zaak and carry the zaak authorisation clause (zrc-006); a detail of a
zaak outside the caller's autorisaties is 403.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import ColumnElement, Select, select
from starlette.responses import Response

from samenzaak.common.auth import Auth
from samenzaak.common.pagination import paginate
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of
from samenzaak.zaken import access, children_service, expand, status_service
from samenzaak.zaken.api.web import detail_response
from samenzaak.zaken.catalogus import split_ref
from samenzaak.zaken.models import (
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaakEigenschap,
    ZaakInformatieObject,
    ZaakObject,
)
from samenzaak.zaken.queries import ROL_IDENTIFICATIE, rol_identificatie_term, zaak_url_filter
from samenzaak.zaken.render import (
    resultaat_to_dict,
    rol_to_dict,
    status_to_dict,
    zaakeigenschap_to_dict,
    zaakobject_to_dict,
    zio_to_dict,
)
from samenzaak.zaken.schemas import (
    ResultaatIn,
    ResultaatPatch,
    RolIn,
    StatusIn,
    ZaakEigenschapIn,
    ZaakEigenschapPatch,
    ZaakInformatieObjectIn,
    ZaakInformatieObjectPatch,
    ZaakObjectIn,
    ZaakObjectPatch,
)

router = APIRouter()
LEZEN = access.LEZEN


def scoped(model: Any, auth: AuthDep, urls: UrlsDep, *where: ColumnElement[bool] | None) -> Select[Any]:
    # An outer join that returns what the inner join would (every row has its zaak: a
    # foreign key, same tenant; the authorisation terms on the zaak reject NULL), but that
    # PostgreSQL drops from the count and the keys of a deep page when no zaak column is
    # used (a caller with all rights): 876 ms -> 207 ms to count 1.7 million statussen.
    stmt = (
        select(model, Zaak)
        .outerjoin(Zaak, Zaak.uuid == model.zaak_uuid)
        .where(access.zaaktype_filter(auth, urls), *[w for w in where if w is not None])
    )
    return stmt.order_by(model.uuid)


async def page_of(
    request: Request,
    session: SessionDep,
    urls: UrlsDep,
    stmt: Select[Any],
    page: int,
    render: Callable[[Any, Zaak], dict[str, Any]],
    expand_as: tuple[Auth, str] | None = None,
) -> JSON:
    child = stmt.column_descriptions[0]["entity"]
    result = await paginate(
        session,
        stmt,
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
        scalars=False,
        # One row per child (its zaak is many-to-one): the child's uuid keys the pages.
        keys=stmt.with_only_columns(child.uuid, maintain_column_froms=True),
    )
    bodies = [render(row, zaak) for row, zaak in result.items]
    if expand_as is not None and expand_as[1] == "rol":
        await children_service.fill_rol_statussen(session, urls, bodies)
    if expand_as is not None:
        await apply_expand(request, session, expand_as[0], urls, expand_as[1], bodies)
    return JSON(result.body(bodies))


async def apply_expand(
    request: Request, session: SessionDep, auth: Auth, urls: UrlsDep, kind: str, bodies: list[dict[str, Any]]
) -> None:
    tree = expand.parse(request.query_params.get("expand"))
    if tree:
        await expand.expand_bodies(session, auth, urls, kind, bodies, tree)


async def expanded_detail(
    request: Request, session: SessionDep, auth: Auth, urls: UrlsDep, kind: str, body: dict[str, Any]
) -> Response:
    await apply_expand(request, session, auth, urls, kind, [body])
    return detail_response(request, body)


async def all_of(
    session: SessionDep, stmt: Select[Any], render: Callable[[Any, Zaak], dict[str, Any]]
) -> JSON:
    rows = (await session.execute(stmt)).all()
    return JSON([render(row, zaak) for row, zaak in rows])


async def detail_of(
    request: Request, session: SessionDep, auth: AuthDep, urls: UrlsDep, model: Any, pk: uuid.UUID, label: str
) -> tuple[Any, Zaak]:
    access.require_any(auth, LEZEN)
    row, zaak = await children_service.get_with_zaak(session, model, pk, label)
    access.check(auth, urls, zaak, LEZEN)
    return row, zaak


def _type_filter(
    urls: UrlsDep, model: Any, name: str, resource: str, value: str | None
) -> ColumnElement[bool] | None:
    if not value:
        return None
    pk, url = split_ref(urls, value, resource)
    column = getattr(model, f"{name}_uuid") if pk is not None else getattr(model, f"{name}_url")
    term: ColumnElement[bool] = column == (pk if pk is not None else url)
    return term


# --- statussen -----------------------------------------------------------------------------


@router.get("/statussen")
async def status_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    statustype: str | None = None,
    indicatieLaatstGezetteStatus: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    where = [
        zaak_url_filter(urls, Status.zaak_uuid, zaak),
        _type_filter(urls, Status, "statustype", "statustypen", statustype),
    ]
    if indicatieLaatstGezetteStatus in ("true", "false"):
        current = Zaak.status_uuid == Status.uuid
        where.append(current if indicatieLaatstGezetteStatus == "true" else ~current)
    stmt = scoped(Status, auth, urls, *where)
    return await page_of(
        request,
        session,
        urls,
        stmt,
        page,
        lambda s, z: status_to_dict(s, urls, is_current=z.status_uuid == s.uuid),
        (auth, "status"),
    )


@router.post("/statussen", status_code=201)
async def status_create(body: StatusIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.STATUSSEN_TOEVOEGEN, access.HEROPENEN)
    data = await status_service.status_create(session, auth, urls, body)
    return JSON(data, status_code=201, headers={"Location": str(data["url"])})


@router.api_route("/statussen/{uuid}", methods=["GET", "HEAD"])
async def status_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    status, zaak = await detail_of(request, session, auth, urls, Status, uuid, "Status")
    body = await status_service.status_dict(session, urls, status, zaak)
    return await expanded_detail(request, session, auth, urls, "status", body)


# --- rollen --------------------------------------------------------------------------------


@router.get("/rollen")
async def rol_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    betrokkene: str | None = None,
    betrokkeneType: str | None = None,
    roltype: str | None = None,
    omschrijving: str | None = None,
    omschrijvingGeneriek: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    where: list[ColumnElement[bool] | None] = [
        zaak_url_filter(urls, Rol.zaak_uuid, zaak),
        _type_filter(urls, Rol, "roltype", "roltypen", roltype),
        Rol.betrokkene == betrokkene if betrokkene else None,
        Rol.betrokkene_type == betrokkeneType if betrokkeneType else None,
        Rol.omschrijving == omschrijving if omschrijving else None,
        Rol.omschrijving_generiek == omschrijvingGeneriek if omschrijvingGeneriek else None,
    ]
    for name, value in request.query_params.items():
        key = ROL_IDENTIFICATIE.get(name.removeprefix("betrokkeneIdentificatie__"))
        if name.startswith("betrokkeneIdentificatie__") and key and value:
            where.append(rol_identificatie_term(key[0], key[1], value))
    stmt = scoped(Rol, auth, urls, *where)
    return await page_of(
        request, session, urls, stmt, page, lambda r, _z: rol_to_dict(r, urls), (auth, "rol")
    )


@router.post("/rollen", status_code=201)
async def rol_create(body: RolIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.BIJWERKEN, access.GEFORCEERD)
    rol = await children_service.rol_create(session, auth, urls, body)
    data = rol_to_dict(rol, urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/rollen/{uuid}", methods=["GET", "HEAD"])
async def rol_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    rol, _zaak = await detail_of(request, session, auth, urls, Rol, uuid, "Rol")
    body = rol_to_dict(rol, urls)
    await children_service.fill_rol_statussen(session, urls, [body])
    return await expanded_detail(request, session, auth, urls, "rol", body)


@router.delete("/rollen/{uuid}", status_code=204)
async def rol_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    await children_service.destroy(session, auth, urls, Rol, uuid, "rol", rol_to_dict)
    return Response(status_code=204)


# --- resultaten ----------------------------------------------------------------------------


@router.get("/resultaten")
async def resultaat_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    resultaattype: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = scoped(
        Resultaat,
        auth,
        urls,
        zaak_url_filter(urls, Resultaat.zaak_uuid, zaak),
        _type_filter(urls, Resultaat, "resultaattype", "resultaattypen", resultaattype),
    )
    return await page_of(
        request, session, urls, stmt, page, lambda r, _z: resultaat_to_dict(r, urls), (auth, "resultaat")
    )


@router.post("/resultaten", status_code=201)
async def resultaat_create(body: ResultaatIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    data = resultaat_to_dict(await status_service.resultaat_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/resultaten/{uuid}", methods=["GET", "HEAD"])
async def resultaat_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await detail_of(request, session, auth, urls, Resultaat, uuid, "Resultaat")
    return await expanded_detail(request, session, auth, urls, "resultaat", resultaat_to_dict(row, urls))


@router.put("/resultaten/{uuid}")
async def resultaat_update(
    uuid: uuid.UUID, body: ResultaatIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(
        resultaat_to_dict(await status_service.resultaat_update(session, auth, urls, uuid, body), urls)
    )


@router.patch("/resultaten/{uuid}")
async def resultaat_partial_update(
    uuid: uuid.UUID, body: ResultaatPatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(
        resultaat_to_dict(await status_service.resultaat_update(session, auth, urls, uuid, body), urls)
    )


@router.delete("/resultaten/{uuid}", status_code=204)
async def resultaat_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    await status_service.resultaat_destroy(session, auth, urls, uuid)
    return Response(status_code=204)


# --- zaakobjecten ----------------------------------------------------------------------------


@router.get("/zaakobjecten")
async def zaakobject_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    object: str | None = None,
    objectType: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = scoped(
        ZaakObject,
        auth,
        urls,
        zaak_url_filter(urls, ZaakObject.zaak_uuid, zaak),
        ZaakObject.object == object if object else None,
        ZaakObject.object_type == objectType if objectType else None,
    )
    return await page_of(
        request, session, urls, stmt, page, lambda r, _z: zaakobject_to_dict(r, urls), (auth, "zaakobject")
    )


@router.post("/zaakobjecten", status_code=201)
async def zaakobject_create(body: ZaakObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.BIJWERKEN, access.GEFORCEERD)
    data = zaakobject_to_dict(await children_service.zaakobject_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/zaakobjecten/{uuid}", methods=["GET", "HEAD"])
async def zaakobject_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await detail_of(request, session, auth, urls, ZaakObject, uuid, "Zaakobject")
    return await expanded_detail(request, session, auth, urls, "zaakobject", zaakobject_to_dict(row, urls))


@router.put("/zaakobjecten/{uuid}")
async def zaakobject_update(
    uuid: uuid.UUID, body: ZaakObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(
        zaakobject_to_dict(await children_service.zaakobject_update(session, auth, urls, uuid, body), urls)
    )


@router.patch("/zaakobjecten/{uuid}")
async def zaakobject_partial_update(
    uuid: uuid.UUID, body: ZaakObjectPatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(
        zaakobject_to_dict(await children_service.zaakobject_update(session, auth, urls, uuid, body), urls)
    )


@router.delete("/zaakobjecten/{uuid}", status_code=204)
async def zaakobject_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    scopes = (access.BIJWERKEN, access.GEFORCEERD, access.VERWIJDEREN)
    access.require_any(auth, *scopes)
    await children_service.destroy(
        session, auth, urls, ZaakObject, uuid, "zaakobject", zaakobject_to_dict, scopes
    )
    return Response(status_code=204)


# --- zaakinformatieobjecten --------------------------------------------------------------------


@router.get("/zaakinformatieobjecten")
async def zio_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    informatieobject: str | None = None,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = scoped(
        ZaakInformatieObject,
        auth,
        urls,
        zaak_url_filter(urls, ZaakInformatieObject.zaak_uuid, zaak),
        ZaakInformatieObject.informatieobject == informatieobject if informatieobject else None,
    )
    rows = (await session.execute(stmt)).all()
    bodies = [zio_to_dict(r, urls) for r, _z in rows]
    await apply_expand(request, session, auth, urls, "zaakinformatieobject", bodies)
    return JSON(bodies)


@router.post("/zaakinformatieobjecten", status_code=201)
async def zio_create(body: ZaakInformatieObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.BIJWERKEN, access.GEFORCEERD)
    data = zio_to_dict(await children_service.zio_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/zaakinformatieobjecten/{uuid}", methods=["GET", "HEAD"])
async def zio_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await detail_of(
        request, session, auth, urls, ZaakInformatieObject, uuid, "Zaakinformatieobject"
    )
    return await expanded_detail(request, session, auth, urls, "zaakinformatieobject", zio_to_dict(row, urls))


@router.put("/zaakinformatieobjecten/{uuid}")
async def zio_update(
    uuid: uuid.UUID, body: ZaakInformatieObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(zio_to_dict(await children_service.zio_update(session, auth, urls, uuid, body), urls))


@router.patch("/zaakinformatieobjecten/{uuid}")
async def zio_partial_update(
    uuid: uuid.UUID, body: ZaakInformatieObjectPatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    return JSON(zio_to_dict(await children_service.zio_update(session, auth, urls, uuid, body), urls))


@router.delete("/zaakinformatieobjecten/{uuid}", status_code=204)
async def zio_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    scopes = (access.BIJWERKEN, access.GEFORCEERD, access.VERWIJDEREN)
    access.require_any(auth, *scopes)
    await children_service.destroy(
        session, auth, urls, ZaakInformatieObject, uuid, "zaakinformatieobject", zio_to_dict, scopes
    )
    return Response(status_code=204)


# --- zaakeigenschappen (nested) ------------------------------------------------------------------


@router.get("/zaken/{zaak_uuid}/zaakeigenschappen")
async def zaakeigenschap_list(
    zaak_uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, LEZEN)
    zaak = await access.get_zaak(session, zaak_uuid)
    access.check(auth, urls, zaak, LEZEN)
    rows = (
        await session.scalars(
            select(ZaakEigenschap).where(ZaakEigenschap.zaak_uuid == zaak.uuid).order_by(ZaakEigenschap.uuid)
        )
    ).all()
    return JSON([zaakeigenschap_to_dict(r, urls) for r in rows])


@router.post("/zaken/{zaak_uuid}/zaakeigenschappen", status_code=201)
async def zaakeigenschap_create(
    zaak_uuid: uuid.UUID, body: ZaakEigenschapIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    data = zaakeigenschap_to_dict(
        await children_service.zaakeigenschap_create(session, auth, urls, zaak_uuid, body), urls
    )
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", methods=["GET", "HEAD"])
async def zaakeigenschap_read(
    request: Request, zaak_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    access.require_any(auth, LEZEN)
    row, zaak = await children_service.get_zaakeigenschap(session, zaak_uuid, uuid)
    access.check(auth, urls, zaak, LEZEN)
    return await expanded_detail(
        request, session, auth, urls, "zaakeigenschap", zaakeigenschap_to_dict(row, urls)
    )


@router.put("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}")
async def zaakeigenschap_update(
    zaak_uuid: uuid.UUID,
    uuid: uuid.UUID,
    body: ZaakEigenschapIn,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    row = await children_service.zaakeigenschap_update(session, auth, urls, zaak_uuid, uuid, body)
    return JSON(zaakeigenschap_to_dict(row, urls))


@router.patch("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}")
async def zaakeigenschap_partial_update(
    zaak_uuid: uuid.UUID,
    uuid: uuid.UUID,
    body: ZaakEigenschapPatch,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    row = await children_service.zaakeigenschap_update(session, auth, urls, zaak_uuid, uuid, body)
    return JSON(zaakeigenschap_to_dict(row, urls))


@router.delete("/zaken/{zaak_uuid}/zaakeigenschappen/{uuid}", status_code=204)
async def zaakeigenschap_delete(
    zaak_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    await children_service.get_zaakeigenschap(session, zaak_uuid, uuid)
    await children_service.destroy(
        session, auth, urls, ZaakEigenschap, uuid, "zaakeigenschap", zaakeigenschap_to_dict
    )
    return Response(status_code=204)
