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

from samenzaak.common.pagination import paginate
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, public_url, settings_of
from samenzaak.zaken import access, children_service, status_service
from samenzaak.zaken.api.web import detail_response
from samenzaak.zaken.catalogus import split_ref
from samenzaak.zaken.models import (
    KlantContact,
    Resultaat,
    Rol,
    Status,
    Zaak,
    ZaakBesluit,
    ZaakContactMoment,
    ZaakEigenschap,
    ZaakInformatieObject,
    ZaakNotitie,
    ZaakObject,
    ZaakVerzoek,
)
from samenzaak.zaken.queries import ROL_IDENTIFICATIE, rol_identificatie_term, zaak_url_filter
from samenzaak.zaken.render import (
    klantcontact_to_dict,
    resultaat_to_dict,
    rol_to_dict,
    status_to_dict,
    zaakbesluit_to_dict,
    zaakcontactmoment_to_dict,
    zaakeigenschap_to_dict,
    zaaknotitie_to_dict,
    zaakobject_to_dict,
    zaakverzoek_to_dict,
    zio_to_dict,
)
from samenzaak.zaken.schemas import (
    KlantContactIn,
    ResultaatIn,
    ResultaatPatch,
    RolIn,
    StatusIn,
    ZaakBesluitIn,
    ZaakContactMomentIn,
    ZaakEigenschapIn,
    ZaakEigenschapPatch,
    ZaakInformatieObjectIn,
    ZaakInformatieObjectPatch,
    ZaakNotitieIn,
    ZaakNotitiePatch,
    ZaakObjectIn,
    ZaakObjectPatch,
    ZaakVerzoekIn,
)

router = APIRouter()
LEZEN = access.LEZEN


def _scoped(model: Any, auth: AuthDep, urls: UrlsDep, *where: ColumnElement[bool] | None) -> Select[Any]:
    stmt = (
        select(model, Zaak)
        .join(Zaak, Zaak.uuid == model.zaak_uuid)
        .where(access.zaaktype_filter(auth, urls), *[w for w in where if w is not None])
    )
    return stmt.order_by(model.uuid)


async def _page(
    request: Request,
    session: SessionDep,
    urls: UrlsDep,
    stmt: Select[Any],
    page: int,
    render: Callable[[Any, Zaak], dict[str, Any]],
) -> JSON:
    result = await paginate(
        session,
        stmt,
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
        scalars=False,
    )
    return JSON(result.body([render(row, zaak) for row, zaak in result.items]))


async def _all(session: SessionDep, stmt: Select[Any], render: Callable[[Any, Zaak], dict[str, Any]]) -> JSON:
    rows = (await session.execute(stmt)).all()
    return JSON([render(row, zaak) for row, zaak in rows])


