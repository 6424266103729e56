"""Routes of the Notificaties API 1.0.1 (``/notificaties/api/v1``)."""

from __future__ import annotations

import uuid
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from samenzaak.common.auth import Auth
from samenzaak.common.problems import PermissionDenied
from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep, settings_of
from samenzaak.notificaties import service
from samenzaak.notificaties.callbacks import callback_accepts
from samenzaak.notificaties.schemas import AbonnementIn, AbonnementPatch, KanaalIn, Message

router = APIRouter(tags=["notificaties"])
COMPONENT = "nrc"
CONSUMEREN = "notificaties.consumeren"
PUBLICEREN = "notificaties.publiceren"


def _require_either(auth: Auth) -> None:
    # The spec: "(notificaties.publiceren | notificaties.consumeren)" for reading kanalen.
    if not (auth.has_scope(COMPONENT, PUBLICEREN) or auth.has_scope(COMPONENT, CONSUMEREN)):
        raise PermissionDenied(
            f"The client {auth.client_id!r} lacks the scope {CONSUMEREN!r} or {PUBLICEREN!r}."
        )


def _callback_check(request: Request) -> service.CallbackCheck | None:
    settings = settings_of(request)
    if not settings.notification_verify_callback:
        return None
    return partial(callback_accepts, wait=settings.notification_timeout)


# -- kanaal -----------------------------------------------------------------------------


@router.get("/kanaal")
async def kanaal_list(
    session: SessionDep, auth: AuthDep, urls: UrlsDep, naam: Annotated[str | None, Query()] = None
) -> JSON:
    _require_either(auth)
    kanalen = (await session.scalars(service.kanalen_query(naam))).all()
    return JSON([service.kanaal_to_dict(k, urls) for k in kanalen])


@router.post("/kanaal", status_code=201)
async def kanaal_create(body: KanaalIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, PUBLICEREN)
    data = service.kanaal_to_dict(await service.create_kanaal(session, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/kanaal/{uuid}")
async def kanaal_read(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    _require_either(auth)
    return JSON(service.kanaal_to_dict(await service.get_kanaal(session, uuid), urls))


# -- abonnement -------------------------------------------------------------------------


@router.get("/abonnement")
async def abonnement_list(session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, CONSUMEREN)
    stmt = service.with_kanalen(service.select_abonnementen())
    return JSON([service.abonnement_to_dict(a, urls) for a in (await session.scalars(stmt)).all()])


@router.post("/abonnement", status_code=201)
async def abonnement_create(
    request: Request, body: AbonnementIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, CONSUMEREN)
    abonnement = await service.create_abonnement(session, auth, body, _callback_check(request))
    data = service.abonnement_to_dict(abonnement, urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/abonnement/{uuid}")
async def abonnement_read(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, CONSUMEREN)
    return JSON(service.abonnement_to_dict(await service.get_abonnement(session, uuid), urls))


@router.put("/abonnement/{uuid}")
async def abonnement_update(
    request: Request, uuid: uuid.UUID, body: AbonnementIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, CONSUMEREN)
    abonnement = await service.update_abonnement(session, uuid, body, _callback_check(request))
    return JSON(service.abonnement_to_dict(abonnement, urls))


@router.patch("/abonnement/{uuid}")
async def abonnement_partial_update(
    request: Request,
    uuid: uuid.UUID,
    body: AbonnementPatch,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
) -> JSON:
    auth.require(COMPONENT, CONSUMEREN)
    abonnement = await service.update_abonnement(session, uuid, body, _callback_check(request))
    return JSON(service.abonnement_to_dict(abonnement, urls))


@router.delete("/abonnement/{uuid}", status_code=204)
async def abonnement_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep) -> Response:
    auth.require(COMPONENT, CONSUMEREN)
    await service.destroy_abonnement(session, uuid)
    return Response(status_code=204)


# -- notificaties -----------------------------------------------------------------------


@router.post("/notificaties", status_code=200)
async def notificaties_create(body: Message, session: SessionDep, auth: AuthDep) -> JSON:
    auth.require(COMPONENT, PUBLICEREN)
    # The spec documents 200 here (VNG's OAS Postman suite expects 201; the spec wins).
    return JSON(await service.publish(session, body))
