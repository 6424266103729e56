"""Two tenants with the same catalogus, the same zaak identificaties and the same client id:
every list endpoint of every API, called as tenant A, never shows, counts or reaches
tenant B's data; B's detail URLs are not found from A's side, and cannot be changed."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.cli import DEMO
from samenzaak.catalogi.transfer import import_catalogus
from samenzaak.common.auth import Auth
from samenzaak.common.urls import UrlBuilder
from samenzaak.db import DEFAULT_TENANT_ID, Tenant
from tests.conftest import ApiClient, make_client
from tests.spec import SPEC_FOR_ROOT

CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


async def seed(api: ApiClient, session: AsyncSession, tenant_id: int, prefix: str) -> dict[str, Any]:
    """The demo catalogus, a zaak with a status and a document, all in one tenant."""
    session.info["tenant_id"] = tenant_id
    token = await make_client(session, "same-client", secret=f"secret-{tenant_id}", all_rights=True)
    urls = UrlBuilder(base="http://testserver", prefix=prefix)
    await import_catalogus(
        session, Auth(client_id="seed", all_rights=True), urls, json.loads(DEMO.read_text())
    )
    session.info["tenant_id"] = DEFAULT_TENANT_ID
    client = api.with_token(token)
    zaaktypen = (
        await client.get(f"{prefix}/catalogi/api/v1/zaaktypen", params={"identificatie": "MOR-001"})
    ).json()
    zaaktype = zaaktypen["results"][0]
    zaak = await client.post(
        f"{prefix}/zaken/api/v1/zaken",
        headers=CRS,
        json={
            "identificatie": "ZAAK-GEDEELD-1",
            "zaaktype": zaaktype["url"],
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2026-11-01",
        },
    )
    assert zaak.status_code == 201, zaak.text
    iot = (
        await client.get(f"{prefix}/catalogi/api/v1/informatieobjecttypen", params={"status": "definitief"})
    ).json()
    document = await client.post(
        f"{prefix}/documenten/api/v1/enkelvoudiginformatieobjecten",
        json={
            "identificatie": "DOC-GEDEELD-1",
            "bronorganisatie": "002220647",
            "creatiedatum": "2026-11-01",
            "titel": "Foto van de stoeptegel",
            "auteur": "Melder",
            "taal": "nld",
            "informatieobjecttype": iot["results"][0]["url"],
            "inhoud": base64.b64encode(b"jpeg").decode(),
            "bestandsnaam": "tegel.jpg",
        },
    )
    assert document.status_code == 201, document.text
    return {"token": token, "zaak": zaak.json(), "document": document.json(), "zaaktype": zaaktype}


def collection_paths() -> list[tuple[str, str]]:
    """Every GET path without a path parameter, of every spec we serve."""
    from importlib import resources

    found = []
    for root, filename in SPEC_FOR_ROOT.items():
        doc = yaml.safe_load(resources.files("samenzaak.specs").joinpath(filename).read_text())
        for path, item in doc["paths"].items():
            if "get" in item and "{" not in path:
                found.append((root, path))
    return found


@pytest.fixture
async def two_tenants(api: ApiClient, session: AsyncSession) -> dict[str, Any]:
    b = Tenant(slug="gemeente-b", naam="Gemeente B")
    session.add(b)
    await session.commit()
    ours = await seed(api, session, DEFAULT_TENANT_ID, "")
    theirs = await seed(api, session, b.id, "/gemeente-b")
    return {"a": ours, "b": theirs}


async def test_no_list_of_any_api_shows_the_other_tenants_data(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    ours = set(UUID.findall(json.dumps([a["zaak"], a["document"], a["zaaktype"]])))
    # Shared reference data (the Selectielijst) appears in both; everything else is B's own.
    theirs = set(UUID.findall(json.dumps([b["zaak"], b["document"], b["zaaktype"]]))) - ours
    assert {b["zaak"]["uuid"], b["document"]["url"].rsplit("/", 1)[-1]} <= theirs
    client = api.with_token(a["token"])
    client.validate = False  # some list endpoints need filters; here only the data matters
    checked = 0
    for root, path in collection_paths():
        r = await client.get(f"{root}{path}", headers=CRS)
        if r.status_code != 200:
            continue
        body = r.text
        assert not theirs & set(UUID.findall(body)), f"{root}{path} shows tenant B's data"
        assert "/gemeente-b/" not in body, f"{root}{path} links to tenant B"
        checked += 1
    assert checked >= 15

    # The zaken list counts only A's zaak, though B has one with the same identificatie.
    r = await client.get("/zaken/api/v1/zaken", headers=CRS, params={"identificatie": "ZAAK-GEDEELD-1"})
    assert r.json()["count"] == 1


async def test_the_other_tenants_objects_cannot_be_reached_or_changed(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    client.validate = False
    for url in (b["zaak"]["url"], b["document"]["url"], b["zaaktype"]["url"]):
        local = url.replace("/gemeente-b", "")  # the same uuid under A's own base URL
        assert (await client.get(local, headers=CRS)).status_code == 404, local
        assert (await client.patch(local, headers=CRS, json={"omschrijving": "x"})).status_code in (403, 404)
        assert (await client.delete(local, headers=CRS)).status_code in (403, 404)
        # and B's own URL is refused to A's client outright
        assert (await client.get(url, headers=CRS)).status_code == 403
    # B's zaak is unchanged
    b_client = api.with_token(b["token"])
    b_client.validate = False
    r = await b_client.get(b["zaak"]["url"], headers=CRS)
    assert r.status_code == 200 and r.json()["omschrijving"] == b["zaak"]["omschrijving"]


async def test_a_zaak_of_tenant_a_cannot_point_at_a_zaaktype_of_tenant_b(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    r = await client.post(
        "/zaken/api/v1/zaken",
        headers=CRS,
        json={
            "zaaktype": b["zaaktype"]["url"],
            "bronorganisatie": "002220647",
            "verantwoordelijkeOrganisatie": "002220647",
            "startdatum": "2026-11-01",
        },
    )
    # B's URL is not ours: it is treated as a remote URL, which does not resolve here.
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "zaaktype"


async def test_search_expand_audit_trail_and_dashboard_stay_within_the_tenant(
    api: ApiClient, two_tenants: dict[str, Any]
) -> None:
    a, b = two_tenants["a"], two_tenants["b"]
    client = api.with_token(a["token"])
    client.validate = False
    theirs = {b["zaak"]["uuid"], b["zaaktype"]["url"].rsplit("/", 1)[-1]}

    r = await client.post("/zaken/api/v1/zaken/_zoek", headers=CRS, json={"identificatie": "ZAAK-GEDEELD-1"})
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 1 and not theirs & set(UUID.findall(r.text))

    r = await client.get("/zaken/api/v1/zaken", headers=CRS, params={"expand": "zaaktype,status"})
    assert r.status_code == 200, r.text
    assert not theirs & set(UUID.findall(r.text)) and "/gemeente-b/" not in r.text

    local = b["zaak"]["url"].replace("/gemeente-b", "")
    assert (await client.get(f"{local}/audittrail", headers=CRS)).status_code == 404

    # The dashboard's figures count only A's zaken, though B's zaak has the same identificatie and type.
    token_ok = await client.get("/dashboard/api/overzicht", params={"zaaktype": "MOR-001"})
    assert token_ok.status_code == 200, token_ok.text
    assert "/gemeente-b/" not in token_ok.text and not theirs & set(UUID.findall(token_ok.text))


async def test_notifications_of_one_tenant_go_only_to_its_own_subscribers(
    api: ApiClient, two_tenants: dict[str, Any], session: AsyncSession
) -> None:
    from sqlalchemy import select

    from samenzaak.common.notifications import OutboxMessage

    a, b = two_tenants["a"], two_tenants["b"]
    rows = (
        await session.execute(
            select(OutboxMessage.tenant_id, OutboxMessage.resource_url)
            .where(OutboxMessage.kanaal == "zaken")
            .execution_options(all_tenants=True)
        )
    ).all()
    by_url = {url: tenant for tenant, url in rows}
    assert by_url[a["zaak"]["url"]] == DEFAULT_TENANT_ID
    assert by_url[b["zaak"]["url"]] != DEFAULT_TENANT_ID
    # Seen from tenant A's session, B's outbox rows do not exist.
    visible = set((await session.scalars(select(OutboxMessage.resource_url))).all())
    assert a["zaak"]["url"] in visible and b["zaak"]["url"] not in visible
