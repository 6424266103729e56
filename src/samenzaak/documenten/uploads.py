"""Receiving one bestandsdeel of an upload in parts: check, stream, attach."""

from __future__ import annotations

import secrets
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.documenten import content
from samenzaak.documenten.models import Bestandsdeel, Document
from samenzaak.documenten.service import (
    AANMAKEN,
    BIJWERKEN,
    bestandsdeel_url,
    document_url,
    latest_version,
    may,
    require,
)
from samenzaak.documenten.storage import Storage


async def check_part_upload(session: AsyncSession, auth: Auth, pk: uuid.UUID) -> None:
    """Before a part's bytes are read: the part exists, the caller may write the document,
    and an upload is in progress (refusing early spares streaming a body only to drop it).

    Ends the read transaction, so no database transaction stays open while a large part
    streams in; ``save_part`` reloads and re-checks everything afterwards."""
    part = await session.get(Bestandsdeel, pk)
    if part is None:
        raise NotFound("Bestandsdeel niet gevonden.")
    doc, v = await latest_version(session, part.document_uuid)
    if not (may(auth, AANMAKEN, v) or may(auth, BIJWERKEN, v)):
        require(auth, BIJWERKEN, v)
    if not doc.lock:
        raise ValidationProblem(
            [InvalidParam("nonFieldErrors", "unlocked", "Het informatieobject is niet gelockt.")]
        )
    await session.rollback()


async def save_part(
    session: AsyncSession,
    urls: UrlBuilder,
    storage: Storage,
    pk: uuid.UUID,
    stored: content.StoredContent | None,
    given_lock: str,
) -> dict[str, Any]:
    """Attach uploaded content (already in the storage) to a bestandsdeel, or drop it again
    when the lock or the size is wrong."""
    part = await session.get(Bestandsdeel, pk, populate_existing=True)
    doc = None if part is None else await session.get(Document, part.document_uuid, populate_existing=True)
    if part is None or doc is None:
        await content.delete_keys(storage, [stored.key] if stored else [])
        raise NotFound("Bestandsdeel niet gevonden.")
    errors: list[InvalidParam] = []
    if stored is None:
        errors.append(InvalidParam("inhoud", "required", "Dit veld is vereist."))
    if not given_lock:
        errors.append(InvalidParam("lock", "required", "Dit veld is vereist."))
    elif not doc.lock:
        errors.append(InvalidParam("nonFieldErrors", "unlocked", "Het informatieobject is niet gelockt."))
    elif not (secrets.compare_digest(given_lock, doc.lock) and secrets.compare_digest(given_lock, part.lock)):
        errors.append(InvalidParam("nonFieldErrors", "incorrect-lock-id", "Het lock id is onjuist."))
    if stored is not None and stored.size != part.omvang:
        errors.append(
            InvalidParam(
                "inhoud",
                "file-size",
                f"Het bestandsdeel moet precies {part.omvang} bytes zijn, niet {stored.size}.",
            )
        )
    if errors or stored is None:
        await content.delete_keys(storage, [stored.key] if stored else [])
        raise ValidationProblem(errors)
    previous = part.inhoud_key
    try:
        part.inhoud_key = stored.key
        await session.commit()
    except BaseException:
        await content.delete_keys(storage, [stored.key])
        raise
    await content.delete_keys(storage, [previous])
    return {
        "url": bestandsdeel_url(urls, part.uuid),
        "lock": "",
        "omvang": part.omvang,
        "inhoud": f"{document_url(urls, doc.uuid)}/download",
        "voltooid": part.voltooid,
        "volgnummer": part.volgnummer,
    }
