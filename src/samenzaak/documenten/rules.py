"""The validation rules for a document version, each with the code the standard (or VNG's
suite) uses; ``check`` collects them all before anything is written."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.problems import InvalidParam
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.validators import rsin_problem
from samenzaak.documenten.models import DocumentVersie, Gebruiksrechten
from samenzaak.documenten.references import InformatieObjectTypeRef, resolve_informatieobjecttype


def nested(value: Any) -> dict[str, Any] | None:
    """Ondertekening/integriteit as stored: camelCase keys, ISO dates; ``None`` when empty."""
    if value is None:
        return None
    data: dict[str, Any] = value.model_dump(mode="json")
    if not any(data.values()):
        return None
    return data


async def check(
    session: AsyncSession,
    urls: UrlBuilder,
    v: DocumentVersie,
    *,
    document_uuid: uuid.UUID | None,
    type_changed: bool,
    creating: bool,
) -> tuple[InformatieObjectTypeRef | None, list[InvalidParam]]:
    errors: list[InvalidParam] = []
    problem = rsin_problem(v.bronorganisatie)
    if problem:
        errors.append(InvalidParam("bronorganisatie", *problem))
    iot: InformatieObjectTypeRef | None = None
    if type_changed:
        iot, type_errors = await resolve_informatieobjecttype(session, urls, v.informatieobjecttype)
        errors += type_errors
    # A signature or checksum is all or nothing (the spec's Ondertekening/Integriteit).
    for name, keys in (
        ("ondertekening", ("soort", "datum")),
        ("integriteit", ("algoritme", "waarde", "datum")),
    ):
        given = getattr(v, name)
        for key in keys if given else ():
            if not given.get(key):
                errors.append(InvalidParam(f"{name}.{key}", "required", f"Vereist bij een {name}."))
    # drc-005: a received document is past the editing statuses.
    if v.ontvangstdatum is not None and v.status in ("in_bewerking", "ter_vaststelling"):
        errors.append(
            InvalidParam(
                "status",
                "invalid_for_received",
                "De statuswaarden `in_bewerking` en `ter_vaststelling` zijn niet van toepassing op "
                "ontvangen informatieobjecten.",
            )
        )
    # drc-006: the indicatie becomes true only by creating gebruiksrechten.
    if v.indicatie_gebruiksrecht is True:
        has_rights = (
            document_uuid is not None
            and await session.scalar(
                select(Gebruiksrechten.uuid).where(Gebruiksrechten.document_uuid == document_uuid).limit(1)
            )
            is not None
        )
        if creating or not has_rights:
            errors.append(
                InvalidParam(
                    "indicatieGebruiksrecht",
                    "missing-gebruiksrechten",
                    "De indicatie kan pas op `true` gezet worden door gebruiksrechten aan te maken.",
                )
            )
    if v.identificatie:
        stmt = select(DocumentVersie.document_uuid).where(
            DocumentVersie.bronorganisatie == v.bronorganisatie,
            DocumentVersie.identificatie == v.identificatie,
        )
        if document_uuid is not None:
            stmt = stmt.where(DocumentVersie.document_uuid != document_uuid)
        if await session.scalar(stmt.limit(1)) is not None:
            errors.append(
                InvalidParam(
                    "identificatie",
                    "identificatie-niet-uniek",
                    "Deze identificatie bestaat al voor deze bronorganisatie.",
                )
            )
    return iot, errors


async def generate_identificatie(session: AsyncSession, bronorganisatie: str, day: Any) -> str:
    """DOCUMENT-<year>-<sequence>, unique per bronorganisatie."""
    prefix = f"DOCUMENT-{day.year}-"
    last = await session.scalar(
        select(func.max(DocumentVersie.identificatie)).where(
            DocumentVersie.bronorganisatie == bronorganisatie,
            DocumentVersie.identificatie.like(prefix + "%"),
            func.length(DocumentVersie.identificatie) == len(prefix) + 10,
        )
    )
    number = int(last[len(prefix) :]) + 1 if last and last[len(prefix) :].isdigit() else 1
    return f"{prefix}{number:010d}"
