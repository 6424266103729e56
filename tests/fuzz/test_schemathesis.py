"""Schema-driven fuzzing (schemathesis) against the official spec files in samenzaak/specs.

For every operation of every API listed in ``FUZZ_APIS`` it sends requests generated from
the official OpenAPI file, in-process through the ASGI app with an all-rights client, and
checks that

* no request gets a 5xx;
* every response has a documented status code, content type and body (schemathesis' checks
  and our own validator in ``tests.spec``, through the ``api`` fixture);
* invalid input (schemathesis' negative mode) is refused with a 400 problem response.

``make test`` runs a few examples per operation, derandomised so CI is repeatable;
``make fuzz`` (``SAMENZAAK_FUZZ_EXAMPLES=200``) runs many more, randomised.
An API is added by one line in ``FUZZ_APIS`` once its routes exist.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core import NotSet
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from samenzaak.common.request_contract import rules_for_spec_file
from tests.conftest import BASE, ApiClient
from tests.fuzz.conftest import record
from tests.spec import validate_response

# API name -> (root, official spec file).
SPECS: dict[str, tuple[str, str]] = {
    "autorisaties": ("/autorisaties/api/v1", "autorisaties-1.1.0.yaml"),
    "catalogi": ("/catalogi/api/v1", "catalogi-1.3.3.yaml"),
    "zaken": ("/zaken/api/v1", "zaken-1.7.0.yaml"),
    "documenten": ("/documenten/api/v1", "documenten-1.7.0.yaml"),
    "besluiten": ("/besluiten/api/v1", "besluiten-1.1.0.yaml"),
    "notificaties": ("/notificaties/api/v1", "notificaties-1.0.1.yaml"),
}
# The APIs fuzzed (all by default); SAMENZAAK_FUZZ_APIS=zaken,catalogi narrows a run.
DEFAULT_APIS = list(SPECS)
FUZZ_APIS = {
    name: SPECS[name]
    for name in (
        os.environ.get("SAMENZAAK_FUZZ_APIS", "").split(",")
        if os.environ.get("SAMENZAAK_FUZZ_APIS")
        else DEFAULT_APIS
    )
}

EXAMPLES = int(os.environ.get("SAMENZAAK_FUZZ_EXAMPLES", "8"))
THOROUGH = "SAMENZAAK_FUZZ_EXAMPLES" in os.environ
# SAMENZAAK_FUZZ_NO_SHRINK=1 reports failures unshrunk: a quick survey of many operations.
PHASES = [Phase.explicit, Phase.generate] if os.environ.get("SAMENZAAK_FUZZ_NO_SHRINK") else list(Phase)

pytestmark = pytest.mark.fuzz

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]

# Statuses the official spec forgets to document, which the standard's own behaviour needs.
# (method, path template, status) -> why; each is listed in conformance/FINDINGS.md.
UNDOCUMENTED_STATUSES: dict[tuple[str, str, int], str] = {
    ("GET", "/applicaties/consumer", 400): "clientId is required, yet the spec documents no 400",
    ("POST", "/notificaties", 400): "the spec documents only 200, yet an invalid notificatie is refused",
}
PARENT_IN_PATH = re.compile(r"\{\w+_uuid\}")


def not_really_invalid(method: str, drawn_headers: set[str], body: Any) -> bool:
    """Negative cases whose only possible violation never reaches the server as one:
    * a body without Content-Type: schemathesis sends its body's Content-Type all the same
      (a body really without one is a 415: tests/common/test_request_contract.py);
    * a request without a body and without Content-Crs: the specs mark Content-Crs required
      on GETs too, but it describes a body; Open Zaak does not ask it there, nor do we.
    (Every other violation of a body-less request is in the path, a query parameter or
    Accept-Crs, which are refused.)"""
    has_body = not isinstance(body, NotSet) and body is not None
    if has_body and "content-type" not in drawn_headers:
        return True
    return not has_body and method.upper() in ("GET", "HEAD") and "content-crs" not in drawn_headers


def undocumented_reason(
    api_name: str, method: str, path: str, status: int, body: Any, sent_query: Iterable[str]
) -> str | None:
    """Why an answer the spec does not document is the standard's behaviour all the same
    (conformance/FINDINGS.md lists each kind), or None when it is not."""
    if (method, path, status) in UNDOCUMENTED_STATUSES:
        return UNDOCUMENTED_STATUSES[(method, path, status)]
    root = FUZZ_APIS[api_name][0]
    if method == "HEAD" and (
        status == 404 or str(status) in load_schema(api_name)[path]["GET"].definition.raw["responses"]
    ):
        return "HEAD documents only 200; it answers what GET answers (404 for an unknown resource)"
    if status == 404 and PARENT_IN_PATH.search(path):
        return "the parent resource named in the path does not exist"
    if status == 400 and isinstance(body, dict):
        # An invalid value of a query parameter the operation declares (e.g. expand on a
        # detail GET), or a NUL character in any query parameter, on an operation whose spec
        # forgot its 400.
        declared = rules_for_spec_file(FUZZ_APIS[api_name][1], root).get((method, root + path), {})
        named = {p.get("name") for p in body.get("invalidParams", [])}
        if named and named <= set(declared) | set(sent_query):
            return "invalid query parameter on an operation without a documented 400"
    return None


# A request body the Autorisaties API accepts, to have a resource for {uuid} operations.
SEED = {
    "autorisaties": (
        "/applicaties",
        {"clientIds": ["fuzz-seed"], "label": "Fuzz seed", "heeftAlleAutorisaties": True, "autorisaties": []},
    ),
}


@cache
def load_schema(api: str) -> Any:
    filename = FUZZ_APIS[api][1]
    path = resources.files("samenzaak.specs").joinpath(filename)
    config = schemathesis.config.SchemathesisConfig.from_dict(
        # The standard answers invalid input with 400 and a ValidatieFout body.
        # A malformed path parameter names no resource: 404. (Invalid bodies and queries are
        # refused with 400 before any lookup, so a 404 here means the input was valid after all.)
        # An unsupported Accept-Crs is 406, a missing CRS header 412 and a body in a media type
        # the operation does not take 415, as the standard says.
        {"checks": {"negative_data_rejection": {"expected-statuses": [400, 404, 406, 412, 415]}}}
    )
    return schemathesis.openapi.from_path(str(path), config=config)


def operations() -> list[Any]:
    params = []
    for api in FUZZ_APIS:
        for result in load_schema(api).get_all_operations():
            operation = result.ok()
            params.append(pytest.param(api, operation.method, operation.path, id=f"{api}:{operation.label}"))
    return params


def transport_kwargs(case: Any, base_url: str) -> dict[str, Any]:
    """schemathesis serialises for `requests`; the same request for httpx."""
    kwargs = case.as_transport_kwargs(base_url=base_url)
    out: dict[str, Any] = {
        "method": kwargs["method"],
        "url": kwargs["url"],
        # A header value beyond ASCII goes on the wire as its UTF-8 bytes (httpx refuses str).
        "headers": {
            k: v if not isinstance(v, str) or v.isascii() else v.encode()
            for k, v in (kwargs.get("headers") or {}).items()
        },
        "params": kwargs.get("params") or None,
    }
    if "json" in kwargs:
        out["json"] = kwargs["json"]
    elif kwargs.get("data") is not None:
        data = kwargs["data"]
        if isinstance(data, dict):
            out["data"] = data  # a form body
        else:
            out["content"] = data.encode() if isinstance(data, str) else data
    return out


@pytest.mark.parametrize(("api_name", "method", "path"), operations())
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not THOROUGH,
    database=None,
    phases=PHASES,
    suppress_health_check=list(HealthCheck),
)
@given(data=st.data())
async def test_operation_conforms_to_the_official_spec(
    api: ApiClient,
    admin_token: str,
    db_url: str,
    api_name: str,
    method: str,
    path: str,
    data: st.DataObject,
) -> None:
    root, _ = FUZZ_APIS[api_name]
    operation = load_schema(api_name)[path][method]
    path_parameters: dict[str, str] = {}
    if "{uuid}" in path and api_name in SEED and data.draw(st.booleans(), label="existing resource"):
        # Half of the examples address a resource that exists, so the handlers run in full.
        seed_path, seed_body = SEED[api_name]
        body = {**seed_body, "clientIds": [f"fuzz-{uuid.uuid4().hex}"]}
        created = await api.post(root + seed_path, json=body)
        assert created.status_code == 201, created.text
        path_parameters["uuid"] = created.json()["url"].rsplit("/", 1)[1]
    mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]), label="mode")
    case = data.draw(
        operation.as_strategy(
            generation_mode=mode,
            # A valid token always: fuzzing authentication is tests/common/test_auth.py's job.
            headers={"Authorization": f"Bearer {admin_token}"},
            path_parameters=path_parameters or None,
        ),
        label="case",
    )
    client = api.with_token(admin_token)
    client.validate = False  # validated below, with the known gaps of the spec
    response = await client.request(**transport_kwargs(case, BASE + root))
    status, ctype = response.status_code, response.headers.get("content-type", "")
    record(db_url.split(":", 1)[0].split("+", 1)[0], f"{api_name}:{method.upper()} {path}", status)
    assert "api-version" in response.headers
    checks = CHECKS
    if method.upper() == "PATCH":
        # The official specs give PATCH the full schema, required fields included; a PATCH
        # body is partial by definition (the Postman suite sends partial ones), so leaving out
        # a "required" field is not invalid input there.
        checks = [c for c in CHECKS if c is not negative_data_rejection]
    drawn_headers = {name.lower() for name in case.headers or {}}
    if mode.is_negative and response.is_success and not_really_invalid(method, drawn_headers, case.body):
        checks = [c for c in checks if c is not negative_data_rejection]
    body = response.json() if "json" in ctype and response.content else response.content
    documented = {str(code) for code in operation.definition.raw["responses"]}
    reason = None
    if str(status) not in documented:
        sent = response.request.url.params.keys()  # what went on the wire, not what was drawn
        reason = undocumented_reason(api_name, method.upper(), path, status, body, sent)
    if reason is not None:
        if method.upper() != "HEAD":
            assert ctype.startswith("application/problem+json"), (reason, response.text)
        checks = [c for c in checks if c not in (status_code_conformance, response_schema_conformance)]
    else:
        validate_response(method, root + case.formatted_path, status, ctype, body)
        if isinstance(body, dict) and body.get("documentatieLink") == "":
            # ZGW writes "no value" as "" (Open Notificaties answers the same); the spec types
            # documentatieLink `format: uri`, which "" is not. The rest was validated above.
            checks = [c for c in checks if c is not response_schema_conformance]
    case.validate_response(response, checks=checks)
    if mode.is_negative and status == 400:
        assert ctype.startswith("application/problem+json")
        assert response.json()["invalidParams"], response.text
