"""Paging of GET /zaken: every zaak once, newest first, and a deep page costs what page 1 costs."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ApiClient, make_client
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak, make_catalog
from tests.zaken.test_autorisatie import grant


async def test_pages_hold_every_zaak_once_newest_first(api: ApiClient, catalog: Catalog, app: Any) -> None:
    app.state.settings.page_size = 2
    made = [(await create_zaak(api, catalog))["url"] for _ in range(5)]
    seen: list[str] = []
    url: str | None = f"{ZRC}/zaken?zaaktype={catalog.zaaktype_url}"
    while url:
        body = (await api.get(url, headers=CRS)).json()
        assert body["count"] == 5
        seen += [z["url"] for z in body["results"]]
        url = body["next"]
    assert seen == made[::-1]
    last = (await api.get(f"{ZRC}/zaken", params={"page": 3}, headers=CRS)).json()
    assert [z["url"] for z in last["results"]] == made[:1] and last["next"] is None and last["previous"]
    r = await api.get(f"{ZRC}/zaken", params={"page": 4}, headers=CRS)
    assert r.status_code == 400


async def test_a_deep_page_runs_the_queries_of_the_first(
    api: ApiClient, session: AsyncSession, catalog: Catalog, app: Any, count_queries: Any
) -> None:
    app.state.settings.page_size = 2
    other = await make_catalog(session)
    reader = api.with_token(
        await make_client(session, "lezer", autorisaties=[grant(catalog, ["zaken.lezen"], "openbaar")])
    )
    mine = [
        (await create_zaak(api, catalog, vertrouwelijkheidaanduiding="openbaar"))["url"] for _ in range(5)
    ]
    await create_zaak(api, catalog, vertrouwelijkheidaanduiding="geheim")
    await create_zaak(api, other)
    with count_queries() as first:
        r = await reader.get(f"{ZRC}/zaken", headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == mine[::-1][:2]
    with count_queries() as deep:
        r = await reader.get(f"{ZRC}/zaken", params={"page": 3}, headers=CRS)
    # The authorisation clause holds on the deep page too: only the openbaar zaken of the type.
    assert r.json()["count"] == 5 and [z["url"] for z in r.json()["results"]] == mine[:1]
    assert deep.count == first.count
    # The deep page skips keys in a subquery, not whole rows.
    page_sql = [s for s in deep.statements if "OFFSET" in s.upper() and "zrc_zaken" in s]
    assert len(page_sql) == 1 and len(re.findall(r"\bSELECT\b", page_sql[0])) == 2


async def test_pages_past_the_middle_are_read_from_the_other_end(
    api: ApiClient, catalog: Catalog, app: Any, count_queries: Any
) -> None:
    app.state.settings.page_size = 3
    made = [(await create_zaak(api, catalog))["url"] for _ in range(8)]
    newest_first = made[::-1]
    pages = []
    for page in (1, 2, 3):
        with count_queries() as q:
            body = (await api.get(f"{ZRC}/zaken", params={"page": page}, headers=CRS)).json()
        pages.append([z["url"] for z in body["results"]])
        sql = " ".join(q.statements)
        # Page 3 of 8 (offset 6 > 4) skips keys in ascending order, from the oldest zaak.
        backwards = "ORDER BY zrc_zaken.aangemaakt ASC, zrc_zaken.uuid ASC" in sql
        assert backwards == (page == 3)
    assert pages == [newest_first[0:3], newest_first[3:6], newest_first[6:8]]


async def test_sub_resource_pages_are_keyed_by_the_child_and_stay_authorised(
    api: ApiClient, session: AsyncSession, catalog: Catalog, app: Any, count_queries: Any
) -> None:
    app.state.settings.page_size = 2
    other = await make_catalog(session)
    reader = api.with_token(
        await make_client(session, "statuslezer", autorisaties=[grant(catalog, ["zaken.lezen"], "openbaar")])
    )
    readable = set()
    for c in (catalog, other, catalog, catalog, other, catalog):
        zaak = await create_zaak(api, c, vertrouwelijkheidaanduiding="openbaar")
        body = {
            "zaak": zaak["url"],
            "statustype": c.url("statustypen", c.begin),
            "datumStatusGezet": "2024-01-02",
        }
        r = await api.post(f"{ZRC}/statussen", json=body)
        assert r.status_code == 201
        if c is catalog:
            readable.add(r.json()["url"])
    assert (await api.get(f"{ZRC}/statussen")).json()["count"] == 6
    mine: list[str] = []
    counts = []
    url: str | None = f"{ZRC}/statussen"
    while url:
        with count_queries() as q:
            body = (await reader.get(url)).json()
        counts.append(q.count)
        assert body["count"] == 4
        mine += [s["url"] for s in body["results"]]
        url = body["next"]
    # Page 2 of 2 is read from the other end; every page costs the same statements.
    assert len(set(counts)) == 1 and len(mine) == 4 == len(set(mine))
    assert mine == sorted(mine, key=lambda u: u.rsplit("/", 1)[1]) and set(mine) == readable
