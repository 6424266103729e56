"""Errors as ``application/problem+json``, shaped like the standard's ``Fout``/``ValidatieFout``.

Services raise :class:`Problem` subclasses; the handlers registered by :func:`install`
turn them, FastAPI's request validation errors and anything unexpected into problem
responses. An unexpected error is logged with a request id and never leaks a traceback.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("samenzaak.errors")

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://samenzaak.nl/ref/fouten/"


@dataclass(frozen=True, slots=True)
class InvalidParam:
    name: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "code": self.code, "reason": self.reason}


class Problem(Exception):
    status = 400
    code = "invalid"
    title = "Invalid input."
    type_name = "ValidationError"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        title: str | None = None,
        status: int | None = None,
        invalid_params: Sequence[InvalidParam] = (),
    ) -> None:
        if code is not None:
            self.code = code
        if title is not None:
            self.title = title
        if status is not None:
            self.status = status
        self.detail = detail or self.title
        self.invalid_params = list(invalid_params)
        super().__init__(self.detail)


class ValidationProblem(Problem):
    """400 with ``invalidParams``: one entry per broken rule."""

    def __init__(self, invalid_params: Iterable[InvalidParam], detail: str | None = None) -> None:
        params = list(invalid_params)
        super().__init__(
            detail or "; ".join(f"{p.name}: {p.reason}" for p in params) or "Invalid input.",
            invalid_params=params,
        )


def field_error(name: str, code: str, reason: str) -> ValidationProblem:
    return ValidationProblem([InvalidParam(name, code, reason)])


class NotAuthenticated(Problem):
    status = 403
    code = "not_authenticated"
    title = "Authentication credentials were not provided."
    type_name = "NotAuthenticated"


class PermissionDenied(Problem):
    status = 403
    code = "permission_denied"
    title = "You do not have permission to perform this action."
    type_name = "PermissionDenied"


class NotFound(Problem):
    status = 404
    code = "not_found"
    title = "Not found."
    type_name = "NotFound"


class Conflict(Problem):
    status = 409
    code = "conflict"
    title = "Conflict."
    type_name = "Conflict"


class PreconditionFailed(Problem):
    status = 412
    code = "precondition_failed"
    title = "Precondition failed."
    type_name = "PreconditionFailed"


class UnsupportedMediaType(Problem):
    status = 415
    code = "unsupported_media_type"
    title = "Unsupported media type."
    type_name = "UnsupportedMediaType"


class NotAcceptable(Problem):
    status = 406
    code = "not_acceptable"
    title = "Could not satisfy the request Accept header."
    type_name = "NotAcceptable"


# Pydantic error types mapped to the codes ZGW implementations use (DRF's vocabulary).
# An error type missing here is a bug: tests/common/test_problems.py fails on it.
PYDANTIC_CODES: dict[str, str] = {
    "missing": "required",
    "string_too_long": "max_length",
    "string_too_short": "min_length",
    "too_long": "max_length",
    "too_short": "min_length",
    "string_type": "invalid",
    "string_pattern_mismatch": "invalid",
    "literal_error": "invalid_choice",
    "enum": "invalid_choice",
    "uuid_parsing": "invalid",
    "uuid_type": "invalid",
    "url_parsing": "invalid",
    "invalid_header": "invalid",
    "url_type": "invalid",
    "url_scheme": "invalid",
    "url_too_long": "max_length",
    "date_parsing": "invalid",
    "date_from_datetime_parsing": "invalid",
    "date_from_datetime_inexact": "invalid",
    "date_type": "invalid",
    "datetime_parsing": "invalid",
    "datetime_from_date_parsing": "invalid",
    "datetime_type": "invalid",
    "time_parsing": "invalid",
    "time_delta_parsing": "invalid",
    "int_parsing": "invalid",
    "int_type": "invalid",
    "int_from_float": "invalid",
    "float_parsing": "invalid",
    "float_type": "invalid",
    "decimal_parsing": "invalid",
    "decimal_type": "invalid",
    "decimal_max_digits": "max_digits",
    "decimal_max_places": "max_decimal_places",
    "decimal_whole_digits": "max_whole_digits",
    "bool_parsing": "invalid",
    "bool_type": "invalid",
    "list_type": "not_a_list",
    "dict_type": "invalid",
    "model_type": "invalid",
    "model_attributes_type": "invalid",
    "greater_than": "min_value",
    "greater_than_equal": "min_value",
    "less_than": "max_value",
    "less_than_equal": "max_value",
    "json_invalid": "parse_error",
    "json_type": "parse_error",
    "value_error": "invalid",
    "assertion_error": "invalid",
    "union_tag_invalid": "invalid_choice",
    "union_tag_not_found": "required",
    "extra_forbidden": "unknown",
    "none_required": "invalid",
    "base64_decode": "invalid",
    "bytes_type": "invalid",
    "is_instance_of": "invalid",
    "frozen_field": "read_only",
}


def to_camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _param_name(loc: Sequence[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    # Pydantic adds the union member or function name to the location; the field is before it.
    parts = [
        p for p in parts if not p.startswith(("function-", "literal[", "lax-", "str", "json-or-python["))
    ]
    return ".".join(parts) or "nonFieldErrors"


def invalid_params_from_errors(errors: Sequence[Any]) -> list[InvalidParam]:
    params: list[InvalidParam] = []
    seen: set[tuple[str, str]] = set()
    for err in errors:
        etype = err.get("type", "value_error")
        code = PYDANTIC_CODES.get(etype, "invalid")
        name = _param_name(err.get("loc", ()))
        ctx = err.get("ctx") or {}
        # Errors raised by our own validators carry the standard's code.
        if etype == "value_error" and isinstance(ctx.get("error"), ZGWValueError):
            code = ctx["error"].code
        if (name, code) in seen:
            continue
        seen.add((name, code))
        params.append(InvalidParam(name, code, str(err.get("msg", "Invalid value."))))
    return params


class ZGWValueError(ValueError):
    """A validator's error with the standard's code, for use inside Pydantic validators."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


