"""Reads from a real streaming replica on loopback; writes and the writer's reads from the primary.

Builds its own primary and replica clusters (initdb, pg_basebackup -R) in a temporary folder,
run as the postgres user, so the machine's own cluster is left alone. PostgreSQL runs only.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.app import create_app
from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, ClientCredential
from samenzaak.common.auth import make_token
from samenzaak.config import Settings
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade

BIN = max(Path("/usr/lib/postgresql").glob("*/bin"), default=None)
AC = "/autorisaties/api/v1/applicaties"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def as_postgres(*args: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def clusters(engine: AsyncEngine) -> Iterator[tuple[str, str]]:
    if engine.dialect.name != "postgresql":
        pytest.skip("streaming replication is a PostgreSQL feature")
    if BIN is None or os.geteuid() != 0 or shutil.which("runuser") is None:
        pytest.fail("the replica test needs PostgreSQL's server binaries and root (to run them as postgres)")
    root = Path(tempfile.mkdtemp(prefix="sz-replica-"))
    shutil.chown(root, "postgres")
    primary, replica = root / "primary", root / "replica"
    p_port, r_port = free_port(), free_port()
    as_postgres(str(BIN / "initdb"), "-D", str(primary), "--auth=trust", "-U", "postgres")
    opts = f"-p {p_port} -k {root} -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=4"
    as_postgres(str(BIN / "pg_ctl"), "-D", str(primary), "-o", opts, "-l", str(root / "p.log"), "-w", "start")
    try:
        as_postgres(
            str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(p_port), "-U", "postgres",
            "-D", str(replica), "-R", "-X", "stream",
        )  # fmt: skip
        r_opts = f"-p {r_port} -k {root} -c listen_addresses=127.0.0.1 -c hot_standby=on"
        as_postgres(
            str(BIN / "pg_ctl"), "-D", str(replica), "-o", r_opts, "-l", str(root / "r.log"), "-w", "start"
        )
        yield (
            f"postgresql://postgres@127.0.0.1:{p_port}/postgres",
            f"postgresql://postgres@127.0.0.1:{r_port}/postgres",
        )
    finally:
        for d in (replica, primary):
            stop = [str(BIN / "pg_ctl"), "-D", str(d), "-m", "immediate", "stop"]
            subprocess.run(["runuser", "-u", "postgres", "--", *stop], capture_output=True, timeout=60)
        shutil.rmtree(root, ignore_errors=True)


async def wait_for_replay(primary: AsyncEngine, replica: AsyncEngine) -> None:
    async with primary.connect() as p:
        lsn = await p.scalar(text("SELECT pg_current_wal_lsn()"))
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        async with replica.connect() as r:
            if await r.scalar(text("SELECT pg_last_wal_replay_lsn() >= CAST(:l AS pg_lsn)"), {"l": lsn}):
                return
        await asyncio.sleep(0.05)
    raise AssertionError("the replica did not catch up within 30 s")


@pytest.fixture
async def setup(
    clusters: tuple[str, str],
) -> AsyncIterator[tuple[httpx.AsyncClient, AsyncEngine, AsyncEngine]]:
    primary_url, replica_url = clusters
    await upgrade(primary_url)
    primary, replica = create_engine(primary_url), create_engine(replica_url)
    async with tenant_session(make_sessionmaker(primary)) as s:
        for cid in ("writer", "reader"):
            s.add(ClientCredential(client_id=cid, secret="s"))
            s.add(
                Applicatie(
                    label=cid,
                    heeft_alle_autorisaties=True,
                    clients=[ApplicatieClient(client_id=cid)],
                    autorisaties=[],
                )
            )
        await s.commit()
    await wait_for_replay(primary, replica)
    app = create_app(Settings(database_url=primary_url, database_replica_url=replica_url), engine=primary)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        yield client, primary, replica
    await app.state.replica_engine.dispose()
    await primary.dispose()
    await replica.dispose()


async def test_lists_come_from_the_replica_but_never_stale_for_the_writer(
    setup: tuple[httpx.AsyncClient, AsyncEngine, AsyncEngine],
) -> None:
    client, primary, replica = setup
    writer = {"Authorization": f"Bearer {make_token('writer', 's')}"}
    reader = {"Authorization": f"Bearer {make_token('reader', 's')}"}

    async with replica.connect() as r:
        await r.execute(text("SELECT pg_wal_replay_pause()"))
    try:
        r = await client.post(
            AC,
            headers=writer,
            json={"clientIds": ["new-app"], "label": "Nieuw", "heeftAlleAutorisaties": True},
        )
        assert r.status_code == 201, r.text
        # The writer reads its own write: served by the primary, since the replica is paused.
        r = await client.get(AC, headers=writer, params={"clientIds": "new-app"})
        assert r.status_code == 200, r.text
        assert r.json()["count"] == 1
        # Another client's list is served by the replica, which has not replayed the write yet.
        r = await client.get(AC, headers=reader, params={"clientIds": "new-app"})
        assert r.json()["count"] == 0
    finally:
        async with replica.connect() as r:
            await r.execute(text("SELECT pg_wal_replay_resume()"))
    await wait_for_replay(primary, replica)
    r = await client.get(AC, headers=reader, params={"clientIds": "new-app"})
    assert r.json()["count"] == 1
