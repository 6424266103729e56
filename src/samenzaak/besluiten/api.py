"""Routes of the Besluiten API 1.1.0 (``/besluiten/api/v1``)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import select

from samenzaak.besluiten import bio_service, expand, service
from samenzaak.besluiten.models import Besluit, BesluitInformatieObject
from samenzaak.besluiten.schemas import Besluit as BesluitIn
from samenzaak.besluiten.schemas import BesluitInformatieObject as BesluitInformatieObjectIn
from samenzaak.besluiten.schemas import PatchedBesluit
from samenzaak.common.audit import AuditTrail, audit_to_dict
from samenzaak.common.pagination import paginate
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.web import JSON, AuthDep, ReadSessionDep, SessionDep, UrlsDep, public_url, settings_of

router = APIRouter()
COMPONENT = service.COMPONENT
ExpandQuery = Annotated[str | None, Query()]


def _url_filter(name: str, value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValidationProblem([InvalidParam(name, "invalid", "Voer een geldige URL in.")])
    return value


# -- besluiten ---------------------------------------------------------------------------------


@router.get("/besluiten", tags=["besluiten"])
async def besluit_list(
    request: Request,
    session: ReadSessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    identificatie: Annotated[str | None, Query()] = None,
    verantwoordelijkeOrganisatie: Annotated[str | None, Query()] = None,
    besluittype: Annotated[str | None, Query()] = None,
    zaak: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query()] = 1,
    expand_: Annotated[str | None, Query(alias="expand")] = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = expand.parse(expand_, "besluit")
    stmt = select(Besluit).where(service.read_filter(auth))
    if identificatie is not None:
        stmt = stmt.where(Besluit.identificatie == identificatie)
    if verantwoordelijkeOrganisatie is not None:
        stmt = stmt.where(Besluit.verantwoordelijke_organisatie == verantwoordelijkeOrganisatie)
    if besluittype is not None:
        stmt = stmt.where(Besluit.besluittype == _url_filter("besluittype", besluittype))
    if zaak is not None:
        stmt = stmt.where(Besluit.zaak == _url_filter("zaak", zaak))
    result = await paginate(
        session,
        stmt.order_by(Besluit.identificatie, Besluit.uuid),
        page=page,
        page_size=settings_of(request).page_size,
        url=public_url(request, urls),
    )
    bodies = [service.to_dict(b, urls) for b in result.items]
    await expand.apply(session, auth, urls, "besluit", bodies, paths)
    return JSON(result.body(bodies))


@router.post("/besluiten", status_code=201, tags=["besluiten"])
async def besluit_create(body: BesluitIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = service.to_dict(await service.create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_read(
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand_: Annotated[str | None, Query(alias="expand")] = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = expand.parse(expand_, "besluit")
    b = await service.get(session, uuid)
    service.require(auth, service.LEZEN, b)
    body = service.to_dict(b, urls)
    await expand.apply(session, auth, urls, "besluit", [body], paths)
    return JSON(body)


@router.put("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_update(
    uuid: uuid.UUID, body: BesluitIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    return JSON(service.to_dict(await service.update(session, auth, urls, uuid, body), urls))


@router.patch("/besluiten/{uuid}", tags=["besluiten"])
async def besluit_partial_update(
    uuid: uuid.UUID, body: PatchedBesluit, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.BIJWERKEN)
    return JSON(service.to_dict(await service.update(session, auth, urls, uuid, body), urls))


@router.delete("/besluiten/{uuid}", status_code=204, tags=["besluiten"])
async def besluit_delete(uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> None:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await service.destroy(session, auth, urls, uuid)


# -- audit trail -------------------------------------------------------------------------------


def _audit(record: AuditTrail, url: str) -> dict[str, Any]:
    body = audit_to_dict(record, url)
    # The spec's Wijzigingen holds objects, not null: "no state before a create" is {}.
    body["wijzigingen"] = {k: v if v is not None else {} for k, v in body["wijzigingen"].items()}
    return body


async def _audited_besluit(session: SessionDep, auth: AuthDep, urls: UrlsDep, pk: uuid.UUID) -> str:
    """The besluit's URL; its audit trail may be read per besluittype. A deleted besluit has
    no audit trail left (brc-009), and its audit trail is itself gone: 404, as VNG's suite
    checks (brc-008b) and as Documenten answers for a deleted document. The 1.1.0 spec
    documents no 404 on this list; see docs/conformance.md."""
    auth.require(COMPONENT, service.AUDITTRAILS_LEZEN)
    b = await session.scalar(select(Besluit).where(Besluit.uuid == pk))
    if b is None:
        raise NotFound("Besluit niet gevonden.")
    service.require(auth, service.AUDITTRAILS_LEZEN, b)
    return service.besluit_url(urls, pk)


@router.get("/besluiten/{besluit_uuid}/audittrail", tags=["besluiten"])
async def audittrail_list(besluit_uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    url = await _audited_besluit(session, auth, urls, besluit_uuid)
    records = await session.scalars(
        select(AuditTrail)
        .where(AuditTrail.hoofd_object == url)
        .order_by(AuditTrail.aanmaakdatum, AuditTrail.uuid)
    )
    return JSON([_audit(r, f"{url}/audittrail/{r.uuid}") for r in records])


@router.get("/besluiten/{besluit_uuid}/audittrail/{uuid}", tags=["besluiten"])
async def audittrail_read(
    besluit_uuid: uuid.UUID, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    url = await _audited_besluit(session, auth, urls, besluit_uuid)
    record = await session.scalar(
        select(AuditTrail).where(AuditTrail.hoofd_object == url, AuditTrail.uuid == uuid)
    )
    if record is None:
        raise NotFound("Audittrail niet gevonden.")
    return JSON(_audit(record, f"{url}/audittrail/{record.uuid}"))


# -- besluitinformatieobjecten -----------------------------------------------------------------


@router.get("/besluitinformatieobjecten", tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_list(
    session: ReadSessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    besluit: Annotated[str | None, Query()] = None,
    informatieobject: Annotated[str | None, Query()] = None,
    expand_: Annotated[str | None, Query(alias="expand")] = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = expand.parse(expand_, "besluitinformatieobject")
    stmt = (
        select(BesluitInformatieObject)
        .join(Besluit, Besluit.uuid == BesluitInformatieObject.besluit_uuid)
        .where(service.read_filter(auth))
        .order_by(BesluitInformatieObject.uuid)
    )
    if besluit is not None:
        pk = urls.local_uuid(_url_filter("besluit", besluit), service.API, "besluiten")
        # A URL that names no besluit of ours matches nothing.
        stmt = (
            stmt.where(BesluitInformatieObject.besluit_uuid == pk)
            if pk
            else stmt.where(Besluit.uuid.is_(None))
        )
    if informatieobject is not None:
        stmt = stmt.where(
            BesluitInformatieObject.informatieobject == _url_filter("informatieobject", informatieobject)
        )
    rows = (await session.scalars(stmt)).all()
    bodies = [bio_service.to_dict(r, urls) for r in rows]
    await expand.apply(session, auth, urls, "besluitinformatieobject", bodies, paths)
    return JSON(bodies)


@router.post("/besluitinformatieobjecten", status_code=201, tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_create(
    body: BesluitInformatieObjectIn, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    auth.require(COMPONENT, service.AANMAKEN)
    data = bio_service.to_dict(await bio_service.create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/besluitinformatieobjecten/{uuid}", tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_read(
    uuid: uuid.UUID,
    session: SessionDep,
    auth: AuthDep,
    urls: UrlsDep,
    expand_: Annotated[str | None, Query(alias="expand")] = None,
) -> JSON:
    auth.require(COMPONENT, service.LEZEN)
    paths = expand.parse(expand_, "besluitinformatieobject")
    bio, b = await bio_service.get(session, uuid)
    service.require(auth, service.LEZEN, b)
    body = bio_service.to_dict(bio, urls)
    await expand.apply(session, auth, urls, "besluitinformatieobject", [body], paths)
    return JSON(body)


@router.put("/besluitinformatieobjecten/{uuid}", include_in_schema=False)
@router.patch("/besluitinformatieobjecten/{uuid}", include_in_schema=False)
async def besluitinformatieobject_change(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> None:
    """Not an operation of 1.1.0: 405, or 400 for a body that changes the relation (brc-004)."""
    auth.require(COMPONENT, service.BIJWERKEN)
    await bio_service.refuse_change(session, auth, urls, uuid, await request.body())


@router.delete("/besluitinformatieobjecten/{uuid}", status_code=204, tags=["besluitinformatieobjecten"])
async def besluitinformatieobject_delete(
    uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> None:
    auth.require(COMPONENT, service.VERWIJDEREN)
    await bio_service.destroy(session, auth, urls, uuid)
