"""Every Pydantic error our request models can raise maps to a ZGW error code."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from samenzaak.autorisaties.schemas import ApplicatieIn
from samenzaak.common.problems import PYDANTIC_CODES, invalid_params_from_errors

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
