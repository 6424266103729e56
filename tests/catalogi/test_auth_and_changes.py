"""Scopes (catalogi.*, ztc-014), notifications and audit rows, HTTP caching."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.audit import AuditTrail
from samenzaak.common.notifications import OutboxMessage
from tests.catalogi import helpers as h
from tests.conftest import ApiClient, make_client


@pytest.fixture
async def cat(api: ApiClient) -> dict[str, Any]:
    return await h.catalogus(api)


async def client(
    api: ApiClient, session: AsyncSession, name: str, component: str, scopes: list[str]
) -> ApiClient:
    return api.with_token(
        await make_client(session, name, autorisaties=[{"component": component, "scopes": scopes}])
    )


async def test_reading_needs_catalogi_lezen(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any], anon: ApiClient
) -> None:
    writer = await client(api, session, "alleen-schrijven", "ztc", ["catalogi.schrijven"])
    assert (await writer.get(f"{h.ROOT}/zaaktypen")).status_code == 403
    assert (await anon.get(f"{h.ROOT}/zaaktypen")).status_code in (401, 403)
    reader = await client(api, session, "lezer", "ztc", ["catalogi.lezen"])
    assert (await reader.get(cat["url"])).status_code == 200


async def test_writing_needs_catalogi_schrijven(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any]
) -> None:
    reader = await client(api, session, "lezer", "ztc", ["catalogi.lezen"])
    r = await reader.post(f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(cat["url"]))
    assert r.status_code == 403
    zt = await h.zaaktype(api, cat["url"])
    assert (await reader.post(f"{zt['url']}/publish")).status_code == 403
    assert (await reader.patch(zt["url"], json={"doel": "x"})).status_code == 403


async def test_ztc_014_zaken_and_documenten_read_the_catalogue(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any]
) -> None:
    zaken = await client(api, session, "zaken-api", "zrc", ["zaken.lezen"])
    documenten = await client(api, session, "documenten-api", "drc", ["documenten.lezen"])
    assert (await zaken.get(f"{h.ROOT}/zaaktypen")).status_code == 200
    assert (await documenten.get(cat["url"])).status_code == 200
    assert (await zaken.post(f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(cat["url"]))).status_code == 403


async def test_geforceerd_verwijderen_without_it_is_refused(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any]
) -> None:
    writer = await client(api, session, "schrijver", "ztc", ["catalogi.lezen", "catalogi.schrijven"])
    forced = await client(
        api, session, "opruimer", "ztc", ["catalogi.lezen", "catalogi.geforceerd-verwijderen"]
    )
    bt = await h.besluittype(api, cat["url"])
    await h.publish(api, bt["url"])
    assert await h.delete(writer, bt["url"]) == 400
    assert await h.delete(forced, bt["url"]) == 204


async def test_notifications_and_audit_of_a_zaaktype(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any]
) -> None:
    zt = await h.zaaktype(api, cat["url"])
    await h.create(api, "statustypen", {"zaaktype": zt["url"], "omschrijving": "s", "volgnummer": 1})
    await h.publish(api, zt["url"])
    messages = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    ours = [(m.kanaal, m.actie, m.resource, m.kenmerken) for m in messages if m.resource_url == zt["url"]]
    assert ours == [
        ("zaaktypen", "create", "zaaktype", {"catalogus": cat["url"]}),
        ("zaaktypen", "publish", "zaaktype", {"catalogus": cat["url"]}),
    ]
    trail = (await session.scalars(select(AuditTrail).where(AuditTrail.hoofd_object == zt["url"]))).all()
    assert {a.bron for a in trail} == {"ZTC"}
    assert sorted(a.resource for a in trail) == ["statustype", "zaaktype", "zaaktype"]


async def test_head_and_etag(api: ApiClient, cat: dict[str, Any]) -> None:
    zt = await h.zaaktype(api, cat["url"])
    r = await api.get(zt["url"])
    etag = r.headers["etag"]
    head = await api.request("HEAD", zt["url"])
    assert head.status_code == 200 and head.headers["etag"] == etag and head.content == b""
    api.validate = False  # the spec lists no 304, while its text demands it for If-None-Match
    cached = await api.get(zt["url"], headers={"If-None-Match": etag})
    api.validate = True
    assert cached.status_code == 304 and cached.content == b""
    await api.patch(zt["url"], json={"doel": "ander doel"})
    assert (await api.get(zt["url"], headers={"If-None-Match": etag})).status_code == 200
