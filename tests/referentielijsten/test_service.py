"""``service.resolve``: local URLs from memory, remote URLs over real HTTP (a loopback server
started here serving a copy of the data), unknown resources and network failures."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from samenzaak.common.urls import UrlBuilder
from samenzaak.config import Settings
from samenzaak.referentielijsten import service
from samenzaak.referentielijsten.data import DATA
from samenzaak.referentielijsten.service import ReferentielijstenError
from tests.conftest import BASE

URLS = UrlBuilder(base=BASE)
LOCAL = f"{BASE}/referentielijsten/api/v1"
RESULTAAT = "59596a33-c8db-4aa7-bb81-140cb29bb42a"  # 15.1.1, ingeschatte_bestaansduur_procesobject
PROCESTYPE = "388645ae-bb7f-4b2b-ba70-94b70f713d45"  # 15 Onderhouden en repareren (2020)


class Remote:
    """A tiny Referentielijsten server on loopback: ``/api/v1/<kind>/<uuid>`` from our data."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        remote = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                remote.hits.append(self.path)
                status, ctype, payload = remote.answer(self.path)
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                # The timeout test's client has gone by the time a slow answer is written.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_port}/api/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def resource(self, kind: str, pk: str) -> dict[str, Any] | None:
        for record in DATA.by_kind[kind].values():
            if str(record.uuid) == pk:
                body: dict[str, Any] = {"url": f"{self.base}/{kind}/{pk}"}
                if record.procestype is not None:
                    body["procesType"] = f"{self.base}/procestypen/{record.procestype}"
                return body | dict(record.fields)
        return None

    def answer(self, path: str) -> tuple[int, str, bytes]:
        if path == "/broken":
            return 500, "text/plain", b"boom"
        if path == "/html":
            return 200, "text/html", b"<html>hello</html>"
        if path == "/empty":
            return 200, "text/plain", b""
        if path == "/slow":
            time.sleep(1)
            return 200, "application/json", b"{}"
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["api", "v1"]:
            body = self.resource(parts[2], parts[3])
            if body is not None:
                return 200, "application/json", json.dumps(body).encode()
        return 404, "application/json", b'{"detail": "Niet gevonden."}'


@pytest.fixture
def remote() -> Iterator[Remote]:
    server = Remote()
    server.thread.start()
    try:
        yield server
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(5)


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    service.clear_cache()
    yield
    service.clear_cache()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- local ---------------------------------------------------------------------------------


async def test_resolve_local_resultaat_is_api_shaped() -> None:
    found = await service.resolve(URLS, f"{LOCAL}/resultaten/{RESULTAAT}", "resultaten")
    assert found is not None
    assert found["url"] == f"{LOCAL}/resultaten/{RESULTAAT}"
    assert found["procesType"] == f"{LOCAL}/procestypen/{PROCESTYPE}"
    assert found["procestermijn"] == "ingeschatte_bestaansduur_procesobject"
    assert found["volledigNummer"] == "15.1.1"
    assert found["waardering"] == "vernietigen"
    assert found["bewaartermijn"] == "P5Y"


@pytest.mark.parametrize(
    ("kind", "pk", "field", "value"),
    [
        ("procestypen", PROCESTYPE, "nummer", 15),
        ("resultaattypeomschrijvingen", "fb65d251-1518-4185-865f-b8bdcfad07b1", "omschrijving", "Toegekend"),
        ("communicatiekanalen", str(DATA.communicatiekanalen[0].uuid), "naam", "telefoon"),
    ],
)
async def test_resolve_local_other_kinds(kind: str, pk: str, field: str, value: Any) -> None:
    found = await service.resolve(URLS, f"{LOCAL}/{kind}/{pk}", kind)
    assert found is not None
    assert found[field] == value
    assert found["url"] == f"{LOCAL}/{kind}/{pk}"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        (f"{LOCAL}/resultaten/00000000-0000-0000-0000-000000000001", "resultaten"),
        (f"{LOCAL}/resultaten/{PROCESTYPE}", "resultaten"),  # a procestype's uuid
        (f"{LOCAL}/procestypen/{RESULTAAT}", "procestypen"),
        (f"{LOCAL}/procestypen/{PROCESTYPE}", "resultaten"),  # the wrong kind
        (f"{LOCAL}/resultaten/cc0011dc-f221-424d-9a2b-f328f7cf1f7f", "resultaten"),  # vervallen
        (f"{BASE}/catalogi/api/v1/zaaktypen/{PROCESTYPE}", "procestypen"),  # another API of ours
        (f"{LOCAL}/resultaten/not-a-uuid", "resultaten"),
    ],
)
async def test_resolve_local_unknown_is_none_without_http(url: str, kind: str) -> None:
    # testserver does not resolve in DNS: a network call would raise instead of answering None.
    assert await service.resolve(URLS, url, kind) is None


async def test_resolve_local_with_tenant_prefix() -> None:
    urls = UrlBuilder(base=BASE, prefix="/utrecht")
    url = f"{BASE}/utrecht/referentielijsten/api/v1/procestypen/{PROCESTYPE}"
    found = await service.resolve(urls, url, "procestypen")
    assert found is not None
    assert found["url"] == url