async def _detail(
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
    stmt = _scoped(Status, auth, urls, *where)
    return await _page(
        request,
        session,
        urls,
        stmt,
        page,
        lambda s, z: status_to_dict(s, urls, is_current=z.status_uuid == s.uuid),
    )


@router.post("/statussen", status_code=201)
async def status_create(body: StatusIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.STATUSSEN_TOEVOEGEN, access.HEROPENEN)
    status = await status_service.status_create(session, auth, urls, body)
    zaak = await access.get_zaak(session, status.zaak_uuid)
    data = await status_service.status_dict(session, urls, status, zaak)
    return JSON(data, status_code=201, headers={"Location": str(data["url"])})


@router.api_route("/statussen/{uuid}", methods=["GET", "HEAD"])
async def status_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    status, zaak = await _detail(request, session, auth, urls, Status, uuid, "Status")
    return detail_response(request, await status_service.status_dict(session, urls, status, zaak))


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
    stmt = _scoped(Rol, auth, urls, *where)
    return await _page(request, session, urls, stmt, page, lambda r, _z: rol_to_dict(r, urls))


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
    rol, _zaak = await _detail(request, session, auth, urls, Rol, uuid, "Rol")
    statussen = await children_service.rol_statussen(session, urls, [rol])
    body = rol_to_dict(rol, urls)
    body["statussen"] = [f"{urls.root('zaken')}/statussen/{pk}" for pk in statussen.get(body["url"], [])]
    return detail_response(request, body)


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
    stmt = _scoped(
        Resultaat,
        auth,
        urls,
        zaak_url_filter(urls, Resultaat.zaak_uuid, zaak),
        _type_filter(urls, Resultaat, "resultaattype", "resultaattypen", resultaattype),
    )
    return await _page(request, session, urls, stmt, page, lambda r, _z: resultaat_to_dict(r, urls))


@router.post("/resultaten", status_code=201)
async def resultaat_create(body: ResultaatIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    data = resultaat_to_dict(await status_service.resultaat_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/resultaten/{uuid}", methods=["GET", "HEAD"])
async def resultaat_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await _detail(request, session, auth, urls, Resultaat, uuid, "Resultaat")
    return detail_response(request, resultaat_to_dict(row, urls))


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
    stmt = _scoped(
        ZaakObject,
        auth,
        urls,
        zaak_url_filter(urls, ZaakObject.zaak_uuid, zaak),
        ZaakObject.object == object if object else None,
        ZaakObject.object_type == objectType if objectType else None,
    )
    return await _page(request, session, urls, stmt, page, lambda r, _z: zaakobject_to_dict(r, urls))


@router.post("/zaakobjecten", status_code=201)
async def zaakobject_create(body: ZaakObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.BIJWERKEN, access.GEFORCEERD)
    data = zaakobject_to_dict(await children_service.zaakobject_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/zaakobjecten/{uuid}", methods=["GET", "HEAD"])
async def zaakobject_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await _detail(request, session, auth, urls, ZaakObject, uuid, "Zaakobject")
    return detail_response(request, zaakobject_to_dict(row, urls))


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
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    informatieobject: str | None = None,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = _scoped(
        ZaakInformatieObject,
        auth,
        urls,
        zaak_url_filter(urls, ZaakInformatieObject.zaak_uuid, zaak),
        ZaakInformatieObject.informatieobject == informatieobject if informatieobject else None,
    )
    return await _all(session, stmt, lambda r, _z: zio_to_dict(r, urls))


@router.post("/zaakinformatieobjecten", status_code=201)
async def zio_create(body: ZaakInformatieObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.AANMAKEN, access.BIJWERKEN, access.GEFORCEERD)
    data = zio_to_dict(await children_service.zio_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.api_route("/zaakinformatieobjecten/{uuid}", methods=["GET", "HEAD"])
async def zio_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    row, _zaak = await _detail(
        request, session, auth, urls, ZaakInformatieObject, uuid, "Zaakinformatieobject"
    )
    return detail_response(request, zio_to_dict(row, urls))


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
    return detail_response(request, zaakeigenschap_to_dict(row, urls))


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


# --- zaakbesluiten (nested) ----------------------------------------------------------------------


@router.get("/zaken/{zaak_uuid}/besluiten")
async def zaakbesluit_list(zaak_uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, LEZEN)
    zaak = await access.get_zaak(session, zaak_uuid)
    access.check(auth, urls, zaak, LEZEN)
    rows = (
        await session.scalars(
            select(ZaakBesluit).where(ZaakBesluit.zaak_uuid == zaak.uuid).order_by(ZaakBesluit.uuid)
        )
    ).all()
    return JSON([zaakbesluit_to_dict(r, urls) for r in rows])


@router.post("/zaken/{zaak_uuid}/besluiten", status_code=201)
async def zaakbesluit_create(
    zaak_uuid: uuid.UUID, body: ZaakBesluitIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaakbesluit_to_dict(
        await children_service.zaakbesluit_create(session, auth, urls, zaak_uuid, body), urls
    )
    return JSON(data, status_code=201, headers={"Location": data["url"]})


async def _zaakbesluit(session: SessionDep, zaak_uuid: uuid.UUID, pk: uuid.UUID) -> tuple[ZaakBesluit, Zaak]:
    row, zaak = await children_service.get_with_zaak(session, ZaakBesluit, pk, "Zaakbesluit")
    if zaak.uuid != zaak_uuid:
        from samenzaak.common.problems import NotFound

        raise NotFound("Zaakbesluit niet gevonden.")
    return row, zaak


@router.get("/zaken/{zaak_uuid}/besluiten/{uuid}")
async def zaakbesluit_read(
    zaak_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, LEZEN)
    row, zaak = await _zaakbesluit(session, zaak_uuid, uuid)
    access.check(auth, urls, zaak, LEZEN)
    return JSON(zaakbesluit_to_dict(row, urls))


@router.delete("/zaken/{zaak_uuid}/besluiten/{uuid}", status_code=204)
async def zaakbesluit_delete(
    zaak_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    access.require_any(auth, access.BIJWERKEN)
    await _zaakbesluit(session, zaak_uuid, uuid)
    await children_service.destroy(
        session, auth, urls, ZaakBesluit, uuid, "zaakbesluit", zaakbesluit_to_dict, (access.BIJWERKEN,)
    )
    return Response(status_code=204)


# --- klantcontacten, zaakcontactmomenten, zaakverzoeken ------------------------------------------


@router.get("/klantcontacten")
async def klantcontact_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = _scoped(KlantContact, auth, urls, zaak_url_filter(urls, KlantContact.zaak_uuid, zaak))
    return await _page(request, session, urls, stmt, page, lambda r, _z: klantcontact_to_dict(r, urls))


@router.post("/klantcontacten", status_code=201)
async def klantcontact_create(
    body: KlantContactIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN, access.GEFORCEERD)
    data = klantcontact_to_dict(await children_service.klantcontact_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/klantcontacten/{uuid}")
async def klantcontact_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await _detail(request, session, auth, urls, KlantContact, uuid, "Klantcontact")
    return JSON(klantcontact_to_dict(row, urls))


@router.get("/zaakcontactmomenten")
async def zaakcontactmoment_list(
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    zaak: str | None = None,
    contactmoment: str | None = None,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = _scoped(
        ZaakContactMoment,
        auth,
        urls,
        zaak_url_filter(urls, ZaakContactMoment.zaak_uuid, zaak),
        ZaakContactMoment.contactmoment == contactmoment if contactmoment else None,
    )
    return await _all(session, stmt, lambda r, _z: zaakcontactmoment_to_dict(r, urls))


@router.post("/zaakcontactmomenten", status_code=201)
async def zaakcontactmoment_create(
    body: ZaakContactMomentIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaakcontactmoment_to_dict(
        await children_service.zaakcontactmoment_create(session, auth, urls, body), urls
    )
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/zaakcontactmomenten/{uuid}")
async def zaakcontactmoment_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await _detail(request, session, auth, urls, ZaakContactMoment, uuid, "Zaakcontactmoment")
    return JSON(zaakcontactmoment_to_dict(row, urls))


@router.delete("/zaakcontactmomenten/{uuid}", status_code=204)
async def zaakcontactmoment_delete(
    uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> Response:
    access.require_any(auth, access.BIJWERKEN)
    await children_service.destroy(
        session,
        auth,
        urls,
        ZaakContactMoment,
        uuid,
        "zaakcontactmoment",
        zaakcontactmoment_to_dict,
        (access.BIJWERKEN,),
    )
    return Response(status_code=204)


@router.get("/zaakverzoeken")
async def zaakverzoek_list(
    session: SessionDep, auth: AuthDep, urls: UrlsDep, zaak: str | None = None, verzoek: str | None = None
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = _scoped(
        ZaakVerzoek,
        auth,
        urls,
        zaak_url_filter(urls, ZaakVerzoek.zaak_uuid, zaak),
        ZaakVerzoek.verzoek == verzoek if verzoek else None,
    )
    return await _all(session, stmt, lambda r, _z: zaakverzoek_to_dict(r, urls))


@router.post("/zaakverzoeken", status_code=201)
async def zaakverzoek_create(body: ZaakVerzoekIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaakverzoek_to_dict(await children_service.zaakverzoek_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/zaakverzoeken/{uuid}")
async def zaakverzoek_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await _detail(request, session, auth, urls, ZaakVerzoek, uuid, "Zaakverzoek")
    return JSON(zaakverzoek_to_dict(row, urls))


@router.delete("/zaakverzoeken/{uuid}", status_code=204)
async def zaakverzoek_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    access.require_any(auth, access.BIJWERKEN)
    await children_service.destroy(
        session, auth, urls, ZaakVerzoek, uuid, "zaakverzoek", zaakverzoek_to_dict, (access.BIJWERKEN,)
    )
    return Response(status_code=204)


# --- zaaknotities (1.7) ------------------------------------------------------------------------


@router.get("/zaaknotities")
async def zaaknotitie_list(
    request: Request,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    notitieType: str | None = None,
    status: str | None = None,
    onderwerp: str | None = None,
    onderwerp__icontains: str | None = None,
    aangemaaktDoor: str | None = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    access.require_any(auth, LEZEN)
    stmt = _scoped(
        ZaakNotitie,
        auth,
        urls,
        ZaakNotitie.notitie_type == notitieType if notitieType else None,
        ZaakNotitie.status == status if status else None,
        ZaakNotitie.onderwerp == onderwerp if onderwerp else None,
        ZaakNotitie.onderwerp.icontains(onderwerp__icontains, autoescape=True)
        if onderwerp__icontains
        else None,
        ZaakNotitie.aangemaakt_door == aangemaaktDoor if aangemaaktDoor else None,
    )
    return await _page(request, session, urls, stmt, page, lambda r, _z: zaaknotitie_to_dict(r, urls))


@router.post("/zaaknotities", status_code=201)
async def zaaknotitie_create(body: ZaakNotitieIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaaknotitie_to_dict(await children_service.zaaknotitie_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/zaaknotities/{uuid}")
async def zaaknotitie_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await _detail(request, session, auth, urls, ZaakNotitie, uuid, "Zaaknotitie")
    return JSON(zaaknotitie_to_dict(row, urls))


@router.put("/zaaknotities/{uuid}")
async def zaaknotitie_update(
    uuid: uuid.UUID, body: ZaakNotitieIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    return JSON(
        zaaknotitie_to_dict(await children_service.zaaknotitie_update(session, auth, urls, uuid, body), urls)
    )


@router.patch("/zaaknotities/{uuid}")
async def zaaknotitie_partial_update(
    uuid: uuid.UUID, body: ZaakNotitiePatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    return JSON(
        zaaknotitie_to_dict(await children_service.zaaknotitie_update(session, auth, urls, uuid, body), urls)
    )


@router.delete("/zaaknotities/{uuid}", status_code=204)
async def zaaknotitie_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> Response:
    access.require_any(auth, access.BIJWERKEN)
    await children_service.destroy(
        session,
        auth,
        urls,
        ZaakNotitie,
        uuid,
        "zaaknotitie",
        zaaknotitie_to_dict,
        (access.BIJWERKEN,),
        closed_check=False,
    )
    return Response(status_code=204)
