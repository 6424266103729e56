"""brc-002: besluit identificaties, unique per verantwoordelijke organisatie, generated when absent.

Numbers come from one counter row per (tenant, verantwoordelijke organisatie, year)
(:mod:`samenzaak.common.numbering`). A number a consumer already used by hand is skipped.
The unique constraint on the table is the last wall (an ``IntegrityError`` there is
answered as ``identificatie-niet-uniek``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten.models import Besluit, BesluitNummerTeller
from samenzaak.common.numbering import next_number

PREFIX = "BESLUIT"


def format_identificatie(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:010d}"


async def is_taken(session: AsyncSession, organisatie: str, identificatie: str) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    Besluit.verantwoordelijke_organisatie == organisatie,
                    Besluit.identificatie == identificatie,
                )
            )
        )
    )


async def generate(session: AsyncSession, organisatie: str, today: date) -> str:
    """A new identificatie no besluit of ``organisatie`` carries."""
    while True:
        candidate = format_identificatie(
            today.year,
            await next_number(
                session, BesluitNummerTeller, verantwoordelijke_organisatie=organisatie, jaar=today.year
            ),
        )
        if not await is_taken(session, organisatie, candidate):
            return candidate
