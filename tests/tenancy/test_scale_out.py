"""Scale out on PostgreSQL: two app processes and two notification workers, all separate OS
processes sharing one database. A burst of writes spread over both app processes gives no
errors, and every notification reaches the subscriber (duplicates allowed, losses not)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, ClientCredential
from samenzaak.common.auth import make_token
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade
from samenzaak.notificaties.testing import Subscriber

WRITES = 200
CONCURRENCY = 8


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def scale_db(engine: AsyncEngine, db_url: str) -> Iterator[str]:
    if engine.dialect.name != "postgresql":
        pytest.skip("scaling out needs PostgreSQL (SQLite is one process by design)")
    name = f"{make_url(db_url).database}_scale"
    admin = make_url(db_url).set(database="postgres").render_as_string(hide_password=False)
    psql = ["psql", admin.replace("+asyncpg", ""), "-v", "ON_ERROR_STOP=1", "-q", "-c"]
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name}"], check=True, timeout=60)
    subprocess.run([*psql, f"CREATE DATABASE {name}"], check=True, timeout=60)
    yield make_url(db_url).set(database=name).render_as_string(hide_password=False)
    subprocess.run([*psql, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False, timeout=60)


def spawn(ports: list[int], env: dict[str, str], logs: Path) -> list[subprocess.Popen[bytes]]:
    """Two app processes (uvicorn) and two notification workers, each its own OS process."""
    bin_dir = Path(sys.executable).parent
    app = [sys.executable, "-m", "uvicorn", "samenzaak.asgi:app", "--host", "127.0.0.1", "--port"]
    commands = [[*app, str(p)] for p in ports] + [[str(bin_dir / "samenzaak"), "worker"]] * 2
    return [
        subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=(logs / f"proc-{i}.log").open("w"))
        for i, cmd in enumerate(commands)
    ]


@pytest.fixture
async def processes(scale_db: str, tmp_path: Path) -> AsyncIterator[tuple[list[str], str]]:
    await upgrade(scale_db)
    engine = create_engine(scale_db)
    async with tenant_session(make_sessionmaker(engine)) as s:
        s.add(ClientCredential(client_id="load", secret="load-secret"))
        s.add(
            Applicatie(
                label="load", heeft_alle_autorisaties=True, clients=[ApplicatieClient(client_id="load")]
            )
        )
        await s.commit()
    await engine.dispose()
    env = os.environ | {
        "SAMENZAAK_DATABASE_URL": scale_db,
        "SAMENZAAK_DATA_DIR": str(tmp_path),
        "SAMENZAAK_DISPATCHER_IN_PROCESS": "false",
        "SAMENZAAK_LOG_LEVEL": "WARNING",
        "SAMENZAAK_NOTIFICATION_POLL_INTERVAL": "0.05",
    }
    ports = [free_port(), free_port()]
    procs = spawn(ports, env, tmp_path)
    bases = [f"http://127.0.0.1:{p}" for p in ports]
    try:
        async with httpx.AsyncClient() as client:
            deadline = time.monotonic() + 60
            for base in bases:
                while True:
                    try:
                        if (await client.get(f"{base}/ready")).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert time.monotonic() < deadline, "the app processes did not become ready"
                    await asyncio.sleep(0.2)
        yield bases, make_token("load", "load-secret")
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()


async def test_two_apps_and_two_workers_lose_nothing(processes: tuple[list[str], str]) -> None:
    bases, token = processes
    headers = {"Authorization": f"Bearer {token}"}
    subscriber = await Subscriber().start()
    try:
        async with httpx.AsyncClient(headers=headers, timeout=30) as client:
            r = await client.post(
                f"{bases[0]}/notificaties/api/v1/abonnement",
                json={
                    "callbackUrl": subscriber.url,
                    "auth": "Bearer abonnee",
                    "kanalen": [{"naam": "autorisaties", "filters": {}}],
                },
            )
            assert r.status_code == 201, r.text

            statuses: Counter[int] = Counter()
            created: list[str] = []
            queue = iter(range(WRITES))

            async def writer() -> None:
                for i in queue:
                    base = bases[i % 2]
                    body = {"clientIds": [f"burst-{i}"], "label": f"burst {i}", "heeftAlleAutorisaties": True}
                    resp = await client.post(f"{base}/autorisaties/api/v1/applicaties", json=body)
                    statuses[resp.status_code] += 1
                    if resp.status_code == 201:
                        created.append(resp.json()["url"])

            started = time.monotonic()
            await asyncio.gather(*(writer() for _ in range(CONCURRENCY)))
            write_seconds = time.monotonic() - started

        assert statuses == Counter({201: WRITES}), statuses
        async with asyncio.timeout(120):
            while True:
                seen = {n["resourceUrl"] for n in subscriber.notifications() if n["kanaal"] == "autorisaties"}
                if {u.replace(bases[1], bases[0]) for u in created} <= {
                    u.replace(bases[1], bases[0]) for u in seen
                }:
                    break
                await asyncio.sleep(0.2)
        received = [n for n in subscriber.notifications() if n["kanaal"] == "autorisaties"]
        duplicates = len(received) - len({n["resourceUrl"] for n in received})
        print(
            f"\n{WRITES} writes over 2 app processes in {write_seconds:.1f} s; {len(received)} notifications "
            f"received by 2 workers ({duplicates} duplicates, 0 lost)"
        )
    finally:
        await subscriber.stop()
