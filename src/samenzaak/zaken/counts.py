"""The exact count of a zaken list from the totals the database keeps per (tenant,
zaaktype, vertrouwelijkheidaanduiding) (``zrc_zaak_aantallen``, migration zaken_0003).

Every zaak behind one totals row has the same values in those columns, so a filter that
names no other column is true for all of them or for none: the sum of the matching rows'
``aantal`` is the exact count. That covers the lists a zaaksysteem asks most (by zaaktype,
and whatever the caller's autorisaties allow); any other filter is counted on the zaken.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import visitors
from sqlalchemy.sql.selectable import SelectBase

from samenzaak.zaken.models import Zaak, ZaakAantal

_ZAKEN = Zaak.__table__
_KEPT = {
    name: ZaakAantal.__table__.c[name]
    for name in ("tenant_id", "zaaktype_uuid", "zaaktype_url", "vertrouwelijkheidaanduiding")
}


def on_totals(where: Sequence[ColumnElement[bool]]) -> list[ColumnElement[bool]] | None:
    """``where`` rewritten over the totals table, or ``None`` when it names anything else."""
    foreign = False

    def replace(element: Any, **kw: Any) -> Any:
        nonlocal foreign
        if isinstance(element, SelectBase):
            foreign = True  # a subquery (the rol filters): not ours to judge
            return element
        if isinstance(element, Column):
            kept = _KEPT.get(element.name) if element.table is _ZAKEN else None
            if kept is None:
                foreign = True
            return kept if kept is not None else element
        return None

    opts: dict[str, Any] = {}
    rewritten = [visitors.replacement_traverse(clause, opts, replace) for clause in where]
    return None if foreign else rewritten


async def total(session: AsyncSession, where: Sequence[ColumnElement[bool]]) -> int | None:
    """The number of zaken ``where`` selects, from the totals; ``None`` when they cannot tell."""
    terms = on_totals(where)
    if terms is None:
        return None
    return int(await session.scalar(select(func.coalesce(func.sum(ZaakAantal.aantal), 0)).where(*terms)) or 0)
