"""Talking to a ZGW server the way any client does: a self-signed JWT, the CRS headers, and a
guard that keeps every request (also URLs found in responses) on this machine."""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Collection
from typing import Any

import httpx
import jwt

from bench.metrics import Recorder

Resolver = Callable[[str], list[str]]

CRS_HEADERS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}


def make_jwt(
    client_id: str,
    secret: str,
    *,
    user_id: str = "bench",
    user_representation: str = "Samenzaak benchmark",
    now: float | None = None,
) -> str:
    """A ZGW JWT (HS256) with the claims the standard names: iss, client_id, user_id,
    user_representation and iat. There is no exp: ZGW servers bound a token's age by iat."""
    claims = {
        "iss": client_id,
        "client_id": client_id,
        "user_id": user_id,
        "user_representation": user_representation,
        "iat": int(time.time() if now is None else now),
    }
    return jwt.encode(claims, secret, algorithm="HS256", headers={"typ": "JWT"})


class TokenProvider:
    """Signs a fresh JWT every ``refresh_s`` seconds, so long runs pass servers that refuse
    old tokens (Open Zaak's JWT_EXPIRY, Samenzaak's jwt_max_age)."""

    def __init__(
        self,
        client_id: str,
        secret: str,
        *,
        user_id: str = "bench",
        refresh_s: float = 60.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client_id = client_id
        self.secret = secret
        self.user_id = user_id
        self.refresh_s = refresh_s
        self.clock = clock
        self._token = ""
        self._signed_at = -float("inf")
        self.signed = 0

    def header(self) -> str:
        now = self.clock()
        if now - self._signed_at >= self.refresh_s:
            self._token = make_jwt(self.client_id, self.secret, user_id=self.user_id, now=now)
            self._signed_at = now
            self.signed += 1
        return f"Bearer {self._token}"


# -- loopback guard -------------------------------------------------------------------------


class RemoteTargetError(RuntimeError):
    """A request would leave this machine."""


def _resolve(host: str) -> list[str]:
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None)})


def is_loopback_host(host: str, resolver: Resolver = _resolve) -> bool:
    """Whether ``host`` (an IP literal or a name) is, and resolves only to, loopback addresses."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        pass
    try:
        addresses = resolver(host)
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


def check_target(url: str, *, allow_remote: bool, resolver: Resolver = _resolve) -> None:
    """Refuse a URL whose host is not loopback, unless remote targets are allowed."""
    host = httpx.URL(url).host
    if not host:
        raise RemoteTargetError(f"{url!r} has no host")
    if not allow_remote and not is_loopback_host(host, resolver):
        raise RemoteTargetError(
            f"{url!r} is not a loopback address (127.0.0.0/8, ::1); pass --allow-remote to load "
            "a server elsewhere, only with its owner's consent"
        )


class GuardedTransport(httpx.AsyncBaseTransport):
    """Checks every request's host before sending, including URLs taken from responses
    (``next`` links, a document's ``inhoud``): a server that names another host gets no traffic."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, *, allow_remote: bool, resolver: Resolver = _resolve
    ) -> None:
        self.inner = inner
        self.allow_remote = allow_remote
        self.resolver = resolver
        self._checked: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = request.url.host
        if not self.allow_remote and host not in self._checked:
            check_target(str(request.url), allow_remote=False, resolver=self.resolver)
            self._checked.add(host)
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


# -- BSN ----------------------------------------------------------------------------------


def elfproef(number: str) -> bool:
    """The BSN/RSIN eleven test: weights 9..2 and -1 over nine digits, sum divisible by 11."""
    if len(number) != 9 or not number.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


def valid_bsns(count: int, start: int = 100_000_000) -> list[str]:
    """``count`` distinct BSNs that pass the eleven test (fictitious, from ``start`` upward)."""
    found: list[str] = []
    n = start
    while len(found) < count:
        candidate = f"{n:09d}"
        if elfproef(candidate):
            found.append(candidate)
        n += 1
    return found


# -- the client ----------------------------------------------------------------------------


class ZgwClient:
    """One shared httpx client; ``call`` times one request and records it."""

    def __init__(
        self, http: httpx.AsyncClient, tokens: TokenProvider, *, crs_prefixes: Collection[str]
    ) -> None:
        self.http = http
        self.tokens = tokens
        # The Zaken API requires Accept-Crs/Content-Crs on its zaak operations; sent on all its
        # requests (harmless elsewhere in it), never to the other APIs.
        self.crs_prefixes = tuple(crs_prefixes)

    def headers(self, url: str, auth: bool = True) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if auth:
            headers["Authorization"] = self.tokens.header()
        if url.startswith(self.crs_prefixes):
            headers.update(CRS_HEADERS)
        return headers

    async def call(
        self,
        rec: Recorder,
        label: str,
        method: str,
        url: str,
        *,
        expected: Collection[int] = (200,),
        json: Any = None,
        params: dict[str, Any] | None = None,
        accept: str | None = None,
        auth: bool = True,
    ) -> httpx.Response | None:
        """Send, time and record one request; returns the response when its status was expected."""
        headers = self.headers(url, auth)
        if accept:
            headers["Accept"] = accept
        start = time.perf_counter()
        try:
            response = await self.http.request(method, url, headers=headers, json=json, params=params)
        except RemoteTargetError:
            raise
        except httpx.HTTPError as exc:
            rec.add(label, time.perf_counter() - start, None, f"{type(exc).__name__}: {exc}")
            return None
        elapsed = time.perf_counter() - start
        if response.status_code in expected:
            rec.add(label, elapsed, response.status_code)
            return response
        rec.add(label, elapsed, response.status_code, f"{method} {url}: {response.text}")
        return None
