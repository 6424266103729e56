"""JWT failure modes and the autorisaties-to-SQL filter."""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from sqlalchemy import Column, MetaData, String, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.auth import Auth, Grant
from tests.conftest import ApiClient, make_client

URL = "/autorisaties/api/v1/applicaties"


async def test_missing_token_is_refused_with_not_authenticated(anon: ApiClient) -> None:
    r = await anon.get(URL)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["code"] == "not_authenticated"


async def test_non_bearer_scheme_is_refused(anon: ApiClient) -> None:
    r = await anon.get(URL, headers={"Authorization": "Basic Zm9vOmJhcg=="})
    assert r.status_code == 403
    assert r.json()["code"] == "not_authenticated"


async def test_malformed_token_is_refused(anon: ApiClient) -> None:
    r = await anon.get(URL, headers={"Authorization": "Bearer not.a.jwt"})
    assert r.status_code == 403
    assert r.json()["code"] == "invalid-jwt"


async def test_wrongly_signed_token_is_refused(anon: ApiClient, session: AsyncSession) -> None:
    await make_client(session, "signer", secret="right", all_rights=True)
    token = jwt.encode({"client_id": "signer", "iat": int(time.time())}, "wrong", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "invalid-jwt-signature"


async def test_expired_token_is_refused(anon: ApiClient, session: AsyncSession) -> None:
    await make_client(session, "old", secret="s", all_rights=True)
    now = int(time.time())
    token = jwt.encode({"client_id": "old", "iat": now - 7200, "exp": now - 3600}, "s", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "jwt-expired"


async def test_token_without_iat_is_refused(anon: ApiClient, session: AsyncSession) -> None:
    await make_client(session, "noiat", secret="s", all_rights=True)
    token = jwt.encode({"client_id": "noiat"}, "s", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "jwt-missing-iat"


async def test_token_from_the_future_is_refused(anon: ApiClient, session: AsyncSession) -> None:
    await make_client(session, "future", secret="s", all_rights=True)
    token = jwt.encode({"client_id": "future", "iat": int(time.time()) + 3600}, "s", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "jwt-immature"


async def test_token_without_client_id_is_refused(anon: ApiClient) -> None:
    token = jwt.encode({"iat": int(time.time())}, "s", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "missing-client-identifier"


async def test_unknown_client_is_refused(anon: ApiClient) -> None:
    token = jwt.encode({"client_id": "nobody", "iat": int(time.time())}, "s", algorithm="HS256")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "invalid-client-identifier"


async def test_other_algorithms_are_refused(anon: ApiClient) -> None:
    token = jwt.encode({"client_id": "x", "iat": int(time.time())}, "s" * 64, algorithm="HS512")
    r = await anon.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 403
    assert r.json()["code"] == "invalid-jwt"


async def test_known_secret_without_applicatie_has_no_scopes(anon: ApiClient, session: AsyncSession) -> None:
    from samenzaak.autorisaties.models import ClientCredential
    from samenzaak.common.auth import make_token

    session.add(ClientCredential(client_id="lonely", secret="s"))
    await session.commit()
    r = await anon.get(URL, headers={"Authorization": f"Bearer {make_token('lonely', 's')}"})
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"


async def test_the_caller_is_loaded_in_one_query_or_two_with_limited_rights(
    session: AsyncSession, count_queries: Any
) -> None:
    from samenzaak.common.auth import authenticate

    everything = await make_client(session, "alles", all_rights=True)
    limited = await make_client(
        session,
        "beperkt",
        autorisaties=[
            {"component": "zrc", "scopes": ["zaken.lezen"], "zaaktype": "http://zt/1"},
            {
                "component": "drc",
                "scopes": ["documenten.lezen", "documenten.aanmaken"],
                "informatieobjecttype": "http://iot/1",
                "maxVertrouwelijkheidaanduiding": "geheim",
            },
        ],
    )
    with count_queries() as one:
        auth = await authenticate(session, f"Bearer {everything}", leeway=0, max_age=None)
    assert auth.all_rights and auth.applicatie_label == "alles" and auth.client_id == "alles"
    assert one.count == 1
    with count_queries() as two:
        auth = await authenticate(session, f"Bearer {limited}", leeway=0, max_age=None)
    assert two.count == 2 and not auth.all_rights and auth.applicatie_uuid
    assert auth.grants == [
        Grant("zrc", frozenset({"zaken.lezen"}), "http://zt/1", ""),
        Grant("drc", frozenset({"documenten.lezen", "documenten.aanmaken"}), "http://iot/1", "geheim"),
    ]


# --- the SQL filter -----------------------------------------------------------------------

zaken = Table(
    "t_zaken",
    MetaData(),
    Column("zaaktype", String),
    Column("vertrouwelijkheidaanduiding", String),
)


def _filter_sql(auth: Auth) -> str:
    clause = auth.sql_filter(
        "zrc",
        "zaken.lezen",
        lambda urls: zaken.c.zaaktype.in_(urls),
        zaken.c.vertrouwelijkheidaanduiding,
    )
    return str(select(zaken).where(clause).compile(compile_kwargs={"literal_binds": True}))


def test_filter_for_all_rights_is_unrestricted() -> None:
    sql = _filter_sql(Auth(client_id="a", all_rights=True))
    assert ("WHERE" in sql and "1 = 1" in sql) or "true" in sql.lower()


def test_filter_without_grants_matches_nothing() -> None:
    sql = _filter_sql(Auth(client_id="a"))
    assert "0 = 1" in sql or "false" in sql.lower()


def test_filter_groups_types_per_level_so_its_size_does_not_grow_with_types() -> None:
    grants = [
        Grant("zrc", frozenset({"zaken.lezen"}), f"http://x/zaaktypen/{i}", "openbaar" if i % 2 else "geheim")
        for i in range(200)
    ]
    sql = _filter_sql(Auth(client_id="a", grants=grants))
    # two levels -> two IN-lists, however many zaaktypen
    assert sql.count("t_zaken.zaaktype IN") == 2
    assert "'zeer_geheim'" not in sql
    assert "'geheim'" in sql


def test_filter_ignores_grants_of_other_scopes_and_components() -> None:
    grants = [
        Grant("zrc", frozenset({"zaken.aanmaken"}), "http://x/zt/1", "geheim"),
        Grant("drc", frozenset({"zaken.lezen"}), "http://x/zt/2", "geheim"),
    ]
    sql = _filter_sql(Auth(client_id="a", grants=grants))
    assert "0 = 1" in sql or "false" in sql.lower()


@pytest.mark.parametrize(
    ("level", "max_level", "allowed"),
    [("openbaar", "intern", True), ("intern", "intern", True), ("geheim", "intern", False)],
)
def test_allows_respects_max_vertrouwelijkheid(level: str, max_level: str, allowed: bool) -> None:
    auth = Auth(client_id="a", grants=[Grant("zrc", frozenset({"zaken.lezen"}), "http://zt/1", max_level)])
    assert auth.allows("zrc", "zaken.lezen", "http://zt/1", level) is allowed
    assert auth.allows("zrc", "zaken.lezen", "http://zt/2", "openbaar") is False


async def test_filter_selects_the_right_rows(session: AsyncSession) -> None:
    """The clause run on a real database returns exactly the visible rows."""
    conn = await session.connection()
    await conn.run_sync(lambda c: zaken.create(c))
    await session.execute(
        zaken.insert(),
        [
            {"zaaktype": "A", "vertrouwelijkheidaanduiding": "openbaar"},
            {"zaaktype": "A", "vertrouwelijkheidaanduiding": "geheim"},
            {"zaaktype": "B", "vertrouwelijkheidaanduiding": "geheim"},
            {"zaaktype": "C", "vertrouwelijkheidaanduiding": "openbaar"},
        ],
    )
    auth = Auth(
        client_id="a",
        grants=[
            Grant("zrc", frozenset({"zaken.lezen"}), "A", "intern"),
            Grant("zrc", frozenset({"zaken.lezen"}), "B", "zeer_geheim"),
        ],
    )
    clause = auth.sql_filter(
        "zrc", "zaken.lezen", lambda urls: zaken.c.zaaktype.in_(urls), zaken.c.vertrouwelijkheidaanduiding
    )
    rows = (await session.execute(select(zaken).where(clause).order_by(zaken.c.zaaktype))).all()
    assert [tuple(r) for r in rows] == [("A", "openbaar"), ("B", "geheim")]
