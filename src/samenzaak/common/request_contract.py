"""The request's contract, checked against the official OpenAPI files for every operation in one
place: its query parameters and the media type of its body.

The specs declare each filter's type, format, enum and length. A value that breaks that
declaration is refused with a 400 ``ValidationFout`` naming the parameter (as the reference
implementation's filter forms do), instead of being ignored or silently matching nothing.
Routes keep parsing what they use; this check only refuses what the contract says cannot be a
valid value, so it can never reject a request the spec allows.

Parameters the spec does not declare are left alone (clients may send extras). An empty value
is checked like any other (OpenAPI's ``allowEmptyValue`` is false by default): it passes where
the schema admits ``""`` (a plain string: no filter) and is refused where it does not (a URL,
an enum, a number).

A body must come in a media type the operation declares (``application/json``; the chunked
upload's form types): anything else, or none, is a 415, as the specs document for every write.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

import yaml
from fastapi import Request

from samenzaak.common.problems import InvalidParam, UnsupportedMediaType, ValidationProblem
from samenzaak.common.validators import is_http_url

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml is missing
    _Loader = yaml.SafeLoader

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head")

# A check takes one raw value and answers (code, reason) when the value is invalid.
Check = Callable[[str], tuple[str, str] | None]


@dataclass(frozen=True, slots=True)
class ParamRule:
    name: str
    check: Check
    required: bool = False

    def problems(self, values: list[str]) -> list[InvalidParam]:
        out = []
        for value in values:
            failure = self.check(value)
            if failure is not None:
                out.append(InvalidParam(self.name, *failure))
                break
        return out


def _parses(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


_is_datetime = _parses(lambda value: datetime.fromisoformat(value.replace("Z", "+00:00")))
_is_date = _parses(date.fromisoformat)
_is_uuid = _parses(uuid.UUID)


_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
# What the reference implementation's boolean filter widget takes.
_BOOLEANS = {"true", "false", "True", "False", "1", "0"}

_FORMATS: dict[str, tuple[Callable[[str], bool], str]] = {
    "uri": (is_http_url, "Voer een geldige URL in."),
    "date-time": (_is_datetime, "Voer een geldige datum/tijd in."),
    "date": (_is_date, "Voer een geldige datum in."),
    "uuid": (_is_uuid, "Voer een geldige UUID in."),
}


def _scalar_check(schema: Mapping[str, Any]) -> Check:
    kind = schema.get("type", "string")
    enum = [str(v) for v in schema.get("enum", []) if v is not None]
    fmt = _FORMATS.get(str(schema.get("format", "")))
    max_length = schema.get("maxLength")
    min_length = schema.get("minLength")
    pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
    minimum = schema.get("minimum")
    maximum = schema.get("maximum")

    def check(value: str) -> tuple[str, str] | None:
        if kind == "integer" or kind == "number":
            if not (_INTEGER if kind == "integer" else _NUMBER).fullmatch(value):
                return "invalid", "Voer een geheel getal in." if kind == "integer" else "Voer een getal in."
            number = float(value)
            if minimum is not None and number < minimum:
                return "min_value", f"Zorg ervoor dat deze waarde groter is dan of gelijk aan {minimum}."
            if maximum is not None and number > maximum:
                return "max_value", f"Zorg ervoor dat deze waarde kleiner is dan of gelijk aan {maximum}."
            return None
        if kind == "boolean":
            return None if value in _BOOLEANS else ("invalid", "Kies true of false.")
        if enum and value not in enum:
            return "invalid_choice", f"Selecteer een geldige keuze. {value} is geen beschikbare keuze."
        if max_length is not None and len(value) > max_length:
            return (
                "max_length",
                f"Zorg ervoor dat deze waarde hoogstens {max_length} karakters bevat "
                f"(het zijn er nu {len(value)}).",
            )
        if min_length is not None and len(value) < min_length:
            return "min_length", f"Zorg ervoor dat deze waarde minstens {min_length} karakters bevat."
        if pattern is not None and not pattern.search(value):
            return "invalid", "Deze waarde heeft niet het verwachte formaat."
        if fmt is not None and not fmt[0](value):
            return "invalid", fmt[1]
        return None

    return check


def _array_check(items: Check) -> Check:
    # The specs declare their arrays style=form, explode=false: one comma-separated value.
    def check(value: str) -> tuple[str, str] | None:
        for item in value.split(","):
            if item:
                failure = items(item)
                if failure is not None:
                    return failure
        return None

    return check


def rule_for(
    parameter: Mapping[str, Any], resolve: Callable[[Mapping[str, Any]], Mapping[str, Any]]
) -> ParamRule:
    schema = resolve(parameter.get("schema") or {})
    if schema.get("type") == "array":
        check = _array_check(_scalar_check(resolve(schema.get("items") or {})))
    else:
        check = _scalar_check(schema)
    return ParamRule(parameter["name"], check, bool(parameter.get("required")))


OperationRules = dict[tuple[str, str], dict[str, ParamRule]]


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """``node`` with its local ``$ref`` s followed."""
    while "$ref" in node:
        target: Any = spec
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def rules_from_spec(spec: Mapping[str, Any], root: str) -> OperationRules:
    """(METHOD, full path template) -> the operation's query parameters and their checks."""

    def resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
        return _resolve(spec, node)

    rules: OperationRules = {}
    for path, item in (spec.get("paths") or {}).items():
        shared = item.get("parameters", [])
        for method in HTTP_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            params = [resolve(p) for p in [*shared, *operation.get("parameters", [])]]
            rules[(method.upper(), root + path)] = {
                p["name"]: rule_for(p, resolve) for p in params if p.get("in") == "query"
            }
    return rules


