"""The remote loader against a real HTTP server on loopback (no stand-in)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common import remote
from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken.catalogus import RefError, Types

ZAAKTYPE = {
    "omschrijving": "remote",
    "vertrouwelijkheidaanduiding": "intern",
    "statustypen": [],
    "doorlooptijd": "P1D",
    "concept": False,
    "beginGeldigheid": "2020-01-01",
}


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def do_GET(self) -> None:
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if self.path == "/zaaktype":
            payload: Any = ZAAKTYPE | {"url": f"http://{self.headers['Host']}/zaaktype"}
        elif self.path == "/200":
            payload = None
        else:
            self.send_response(404)
            self.end_headers()
            return
        body = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    remote.clear_cache()
    Handler.hits.clear()  # the class outlives one test: it runs once per database
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        remote.clear_cache()


async def test_remote_zaaktype_over_http(server: str, session: AsyncSession) -> None:
    types = Types(session, UrlBuilder(base="http://testserver"))
    info = await types.zaaktype(f"{server}/zaaktype")
    assert (info.uuid, info.vertrouwelijkheidaanduiding, info.concept) == (None, "intern", False)
    # Cached: a second resolver does not fetch again.
    await Types(session, UrlBuilder(base="http://testserver")).zaaktype(f"{server}/zaaktype")
    assert Handler.hits["/zaaktype"] == 1
    with pytest.raises(RefError) as bad:
        await types.zaaktype(f"{server}/404")
    assert bad.value.code == "bad-url"
    with pytest.raises(RefError) as invalid:
        await types.zaaktype(f"{server}/200")
    assert invalid.value.code == "invalid-resource"
    assert (await remote.fetch("http://127.0.0.1:1/closed")).status == 0
