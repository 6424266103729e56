"""Query parameters are checked against the official spec: invalid values are refused with a
400 naming the parameter; valid, empty and undeclared ones pass."""

from __future__ import annotations

import re
import warnings
from typing import Any

import pytest

from samenzaak.app import SPEC_FILES, create_app
from samenzaak.common.request_contract import index_for_spec_file, query_problems, rules_from_spec
from samenzaak.common.urls import api_root_path
from tests.conftest import ApiClient

SPEC: dict[str, Any] = {
    "paths": {
        "/dingen": {
            "parameters": [{"$ref": "#/components/parameters/page"}],
            "get": {
                "parameters": [
                    {"name": "soort", "in": "query", "schema": {"$ref": "#/components/schemas/Soort"}},
                    {"name": "zaak", "in": "query", "schema": {"type": "string", "format": "uri"}},
                    {"name": "open", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "sinds", "in": "query", "schema": {"type": "string", "format": "date-time"}},
                    {"name": "bsn", "in": "query", "schema": {"type": "string", "maxLength": 9}},
                    {
                        "name": "ordering",
                        "in": "query",
                        "style": "form",
                        "explode": False,
                        "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "-a"]}},
                    },
                    {
                        "name": "Accept-Crs",
                        "in": "header",
                        "schema": {"type": "string", "enum": ["EPSG:4326"]},
                    },
                ]
            },
        },
        "/dingen/consumer": {
            "get": {"parameters": [{"name": "clientId", "in": "query", "required": True, "schema": {}}]}
        },
    },
    "components": {
        "parameters": {"page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}}},
        "schemas": {"Soort": {"type": "string", "enum": ["groot", "klein"]}},
    },
}
RULES = rules_from_spec(SPEC, "/x/api/v1")
DINGEN = RULES[("GET", "/x/api/v1/dingen")]


def problems(query: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(p.name, p.code) for p in query_problems(DINGEN, query)]


@pytest.mark.parametrize(
    "query",
    [
        [("soort", "groot")],
        [("zaak", "https://example.com/zaken/api/v1/zaken/1")],
        [("open", "true"), ("open", "False"), ("open", "1")],
        [("sinds", "2026-11-29T10:00:00Z"), ("sinds", "2026-11-29")],
        [("bsn", "123456782")],
        [("ordering", "a,-a")],
        [("page", "3")],
        [("bsn", "")],  # an empty plain string is no filter
        [("ordering", "")],  # an empty list
        [("onbekend", "whatever")],  # parameters the spec does not declare are left alone
    ],
)
def test_valid_values_pass(query: list[tuple[str, str]]) -> None:
    assert problems(query) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ([("soort", "middel")], [("soort", "invalid_choice")]),
        # allowEmptyValue is false: "" is checked like any value, and is no URL or choice
        ([("soort", ""), ("zaak", "")], [("soort", "invalid_choice"), ("zaak", "invalid")]),
        ([("page", "")], [("page", "invalid")]),
        ([("zaak", "7")], [("zaak", "invalid")]),
        ([("zaak", "ftp://example.com/x")], [("zaak", "invalid")]),
        ([("zaak", "https://exa mple.com")], [("zaak", "invalid")]),
        ([("open", "ja")], [("open", "invalid")]),
        ([("sinds", "gisteren")], [("sinds", "invalid")]),
        ([("bsn", "1234567890")], [("bsn", "max_length")]),
        ([("ordering", "a,b")], [("ordering", "invalid_choice")]),
        ([("page", "twee")], [("page", "invalid")]),
        ([("page", "0")], [("page", "min_value")]),
        ([("soort", "groot"), ("soort", "x")], [("soort", "invalid_choice")]),
        ([("soort", "x"), ("zaak", "y")], [("soort", "invalid_choice"), ("zaak", "invalid")]),
    ],
)
def test_invalid_values_are_named(query: list[tuple[str, str]], expected: list[tuple[str, str]]) -> None:
    assert problems(query) == expected


