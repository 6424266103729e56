"""Public look-ups of the Besluiten API for the other APIs.

This module imports nothing of the other APIs, so the Zaken and Documenten APIs can use it
without an import cycle (the Besluiten API's services import theirs).
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten.models import Besluit, BesluitInformatieObject


async def besluiten_of_zaak(session: AsyncSession, zaak_url: str) -> list[str]:
    """The identificaties of the besluiten taken in a zaak (a zaak with besluiten is usually
    not deleted before them: the besluit side of the relation is leading, brc-006)."""
    return list(
        (
            await session.scalars(
                select(Besluit.identificatie).where(Besluit.zaak == zaak_url).order_by(Besluit.identificatie)
            )
        ).all()
    )


async def has_besluitinformatieobject(
    session: AsyncSession, besluit_uuid: uuid.UUID, informatieobject_url: str
) -> bool:
    """Whether the besluit side of a besluit-document relation exists (drc-004 asks the source)."""
    found = await session.scalar(
        select(BesluitInformatieObject.uuid)
        .where(
            BesluitInformatieObject.besluit_uuid == besluit_uuid,
            BesluitInformatieObject.informatieobject == informatieobject_url,
        )
        .limit(1)
    )
    return found is not None


BESLUIT_DATES = {
    "ingangsdatum": Besluit.ingangsdatum,
    "vervaldatum": Besluit.vervaldatum,
    "datum": Besluit.datum,
}


async def besluit_date(session: AsyncSession, besluit_uuid: uuid.UUID, attr: str) -> date | None:
    """A date of one of our own besluiten (for the Zaken API's archiving, afleidingswijze
    ingangsdatum_besluit / vervaldatum_besluit), read from the table rather than over HTTP."""
    column = BESLUIT_DATES.get(attr)
    if column is None:
        return None
    return await session.scalar(select(column).where(Besluit.uuid == besluit_uuid))
