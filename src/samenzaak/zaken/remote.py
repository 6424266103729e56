"""The one loader for remote URLs the Zaken API validates (types of another Catalogi API,
informatieobjecten of another Documenten API, communicatiekanalen, relevante zaken).

A GET with a short timeout; a JSON answer is cached per URL for a short while (types
rarely change, and a zaak with ten rollen must not fetch its roltype ten times).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx

TIMEOUT = 10.0
TTL = 300.0


@dataclass(frozen=True, slots=True)
class Fetched:
    status: int
    data: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


_cache: dict[str, tuple[float, Fetched]] = {}


async def fetch(url: str, *, use_cache: bool = True) -> Fetched:
    """GET ``url``; status 0 when it could not be reached, ``data`` None when not JSON."""
    now = time.monotonic()
    if use_cache:
        hit = _cache.get(url)
        if hit is not None and hit[0] > now:
            return hit[1]
    if not url.startswith(("http://", "https://")):
        return Fetched(0)
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=True) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
    except (httpx.HTTPError, ValueError):
        return Fetched(0)
    data: Any = None
    if response.content:
        try:
            data = response.json()
        except ValueError:
            data = None
    result = Fetched(response.status_code, data)
    if result.ok and use_cache:
        _cache[url] = (now + TTL, result)
    return result


def clear_cache() -> None:
    _cache.clear()
