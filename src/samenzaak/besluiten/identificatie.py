"""brc-002: besluit identificaties, unique per verantwoordelijke organisatie, generated when absent.

Numbers come from one counter row per (tenant, verantwoordelijke organisatie, year),
advanced with ``UPDATE … RETURNING``: on PostgreSQL the row lock serialises concurrent
creators until their transactions end, on SQLite the database-wide write lock does. A
number a consumer already used by hand is skipped. The unique constraint on the table is
the last wall (an ``IntegrityError`` there is answered as ``identificatie-niet-uniek``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten.models import Besluit, BesluitNummerTeller

PREFIX = "BESLUIT"


def format_identificatie(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:010d}"


async def _next_number(session: AsyncSession, organisatie: str, year: int) -> int:
    stmt = (
        update(BesluitNummerTeller)
        .where(
            BesluitNummerTeller.verantwoordelijke_organisatie == organisatie,
            BesluitNummerTeller.jaar == year,
        )
        .values(laatste=BesluitNummerTeller.laatste + 1)
        .returning(BesluitNummerTeller.laatste)
    )
    number = (await session.execute(stmt)).scalar_one_or_none()
    if number is not None:
        return int(number)
    try:
        async with session.begin_nested():
            session.add(BesluitNummerTeller(verantwoordelijke_organisatie=organisatie, jaar=year, laatste=1))
            await session.flush()
        return 1
    except IntegrityError:
        # Another transaction created the counter first: advance it instead.
        return int((await session.execute(stmt)).scalar_one())


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
        candidate = format_identificatie(today.year, await _next_number(session, organisatie, today.year))
        if not await is_taken(session, organisatie, candidate):
            return candidate
