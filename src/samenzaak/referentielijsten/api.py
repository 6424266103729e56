"""Routes of the Referentielijsten API (mounted by samenzaak.app at its API root).

Read-only and public: the standard says these APIs "behoeven geen autorisatie", so no
route asks for a token (one that is sent is ignored).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request

from samenzaak.common.pagination import page_url
from samenzaak.common.problems import NotFound, field_error
from samenzaak.common.urls import UrlBuilder
from samenzaak.common.web import JSON, UrlsDep, public_url
from samenzaak.referentielijsten import service
from samenzaak.referentielijsten.data import Record

router = APIRouter()

PAGE_SIZE = 100  # as VRL (DRF PAGE_SIZE) and the Go server; fixed by the hosted instances


def _page(
    request: Request,
    urls: UrlBuilder,
    kind: str,
    records: Sequence[Record],
    page: int,
    *,
    strict: bool = True,
) -> JSON:
    """One page of ``records`` (a precomputed sequence: only this page's dicts are built).

    ``strict``: a page out of range is a 400 (as our other APIs). The spec documents no error
    status at all for /communicatiekanalen, so there such a page is answered empty instead.
    """
    count = len(records)
    out_of_range = page < 1 or (page > 1 and (page - 1) * PAGE_SIZE >= count)
    if out_of_range and strict:
        raise field_error("page", "invalid", "Ongeldige pagina.")
    start = (page - 1) * PAGE_SIZE
    url = public_url(request, urls)
    last = max(1, -(-count // PAGE_SIZE))
    body = {
        "count": count,
        "next": page_url(url, page + 1) if not out_of_range and start + PAGE_SIZE < count else None,
        "previous": page_url(url, min(page - 1, last)) if page > 1 else None,
        "results": []
        if out_of_range
        else [service.to_dict(kind, r, urls) for r in records[start : start + PAGE_SIZE]],
    }
    return JSON(body)


def _detail(kind: str, pk: str, urls: UrlBuilder, label: str) -> JSON:
    # A path that is not a UUID is just a resource that does not exist: the spec documents a
    # 404 for these paths, not a 400.
    try:
        record = service.get(kind, uuid.UUID(pk))
    except ValueError:
        record = None
    if record is None:
        raise NotFound(f"Geen {label} met uuid {pk}.")
    return JSON(service.to_dict(kind, record, urls))


@router.get("/procestypen")
async def procestype_list(urls: UrlsDep, jaar: Annotated[str | None, Query()] = None) -> JSON:
    year: int | None = None
    if jaar is not None and jaar != "":
        try:
            year = int(jaar)
        except ValueError:
            raise field_error("jaar", "invalid", "Voer een geheel getal in.") from None
    return JSON([service.to_dict("procestypen", r, urls) for r in service.procestypen(year)])


@router.get("/procestypen/{uuid}")
async def procestype_read(uuid: str, urls: UrlsDep) -> JSON:
    return _detail("procestypen", uuid, urls, "procestype")


@router.get("/resultaten")
async def resultaat_list(
    request: Request,
    urls: UrlsDep,
    # 0.6.0 and the Go server call the filter proces_type; 1.0.0-alpha and 0.5.7 (and Open
    # Zaak's client) call it procesType. Both are accepted; given together, both apply.
    proces_type: Annotated[str | None, Query()] = None,
    procesType: Annotated[str | None, Query()] = None,
    page: Annotated[int, Query()] = 1,
) -> JSON:
    records: Sequence[Record] = service.resultaten()
    wanted = {value for value in (proces_type, procesType) if value}
    if wanted:
        pks = {urls.local_uuid(value, service.API, "procestypen") for value in wanted}
        # An URL that is not one of our procestypen matches nothing (as the DRF URL filter).
        pk = pks.pop() if len(pks) == 1 else None
        records = service.resultaten(pk) if pk is not None else ()
    return _page(request, urls, "resultaten", records, page)


@router.get("/resultaten/{uuid}")
async def resultaat_read(uuid: str, urls: UrlsDep) -> JSON:
    return _detail("resultaten", uuid, urls, "resultaat")


@router.get("/resultaattypeomschrijvingen")
async def resultaattypeomschrijving_list(urls: UrlsDep) -> JSON:
    items: list[dict[str, Any]] = [
        service.to_dict("resultaattypeomschrijvingen", r, urls) for r in service.resultaattypeomschrijvingen()
    ]
    return JSON(items)


@router.get("/resultaattypeomschrijvingen/{uuid}")
async def resultaattypeomschrijving_read(uuid: str, urls: UrlsDep) -> JSON:
    return _detail("resultaattypeomschrijvingen", uuid, urls, "resultaattypeomschrijving")


@router.get("/communicatiekanalen")
async def communicatiekanaal_list(
    request: Request, urls: UrlsDep, page: Annotated[str | None, Query()] = None
) -> JSON:
    try:
        number = int(page) if page else 1
    except ValueError:
        number = 0  # out of range: an empty page, as for any other page that does not exist
    return _page(request, urls, "communicatiekanalen", service.communicatiekanalen(), number, strict=False)


@router.get("/communicatiekanalen/{uuid}")
async def communicatiekanaal_read(uuid: str, urls: UrlsDep) -> JSON:
    return _detail("communicatiekanalen", uuid, urls, "communicatiekanaal")
