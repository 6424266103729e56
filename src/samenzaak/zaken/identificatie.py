"""zrc-002: zaak identificaties, unique per bronorganisatie, generated when absent.

Numbers come from one counter row per (tenant, bronorganisatie, year), advanced with
``UPDATE … RETURNING``: on PostgreSQL the row lock serialises concurrent creators until
their transactions end, on SQLite the database-wide write lock does. A number is skipped
when a zaak already carries it by hand.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.zaken.models import Zaak, ZaakIdentificatie, ZaakNummerTeller

PREFIX = "ZAAK"


def format_identificatie(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:010d}"


async def _next_number(session: AsyncSession, bronorganisatie: str, year: int) -> int:
    stmt = (
        update(ZaakNummerTeller)
        .where(ZaakNummerTeller.bronorganisatie == bronorganisatie, ZaakNummerTeller.jaar == year)
        .values(laatste=ZaakNummerTeller.laatste + 1)
        .returning(ZaakNummerTeller.laatste)
    )
    number = (await session.execute(stmt)).scalar_one_or_none()
    if number is not None:
        return int(number)
    try:
        async with session.begin_nested():
            session.add(ZaakNummerTeller(bronorganisatie=bronorganisatie, jaar=year, laatste=1))
            await session.flush()
        return 1
    except IntegrityError:
        # Another transaction created the counter first: advance it instead.
        number = (await session.execute(stmt)).scalar_one()
        return int(number)


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
        candidate = format_identificatie(today.year, await _next_number(session, bronorganisatie, today.year))
        if not await identificatie_taken(session, bronorganisatie, candidate):
            session.add(ZaakIdentificatie(bronorganisatie=bronorganisatie, identificatie=candidate))
            return candidate


async def reserve(session: AsyncSession, bronorganisatie: str, today: date, aantal: int) -> list[str]:
    return [await generate(session, bronorganisatie, today) for _ in range(aantal)]
