"""Notificaties API 1.0.1: kanalen, abonnementen (with the callback check), publishing,
the own kanalen, scopes and the metrics endpoint. Every response under the API root is
validated against the official spec by the ``api`` fixture."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_schema_validator import OAS30ReadValidator
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.notifications import OutboxMessage
from samenzaak.notificaties.kanalen import OWN_KANALEN, register_kanalen
from samenzaak.notificaties.models import Kanaal
from samenzaak.notificaties.runtime import METRICS_PATH, install
from samenzaak.notificaties.service import filters_match
from samenzaak.notificaties.testing import Subscriber
from tests.conftest import BASE, ApiClient, make_client
from tests.spec import spec

ROOT = "/notificaties/api/v1"
ZAAKTYPE = "https://catalogi.example.nl/api/v1/zaaktypen/5aa5c"


async def make_kanaal(
    api: ApiClient, naam: str = "zaken", filters: list[str] | None = None
) -> dict[str, Any]:
    r = await api.post(
        f"{ROOT}/kanaal",
        json={
            "naam": naam,
            "documentatieLink": "https://example.com/doc",
            "filters": ["bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding"]
            if filters is None
            else filters,
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


def abonnement_body(sub: Subscriber, **filters: str) -> dict[str, Any]:
    return {
        "callbackUrl": sub.url,
        "auth": "Bearer abc123",
        "kanalen": [{"naam": "zaken", "filters": filters}],
    }


async def limited(session: AsyncSession, client_id: str, *scopes: str) -> str:
    return await make_client(session, client_id, autorisaties=[{"component": "nrc", "scopes": list(scopes)}])


# -- kanalen ----------------------------------------------------------------------------


async def test_kanaal_create_read_and_list_by_naam(api: ApiClient) -> None:
    created = await make_kanaal(api)
    assert created["filters"] == ["bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding"]
    r = await api.get(created["url"])
    assert r.status_code == 200 and r.json() == created
    await make_kanaal(api, "documenten", [])
    r = await api.get(f"{ROOT}/kanaal", params={"naam": "zaken"})
    assert r.status_code == 200 and [k["naam"] for k in r.json()] == ["zaken"]
    r = await api.get(f"{ROOT}/kanaal")
    assert sorted(k["naam"] for k in r.json()) == ["documenten", "zaken"]


async def test_kanaal_naam_is_unique(api: ApiClient) -> None:
    await make_kanaal(api)
    r = await api.post(f"{ROOT}/kanaal", json={"naam": "zaken"})
    assert r.status_code == 400
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [("naam", "unique")]


async def test_kanaal_read_unknown_is_404(api: ApiClient) -> None:
    r = await api.get(f"{ROOT}/kanaal/6f9a3c52-2f8c-4d8e-9a3c-52a9f8c4d8e9")
    assert r.status_code == 404


async def test_kanaal_scopes(api: ApiClient, session: AsyncSession) -> None:
    created = await make_kanaal(api)
    consumer = api.with_token(await limited(session, "consumer", "notificaties.consumeren"))
    assert (await consumer.get(created["url"])).status_code == 200
    assert (await consumer.get(f"{ROOT}/kanaal")).status_code == 200
    r = await consumer.post(f"{ROOT}/kanaal", json={"naam": "eigen"})
    assert r.status_code == 403
    publisher = api.with_token(await limited(session, "publisher", "notificaties.publiceren"))
    assert (await publisher.get(created["url"])).status_code == 200
    assert (await publisher.post(f"{ROOT}/kanaal", json={"naam": "eigen"})).status_code == 201
    nobody = api.with_token(await limited(session, "nobody", "autorisaties.lezen"))
    assert (await nobody.get(f"{ROOT}/kanaal")).status_code == 403


# -- abonnementen -----------------------------------------------------------------------


async def test_abonnement_crud_and_callback_check(api: ApiClient, subscriber: Subscriber) -> None:
    await make_kanaal(api)
    await make_kanaal(api, "documenten", ["bronorganisatie"])
    r = await api.post(f"{ROOT}/abonnement", json=abonnement_body(subscriber, zaaktype=ZAAKTYPE))
    assert r.status_code == 201, r.text
    created = r.json()
    assert r.headers["location"] == created["url"]
    assert created["kanalen"] == [{"naam": "zaken", "filters": {"zaaktype": ZAAKTYPE}}]
    # The callback got Open Notificaties' test notification with the abonnement's header.
    assert [x.body["kanaal"] for x in subscriber.received] == ["test"]
    assert subscriber.received[0].headers["authorization"] == "Bearer abc123"

    assert (await api.get(created["url"])).json() == created
    assert [a["url"] for a in (await api.get(f"{ROOT}/abonnement")).json()] == [created["url"]]

    body = abonnement_body(subscriber)
    body["kanalen"] = [{"naam": "documenten", "filters": {"bronorganisatie": "*"}}]
    r = await api.put(created["url"], json=body)
    assert r.status_code == 200, r.text
    assert r.json()["kanalen"] == [{"naam": "documenten", "filters": {"bronorganisatie": "*"}}]
    # Same callback and auth: no new test notification.
    assert len(subscriber.received) == 1

    r = await api.patch(created["url"], json={"auth": "Bearer nieuw"})
    assert r.status_code == 200 and r.json()["auth"] == "Bearer nieuw"
    assert subscriber.received[-1].headers["authorization"] == "Bearer nieuw"

    assert (await api.delete(created["url"])).status_code == 204
    assert (await api.get(created["url"])).status_code == 404


@pytest.mark.parametrize("status", [500, 403])
async def test_abonnement_refused_when_callback_does_not_accept(
    api: ApiClient, subscribers: Any, status: int
) -> None:
    await make_kanaal(api)
    sub = await subscribers(status=status)
    r = await api.post(f"{ROOT}/abonnement", json=abonnement_body(sub))
    assert r.status_code == 400
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [
        ("nonFieldErrors", "invalid-callback-url")
    ]


async def test_lists_run_a_fixed_number_of_queries(
    api: ApiClient, subscriber: Subscriber, count_queries: Any
) -> None:
    await make_kanaal(api)
    await make_kanaal(api, "documenten", ["bronorganisatie"])
    body = abonnement_body(subscriber)
    body["kanalen"].append({"naam": "documenten", "filters": {"bronorganisatie": "*"}})
    await api.post(f"{ROOT}/abonnement", json=body)
    with count_queries() as few:
        await api.get(f"{ROOT}/abonnement")
    with count_queries() as few_kanalen:
        await api.get(f"{ROOT}/kanaal")
    for naam in ("besluiten", "zaaktypen", "autorisaties"):
        await make_kanaal(api, naam, [])
    for _ in range(4):
        await api.post(f"{ROOT}/abonnement", json=body)
    with count_queries() as many:
        r = await api.get(f"{ROOT}/abonnement")
    assert len(r.json()) == 5
    assert few.count == many.count <= 6
    with count_queries() as many_kanalen:
        r = await api.get(f"{ROOT}/kanaal")
    assert len(r.json()) == 5
    assert few_kanalen.count == many_kanalen.count <= 4


async def test_abonnement_refused_when_callback_unreachable(api: ApiClient, subscriber: Subscriber) -> None:
    await make_kanaal(api)
    await subscriber.stop()
    r = await api.post(f"{ROOT}/abonnement", json=abonnement_body(subscriber))
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "invalid-callback-url"


async def test_abonnement_kanaal_must_exist_and_filters_must_be_its_kenmerken(
    api: ApiClient, subscriber: Subscriber
) -> None:
    await make_kanaal(api)
    body = {
        "callbackUrl": subscriber.url,
        "auth": "Bearer x",
        "kanalen": [{"naam": "zaken", "filters": {"onbekend": "1"}}, {"naam": "bestaatniet"}],
    }
    r = await api.post(f"{ROOT}/abonnement", json=body)
    assert r.status_code == 400
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [
        ("kanalen.0.filters", "inconsistent-abonnement-filters"),
        ("kanalen.1.naam", "kanaal_naam"),
    ]
    # A malformed abonnement never reaches the callback.
    assert subscriber.received == []


async def test_abonnement_required_fields(api: ApiClient) -> None:
    r = await api.post(f"{ROOT}/abonnement", json={"callbackUrl": "niet-een-url"})
    assert r.status_code == 400
    codes = {(p["name"], p["code"]) for p in r.json()["invalidParams"]}
    assert codes == {("callbackUrl", "invalid"), ("auth", "required"), ("kanalen", "required")}


async def test_abonnement_needs_consumeren(
    api: ApiClient, session: AsyncSession, subscriber: Subscriber
) -> None:
    await make_kanaal(api)
    publisher = api.with_token(await limited(session, "publisher", "notificaties.publiceren"))
    assert (await publisher.get(f"{ROOT}/abonnement")).status_code == 403
    assert (await publisher.post(f"{ROOT}/abonnement", json=abonnement_body(subscriber))).status_code == 403
    consumer = api.with_token(await limited(session, "consumer", "notificaties.consumeren"))
    assert (await consumer.post(f"{ROOT}/abonnement", json=abonnement_body(subscriber))).status_code == 201


# -- notificaties -----------------------------------------------------------------------
# The 1.0.1 spec documents only 200 for POST /notificaties, no error responses at all. The
# errors are answered like every other operation's (400 ValidatieFout, 403 Fout); these
# tests switch the per-operation check off and validate the body against the spec's schema.


def unchecked(api: ApiClient) -> ApiClient:
    client = api.with_token(api.token)
    client.validate = False
    return client


def assert_schema(body: Any, schema: str) -> None:
    document = spec("notificaties-1.0.1.yaml")
    validator = OAS30ReadValidator(
        {"$ref": f"{document.uri}#/components/schemas/{schema}"}, registry=document.registry
    )
    errors = [e.message for e in validator.iter_errors(body)]
    assert errors == []


def message(**extra: Any) -> dict[str, Any]:
    return {
        "kanaal": "zaken",
        "hoofdObject": "https://zaken.example.nl/api/v1/zaken/d7a22",
        "resource": "status",
        "resourceUrl": "https://zaken.example.nl/api/v1/statussen/721c9",
        "actie": "create",
        "aanmaakdatum": "2018-01-01T17:00:00Z",
        "kenmerken": {"bronorganisatie": "082096752011", "zaaktype": ZAAKTYPE},
        **extra,
    }


async def test_notificatie_from_outside_goes_into_the_outbox(api: ApiClient, session: AsyncSession) -> None:
    await make_kanaal(api)
    r = await api.post(f"{ROOT}/notificaties", json=message())
    assert r.status_code == 200, r.text
    assert r.json() == message()
    row = await session.scalar(select(OutboxMessage).where(OutboxMessage.kanaal == "zaken"))
    assert row is not None and row.dispatched_at is None and row.message() == message()


async def test_notificatie_kanaal_must_exist(api: ApiClient) -> None:
    r = await unchecked(api).post(f"{ROOT}/notificaties", json=message(kanaal="bestaatniet"))
    assert r.status_code == 400
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [("kanaal", "message_kanaal")]
    assert_schema(r.json(), "ValidatieFout")


async def test_notificatie_kenmerken_must_be_the_kanaals(api: ApiClient) -> None:
    await make_kanaal(api)
    r = await unchecked(api).post(f"{ROOT}/notificaties", json=message(kenmerken={"vreemd": "x"}))
    assert r.status_code == 400
    assert_schema(r.json(), "ValidatieFout")
    assert r.json()["invalidParams"][0]["code"] == "kenmerken_inconsistent"


async def test_notificatie_validates_the_message(api: ApiClient) -> None:
    r = await unchecked(api).post(f"{ROOT}/notificaties", json={"kanaal": "zaken", "hoofdObject": "x"})
    assert r.status_code == 400
    assert_schema(r.json(), "ValidatieFout")
    names = {p["name"] for p in r.json()["invalidParams"]}
    assert names == {"hoofdObject", "resource", "resourceUrl", "actie", "aanmaakdatum"}


async def test_notificatie_needs_publiceren(api: ApiClient, session: AsyncSession) -> None:
    await make_kanaal(api)
    consumer = unchecked(api).with_token(await limited(session, "consumer", "notificaties.consumeren"))
    r = await consumer.post(f"{ROOT}/notificaties", json=message())
    assert r.status_code == 403
    assert_schema(r.json(), "Fout")


# -- filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "kenmerken", "expected"),
    [
        ({}, {"zaaktype": "a"}, True),
        ({"zaaktype": "a"}, {"zaaktype": "a", "bronorganisatie": "1"}, True),
        ({"zaaktype": "a"}, {"zaaktype": "b"}, False),
        ({"zaaktype": "*"}, {"zaaktype": "b"}, True),
        ({"zaaktype": "*"}, {}, True),
        ({"zaaktype": "a"}, {}, False),
        (
            {"zaaktype": "a", "vertrouwelijkheidaanduiding": "*"},
            {"zaaktype": "a", "vertrouwelijkheidaanduiding": "geheim"},
            True,
        ),
    ],
)
def test_filters_match_with_the_wildcard(
    filters: dict[str, str], kenmerken: dict[str, str], expected: bool
) -> None:
    assert filters_match(filters, kenmerken) is expected


# -- own kanalen ------------------------------------------------------------------------


async def test_register_kanalen_is_idempotent(api: ApiClient, session: AsyncSession) -> None:
    assert await register_kanalen(session, BASE) == len(OWN_KANALEN)
    assert await register_kanalen(session, BASE) == 0
    assert await session.scalar(select(func.count()).select_from(Kanaal)) == len(OWN_KANALEN)
    r = await api.get(f"{ROOT}/kanaal", params={"naam": "zaken"})
    (zaken,) = r.json()
    assert zaken["filters"] == ["bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding"]
    assert zaken["documentatieLink"] == f"{BASE}/zaken/api/v1/schema/openapi.yaml"
    besluiten = (await api.get(f"{ROOT}/kanaal", params={"naam": "besluiten"})).json()[0]
    assert besluiten["filters"] == ["verantwoordelijke_organisatie", "besluittype"]


async def test_register_kanalen_updates_changed_kenmerken(session: AsyncSession) -> None:
    session.add(Kanaal(naam="zaken", documentatie_link="", filters=["bronorganisatie"]))
    await session.commit()
    assert await register_kanalen(session, None) == len(OWN_KANALEN)
    zaken = await session.scalar(select(Kanaal).where(Kanaal.naam == "zaken"))
    assert zaken is not None and zaken.filters == [
        "bronorganisatie",
        "zaaktype",
        "vertrouwelijkheidaanduiding",
    ]


# -- metrics ----------------------------------------------------------------------------


async def test_metrics_need_consumeren_and_report_the_backlog(
    app: Any, api: ApiClient, session: AsyncSession
) -> None:
    install(app)
    await make_kanaal(api)
    await api.post(f"{ROOT}/notificaties", json=message())
    r = await api.get(METRICS_PATH)
    assert r.status_code == 200
    body = r.json()
    assert body["backlog"] == {"outbox": 1, "deliveries": 0, "total": 1}
    assert body["oldestUndeliveredAgeSeconds"] > 0
    assert body["deliveriesPerSecond"] == 0 and body["failuresPerSubscriber"] == []
    publisher = api.with_token(await limited(session, "publisher", "notificaties.publiceren"))
    assert (await publisher.get(METRICS_PATH)).status_code == 403


async def test_install_is_idempotent(app: Any) -> None:
    install(app)
    install(app)
    assert [getattr(r, "path", None) for r in app.routes].count(METRICS_PATH) == 1


@pytest.mark.parametrize("auth", ["Bearer \u00e9\u00e9n", "Bearer a\r\nX-Extra: 1", "Bearer \x00"])
async def test_abonnement_auth_must_be_sendable_as_a_header(
    api: ApiClient, subscriber: Subscriber, auth: str
) -> None:
    await make_kanaal(api)
    r = await api.post(f"{ROOT}/abonnement", json={**abonnement_body(subscriber), "auth": auth})
    assert r.status_code == 400, r.text
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [("auth", "invalid")]
    assert subscriber.received == []


async def test_kanaal_documentatie_link_is_a_url_or_empty(api: ApiClient) -> None:
    r = await api.post(f"{ROOT}/kanaal", json={"naam": "geen-link"})
    assert r.status_code == 201 and r.json()["documentatieLink"] == ""
    r = await api.post(f"{ROOT}/kanaal", json={"naam": "foute-link", "documentatieLink": "geen url"})
    assert r.status_code == 400
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [("documentatieLink", "invalid")]
