"""Autorisaties API 1.1.0: applicaties, the consumer lookup and the rules ac-001..ac-003."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.autorisaties.models import Applicatie
from samenzaak.common.audit import AuditTrail
from samenzaak.common.notifications import OutboxMessage
from tests.conftest import ApiClient, make_client

URL = "/autorisaties/api/v1/applicaties"
ZAAKTYPE = "http://testserver/catalogi/api/v1/zaaktypen/3a5a8d44-4f40-4d8c-a5a8-2e8d5a9cbb2f"


def zrc_body(*client_ids: str, **extra: Any) -> dict[str, Any]:
    return {
        "clientIds": list(client_ids),
        "label": "Zaaksysteem",
        "autorisaties": [
            {
                "component": "zrc",
                "scopes": ["zaken.lezen", "zaken.aanmaken"],
                "zaaktype": ZAAKTYPE,
                "maxVertrouwelijkheidaanduiding": "intern",
            }
        ],
        **extra,
    }


async def count(session: AsyncSession, model: Any) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def test_create_read_update_delete(api: ApiClient) -> None:
    r = await api.post(URL, json=zrc_body("zs-1", "zs-2"))
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == created["url"]
    assert created["clientIds"] == ["zs-1", "zs-2"]
    assert created["autorisaties"][0]["componentWeergave"] == "Zaken API"
    assert created["autorisaties"][0]["zaaktype"] == ZAAKTYPE

    r = await api.get(created["url"])
    assert r.status_code == 200 and r.json() == created

    r = await api.put(
        created["url"], json={"clientIds": ["zs-1"], "label": "Nieuw", "heeftAlleAutorisaties": True}
    )
    assert r.status_code == 200, r.text
    assert r.json()["heeftAlleAutorisaties"] is True and r.json()["autorisaties"] == []

    r = await api.patch(created["url"], json={"label": "Gewijzigd"})
    assert r.status_code == 200 and r.json()["label"] == "Gewijzigd"

    r = await api.delete(created["url"])
    assert r.status_code == 204
    assert (await api.get(created["url"])).status_code == 404


async def test_consumer_lookup_by_client_id(api: ApiClient) -> None:
    created = (await api.post(URL, json=zrc_body("kcc-1"))).json()
    r = await api.get(f"{URL}/consumer", params={"clientId": "kcc-1"})
    assert r.status_code == 200 and [a["url"] for a in r.json()] == [created["url"]]
    r = await api.get(f"{URL}/consumer", params={"clientId": "unknown"})
    assert r.status_code == 404


async def test_list_filters_on_client_ids(api: ApiClient) -> None:
    await api.post(URL, json=zrc_body("a-1"))
    await api.post(URL, json=zrc_body("b-1"))
    r = await api.get(URL, params={"clientIds": "a-1,c-9"})
    assert r.status_code == 200
    assert [a["clientIds"] for a in r.json()["results"]] == [["a-1"]]
    r = await api.get(URL)
    assert r.json()["count"] == 3  # a-1, b-1 and the admin client


async def test_list_runs_a_fixed_number_of_queries(api: ApiClient, count_queries: Any) -> None:
    for i in range(3):
        await api.post(URL, json=zrc_body(f"q-{i}"))
    with count_queries() as few:
        await api.get(URL)
    for i in range(3, 12):
        await api.post(URL, json=zrc_body(f"q-{i}"))
    with count_queries() as many:
        r = await api.get(URL)
    assert r.json()["count"] == 13
    assert few.count == many.count <= 7


async def test_ac_001_client_id_belongs_to_one_applicatie(api: ApiClient) -> None:
    assert (await api.post(URL, json=zrc_body("dup"))).status_code == 201
    r = await api.post(URL, json={"clientIds": ["dup"], "label": "x", "heeftAlleAutorisaties": True})
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "clientIds"
    assert r.json()["invalidParams"][0]["code"] == "clientId-exists"


async def test_ac_001_update_keeps_own_client_ids(api: ApiClient) -> None:
    created = (await api.post(URL, json=zrc_body("mine"))).json()
    r = await api.put(created["url"], json=zrc_body("mine", "mine-too"))
    assert r.status_code == 200, r.text


async def test_ac_002a_all_and_explicit_autorisaties_is_ambiguous(api: ApiClient) -> None:
    r = await api.post(URL, json=zrc_body("x", heeftAlleAutorisaties=True))
    assert r.status_code == 400
    assert r.json()["invalidParams"][0] == {
        "name": "nonFieldErrors",
        "code": "ambiguous-authorizations-specified",
        "reason": r.json()["invalidParams"][0]["reason"],
    }


async def test_ac_002b_no_autorisaties_at_all_is_refused(api: ApiClient) -> None:
    r = await api.post(URL, json={"clientIds": ["x"], "label": "x", "heeftAlleAutorisaties": False})
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["code"] == "missing-authorizations"


@pytest.mark.parametrize(
    ("component", "scope", "missing"),
    [
        ("zrc", "zaken.lezen", ["maxVertrouwelijkheidaanduiding", "zaaktype"]),
        ("drc", "documenten.lezen", ["informatieobjecttype", "maxVertrouwelijkheidaanduiding"]),
        ("brc", "besluiten.lezen", ["besluittype"]),
    ],
)
async def test_ac_003_type_bound_scopes_need_type_and_level(
    api: ApiClient, component: str, scope: str, missing: list[str]
) -> None:
    body = {
        "clientIds": ["x"],
        "label": "x",
        "autorisaties": [
            {
                "component": component,
                "scopes": [scope],
                "zaaktype": "",
                "informatieobjecttype": "",
                "besluittype": "",
                "maxVertrouwelijkheidaanduiding": "",
            }
        ],
    }
    r = await api.post(URL, json=body)
    assert r.status_code == 400
    params = sorted(r.json()["invalidParams"], key=lambda p: p["name"])
    assert [(p["name"], p["code"]) for p in params] == [(f"autorisaties.0.{m}", "required") for m in missing]
    # without a type-bound scope the same autorisatie is fine
    body["autorisaties"][0]["scopes"] = ["notificaties.publiceren"]
    assert (await api.post(URL, json=body)).status_code == 201


async def test_malformed_body_gives_invalid_params_and_writes_nothing(
    api: ApiClient, session: AsyncSession
) -> None:
    before = (
        await count(session, Applicatie),
        await count(session, AuditTrail),
        await count(session, OutboxMessage),
    )
    r = await api.post(
        URL, json={"clientIds": "not-a-list", "label": "", "autorisaties": [{"component": "xyz"}]}
    )
    assert r.status_code == 400
    names = {(p["name"], p["code"]) for p in r.json()["invalidParams"]}
    assert ("clientIds", "not_a_list") in names
    assert ("label", "min_length") in names
    assert ("autorisaties.0.component", "invalid_choice") in names
    assert ("autorisaties.0.scopes", "required") in names
    after = (
        await count(session, Applicatie),
        await count(session, AuditTrail),
        await count(session, OutboxMessage),
    )
    assert before == after


async def test_invalid_json_is_a_parse_error(api: ApiClient) -> None:
    r = await api.post(URL, content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["code"] == "parse_error"


async def test_change_writes_audit_and_notification(api: ApiClient, session: AsyncSession) -> None:
    created = (await api.post(URL, json=zrc_body("n-1"))).json()
    msg = await session.scalar(select(OutboxMessage).where(OutboxMessage.resource_url == created["url"]))
    assert msg is not None
    assert msg.message()["kanaal"] == "autorisaties"
    assert msg.message()["actie"] == "create" and msg.message()["resource"] == "applicatie"
    audit = await session.scalar(select(AuditTrail).where(AuditTrail.resource_url == created["url"]))
    assert audit is not None and audit.bron == "ac" and audit.nieuw["label"] == "Zaaksysteem"
    assert audit.gebruikers_id == "tester"


async def test_change_and_its_records_commit_together_or_not_at_all(
    api: ApiClient, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure after the row and the audit record are written leaves nothing behind."""
    from samenzaak.common import changes

    def broken_publish(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("outbox unavailable")

    monkeypatch.setattr(changes, "publish", broken_publish)
    before = (await count(session, Applicatie), await count(session, AuditTrail))
    r = await api.post(URL, json=zrc_body("atomic-1"))
    assert r.status_code == 500
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "request id" in r.json()["detail"]
    assert (await count(session, Applicatie), await count(session, AuditTrail)) == before


async def test_scope_lezen_is_required_to_read(api: ApiClient, session: AsyncSession) -> None:
    token = await make_client(
        session, "reader-less", autorisaties=[{"component": "ac", "scopes": ["autorisaties.bijwerken"]}]
    )
    r = await api.with_token(token).get(URL)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"


async def test_scope_bijwerken_is_required_to_write(api: ApiClient, session: AsyncSession) -> None:
    token = await make_client(
        session, "reader", autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}]
    )
    client = api.with_token(token)
    assert (await client.get(URL)).status_code == 200
    r = await client.post(URL, json=zrc_body("nope"))
    assert r.status_code == 403


