"""Pure ASGI middleware (no BaseHTTPMiddleware): request id and the ``API-version`` header."""

from __future__ import annotations

import logging
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samenzaak.common.problems import Problem, problem_response
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
