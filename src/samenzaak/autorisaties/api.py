"""Routes of the Autorisaties API 1.1.0 (``/autorisaties/api/v1``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from samenzaak.autorisaties import service
from samenzaak.autorisaties.models import Applicatie, ApplicatieClient
from samenzaak.autorisaties.schemas import ApplicatieIn, ApplicatiePatch
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import NotFound
from samenzaak.common.web import JSON, AuthDep, ReadSessionDep, SessionDep, UrlsDep, public_url, settings_of

router = APIRouter(tags=["applicaties"])
COMPONENT = "ac"
LEZEN = "autorisaties.lezen"
BIJWERKEN = "autorisaties.bijwerken"


@router.get("/applicaties")
async def applicatie_list(
    request: Request,
    session: ReadSessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    clientIds: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    auth.require(COMPONENT, LEZEN)
    stmt = select(Applicatie).order_by(Applicatie.label, Applicatie.uuid)
    if clientIds:
        wanted = [c for c in clientIds.split(",") if c]
        stmt = stmt.where(
            Applicatie.uuid.in_(
                select(ApplicatieClient.applicatie_uuid).where(ApplicatieClient.client_id.in_(wanted))
            )
        )
    result = await paginate(
        session,
        service.with_children(stmt),
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
        count_stmt=stmt,
    )
    return JSON(result.body([service.to_dict(a, urls) for a in result.items]))


@router.post("/applicaties", status_code=201)
async def applicatie_create(body: ApplicatieIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, BIJWERKEN)
    app = await service.create(session, auth, body, urls)
    data = service.to_dict(app, urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/applicaties/consumer")
async def applicatie_consumer(
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    clientId: Annotated[str, Query(min_length=1)],
) -> JSON:
    auth.require(COMPONENT, LEZEN)
    app = await session.scalar(
        service.with_children(
            select(Applicatie)
            .join(ApplicatieClient, ApplicatieClient.applicatie_uuid == Applicatie.uuid)
            .where(ApplicatieClient.client_id == clientId)
        )
    )
    if app is None:
        raise NotFound(f"Geen applicatie met client id {clientId!r}.")
    # The official spec (1.0.0 and 1.1.0) documents an array here; a client id belongs to
    # one applicatie, so the array holds exactly one. See docs/conformance.md.
    return JSON([service.to_dict(app, urls)])


@router.get("/applicaties/{uuid}")
async def applicatie_read(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, LEZEN)
    return JSON(service.to_dict(await service.get(session, uuid), urls))


@router.put("/applicaties/{uuid}")
async def applicatie_update(
    uuid: uuid.UUID, body: ApplicatieIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, BIJWERKEN)
    return JSON(service.to_dict(await service.update(session, auth, uuid, body, urls), urls))


@router.patch("/applicaties/{uuid}")
async def applicatie_partial_update(
    uuid: uuid.UUID, body: ApplicatiePatch, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, BIJWERKEN)
    return JSON(service.to_dict(await service.update(session, auth, uuid, body, urls), urls))


@router.delete("/applicaties/{uuid}", status_code=204)
async def applicatie_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> None:
    auth.require(COMPONENT, BIJWERKEN)
    await service.destroy(session, auth, uuid, urls)
