"""Page-number pagination (``count``, ``next``, ``previous``, ``results``) done in SQL.

Two queries a page: the exact count (over the filtered ids only, without ordering or
joins the caller added for display) and the page itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import URL

from samenzaak.common.problems import field_error

T = TypeVar("T")


@dataclass(slots=True)
class Page(Generic[T]):
    count: int
    items: Sequence[T]
    next: str | None
    previous: str | None

    def body(self, results: list[Any]) -> dict[str, Any]:
        return {"count": self.count, "next": self.next, "previous": self.previous, "results": results}


def page_url(url: URL, page: int | None) -> str:
    if page is None or page <= 1:
        return str(url.remove_query_params("page")) if page == 1 else ""
    return str(url.include_query_params(page=page))


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    page: int,
    page_size: int,
    url: URL,
    count_stmt: Select[Any] | None = None,
    scalars: bool = True,
) -> Page[Any]:
    """Run ``stmt`` for one page. ``url`` is the public URL of the request (for next/previous)."""
    if page < 1:
        raise _invalid_page()
    base_count = count_stmt if count_stmt is not None else stmt
    count = await session.scalar(select(func.count()).select_from(base_count.order_by(None).subquery())) or 0
    if page > 1 and (page - 1) * page_size >= count:
        raise _invalid_page()
    paged = stmt.limit(page_size).offset((page - 1) * page_size)
    result = await session.execute(paged)
    items: Sequence[Any] = result.scalars().all() if scalars else result.all()
    nxt = page_url(url, page + 1) if page * page_size < count else None
    prev = page_url(url, page - 1) if page > 1 else None
    return Page(count=count, items=items, next=nxt, previous=prev)


def _invalid_page() -> Exception:
    # DRF answers 404 here, but the specs document no 404 on list operations; 400 is documented.
    return field_error("page", "invalid", "Ongeldige pagina.")
