"""HTTP helpers shared by the Zaken routes: CRS headers and ETags."""

from __future__ import annotations

import hashlib
from typing import Any

import orjson
from fastapi import Request
from starlette.responses import Response

from samenzaak.common.crs import CRS, check_accept_crs, check_content_crs
from samenzaak.common.web import JSON

CRS_HEADERS = {"Content-Crs": CRS}


def crs_read(request: Request) -> None:
    check_accept_crs(request.headers.get("accept-crs"))


def crs_write(request: Request) -> None:
    check_accept_crs(request.headers.get("accept-crs"))
    check_content_crs(request.headers.get("content-crs"))


def etag_of(body: Any) -> str:
    return '"' + hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32] + '"'


def detail_response(request: Request, body: Any, *, crs: bool = False) -> Response:
    """200 with an ETag, or 304 when ``If-None-Match`` names it; HEAD without a body."""
    tag = etag_of(body)
    headers = {"ETag": tag, **(CRS_HEADERS if crs else {})}
    wanted = request.headers.get("if-none-match", "")
    if wanted and (wanted.strip() == "*" or tag in [t.strip() for t in wanted.split(",")]):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        return Response(status_code=200, headers=headers, media_type="application/json")
    return JSON(body, headers=headers)
