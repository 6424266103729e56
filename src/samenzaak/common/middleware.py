"""Pure ASGI middleware (no BaseHTTPMiddleware): request id and the ``API-version`` header."""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samenzaak.common.problems import InvalidParam, Problem, ValidationProblem, problem_response
from samenzaak.common.urls import APIS

log = logging.getLogger("samenzaak.errors")

_VERSIONS = {f"/{segment}/api/v1".encode(): version.encode() for segment, version, _ in APIS.values()}


def api_version_for(path: str) -> bytes | None:
    raw = path.encode()
    for root, version in _VERSIONS.items():
        idx = raw.find(root)
        # A tenant prefix may stand before the API root: /<tenant>/zaken/api/v1/...
        if idx >= 0 and raw.count(b"/", 0, idx) <= 1:
            return version
    return None


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = str(uuid.uuid4())
        scope.setdefault("state", {})["request_id"] = request_id
        version = api_version_for(scope["path"])

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                if version is not None:
                    headers.append((b"api-version", version))
                message["headers"] = headers
            await send(message)

        nul_params, receive = await _nul_characters(scope, receive)
        if nul_params:
            # PostgreSQL cannot store NUL in text: refuse it up front as invalid input (a 500 otherwise).
            await problem_response(ValidationProblem(nul_params), request_id)(
                scope, receive, send_with_headers
            )
            return

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # The last line of defence: log with the request id, answer a problem, never a traceback.
            log.exception("unexpected error, request_id=%s path=%s", request_id, scope["path"])
            if started:
                raise
            problem = Problem(
                f"An unexpected error occurred; quote request id {request_id} to the administrator.",
                status=500,
                code="error",
                title="Internal server error.",
            )
            problem.type_name = "APIException"
            response = problem_response(problem, request_id)
            await response(scope, receive, send_with_headers)


NUL_REASON = "NUL-tekens (\\u0000) zijn niet toegestaan."


async def _nul_characters(scope: Scope, receive: Receive) -> tuple[list[InvalidParam], Receive]:
    """The query parameters and JSON body fields holding a NUL character, and a ``receive``
    that replays the body read to find them. Cheap unless a NUL is present at all."""
    params: list[InvalidParam] = []
    query: bytes = scope.get("query_string", b"")
    if b"%00" in query:
        # Decoded as the routes decode it, so the name is the parameter the client sent.
        for key, value in parse_qsl(query.decode("utf-8", "replace"), keep_blank_values=True):
            if "\x00" in key or "\x00" in value:
                params.append(InvalidParam(key or "nonFieldErrors", "invalid", NUL_REASON))
    content_type = dict(scope.get("headers", [])).get(b"content-type", b"")
    if scope["method"] not in ("POST", "PUT", "PATCH") or b"json" not in content_type:
        return params, receive
    chunks: list[bytes] = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    body = b"".join(chunks)
    if b"\\u0000" in body:
        # Not JSON: the route's parse error says so.
        with contextlib.suppress(orjson.JSONDecodeError):
            params += [InvalidParam(name, "invalid", NUL_REASON) for name in _nul_fields(orjson.loads(body))]
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return params, replay


def _nul_fields(value: Any, path: str = "") -> Iterator[str]:
    if isinstance(value, str):
        if "\x00" in value:
            yield path or "nonFieldErrors"
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{path}.{key}" if path else str(key)
            if "\x00" in str(key):
                # A name in invalidParams is never empty (the spec's ValidatieFout says so).
                yield name.replace("\x00", "") or "nonFieldErrors"
            else:
                yield from _nul_fields(item, name)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nul_fields(item, f"{path}.{i}" if path else str(i))
