"""Routes of the simple relations of a zaak: zaakbesluiten (nested), klantcontacten,
zaakcontactmomenten, zaakverzoeken and zaaknotities."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from sqlalchemy import select
from starlette.responses import Response

from samenzaak.common.web import JSON, AuthDep, SessionDep, UrlsDep
from samenzaak.zaken import access, children_service
from samenzaak.zaken.api.children import all_of, detail_of, page_of, scoped
from samenzaak.zaken.models import (
    KlantContact,
    Zaak,
    ZaakBesluit,
    ZaakContactMoment,
    ZaakNotitie,
    ZaakVerzoek,
)
from samenzaak.zaken.queries import zaak_url_filter
from samenzaak.zaken.render import (
    klantcontact_to_dict,
    zaakbesluit_to_dict,
    zaakcontactmoment_to_dict,
    zaaknotitie_to_dict,
    zaakverzoek_to_dict,
)
from samenzaak.zaken.schemas import (
    KlantContactIn,
    ZaakBesluitIn,
    ZaakContactMomentIn,
    ZaakNotitieIn,
    ZaakNotitiePatch,
    ZaakVerzoekIn,
)

router = APIRouter()
LEZEN = access.LEZEN


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
    stmt = scoped(KlantContact, auth, urls, zaak_url_filter(urls, KlantContact.zaak_uuid, zaak))
    return await page_of(request, session, urls, stmt, page, lambda r, _z: klantcontact_to_dict(r, urls))


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
    row, _zaak = await detail_of(request, session, auth, urls, KlantContact, uuid, "Klantcontact")
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
    stmt = scoped(
        ZaakContactMoment,
        auth,
        urls,
        zaak_url_filter(urls, ZaakContactMoment.zaak_uuid, zaak),
        ZaakContactMoment.contactmoment == contactmoment if contactmoment else None,
    )
    return await all_of(session, stmt, lambda r, _z: zaakcontactmoment_to_dict(r, urls))


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
    row, _zaak = await detail_of(request, session, auth, urls, ZaakContactMoment, uuid, "Zaakcontactmoment")
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
    stmt = scoped(
        ZaakVerzoek,
        auth,
        urls,
        zaak_url_filter(urls, ZaakVerzoek.zaak_uuid, zaak),
        ZaakVerzoek.verzoek == verzoek if verzoek else None,
    )
    return await all_of(session, stmt, lambda r, _z: zaakverzoek_to_dict(r, urls))


@router.post("/zaakverzoeken", status_code=201)
async def zaakverzoek_create(body: ZaakVerzoekIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaakverzoek_to_dict(await children_service.zaakverzoek_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/zaakverzoeken/{uuid}")
async def zaakverzoek_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await detail_of(request, session, auth, urls, ZaakVerzoek, uuid, "Zaakverzoek")
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
    stmt = scoped(
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
    return await page_of(request, session, urls, stmt, page, lambda r, _z: zaaknotitie_to_dict(r, urls))


@router.post("/zaaknotities", status_code=201)
async def zaaknotitie_create(body: ZaakNotitieIn, session: SessionDep, auth: AuthDep, urls: UrlsDep) -> JSON:
    access.require_any(auth, access.BIJWERKEN)
    data = zaaknotitie_to_dict(await children_service.zaaknotitie_create(session, auth, urls, body), urls)
    return JSON(data, status_code=201, headers={"Location": data["url"]})


@router.get("/zaaknotities/{uuid}")
async def zaaknotitie_read(
    request: Request, uuid: uuid.UUID, session: SessionDep, auth: AuthDep, urls: UrlsDep
) -> JSON:
    row, _zaak = await detail_of(request, session, auth, urls, ZaakNotitie, uuid, "Zaaknotitie")
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
