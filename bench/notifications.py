"""Notification delivery benchmark: deliveries per second per worker, and the end-to-end
delay from an API write to the subscriber's receipt (p50/p99).

    python bench/notifications.py                       # SQLite in a temp dir, 10,000 notifications
    python bench/notifications.py --count 2000 --json-only
    python bench/notifications.py --database-url postgresql://postgres@127.0.0.1/sz_bench --workers 2

Throughput: ``--count`` outbox rows are written at once (a burst) for ``--subscribers``
abonnementen; ``--workers`` dispatcher processes deliver them to a subscriber running in
its own process on 127.0.0.1. The figure is deliveries recorded as delivered per second of
wall time, and that divided by the number of workers.

Latency: the app runs with its embedded dispatcher (as ``samenzaak serve`` does by default);
``--latency-count`` notifications are POSTed to the Notificaties API at ``--rate`` per
second, and each is timed from the moment the request is sent to its receipt by the
subscriber.

The database's notification tables are emptied first: use a database of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import delete, func, insert, select

from samenzaak.app import create_app
from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, ClientCredential
from samenzaak.common.auth import make_token
from samenzaak.common.notifications import OutboxMessage
from samenzaak.config import Settings
from samenzaak.db import DEFAULT_TENANT_ID, create_engine, make_sessionmaker, tenant_session, utcnow
from samenzaak.migrate import upgrade
from samenzaak.notificaties.dispatcher import Dispatcher
from samenzaak.notificaties.kanalen import register_kanalen
from samenzaak.notificaties.models import Abonnement, AbonnementKanaal, Delivery, DeliveryState, Kanaal
from samenzaak.notificaties.runtime import install
from samenzaak.notificaties.testing import Subscriber

CLIENT_ID = "bench-notifications"
SECRET = "bench-secret"


# -- the subscriber, in its own process --------------------------------------------------


def _serve_subscriber(port_out: Any) -> None:
    async def main() -> None:
        sub = await Subscriber().start()
        port_out.send(sub.port)
        await asyncio.Event().wait()

    asyncio.run(main())


async def receipts(base: str) -> dict[str, float]:
    async with httpx.AsyncClient(timeout=30) as client:
        rows = (await client.get(f"{base}/stats")).json()
    return {url: at for url, at in rows if url}


# -- database ----------------------------------------------------------------------------


async def prepare(url: str, callback: str, subscribers: int) -> None:
    await upgrade(url)
    engine = create_engine(url)
    try:
        factory = make_sessionmaker(engine)
        async with engine.begin() as conn:
            for model in (Delivery, AbonnementKanaal, Abonnement, Kanaal, OutboxMessage):
                await conn.execute(delete(model))
            await conn.execute(delete(ApplicatieClient).where(ApplicatieClient.client_id == CLIENT_ID))
            await conn.execute(delete(Applicatie).where(Applicatie.label == CLIENT_ID))
            await conn.execute(delete(ClientCredential).where(ClientCredential.client_id == CLIENT_ID))
        async with tenant_session(factory) as session:
            await register_kanalen(session, None)
            zaken = await session.scalar(select(Kanaal).where(Kanaal.naam == "zaken"))
            assert zaken is not None
            for i in range(subscribers):
                session.add(
                    Abonnement(
                        uuid=uuid.uuid4(),
                        callback_url=f"{callback}?s={i}",
                        auth="Bearer bench",
                        kanalen=[
                            AbonnementKanaal(kanaal_uuid=zaken.uuid, kanaal=zaken, filters={"zaaktype": "*"})
                        ],
                    )
                )
            session.add(ClientCredential(client_id=CLIENT_ID, secret=SECRET))
            session.add(
                Applicatie(
                    label=CLIENT_ID,
                    heeft_alle_autorisaties=True,
                    clients=[ApplicatieClient(client_id=CLIENT_ID)],
                    autorisaties=[],
                )
            )
            await session.commit()
    finally:
        await engine.dispose()


def message_row(i: int) -> dict[str, Any]:
    zaak = f"https://zaken.example.nl/zaken/api/v1/zaken/{uuid.uuid4()}"
    return {
        "tenant_id": DEFAULT_TENANT_ID,
        "kanaal": "zaken",
        "hoofd_object": zaak,
        "resource": "zaak",
        "resource_url": zaak,
        "actie": "create",
        "aanmaakdatum": utcnow(),
        "kenmerken": {"bronorganisatie": "002220647", "zaaktype": "https://example.nl/zt/1"},
    }


async def write_burst(url: str, count: int) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            for start in range(0, count, 5000):
                await conn.execute(
                    insert(OutboxMessage.__table__),
                    [message_row(i) for i in range(start, min(count, start + 5000))],
                )
    finally:
        await engine.dispose()


async def delivered_count(url: str) -> tuple[int, int]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            done = await conn.scalar(
                select(func.count()).select_from(Delivery).where(Delivery.state == DeliveryState.DELIVERED)
            )
            total = await conn.scalar(select(func.count()).select_from(Delivery))
            pending = await conn.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.dispatched_at.is_(None))
            )
            return int(done or 0), int(total or 0) + int(pending or 0)
    finally:
        await engine.dispose()


# -- throughput --------------------------------------------------------------------------


def _worker(url: str, settings_json: str, report: Any) -> None:
    async def main() -> None:
        settings = Settings.model_validate_json(settings_json)
        engine = create_engine(url)
        dispatcher = Dispatcher(make_sessionmaker(engine), settings)
        try:
            # Timed from here: the interpreter's start and imports are not delivery work.
            wall, cpu = time.perf_counter(), time.process_time()
            stats = await dispatcher.run(once=True)
            report.send((stats.delivered, time.perf_counter() - wall, time.process_time() - cpu))
        finally:
            await dispatcher.aclose()
            await engine.dispose()

    asyncio.run(main())


async def throughput(args: argparse.Namespace, url: str, settings: Settings) -> dict[str, Any]:
    await write_burst(url, args.count)
    expected = args.count * args.subscribers
    ctx = multiprocessing.get_context("spawn")
    pipes = [ctx.Pipe() for _ in range(args.workers)]
    procs = [
        ctx.Process(target=_worker, args=(url, settings.model_dump_json(), child)) for _parent, child in pipes
    ]
    for p in procs:
        p.start()
    reports = [await asyncio.to_thread(parent.recv) for parent, _child in pipes]
    for p in procs:
        await asyncio.to_thread(p.join)
    done, _ = await delivered_count(url)
    wall = max(r[1] for r in reports)
    cpu = sum(r[2] for r in reports)
    per_worker = [r[0] / r[1] for r in reports if r[1] > 0]
    return {
        "notifications": args.count,
        "subscribers": args.subscribers,
        "workers": args.workers,
        "deliveries": done,
        "expected": expected,
        "seconds": round(wall, 3),
        "deliveries_per_second": round(done / wall, 1),
        "deliveries_per_second_per_worker": round(statistics.mean(per_worker), 1),
        "worker_cpu_ms_per_delivery": round(cpu / max(done, 1) * 1000, 3),
        # What one worker delivers with a core to itself: the figure that does not depend on
        # how busy the machine is with other work.
        "deliveries_per_cpu_second": round(done / cpu, 1) if cpu else None,
        "lost": expected - done,
    }


# -- end-to-end latency ------------------------------------------------------------------


async def latency(args: argparse.Namespace, url: str, settings: Settings, sub_base: str) -> dict[str, Any]:
    engine = create_engine(url)
    app = create_app(settings.model_copy(update={"dispatcher_in_process": True}), engine=engine)
    install(app)
    headers = {"Authorization": f"Bearer {make_token(CLIENT_ID, SECRET)}"}
    sent: dict[str, float] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bench", headers=headers
        ) as client,
    ):
        interval = 1 / args.rate
        next_at = time.monotonic()
        for _ in range(args.latency_count):
            zaak = f"https://zaken.example.nl/zaken/api/v1/zaken/{uuid.uuid4()}"
            body = {
                "kanaal": "zaken",
                "hoofdObject": zaak,
                "resource": "zaak",
                "resourceUrl": zaak,
                "actie": "update",
                "aanmaakdatum": utcnow().isoformat(),
                "kenmerken": {"zaaktype": "https://example.nl/zt/1"},
            }
            sent[zaak] = time.monotonic()
            r = await client.post("/notificaties/api/v1/notificaties", json=body)
            r.raise_for_status()
            next_at += interval
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
        deadline = time.monotonic() + 30
        got: dict[str, float] = {}
        while time.monotonic() < deadline:
            got = await receipts(sub_base)
            if all(u in got for u in sent):
                break
            await asyncio.sleep(0.2)
    await engine.dispose()
    delays = sorted((got[u] - t) * 1000 for u, t in sent.items() if u in got)
    if not delays:
        return {"samples": 0}
    q = statistics.quantiles(delays, n=100) if len(delays) > 1 else [delays[0]] * 99
    return {
        "samples": len(delays),
        "missing": len(sent) - len(delays),
        "rate_per_second": args.rate,
        "p50_ms": round(q[49], 2),
        "p99_ms": round(q[98], 2),
        "max_ms": round(delays[-1], 2),
    }


# -- main --------------------------------------------------------------------------------


def table(result: dict[str, Any]) -> str:
    t, lat = result["throughput"], result["latency"]
    rows = [
        ("database", result["database"]),
        ("notifications x subscribers", f"{t['notifications']} x {t['subscribers']}"),
        ("workers", t["workers"]),
        ("deliveries (lost)", f"{t['deliveries']} ({t['lost']})"),
        ("seconds", t["seconds"]),
        ("deliveries/s", t["deliveries_per_second"]),
        ("deliveries/s per worker", t["deliveries_per_second_per_worker"]),
        ("worker CPU ms per delivery", t["worker_cpu_ms_per_delivery"]),
        ("deliveries per worker CPU-second", t["deliveries_per_cpu_second"]),
        ("vs incumbent (~25/s per worker)", f"{t['deliveries_per_second_per_worker'] / 25:.0f}x"),
        ("API write -> receipt p50 (ms)", lat.get("p50_ms")),
        ("API write -> receipt p99 (ms)", lat.get("p99_ms")),
        ("latency samples (at /s)", f"{lat.get('samples')} (at {lat.get('rate_per_second')}/s)"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


async def run(args: argparse.Namespace) -> dict[str, Any]:
    tmp = tempfile.mkdtemp(prefix="sz-bench-")
    url = args.database_url or f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
    parent, child = multiprocessing.get_context("spawn").Pipe()
    server = multiprocessing.get_context("spawn").Process(
        target=_serve_subscriber, args=(child,), daemon=True
    )
    server.start()
    port = parent.recv()
    sub_base = f"http://127.0.0.1:{port}"
    try:
        await prepare(url, f"{sub_base}/callback", args.subscribers)
        tuning: dict[str, Any] = {
            "notification_batch_size": args.batch_size,
            "notification_concurrency": args.concurrency,
        }
        if args.subscriber_concurrency:
            tuning["notification_subscriber_concurrency"] = args.subscriber_concurrency
        settings = Settings(data_dir=Path(tmp), database_url=url, dispatcher_in_process=False, **tuning)
        result: dict[str, Any] = {"database": url.split(":", 1)[0]}
        result["throughput"] = await throughput(args, url, settings)
        result["latency"] = await latency(args, url, settings, sub_base) if args.latency_count else {}
        return result
    finally:
        server.terminate()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", help="sqlite:///… or postgresql://…; default: SQLite in a temp dir")
    parser.add_argument(
        "--count", type=int, default=10_000, help="notifications in the burst (default 10000)"
    )
    parser.add_argument("--subscribers", type=int, default=1, help="abonnementen receiving each notification")
    parser.add_argument("--workers", type=int, default=1, help="dispatcher processes (default 1)")
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=1000, help="deliveries claimed per worker")
    parser.add_argument(
        "--subscriber-concurrency",
        type=int,
        default=None,
        help="connections per subscriber (default: the setting, 8)",
    )
    parser.add_argument(
        "--latency-count", type=int, default=500, help="API writes timed end to end (0: skip)"
    )
    parser.add_argument("--rate", type=float, default=20.0, help="API writes per second in the latency run")
    parser.add_argument("--json-only", action="store_true", help="print only the JSON")
    args = parser.parse_args()
    result = asyncio.run(run(args))
    if not args.json_only:
        print(table(result))
    print(json.dumps(result, indent=None if args.json_only else 2))
    if result["throughput"]["lost"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
