"""Every Pydantic error our request models can raise maps to a ZGW error code."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from samenzaak.autorisaties.schemas import ApplicatieIn
from samenzaak.common.problems import PYDANTIC_CODES, invalid_params_from_errors
from tests.conftest import ApiClient

BAD_BODIES: list[dict[str, Any]] = [
    {},
    {"clientIds": 1, "label": 5},
    {"clientIds": ["x" * 51], "label": "x" * 101, "heeftAlleAutorisaties": "maybe"},
    {"clientIds": [""], "label": "", "autorisaties": [{"component": "x", "scopes": [1]}]},
    {
        "clientIds": [],
        "label": "l",
        "autorisaties": [{"component": "zrc", "scopes": [], "maxVertrouwelijkheidaanduiding": "x"}],
    },
    {"clientIds": [], "label": "l", "autorisaties": "x"},
]


@pytest.mark.parametrize("body", BAD_BODIES)
def test_every_error_type_is_mapped(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError) as info:
        ApplicatieIn.model_validate(body)
    for err in info.value.errors():
        assert err["type"] in PYDANTIC_CODES, f"unmapped pydantic error type {err['type']!r}"


def test_names_are_dotted_paths_with_indexes() -> None:
    with pytest.raises(ValidationError) as info:
        ApplicatieIn.model_validate({"clientIds": [], "label": "l", "autorisaties": [{"scopes": []}]})
    params = invalid_params_from_errors([{**e, "loc": ("body", *e["loc"])} for e in info.value.errors()])
    assert [(p.name, p.code) for p in params] == [("autorisaties.0.component", "required")]


async def test_malformed_uuid_in_the_path_is_404(api: ApiClient) -> None:
    """The specs document no 400 on detail operations: a path that names no resource is 404."""
    for method in ("GET", "PUT", "PATCH", "DELETE"):
        r = await api.request(method, "/autorisaties/api/v1/applicaties/not-a-uuid", json={})
        assert r.status_code == 404, (method, r.text)
        assert r.json()["code"] == "not_found"


async def test_undecodable_body_is_a_parse_error_with_invalid_params(api: ApiClient) -> None:
    r = await api.post(
        "/autorisaties/api/v1/applicaties", content=b"\xcek", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    assert [p["code"] for p in r.json()["invalidParams"]] == ["parse_error"]


async def test_nul_characters_are_invalid_input_not_a_server_error(api: ApiClient) -> None:
    """PostgreSQL cannot store NUL in text; found by fuzzing (a 500 before)."""
    body = {"clientIds": ["a\u0000b"], "label": "x", "heeftAlleAutorisaties": True}
    r = await api.post("/autorisaties/api/v1/applicaties", json=body)
    assert r.status_code == 400, r.text
    assert [(p["name"], p["code"]) for p in r.json()["invalidParams"]] == [("clientIds.0", "invalid")]
    r = await api.get("/autorisaties/api/v1/applicaties", params={"clientIds": "a\u0000"})
    assert r.status_code == 400, r.text
    assert [p["name"] for p in r.json()["invalidParams"]] == ["clientIds"]
    # An escaped backslash followed by "u0000" is ordinary text.
    body = {"clientIds": ["nul-test"], "label": "a\\u0000", "heeftAlleAutorisaties": True}
    r = await api.post("/autorisaties/api/v1/applicaties", json=body)
    assert r.status_code == 201 and r.json()["label"] == "a\\u0000"
