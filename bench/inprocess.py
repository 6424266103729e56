"""Time (or profile) requests through the ASGI app in this process, without HTTP or load.

Sequential requests against ``$SAMENZAAK_DATABASE_URL`` give per-request wall and CPU time
and a deterministic function-call count, which say more than throughput on a shared
machine. The client must exist (``samenzaak applicatie create --client-id … --secret …``).

    python bench/inprocess.py --client-id perf --secret s -n 300 /health /zaken/api/v1/zaken/<uuid>
    python bench/inprocess.py … --profile out.prof /zaken/api/v1/zaken?zaaktype=…
    python bench/inprocess.py … --body zaak.json /zaken/api/v1/zaken     (POSTs)
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event

from samenzaak.app import create_app
from samenzaak.common.auth import make_token


async def run(args: argparse.Namespace, body: Any) -> None:
    app = create_app()
    headers = {
        "Authorization": f"Bearer {make_token(args.client_id, args.secret)}",
        "Accept-Crs": "EPSG:4326",
        "Content-Crs": "EPSG:4326",
    }
    statements = [0]

    def count(*_: Any) -> None:
        statements[0] += 1

    event.listen(app.state.engine.sync_engine, "before_cursor_execute", count)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=args.base_url) as client:

        async def call(path: str) -> httpx.Response:
            if body is None:
                return await client.get(path, headers=headers)
            return await client.post(path, headers=headers, json=body)

        for path in args.paths:
            for _ in range(args.warmup):
                response = await call(path)
            response = await call(path)
            if response.status_code not in (200, 201):
                raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:300]}")
            profiler = cProfile.Profile() if args.profile else None
            statements[0] = 0
            started, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.n):
                await call(path)
            if profiler:
                profiler.disable()
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            line = f"{path[:70]:70s} {1000 * wall / args.n:7.2f} ms wall {1000 * cpu / args.n:7.2f} ms cpu"
            line += f" {statements[0] / args.n:5.1f} statements"
            if profiler:
                stats = pstats.Stats(profiler)
                line += f" {stats.total_calls / args.n:9.0f} calls (profiled)"  # type: ignore[attr-defined]
                stats.dump_stats(args.profile)
                stats.sort_stats("tottime").print_stats(25)
            print(line)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", help="paths to GET, e.g. /zaken/api/v1/zaken/<uuid>")
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("-n", type=int, default=300, help="requests per path")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="the host the URLs name")
    parser.add_argument("--profile", metavar="FILE", help="cProfile the requests; stats to FILE")
    parser.add_argument("--body", metavar="FILE", help="POST this JSON to each path instead of a GET")
    args = parser.parse_args(argv)
    asyncio.run(run(args, json.loads(Path(args.body).read_text()) if args.body else None))


if __name__ == "__main__":
    main()
