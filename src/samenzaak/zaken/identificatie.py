"""zrc-002: zaak identificaties, unique per bronorganisatie, generated when absent.

Numbers come from one counter row per (tenant, bronorganisatie, year)
(:mod:`samenzaak.common.numbering`). A number is skipped when a zaak already carries it by
hand.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.numbering import next_number
from samenzaak.zaken.models import Zaak, ZaakIdentificatie, ZaakNummerTeller

PREFIX = "ZAAK"


def format_identificatie(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:010d}"


async def identificatie_taken(session: AsyncSession, bronorganisatie: str, identificatie: str) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(Zaak.bronorganisatie == bronorganisatie, Zaak.identificatie == identificatie)
            )
        )
    )


async def generate(session: AsyncSession, bronorganisatie: str, today: date) -> str:
    """A new identificatie, recorded as handed out."""
    while True:
        number = await next_number(
            session, ZaakNummerTeller, bronorganisatie=bronorganisatie, jaar=today.year
        )
        candidate = format_identificatie(today.year, number)
        if not await identificatie_taken(session, bronorganisatie, candidate):
            session.add(ZaakIdentificatie(bronorganisatie=bronorganisatie, identificatie=candidate))
            return candidate


async def reserve(session: AsyncSession, bronorganisatie: str, today: date, aantal: int) -> list[str]:
    return [await generate(session, bronorganisatie, today) for _ in range(aantal)]