async def test_resolve_rejects_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="unknown Referentielijsten resource"):
        await service.resolve(URLS, f"{LOCAL}/procestypen/{PROCESTYPE}", "procestype")


def test_local_base_and_api_root() -> None:
    assert service.local_base(URLS) == LOCAL
    assert service.api_root(URLS, Settings()) == LOCAL
    remote = Settings(referentielijsten_url="https://selectielijst.openzaak.nl/api/v1/")
    assert service.api_root(URLS, remote) == "https://selectielijst.openzaak.nl/api/v1"


# --- remote --------------------------------------------------------------------------------


async def test_resolve_remote_over_http_and_cached(remote: Remote) -> None:
    url = f"{remote.base}/resultaten/{RESULTAAT}"
    found = await service.resolve(URLS, url, "resultaten")
    assert found is not None
    assert found["url"] == url
    assert found["procesType"] == f"{remote.base}/procestypen/{PROCESTYPE}"
    assert found["procestermijn"] == "ingeschatte_bestaansduur_procesobject"
    assert remote.hits == [f"/api/v1/resultaten/{RESULTAAT}"]

    found["naam"] = "changed by a caller"
    again = await service.resolve(URLS, url, "resultaten")
    assert again is not None
    assert again["naam"] == "Uitgevoerd"
    assert len(remote.hits) == 1  # from the cache


async def test_resolve_remote_cache_expires(remote: Remote, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "CACHE_TTL", 0.0)
    url = f"{remote.base}/procestypen/{PROCESTYPE}"
    assert await service.resolve(URLS, url, "procestypen") is not None
    assert await service.resolve(URLS, url, "procestypen") is not None
    assert len(remote.hits) == 2


async def test_resolve_remote_configured_instance(remote: Remote) -> None:
    settings = Settings(referentielijsten_url=remote.base)
    root = service.api_root(URLS, settings)
    found = await service.resolve(
        URLS,
        f"{root}/resultaattypeomschrijvingen/{DATA.resultaattypeomschrijvingen[0].uuid}",
        "resultaattypeomschrijvingen",
    )
    assert found is not None
    assert found["omschrijving"] == "Afgewezen"


async def test_resolve_remote_404_is_none(remote: Remote) -> None:
    url = f"{remote.base}/resultaten/00000000-0000-0000-0000-000000000001"
    assert await service.resolve(URLS, url, "resultaten") is None
    assert await service.resolve(URLS, url, "resultaten") is None
    assert len(remote.hits) == 1  # a 404 is cached too


async def test_resolve_remote_wrong_kind_is_none(remote: Remote) -> None:
    # A procestype has no procesType/waardering: it is not a resultaat.
    assert await service.resolve(URLS, f"{remote.base}/procestypen/{PROCESTYPE}", "resultaten") is None


async def test_resolve_remote_server_error_raises(remote: Remote) -> None:
    url = f"http://127.0.0.1:{remote.server.server_port}/broken"
    with pytest.raises(ReferentielijstenError):
        await service.resolve(URLS, url, "resultaten")
    with pytest.raises(ReferentielijstenError):
        await service.resolve(URLS, url, "resultaten")
    assert len(remote.hits) == 2  # failures are not cached


@pytest.mark.parametrize("path", ["/html", "/empty"])
async def test_ztc_001_resolve_remote_200_that_is_not_json_is_not_the_resource(
    remote: Remote, path: str
) -> None:
    # The suite's mock answers 200 with an empty body and expects invalid-resource, not bad-url.
    url = f"http://127.0.0.1:{remote.server.server_port}{path}"
    assert await service.resolve(URLS, url, "resultaten") is None
    assert await service.resolve(URLS, url, "procestypen") is None


async def test_resolve_remote_timeout_raises(remote: Remote, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "REMOTE_TIMEOUT", 0.2)
    with pytest.raises(ReferentielijstenError, match="ReadTimeout"):
        await service.resolve(URLS, f"http://127.0.0.1:{remote.server.server_port}/slow", "resultaten")


async def test_resolve_network_failure_raises_without_logging_secrets(
    caplog: pytest.LogCaptureFixture,
) -> None:
    url = f"http://user:s3cret@127.0.0.1:{closed_port()}/api/v1/resultaten/{RESULTAAT}?token=s3cret"
    with (
        caplog.at_level(logging.WARNING, logger="samenzaak.referentielijsten"),
        pytest.raises(ReferentielijstenError) as info,
    ):
        await service.resolve(URLS, url, "resultaten")
    assert "ConnectError" in str(info.value)
    assert "s3cret" not in str(info.value)
    assert caplog.records
    assert all("s3cret" not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("url", ["not a url", "ftp://example.org/x", "/relative/path"])
async def test_resolve_malformed_url_raises(url: str) -> None:
    with pytest.raises(ReferentielijstenError, match="not an http"):
        await service.resolve(URLS, url, "procestypen")
