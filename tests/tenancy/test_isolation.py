"""Tenants: separate URLs, separate credentials, separate data (issue 12, first part)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.db import DEFAULT_TENANT_ID, Tenant
from tests.conftest import ApiClient, make_client

AC = "/autorisaties/api/v1/applicaties"


async def add_tenant(session: AsyncSession, slug: str, active: bool = True) -> int:
    tenant = Tenant(slug=slug, naam=slug.title(), active=active)
    session.add(tenant)
    await session.commit()
    return tenant.id


async def client_in(session: AsyncSession, tenant_id: int, client_id: str) -> str:
    session.info["tenant_id"] = tenant_id
    try:
        return await make_client(session, client_id, all_rights=True)
    finally:
        session.info["tenant_id"] = DEFAULT_TENANT_ID


async def test_each_tenant_sees_only_its_own_data(api: ApiClient, session: AsyncSession) -> None:
    b = await add_tenant(session, "gemeente-b")
    token_b = await client_in(session, b, "same-client-id")
    token_a = await make_client(session, "same-client-id", secret="other", all_rights=True)

    in_b = api.with_token(token_b)
    r = await in_b.get(f"/gemeente-b{AC}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 1
    assert body["results"][0]["url"].startswith(
        "http://testserver/gemeente-b/autorisaties/api/v1/applicaties/"
    )

    r = await api.with_token(token_a).get(AC)
    client_ids = sorted(c for a in r.json()["results"] for c in a["clientIds"])
    assert client_ids == ["same-client-id", "test-admin"]

    # A detail URL of tenant B is not found under the default tenant, even for an all-rights client.
    r = await api.get(body["results"][0]["url"].replace("/gemeente-b", ""))
    assert r.status_code == 404


async def test_a_token_of_one_tenant_is_refused_by_another(api: ApiClient, session: AsyncSession) -> None:
    await add_tenant(session, "gemeente-c")
    r = await api.get(f"/gemeente-c{AC}")  # the admin token belongs to the default tenant
    assert r.status_code == 403
    assert r.json()["code"] == "invalid-client-identifier"


async def test_writes_land_in_the_tenant_of_the_url(api: ApiClient, session: AsyncSession) -> None:
    d = await add_tenant(session, "gemeente-d")
    token_d = await client_in(session, d, "d-admin")
    r = await api.with_token(token_d).post(
        f"/gemeente-d{AC}", json={"clientIds": ["d-app"], "label": "D", "heeftAlleAutorisaties": True}
    )
    assert r.status_code == 201, r.text
    assert r.headers["location"].startswith("http://testserver/gemeente-d/")
    r = await api.get(AC, params={"clientIds": "d-app"})
    assert r.json()["count"] == 0


async def test_disabled_tenant_is_refused(api: ApiClient, session: AsyncSession) -> None:
    e = await add_tenant(session, "gemeente-e", active=False)
    token_e = await client_in(session, e, "e-admin")
    r = await api.with_token(token_e).get(f"/gemeente-e{AC}")
    assert r.status_code == 403
    assert r.json()["code"] == "tenant-disabled"


async def test_unknown_prefix_is_not_a_tenant(api: ApiClient) -> None:
    api.validate = False  # not a ZGW URL at all, so no spec applies
    r = await api.get(f"/nergens{AC}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_the_orm_scoping_covers_get_update_and_delete(session: AsyncSession) -> None:
    """session.get, bulk UPDATE and bulk DELETE are scoped like SELECT (one place, db.py)."""
    from sqlalchemy import delete, update

    from samenzaak.autorisaties.models import Applicatie

    other = await add_tenant(session, "gemeente-f")
    session.info["tenant_id"] = other
    theirs = Applicatie(label="theirs", clients=[], autorisaties=[])
    session.add(theirs)
    await session.commit()
    session.info["tenant_id"] = DEFAULT_TENANT_ID
    session.expunge_all()

    assert await session.get(Applicatie, theirs.uuid) is None
    result = await session.execute(update(Applicatie).where(Applicatie.uuid == theirs.uuid).values(label="x"))
    assert result.rowcount == 0  # type: ignore[attr-defined]
    result = await session.execute(delete(Applicatie).where(Applicatie.uuid == theirs.uuid))
    assert result.rowcount == 0  # type: ignore[attr-defined]

    session.info["tenant_id"] = other
    session.expunge_all()
    still = await session.get(Applicatie, theirs.uuid)
    assert still is not None and still.label == "theirs"
