"""The one loader for other installations' APIs, shared by Zaken, Documenten and Besluiten:
fetching what a resource refers to (remote types, zaken, documenten) and, for Besluiten,
mirroring relations there (brc-005, brc-006).

Local URLs never come here: they are resolved to rows. Types may be cached briefly
(``cache=True``: they rarely change, and a zaak with ten rollen must not fetch its roltype ten
times); objects (zaken, documenten) are fetched fresh.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import httpx

log = logging.getLogger("samenzaak.remote")
TIMEOUT = 10.0
TTL = 300.0


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    data: Any = None

    @property
    def ok(self) -> bool:
        # The standard's test for a reference: the URL answers (after redirects) a 200.
        return self.status == 200


_cache: dict[str, tuple[float, Fetched]] = {}


async def fetch(url: str, *, cache: bool = False, params: dict[str, str] | None = None) -> Fetched:
    """GET ``url`` (redirects followed: "uiteindelijk" 200); status 0 when unreachable."""
    now = time.monotonic()
    if cache and not params:
        hit = _cache.get(url)
        if hit is not None and hit[0] > now:
            return hit[1]
    if not url.startswith(("http://", "https://")):
        return Fetched(0)
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True) as client:
            response = await client.get(url, params=params, headers={"Accept": "application/json"})
    except (httpx.HTTPError, ValueError) as exc:
        log.info("could not fetch %s: %s", url, exc)
        return Fetched(0)
    try:
        data = response.json() if response.content else None
    except ValueError:
        data = None
    result = Fetched(response.status_code, data)
    if cache and not params and result.ok:
        _cache[url] = (now + TTL, result)
    return result


async def send(method: str, url: str, body: Any = None) -> Fetched:
    """POST/DELETE to another API; status 0 when unreachable."""
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            response = await client.request(
                method, url, json=body, headers={"Accept": "application/json", "Content-Crs": "EPSG:4326"}
            )
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("%s %s failed: %s", method, url, exc)
        return Fetched(0)
    try:
        data = response.json() if response.content else None
    except ValueError:
        data = None
    return Fetched(response.status_code, data)


def clear_cache() -> None:
    _cache.clear()
