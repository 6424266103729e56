"""Login, sessions, CSRF, the JSON API's access rules, CSV = JSON, aggregates only."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.dashboard import security
from samenzaak.dashboard.models import DashboardSession
from tests.conftest import make_client
from tests.dashboard.conftest import ZT, Scenario, login

Q = "van=2025-01-06&tot=2025-02-02"


async def test_pages_redirect_to_login_without_a_session(dash: httpx.AsyncClient) -> None:
    r = await dash.get("/dashboard")
    assert r.status_code == 303 and r.headers["location"] == "/dashboard/login"


async def test_login_sets_a_secure_session_cookie(dash: httpx.AsyncClient, session: AsyncSession) -> None:
    await security.create_user(session, "anna", "geheim-wachtwoord")
    r = await login(dash, "anna", "geheim-wachtwoord")
    assert r.status_code == 303 and r.headers["location"] == "/dashboard"
    cookie = next(c for c in r.headers.get_list("set-cookie") if c.startswith(security.SESSION_COOKIE + "="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie
    assert "Secure" not in cookie  # plain http in the test; set on https
    # The database keeps only a hash of the token.
    token = cookie.split(";")[0].split("=", 1)[1]
    assert await session.scalar(select(func.count()).where(DashboardSession.token_hash == token)) == 0
    assert (await dash.get("/dashboard")).status_code == 200


async def test_login_cookie_is_secure_on_https(dashboard_app: Any, session: AsyncSession) -> None:
    await security.create_user(session, "anna", "geheim-wachtwoord")
    transport = httpx.ASGITransport(app=dashboard_app)
    async with httpx.AsyncClient(transport=transport, base_url="https://testserver") as client:
        r = await login(client, "anna", "geheim-wachtwoord")
    assert "Secure" in next(c for c in r.headers.get_list("set-cookie") if c.startswith("sz_dashboard="))


async def test_login_refuses_a_wrong_password_and_unknown_user(
    dash: httpx.AsyncClient, session: AsyncSession
) -> None:
    await security.create_user(session, "anna", "geheim-wachtwoord")
    assert (await login(dash, "anna", "fout")).status_code == 401
    r = await login(dash, "niemand", "geheim-wachtwoord")
    assert r.status_code == 401 and "onjuist wachtwoord" in r.text
    assert (await dash.get("/dashboard")).status_code == 303


async def test_login_without_csrf_token_is_refused(dash: httpx.AsyncClient, session: AsyncSession) -> None:
    await security.create_user(session, "anna", "geheim-wachtwoord")
    await dash.get("/dashboard/login")  # sets the CSRF cookie
    r = await dash.post(
        "/dashboard/login", data={"username": "anna", "password": "geheim-wachtwoord", "csrf_token": "forged"}
    )
    assert r.status_code == 400
    assert (await dash.get("/dashboard")).status_code == 303


async def test_passwords_are_stored_as_argon2_hashes(session: AsyncSession) -> None:
    user = await security.create_user(session, "anna", "geheim-wachtwoord")
    assert user.password_hash.startswith("$argon2id$")
    assert "geheim" not in user.password_hash


async def test_logout_ends_the_session(logged_in: httpx.AsyncClient) -> None:
    page = await logged_in.get("/dashboard")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    cookie = logged_in.cookies.get(security.SESSION_COOKIE)
    r = await logged_in.post("/dashboard/logout", data={"csrf_token": csrf.group(1)})
    assert r.status_code == 303
    # The old cookie no longer opens the dashboard, even if replayed.
    logged_in.cookies.set(security.SESSION_COOKIE, cookie or "", path="/dashboard")
    assert (await logged_in.get("/dashboard")).status_code == 303


async def test_deleting_a_user_ends_their_sessions(
    logged_in: httpx.AsyncClient, session: AsyncSession
) -> None:
    assert await security.delete_user(session, "anna")
    assert (await logged_in.get("/dashboard")).status_code == 303


async def test_a_session_belongs_to_its_tenant(logged_in: httpx.AsyncClient, scenario: Scenario) -> None:
    # The cookie of the default tenant opens nothing under another tenant's prefix.
    token = logged_in.cookies.get(security.SESSION_COOKIE)
    r = await logged_in.get(
        "/tweede/dashboard/api/overzicht", headers={"Cookie": f"{security.SESSION_COOKIE}={token}"}
    )
    assert r.status_code == 403


async def test_api_needs_a_login_or_a_jwt(dash: httpx.AsyncClient) -> None:
    r = await dash.get("/dashboard/api/overzicht")
    assert r.status_code == 403 and r.json()["code"] == "not_authenticated"


async def test_api_with_jwt_needs_dashboard_scope(
    dash: httpx.AsyncClient, session: AsyncSession, scenario: Scenario
) -> None:
    lezer = await make_client(
        session, "bi-tool", autorisaties=[{"component": "zrc", "scopes": ["dashboard.lezen"]}]
    )
    ander = await make_client(
        session, "ander", autorisaties=[{"component": "zrc", "scopes": ["zaken.lezen"]}]
    )
    ok = await dash.get(f"/dashboard/api/overzicht?{Q}", headers={"Authorization": f"Bearer {lezer}"})
    assert ok.status_code == 200 and ok.json()["totaal"]["open"] == 6
    refused = await dash.get(f"/dashboard/api/overzicht?{Q}", headers={"Authorization": f"Bearer {ander}"})
    assert refused.status_code == 403


async def test_api_with_alle_autorisaties(
    dash: httpx.AsyncClient, admin_token: str, scenario: Scenario
) -> None:
    r = await dash.get(f"/dashboard/api/vergelijking?{Q}", headers={"Authorization": f"Bearer {admin_token}"})
    assert r.status_code == 200
    assert {row["zaaktype"] for row in r.json()["tabellen"]["vergelijking"]["rows"]} == {ZT}


async def test_invalid_filter_is_a_problem(logged_in: httpx.AsyncClient) -> None:
    r = await logged_in.get("/dashboard/api/overzicht?van=2025-13-01")
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "van"
    r = await logged_in.get("/dashboard/api/overzicht?van=2025-02-01&tot=2025-01-01")
    assert r.status_code == 400


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


async def test_every_csv_matches_the_json(logged_in: httpx.AsyncClient, scenario: Scenario) -> None:
    overview = (await logged_in.get(f"/dashboard/api/overzicht?{Q}")).json()["tabellen"]
    zaaktype = (await logged_in.get(f"/dashboard/api/zaaktypen/{ZT}?{Q}")).json()["tabellen"]
    vgl = (await logged_in.get(f"/dashboard/api/vergelijking?{Q}")).json()["tabellen"]
    for name, table in [*overview.items(), *zaaktype.items(), *vgl.items()]:
        query = Q + (f"&zaaktype={ZT}" if table in zaaktype.values() else "")
        r = await logged_in.get(f"/dashboard/csv/{name}.csv?{query}")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        rows = _csv(r.text)
        assert len(rows) == len(table["rows"]), name
        for got, want in zip(rows, table["rows"], strict=True):
            for key, value in got.items():
                expected = want.get(key)
                assert value == ("" if expected is None else str(expected)), (name, key)


async def test_overdue_links_to_the_zaak_in_the_api(logged_in: httpx.AsyncClient, scenario: Scenario) -> None:
    rows = (await logged_in.get(f"/dashboard/api/te-laat?{Q}")).json()["tabellen"]["te_laat"]["rows"]
    zaak = scenario.zaken["over_gepland"]
    assert rows[0]["url"] == f"http://testserver/zaken/api/v1/zaken/{zaak.uuid}"
    page = await logged_in.get(f"/dashboard/te-laat?{Q}")
    assert f'href="http://testserver/zaken/api/v1/zaken/{zaak.uuid}"' in page.text


async def test_pages_show_figures_charts_and_tables(logged_in: httpx.AsyncClient, scenario: Scenario) -> None:
    page = (await logged_in.get(f"/dashboard?{Q}")).text
    assert '<dd id="kpi-open">6</dd>' in page and '<dd id="kpi-over-wettelijk">2</dd>' in page
    assert page.count('role="img"') == 4 and 'id="table-per_week"' in page
    zt = (await logged_in.get(f"/dashboard/zaaktype/{ZT}?{Q}")).text
    assert '<dd id="kpi-p50">16 d</dd>' in zt and 'class="marker"' in zt
    vgl = (await logged_in.get(f"/dashboard/vergelijking?{Q}")).text
    assert "Gemeente Twee" in vgl and 'class="own"' in vgl
    assert (await logged_in.get("/dashboard/zaaktype/ONBEKEND")).status_code == 404


async def test_empty_dashboard_explains_itself(logged_in: httpx.AsyncClient) -> None:
    page = (await logged_in.get("/dashboard")).text
    assert "Er zijn geen zaken in deze periode" in page
    assert 'role="img"' in page  # the weekly chart still draws its axes


async def test_no_personal_data_on_the_dashboard(logged_in: httpx.AsyncClient, scenario: Scenario) -> None:
    body = (await logged_in.get(f"/dashboard/api/overzicht?{Q}")).text
    for word in ("bsn", "inpBsn", "betrokkene", "naam", "rol"):
        assert word not in body.lower().replace("werkvoorraad", "")


async def test_query_count_does_not_grow_with_the_number_of_zaken(
    logged_in: httpx.AsyncClient, session: AsyncSession, scenario: Scenario, count_queries: Any
) -> None:
    from datetime import date

    from tests.dashboard.conftest import make_zaak

    with count_queries() as before:
        assert (await logged_in.get(f"/dashboard/api/overzicht?{Q}")).status_code == 200
    for day in range(6, 30):
        await make_zaak(session, scenario.types, date(2025, 1, day))
    await session.commit()
    with count_queries() as after:
        body = (await logged_in.get(f"/dashboard/api/overzicht?{Q}")).json()
    assert body["totaal"]["instroom"] == 5 + 24
    assert after.count == before.count
