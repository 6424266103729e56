"""Validate responses against the official OpenAPI files (never against our own schema)."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml
from openapi_schema_validator import OAS30ReadValidator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT4

# API root -> official spec file in samenzaak/specs.
SPEC_FOR_ROOT = {
    "/autorisaties/api/v1": "autorisaties-1.1.0.yaml",
    "/catalogi/api/v1": "catalogi-1.3.3.yaml",
    "/zaken/api/v1": "zaken-1.7.0.yaml",
    "/documenten/api/v1": "documenten-1.7.0.yaml",
    "/besluiten/api/v1": "besluiten-1.1.0.yaml",
    "/notificaties/api/v1": "notificaties-1.0.1.yaml",
    "/referentielijsten/api/v1": "referentielijsten-openapi.yaml",
}

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


class SpecError(AssertionError):
    pass


# The 1.7 spec files point at each other's schemas with relative paths of VNG's repository
# (``../../../catalogi/ztc/1.3.x/1.3.2/openapi.yaml#/…``, for ``_expand``). Such a reference is
# served by our copy of that API's spec, so expanded bodies are validated too.
SPEC_FOR_API = {
    "catalogi": "catalogi-1.3.3.yaml",
    "zaken": "zaken-1.7.0.yaml",
    "documenten": "documenten-1.7.0.yaml",
    "besluiten": "besluiten-1.1.0.yaml",
}


def _retrieve(uri: str) -> Resource[Any]:
    for api, filename in SPEC_FOR_API.items():
        if f"{api}/" in uri:
            return Resource.from_contents(spec(filename).doc, default_specification=DRAFT4)
    raise NoSuchResource(uri)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _nullable_compositions(node: Any) -> Any:
    """OAS 3.0 writes a nullable reference as ``{nullable: true, allOf: [{$ref}]}``; a JSON
    Schema validator applies ``nullable`` only to ``type`` and so rejects ``null`` there.
    Make the intent explicit: such a schema also admits ``null``."""
    if isinstance(node, list):
        return [_nullable_compositions(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _nullable_compositions(value) for key, value in node.items()}
    if (
        node.get("nullable") is True
        and "type" not in node
        and any(k in node for k in ("allOf", "oneOf", "anyOf", "$ref"))
    ):
        rest = {k: v for k, v in node.items() if k != "nullable"}
        return {"anyOf": [{"enum": [None]}, rest]}
    return node


class Spec:
    def __init__(self, filename: str) -> None:
        text = resources.files("samenzaak.specs").joinpath(filename).read_text()
        self.doc: dict[str, Any] = _nullable_compositions(yaml.load(text, Loader=_Loader))
        self.uri = f"urn:spec:{filename}"
        # ``retrieve`` is an attrs field stored as ``_retrieve``, which mypy does not see.
        registry: Registry[Any] = Registry(retrieve=_retrieve)  # type: ignore[call-arg]
        self.registry: Registry[Any] = registry.with_resource(
            self.uri, Resource.from_contents(self.doc, default_specification=DRAFT4)
        )
        self.paths: list[tuple[re.Pattern[str], str]] = []
        for template in self.doc["paths"]:
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            self.paths.append((re.compile(f"^{pattern}$"), template))
        # Literal paths first: /zaken/_zoek must not match /zaken/{uuid}.
        self.paths.sort(key=lambda p: p[1].count("{"))

    def template_for(self, path: str) -> str:
        for pattern, template in self.paths:
            if pattern.match(path):
                return template
        raise SpecError(f"{path} is not a path of the spec")

    def validate(self, method: str, path: str, status: int, content_type: str, body: Any) -> None:
        template = self.template_for(path)
        operation = self.doc["paths"][template].get(method.lower())
        if operation is None:
            raise SpecError(f"{method} {template} is not an operation of the spec")
        responses = operation["responses"]
        key = str(status) if str(status) in responses else "default" if "default" in responses else None
        if key is None:
            raise SpecError(
                f"{method} {template} does not document status {status} (has {sorted(responses)})"
            )
        response = responses[key]
        pointer = f"/paths/{_escape(template)}/{method.lower()}/responses/{key}"
        if "$ref" in response:
            pointer = response["$ref"].lstrip("#")
            response = self.resolve(pointer)
        content = response.get("content") or {}
        if not content:
            if body not in (None, b"", ""):
                raise SpecError(f"{method} {template} {status} documents no body, got {body!r:.200}")
            return
        mime = content_type.split(";")[0].strip()
        if mime not in content:
            raise SpecError(f"{method} {template} {status}: content type {mime} not in {sorted(content)}")
        schema_pointer = f"{pointer}/content/{_escape(mime)}/schema"
        validator = OAS30ReadValidator(
            {"$ref": f"{self.uri}#{schema_pointer}"},
            registry=self.registry,
            format_checker=OAS30ReadValidator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        if errors:
            lines = [
                f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message[:300]}" for e in errors[:10]
            ]
            raise SpecError(f"{method} {template} {status} does not match the spec:\n  " + "\n  ".join(lines))

    def resolve(self, pointer: str) -> Any:
        node: Any = self.doc
        for part in pointer.strip("/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node


@cache
def spec(filename: str) -> Spec:
    return Spec(filename)


def validate_response(method: str, path: str, status: int, content_type: str, body: Any) -> bool:
    """Validate if the path is under a known API root; return whether it was checked."""
    for root, filename in SPEC_FOR_ROOT.items():
        idx = path.find(root + "/")
        if idx >= 0 and "/schema/openapi" not in path:
            spec(filename).validate(method, path[idx + len(root) :], status, content_type, body)
            return True
    return False