MediaTypes = dict[tuple[str, str], frozenset[str]]


def media_types_from_spec(spec: Mapping[str, Any], root: str) -> MediaTypes:
    """(METHOD, full path template) -> the media types its body may have, for the operations
    that take a body and document a 415."""
    out: MediaTypes = {}
    for path, item in (spec.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) or {}
            body = operation.get("requestBody")
            if body is None or "415" not in operation.get("responses", {}):
                continue
            out[(method.upper(), root + path)] = frozenset(_resolve(spec, body).get("content", {}))
    return out


@cache
def _spec(filename: str) -> Mapping[str, Any]:
    raw = resources.files("samenzaak.specs").joinpath(filename).read_bytes()
    # CSafeLoader is the safe loader in C: no object construction.
    return yaml.load(raw, Loader=_Loader)  # type: ignore[no-any-return]  # noqa: S506


@cache
def rules_for_spec_file(filename: str, root: str) -> OperationRules:
    return rules_from_spec(_spec(filename), root)


class OperationIndex:
    """Finds an operation's template from a request path, as the spec's paths match it:
    literal templates (``/zaken/_zoek``) before those with parameters (``/zaken/{uuid}``)."""

    def __init__(self, rules: OperationRules, media_types: MediaTypes | None = None) -> None:
        templates = sorted({template for _, template in rules}, key=lambda t: (t.count("{"), t))
        self.rules = rules
        self.media_types = media_types or {}
        self.patterns = [
            (re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(t)) + "$"), t) for t in templates
        ]

    def template_for(self, path: str) -> str | None:
        for pattern, template in self.patterns:
            if pattern.match(path):
                return template
        return None

    def operation(self, method: str, path: str) -> tuple[dict[str, ParamRule], frozenset[str] | None] | None:
        """The query rules and accepted body media types (None: no body check) of a request."""
        template = self.template_for(path)
        if template is None or (method, template) not in self.rules:
            return None
        return self.rules[(method, template)], self.media_types.get((method, template))


@cache
def index_for_spec_file(filename: str, root: str) -> OperationIndex:
    return OperationIndex(rules_for_spec_file(filename, root), media_types_from_spec(_spec(filename), root))


def has_body(request: Request) -> bool:
    headers = request.headers
    return headers.get("content-length", "0") not in ("", "0") or "transfer-encoding" in headers


def media_type_problem(request: Request, accepted: frozenset[str]) -> UnsupportedMediaType | None:
    if not has_body(request):
        return None
    media_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media_type in accepted:
        return None
    given = media_type or "(geen)"
    return UnsupportedMediaType(
        f"Content-Type {given} wordt niet ondersteund; gebruik {', '.join(sorted(accepted))}."
    )


def query_problems(rules: Mapping[str, ParamRule], query: Iterable[tuple[str, str]]) -> list[InvalidParam]:
    values: dict[str, list[str]] = {}
    for name, value in query:
        if name in rules:
            values.setdefault(name, []).append(value)
    problems = [p for name, vals in values.items() for p in rules[name].problems(vals)]
    problems += [
        InvalidParam(name, "required", "Dit veld is vereist.")
        for name, rule in rules.items()
        if rule.required and name not in values
    ]
    return problems


def contract_dependency(filename: str, root: str) -> Callable[[Request], None]:
    """A FastAPI dependency for an API's router: refuse what the official spec forbids."""
    index = index_for_spec_file(filename, root)  # parse the spec at start-up, not on a request

    def check_request(request: Request) -> None:
        # scope["path"] is the path after any tenant prefix: the spec's own paths.
        operation = index.operation(request.method.upper(), request.scope["path"])
        if operation is None:
            return
        rules, media_types = operation
        if media_types is not None:
            unsupported = media_type_problem(request, media_types)
            if unsupported is not None:
                raise unsupported
        if rules:
            problems = query_problems(rules, request.query_params.multi_items())
            if problems:
                raise ValidationProblem(problems)

    return check_request
