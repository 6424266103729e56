"""HTTP helpers of the Documenten API: bounded JSON bodies, a streaming multipart reader for
bestandsdelen, the storage dependency and ETags."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, TypeVar

import orjson
from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.responses import Response

from samenzaak.common.problems import (
    InvalidParam,
    UnsupportedMediaType,
    ValidationProblem,
    field_error,
    invalid_params_from_errors,
)
from samenzaak.common.web import JSON, settings_of
from samenzaak.documenten.content import StoredContent
from samenzaak.documenten.storage import Storage, new_key, storage_from_settings

M = TypeVar("M", bound=BaseModel)
FIELD_LIMIT = 64 * 1024


async def get_storage(request: Request) -> Storage:
    """One storage per app, built from its settings on first use (tests may set their own).
    Async so FastAPI does not run it in a worker thread on every request."""
    state = request.app.state
    storage: Storage | None = getattr(state, "documenten_storage", None)
    if storage is None:
        storage = storage_from_settings(settings_of(request))
        state.documenten_storage = storage
    return storage


StorageDep = Annotated[Storage, Depends(get_storage)]


def too_large(limit: int) -> ValidationProblem:
    return ValidationProblem(
        [
            InvalidParam(
                "inhoud",
                "file-too-large",
                f"Het verzoek is groter dan {limit} bytes. Stuur grote bestanden in delen: maak het "
                "informatieobject aan met `bestandsomvang` en zonder `inhoud`, en upload de `bestandsdelen`.",
            )
        ]
    )


async def read_json(request: Request, model: type[M], limit: int | None = None) -> M:
    """The request body as ``model``, read with a size cap (inline base64 content is capped;
    larger files belong in bestandsdelen)."""
    if limit is None:
        limit = settings_of(request).document_inline_max_size
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(limit)
    return parse_model(model, bytes(body))


def parse_model(model: type[M], raw: bytes) -> M:
    try:
        data = orjson.loads(raw) if raw.strip() else {}
    except orjson.JSONDecodeError as exc:
        raise field_error("nonFieldErrors", "parse_error", "De body is geen geldige JSON.") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ValidationProblem(invalid_params_from_errors(exc.errors())) from exc


async def read_part_upload(request: Request, storage: Storage) -> tuple[StoredContent | None, dict[str, str]]:
    """Stream the ``inhoud`` file of a bestandsdeel upload into the storage.

    Multipart bodies are parsed as they arrive: file bytes go straight to a storage writer
    (never the whole body in memory), other fields are kept (small, capped). Returns the
    stored content (``None`` without ``inhoud``) and the other fields.
    """
    ctype = request.headers.get("content-type", "")
    mime, options = parse_options_header(ctype)
    if mime == b"application/x-www-form-urlencoded":
        form = await request.form()
        fields = {k: str(v) for k, v in form.items() if k != "inhoud"}
        raw = form.get("inhoud")
        if raw is None:
            return None, fields
        # Small by nature (the form is read whole); real uploads use multipart.
        key = new_key("delen")
        writer = await storage.open_write(key)
        await writer.write(str(raw).encode())
        sha = await writer.commit()
        return StoredContent(key, writer.size, sha), fields
    if mime != b"multipart/form-data" or b"boundary" not in options:
        raise UnsupportedMediaType("Gebruik multipart/form-data met de velden `inhoud` en `lock`.")

    raw_fields: dict[str, bytearray] = {}
    pending: list[bytes] = []
    state: dict[str, Any] = {"header_field": b"", "header_value": b"", "name": None}
    key = new_key("delen")
    writer = await storage.open_write(key)
    seen_file = False

    def on_part_begin() -> None:
        state["name"] = None

    def on_header_field(data: bytes, start: int, end: int) -> None:
        state["header_field"] += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        state["header_value"] += data[start:end]

    def on_header_end() -> None:
        if state["header_field"].lower() == b"content-disposition":
            _, params = parse_options_header(state["header_value"])
            state["name"] = params.get(b"name", b"").decode()
        state["header_field"] = b""
        state["header_value"] = b""

    def on_part_data(data: bytes, start: int, end: int) -> None:
        nonlocal seen_file
        name = state["name"]
        if name == "inhoud":
            seen_file = True
            pending.append(bytes(data[start:end]))
        elif name:
            buf = raw_fields.setdefault(name, bytearray())
            if len(buf) + (end - start) > FIELD_LIMIT:
                raise ValueError(f"field {name} too large")
            buf += data[start:end]

    parser = MultipartParser(
        options[b"boundary"],
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
        },
    )
    try:
        async for chunk in request.stream():
            parser.write(chunk)
            for piece in pending:
                await writer.write(piece)
            pending.clear()
        parser.finalize()
        if not seen_file:
            await writer.abort()
            return None, {k: v.decode() for k, v in raw_fields.items()}
        sha = await writer.commit()
    except ValueError as exc:
        await writer.abort()
        raise field_error("nonFieldErrors", "parse_error", f"Ongeldige multipart body: {exc}") from exc
    except BaseException:
        await writer.abort()
        raise
    return StoredContent(key, writer.size, sha), {k: v.decode() for k, v in raw_fields.items()}


def etag_of(body: Any) -> str:
    return '"' + hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()[:32] + '"'


def detail_response(request: Request, body: Any) -> Response:
    """200 with an ETag; 304 when If-None-Match names it; HEAD without a body."""
    etag = etag_of(body)
    wanted = [t.strip() for t in request.headers.get("if-none-match", "").split(",") if t.strip()]
    if etag in wanted or "*" in wanted:
        return Response(status_code=304, headers={"ETag": etag})
    if request.method == "HEAD":
        return Response(status_code=200, headers={"ETag": etag})
    return JSON(body, headers={"ETag": etag})