async def test_changes_to_autorisaties_apply_on_the_next_request(
    api: ApiClient, session: AsyncSession
) -> None:
    token = await make_client(
        session, "flip", autorisaties=[{"component": "ac", "scopes": ["autorisaties.lezen"]}]
    )
    client = api.with_token(token)
    assert (await client.get(URL)).status_code == 200
    app_url = (await api.get(f"{URL}/consumer", params={"clientId": "flip"})).json()[0]["url"]
    r = await api.patch(
        app_url, json={"autorisaties": [{"component": "nrc", "scopes": ["notificaties.consumeren"]}]}
    )
    assert r.status_code == 200, r.text
    assert (await client.get(URL)).status_code == 403


async def test_unknown_uuid_is_404_problem(api: ApiClient) -> None:
    r = await api.get(f"{URL}/00000000-0000-4000-8000-000000000000")
    assert r.status_code == 404 and r.json()["code"] == "not_found"


async def test_page_out_of_range_is_400_on_page(api: ApiClient) -> None:
    r = await api.get(URL, params={"page": 99})
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["name"] == "page"


async def test_consumer_lookup_refuses_an_empty_client_id(api: ApiClient) -> None:
    """An empty query value is not a value (OpenAPI: allowEmptyValue is false): 400, not 404."""
    api.validate = False  # the spec documents no 400 here; see conformance/FINDINGS.md
    r = await api.get(f"{URL}/consumer", params={"clientId": ""})
    assert r.status_code == 400
    assert [p["name"] for p in r.json()["invalidParams"]] == ["clientId"]