def test_header_parameters_are_not_query_parameters() -> None:
    assert "Accept-Crs" not in DINGEN
    assert set(DINGEN) == {"page", "soort", "zaak", "open", "sinds", "bsn", "ordering"}


def test_a_required_parameter_must_be_given() -> None:
    consumer = RULES[("GET", "/x/api/v1/dingen/consumer")]
    assert [(p.name, p.code) for p in query_problems(consumer, [])] == [("clientId", "required")]
    assert query_problems(consumer, [("clientId", "abc")]) == []


def test_every_api_route_is_an_operation_of_its_spec() -> None:
    """The check finds an operation by matching the request path against the spec's paths:
    a route the spec does not know would go unchecked, so every route must be found."""
    app = create_app()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FastAPI's own schema names GET and HEAD alike
        paths = app.openapi()["paths"]
    checked = 0
    for path, operations in paths.items():
        for api, filename in SPEC_FILES.items():
            root = api_root_path(api)
            if path.startswith(root + "/") and not path.endswith("/schema/openapi.yaml"):
                index = index_for_spec_file(filename, root)
                concrete = re.sub(r"\{\w+\}", "4f1e2a1c-8d5b-4c3e-9a7f-0b6d2e8c1a55", path)
                assert index.template_for(concrete) == path
                for method in operations:
                    assert index.operation(method.upper(), concrete) is not None, (method, path)
                    checked += 1
    assert checked > 200


async def test_an_invalid_filter_is_refused_with_a_400(api: ApiClient) -> None:
    response = await api.get(
        "/zaken/api/v1/zaken",
        params={"zaaktype": "geen-url", "ordering": "-foo"},
        headers={"Accept-Crs": "EPSG:4326"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "invalid"
    assert sorted((p["name"], p["code"]) for p in body["invalidParams"]) == [
        ("ordering", "invalid_choice"),
        ("zaaktype", "invalid"),
    ]


async def test_valid_filters_still_answer(api: ApiClient) -> None:
    response = await api.get(
        "/catalogi/api/v1/zaaktype-informatieobjecttypen", params={"richting": "inkomend", "page": "1"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["count"] == 0


async def test_invalid_enum_behind_a_reference_in_another_api(api: ApiClient) -> None:
    response = await api.get(
        "/documenten/api/v1/enkelvoudiginformatieobjecten",
        params={"objectinformatieobjecten_objectType": "fiets"},
    )
    assert response.status_code == 400
    assert [(p["name"], p["code"]) for p in response.json()["invalidParams"]] == [
        ("objectinformatieobjecten_objectType", "invalid_choice")
    ]


async def test_authentication_comes_before_the_contract(anon: ApiClient) -> None:
    response = await anon.get("/zaken/api/v1/zaken", params={"zaaktype": "geen-url"})
    assert response.status_code == 403


def test_media_types_come_from_the_operations_that_take_a_body() -> None:
    index = index_for_spec_file("documenten-1.7.0.yaml", "/documenten/api/v1")
    create = index.operation("POST", "/documenten/api/v1/enkelvoudiginformatieobjecten")
    assert create is not None and create[1] == frozenset({"application/json"})
    upload = index.operation("PUT", "/documenten/api/v1/bestandsdelen/4f1e2a1c-8d5b-4c3e-9a7f-0b6d2e8c1a55")
    assert upload is not None and upload[1] == frozenset(
        {"multipart/form-data", "application/x-www-form-urlencoded"}
    )
    listing = index.operation("GET", "/documenten/api/v1/enkelvoudiginformatieobjecten")
    assert listing is not None and listing[1] is None


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/xml"])
async def test_a_body_in_another_media_type_is_a_415(api: ApiClient, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = await api.post(
        "/zaken/api/v1/zaaknummer_reserveren", content=b'{"bronorganisatie": "002220647"}', headers=headers
    )
    assert response.status_code == 415, response.text
    assert response.json()["code"] == "unsupported_media_type"


async def test_json_with_a_charset_is_json(api: ApiClient) -> None:
    response = await api.post(
        "/zaken/api/v1/zaaknummer_reserveren",
        content=b'{"bronorganisatie": "002220647"}',
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 201, response.text
