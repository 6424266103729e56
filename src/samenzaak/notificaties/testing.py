"""A webhook subscriber on loopback for the fault tests and the benchmark.

A small HTTP/1.1 server on ``asyncio.start_server`` (keep-alive, Content-Length bodies): it
records every notification it receives and can be made slow, failing, or down (its port
closed) and brought back on the same port.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from typing import Any

import orjson


@dataclass(slots=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]
    at: float  # time.monotonic() on receipt (system-wide on Linux, so comparable across processes)


@dataclass
class Subscriber:
    """``await sub.start()``; ``sub.url``; ``sub.received``; ``sub.delay``/``sub.status``."""

    host: str = "127.0.0.1"
    port: int = 0
    status: int = 204
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _connections: set[asyncio.StreamWriter] = field(default_factory=set)
    _arrived: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/callback"

    @property
    def up(self) -> bool:
        return self._server is not None

    def notifications(self) -> list[dict[str, Any]]:
        """Received bodies, without Open Notificaties' test notification (kanaal ``test``)."""
        return [r.body for r in self.received if r.body.get("kanaal") != "test"]

    async def start(self) -> Subscriber:
        self._server = await asyncio.start_server(self._handle, self.host, self.port, reuse_address=True)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        """Go down: close the port and every open connection (the dispatcher sees refusals)."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._connections):
                writer.close()
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def wait_for(self, count: int) -> None:
        """Until at least ``count`` notifications (test ones excluded) arrived; callers bound
        the wait with ``asyncio.timeout``."""
        while len(self.notifications()) < count:
            self._arrived.clear()
            await self._arrived.wait()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._connections.add(writer)
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                _method, path, _version = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                if _method == "GET" and path == "/stats":
                    # For a subscriber in another process (the benchmark): what arrived when.
                    report = orjson.dumps([[r.body.get("resourceUrl"), r.at] for r in self.received])
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(report), report))
                    await writer.drain()
                    continue
                if self.delay:
                    await asyncio.sleep(self.delay)
                if self._server is None:  # went down while this request waited
                    return
                status = self.status
                if 200 <= status < 300:
                    self.received.append(
                        Received(path, headers, orjson.loads(body or b"{}"), time.monotonic())
                    )
                    self._arrived.set()
                reason = b"No Content" if status == 204 else b"Status"
                writer.write(b"HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n" % (status, reason))
                await writer.drain()
        except (
            asyncio.IncompleteReadError,
            asyncio.CancelledError,  # the server shuts down
            ConnectionError,
            asyncio.LimitOverrunError,
            ValueError,
        ):
            pass
        finally:
            self._connections.discard(writer)
            writer.close()