def problem_body(problem: Problem, instance: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": TYPE_BASE + problem.type_name + "/",
        "code": problem.code,
        "title": problem.title,
        "status": problem.status,
        "detail": problem.detail,
        "instance": instance,
    }
    if problem.status == 400 or problem.invalid_params:
        body["invalidParams"] = [p.as_dict() for p in problem.invalid_params]
    return body


def problem_response(problem: Problem, request_id: str | None = None) -> Response:
    instance = f"urn:uuid:{request_id or uuid.uuid4()}"
    return Response(
        orjson.dumps(problem_body(problem, instance)),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
    )


def _request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id") or uuid.uuid4())


_HTTP_PROBLEMS: dict[int, type[Problem]] = {
    403: PermissionDenied,
    404: NotFound,
    406: NotAcceptable,
    409: Conflict,
    412: PreconditionFailed,
    415: UnsupportedMediaType,
}


def install(app: FastAPI) -> None:
    """Problem responses for our errors, validation and HTTP errors; unexpected errors are
    answered by RequestContextMiddleware, outside Starlette's error middleware (which re-raises)."""

    async def on_problem(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, Problem)
        return problem_response(exc, _request_id(request))

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = exc.errors()
        if any(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors):
            # A malformed identifier in the path names no resource: 404, as the specs document
            # (they list no 400 for detail operations) and Open Zaak answers.
            return problem_response(NotFound(), _request_id(request))
        return problem_response(ValidationProblem(invalid_params_from_errors(errors)), _request_id(request))

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        cls = _HTTP_PROBLEMS.get(exc.status_code)
        if exc.status_code == 400:
            # FastAPI's own 400 is a body it could not parse (e.g. not UTF-8): a parse error
            # with invalidParams, like invalid JSON (json_invalid) gets.
            reason = str(exc.detail) if exc.detail else "The request body could not be parsed."
            problem: Problem = ValidationProblem([InvalidParam("nonFieldErrors", "parse_error", reason)])
        elif cls is not None:
            problem = cls(str(exc.detail) if exc.detail else None)
        elif exc.status_code == 405:
            problem = Problem(status=405, code="method_not_allowed", title="Method not allowed.")
        else:
            problem = Problem(str(exc.detail), status=exc.status_code, code="error", title="Error.")
        response = problem_response(problem, _request_id(request))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
