"""Reading the Referentielijsten data, and resolving a Referentielijsten URL for other APIs.

``resolve`` is what the Catalogi API (and others) call to check a ``selectielijstProcestype``,
``selectielijstklasse`` or ``resultaattypeomschrijving``: URLs of the embedded API are looked
up in memory; any other URL (a configured remote instance such as selectielijst.openzaak.nl,
or whatever a client sent) is fetched over HTTP with a short timeout and a small TTL cache.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from samenzaak.common.urls import UrlBuilder
from samenzaak.config import Settings
from samenzaak.referentielijsten.data import DATA, KINDS, Record

log = logging.getLogger("samenzaak.referentielijsten")

API = "referentielijsten"
REMOTE_TIMEOUT = 5.0
CACHE_TTL = 300.0
CACHE_MAX = 1024

# Fields a remote resource must have to count as one of the kind (the required fields that
# every published version of the spec shares); anything else is "not such a resource".
_REQUIRED = {
    "procestypen": ("nummer", "naam"),
    "resultaten": ("procesType", "nummer", "naam", "waardering"),
    "resultaattypeomschrijvingen": ("omschrijving",),
    "communicatiekanalen": ("naam",),
}


class ReferentielijstenError(Exception):
    """A Referentielijsten URL could not be fetched (network failure, timeout, server error,
    or not an http(s) URL). Callers answer 400 with code ``bad-url``. A URL that answers 200
    with something that is not the resource (not JSON, other fields) is no error but ``None``:
    callers answer ``invalid-resource``, as the suite's ztc-001b/ztc-002c/ztc-002d expect for a
    URL answering 200 with an empty body."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{_safe(url)}: {reason}")
        self.url = url
        self.reason = reason


def local_base(urls: UrlBuilder) -> str:
    """The root of the embedded Referentielijsten API as this server serves it."""
    return urls.root(API)


def api_root(urls: UrlBuilder, settings: Settings) -> str:
    """The Referentielijsten API in use: the configured remote one, or the embedded one."""
    return settings.referentielijsten_url.rstrip("/") if settings.referentielijsten_url else local_base(urls)


# --- API-shaped dicts ------------------------------------------------------------------


def to_dict(kind: str, record: Record, urls: UrlBuilder) -> dict[str, Any]:
    body: dict[str, Any] = {"url": urls.detail(API, kind, record.uuid)}
    if record.procestype is not None:
        body["procesType"] = urls.detail(API, "procestypen", record.procestype)
    body.update(record.fields)
    return body


def get(kind: str, pk: uuid.UUID) -> Record | None:
    return DATA.by_kind[kind].get(pk)


def procestypen(jaar: int | None = None) -> Sequence[Record]:
    if jaar is None:
        return DATA.procestypen
    return [p for p in DATA.procestypen if p.fields["jaar"] == jaar]


def resultaten(procestype: uuid.UUID | None = None) -> Sequence[Record]:
    """All resultaten in tree order, or those of one procestype (precomputed, never rebuilt)."""
    if procestype is None:
        return DATA.resultaten
    return DATA.resultaten_by_procestype.get(procestype, ())


def resultaattypeomschrijvingen() -> Sequence[Record]:
    return DATA.resultaattypeomschrijvingen


def communicatiekanalen() -> Sequence[Record]:
    return DATA.communicatiekanalen


# --- resolving URLs --------------------------------------------------------------------


async def resolve(urls: UrlBuilder, url: str, kind: str) -> dict[str, Any] | None:
    """The resource of ``kind`` at ``url``, API-shaped, or ``None`` when it does not exist.

    Raises ``ReferentielijstenError`` when a remote URL cannot be fetched.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown Referentielijsten resource {kind!r}; one of {', '.join(KINDS)}")
    if url.startswith(urls.base + "/"):
        # Our own server: never call ourselves over HTTP. A URL of another API of ours, or
        # a malformed one, is simply not a resource of this kind.
        pk = urls.local_uuid(url, API, kind)
        record = get(kind, pk) if pk is not None else None
        return to_dict(kind, record, urls) if record is not None else None
    return await _fetch(url, kind)


_cache: dict[str, tuple[float, dict[str, Any] | None]] = {}


def clear_cache() -> None:
    _cache.clear()


def _safe(url: str) -> str:
    """The URL without credentials, query or fragment, for messages and logs."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}" if parts.scheme else "<invalid url>"


async def _fetch(url: str, kind: str) -> dict[str, Any] | None:
    now = time.monotonic()
    hit = _cache.get(url)
    if hit is not None and hit[0] > now:
        # A copy: a caller that edits its result must not change what the next caller gets.
        return dict(hit[1]) if hit[1] is not None else None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReferentielijstenError(url, "not an http(s) URL")
    try:
        async with httpx.AsyncClient(timeout=REMOTE_TIMEOUT, follow_redirects=True) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        log.warning("referentielijsten: fetching %s failed: %s", _safe(url), type(exc).__name__)
        raise ReferentielijstenError(url, f"could not be fetched ({type(exc).__name__})") from exc
    if response.status_code in (404, 410):
        result: dict[str, Any] | None = None
    elif response.status_code != 200:
        log.warning("referentielijsten: %s answered %s", _safe(url), response.status_code)
        raise ReferentielijstenError(url, f"answered status {response.status_code}")
    else:
        try:
            body = response.json()
        except ValueError:
            # The URL exists but does not answer a resource (an HTML page, an empty body).
            body = None
        ok = isinstance(body, dict) and all(name in body for name in _REQUIRED[kind])
        result = body if ok else None
    if len(_cache) >= CACHE_MAX:
        # Drop expired entries first; if the cache is still full, start over (the data is small
        # and rarely changes, so an occasional refetch is cheaper than an LRU's bookkeeping).
        for key in [k for k, (expires, _) in _cache.items() if expires <= now]:
            del _cache[key]
        if len(_cache) >= CACHE_MAX:
            _cache.clear()
    _cache[url] = (now + CACHE_TTL, result)
    return dict(result) if result is not None else None
