"""Statussen and resultaten: closing (zrc-007), reopening (zrc-008), archiving (zrc-021),
and the type checks zrc-016 and zrc-020."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, NotFound, PermissionDenied, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken import access, documents
from samenzaak.zaken.archief import derive_on_close
from samenzaak.zaken.catalogus import RefError, ResultaatTypeInfo, Types, split_ref
from samenzaak.zaken.models import Resultaat, Status, Zaak, ZaakInformatieObject
from samenzaak.zaken.render import resultaat_to_dict, status_to_dict, zaaktype_of
from samenzaak.zaken.schemas import ResultaatIn, ResultaatPatch, StatusIn


def mismatch(what: str) -> InvalidParam:
    return InvalidParam(
        "nonFieldErrors", "zaaktype-mismatch", f"Het {what} hoort niet bij het zaaktype van de zaak."
    )


async def _zaak(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, url: str, scopes: tuple[str, ...]
) -> Zaak:
    """The zaak a body names (400 when it does not resolve), authorised for ``scopes`` (403)."""
    zaak, error = await access.zaak_of_url(session, urls, url)
    if error is not None or zaak is None:
        raise ValidationProblem([error or InvalidParam("zaak", "does_not_exist", "Zaak bestaat niet.")])
    access.check(auth, urls, zaak, *scopes)
    return zaak


async def _gebruiksrecht_problems(session: AsyncSession, urls: UrlBuilder, zaak: Zaak) -> list[InvalidParam]:
    targets = (
        await session.scalars(
            select(ZaakInformatieObject.informatieobject).where(ZaakInformatieObject.zaak_uuid == zaak.uuid)
        )
    ).all()
    for url in targets:
        try:
            info = await documents.load(session, urls, url)
        except RefError:
            continue
        if info.indicatie_gebruiksrecht is None:
            return [
                InvalidParam(
                    "nonFieldErrors",
                    "indicatiegebruiksrecht-unset",
                    "Alle gerelateerde informatieobjecten moeten een indicatieGebruiksrecht hebben.",
                )
            ]
    return []


async def status_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: StatusIn
) -> dict[str, Any]:
    """Create the status; its body (a new status has no zaakinformatieobjecten yet)."""
    zaak = await _zaak(
        session, auth, urls, data.zaak, (access.AANMAKEN, access.STATUSSEN_TOEVOEGEN, access.HEROPENEN)
    )
    types = Types(session, urls)
    errors: list[InvalidParam] = []
    statustype = None
    try:
        statustype = await types.statustype(data.statustype)
    except RefError as exc:
        errors.append(InvalidParam("statustype", exc.code, exc.reason))
    resultaat = None
    if statustype is not None:
        if statustype.zaaktype != zaaktype_of(urls, zaak):
            errors.append(mismatch("statustype"))
        elif statustype.is_eindstatus:
            # Only closing needs the resultaat (most statussen do not close).
            resultaat = await session.scalar(select(Resultaat).where(Resultaat.zaak_uuid == zaak.uuid))
            if resultaat is None:
                errors.append(
                    InvalidParam(
                        "nonFieldErrors",
                        "resultaat-does-not-exist",
                        "De zaak kan niet afgesloten worden zonder resultaat.",
                    )
                )
            errors.extend(await _gebruiksrecht_problems(session, urls, zaak))
    if errors:
        raise ValidationProblem(errors)
    assert statustype is not None
    if zaak.status_uuid is not None and not access.may(
        auth, urls, zaak, access.STATUSSEN_TOEVOEGEN, access.HEROPENEN, access.GEFORCEERD
    ):
        # zaken.aanmaken sets the first status only.
        raise PermissionDenied("Verdere statussen vereisen de scope zaken.statussen.toevoegen.")
    if zaak.einddatum is not None:
        # zrc-008: a non-final status reopens; a final one on a closed zaak is a correction.
        access.check(auth, urls, zaak, access.GEFORCEERD if statustype.is_eindstatus else access.HEROPENEN)

    status = Status(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, datum_status_gezet=data.datumStatusGezet)
    status.statustype_uuid, status.statustype_url = split_ref(urls, statustype.url, "statustypen")
    status.statustoelichting = data.statustoelichting
    status.gezetdoor = data.gezetdoor
    session.add(status)

    current = (
        await session.scalar(select(Status.datum_status_gezet).where(Status.uuid == zaak.status_uuid))
        if zaak.status_uuid
        else None
    )
    if current is None or data.datumStatusGezet >= current:
        zaak.status_uuid = status.uuid
        if statustype.is_eindstatus:
            zaak.einddatum = data.datumStatusGezet.date()
            assert resultaat is not None
            rt = await _resultaattype(types, resultaat, urls)
            if rt is not None:
                await derive_on_close(session, urls, zaak, rt)
        elif zaak.einddatum is not None:
            zaak.einddatum = None
            zaak.archiefactiedatum = None
            zaak.archiefnominatie = None
    await session.flush()
    body = status_to_dict(status, urls, is_current=zaak.status_uuid == status.uuid)
    access.record(
        session, auth, urls, zaak, actie="create", resource="status", resource_url=body["url"], nieuw=body
    )
    await session.commit()
    return body


async def _resultaattype(types: Types, resultaat: Resultaat, urls: UrlBuilder) -> ResultaatTypeInfo | None:
    from samenzaak.zaken.catalogus import ref_url

    try:
        return await types.resultaattype(
            ref_url(urls, "resultaattypen", resultaat.resultaattype_uuid, resultaat.resultaattype_url)
        )
    except RefError:
        return None


async def status_dict(
    session: AsyncSession, urls: UrlBuilder, status: Status, zaak: Zaak
) -> dict[str, object]:
    zios = (
        await session.scalars(
            select(ZaakInformatieObject.uuid).where(ZaakInformatieObject.status_uuid == status.uuid)
        )
    ).all()
    return status_to_dict(
        status, urls, is_current=zaak.status_uuid == status.uuid, zaakinformatieobjecten=zios
    )


async def _check_resultaattype(
    types: Types, urls: UrlBuilder, zaak: Zaak, url: str, errors: list[InvalidParam]
) -> ResultaatTypeInfo | None:
    try:
        rt = await types.resultaattype(url)
    except RefError as exc:
        errors.append(InvalidParam("resultaattype", exc.code, exc.reason))
        return None
    if rt.zaaktype != zaaktype_of(urls, zaak):
        errors.append(mismatch("resultaattype"))
        return None
    return rt


async def resultaat_create(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, data: ResultaatIn
) -> Resultaat:
    zaak = await _zaak(session, auth, urls, data.zaak, (access.BIJWERKEN, access.GEFORCEERD))
    errors: list[InvalidParam] = []
    if await session.scalar(select(exists().where(Resultaat.zaak_uuid == zaak.uuid))):
        errors.append(InvalidParam("zaak", "unique", "De zaak heeft al een resultaat."))
    rt = await _check_resultaattype(Types(session, urls), urls, zaak, data.resultaattype, errors)
    if errors:
        raise ValidationProblem(errors)
    assert rt is not None
    access.check_open_or_forced(auth, urls, zaak)
    resultaat = Resultaat(uuid=uuid.uuid4(), zaak_uuid=zaak.uuid, toelichting=data.toelichting)
    resultaat.resultaattype_uuid, resultaat.resultaattype_url = split_ref(urls, rt.url, "resultaattypen")
    session.add(resultaat)
    await session.flush()
    body = resultaat_to_dict(resultaat, urls)
    access.record(
        session, auth, urls, zaak, actie="create", resource="resultaat", resource_url=body["url"], nieuw=body
    )
    await session.commit()
    return resultaat


async def get_resultaat(session: AsyncSession, pk: uuid.UUID) -> tuple[Resultaat, Zaak]:
    row = (
        await session.execute(
            select(Resultaat, Zaak).join(Zaak, Zaak.uuid == Resultaat.zaak_uuid).where(Resultaat.uuid == pk)
        )
    ).first()
    if row is None:
        raise NotFound("Resultaat niet gevonden.")
    return row[0], row[1]


async def resultaat_update(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID, data: ResultaatIn | ResultaatPatch
) -> Resultaat:
    resultaat, zaak = await get_resultaat(session, pk)
    access.check(auth, urls, zaak, access.BIJWERKEN, access.GEFORCEERD)
    before = resultaat_to_dict(resultaat, urls)
    errors: list[InvalidParam] = []
    if data.zaak is not None and data.zaak != before["zaak"]:
        errors.append(InvalidParam("zaak", "wijzigen-niet-toegelaten", "De zaak mag niet gewijzigd worden."))
    rt = None
    if data.resultaattype is not None and data.resultaattype != before["resultaattype"]:
        rt = await _check_resultaattype(Types(session, urls), urls, zaak, data.resultaattype, errors)
    if errors:
        raise ValidationProblem(errors)
    access.check_open_or_forced(auth, urls, zaak)
    if rt is not None:
        resultaat.resultaattype_uuid, resultaat.resultaattype_url = split_ref(urls, rt.url, "resultaattypen")
    if data.toelichting is not None:
        resultaat.toelichting = data.toelichting
    await session.flush()
    after = resultaat_to_dict(resultaat, urls)
    actie = "partial_update" if isinstance(data, ResultaatPatch) else "update"
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie=actie,
        resource="resultaat",
        resource_url=after["url"],
        oud=before,
        nieuw=after,
    )
    await session.commit()
    return resultaat


async def resultaat_destroy(session: AsyncSession, auth: Auth, urls: UrlBuilder, pk: uuid.UUID) -> None:
    resultaat, zaak = await get_resultaat(session, pk)
    access.check(auth, urls, zaak, access.BIJWERKEN, access.GEFORCEERD)
    access.check_open_or_forced(auth, urls, zaak)
    before = resultaat_to_dict(resultaat, urls)
    await session.delete(resultaat)
    access.record(
        session,
        auth,
        urls,
        zaak,
        actie="destroy",
        resource="resultaat",
        resource_url=before["url"],
        oud=before,
    )
    await session.commit()
