"""Load generator for any ZGW server (Samenzaak, Open Zaak, …): the same scenarios, the same way.

It needs only a base URL, a client id and secret (it signs its own JWT) and a published
zaaktype URL; everything else it discovers through the APIs and creates in a short setup.
Every scenario runs for a fixed duration (or request cap) at each concurrency, after a
warm-up, and is reported with requests/s, p50/p95/p99 latency, errors, and its fraction of
the server's "ceiling" (a minimal endpoint under the same generator).

    python bench/load.py --base-url http://127.0.0.1:8000 --client-id bench --secret s \\
        --zaaktype http://127.0.0.1:8000/catalogi/api/v1/zaaktypen/<uuid> --json out.json
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

if __package__ in (None, ""):  # run as `python bench/load.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench import scenarios as sc
from bench.metrics import MemorySampler, Recorder, summarize
from bench.zgw import GuardedTransport, RemoteTargetError, TokenProvider, ZgwClient, check_target


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="bench/load.py",
        description="Benchmark any ZGW server: zaken, statussen, lists, expand, _zoek, documents, a day.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--base-url", required=True, help="The server's root, e.g. http://127.0.0.1:8000")
    p.add_argument("--client-id", required=True, help="Client id of an applicatie with the needed scopes")
    p.add_argument("--secret", required=True, help="Its secret; the generator signs its own HS256 JWT")
    p.add_argument(
        "--zaaktype",
        help="URL of a published zaaktype with ≥2 statustypen and a roltype (required "
        "unless only the ceiling runs)",
    )
    p.add_argument(
        "--informatieobjecttype", help="URL of a published informatieobjecttype (document scenarios)"
    )
    p.add_argument("--zaken-root", default="/zaken/api/v1", help="Path of the Zaken API under the base URL")
    p.add_argument("--documenten-root", default="/documenten/api/v1", help="Path of the Documenten API")
    p.add_argument("--ceiling-path", default="/health", help="A minimal endpoint: the stack's ceiling")
    p.add_argument("--rsin", default="111222333", help="bronorganisatie/verantwoordelijkeOrganisatie")
    p.add_argument(
        "--scenarios",
        default=",".join(sc.SCENARIOS),
        help=f"Comma-separated, out of: {', '.join(sc.SCENARIOS)}",
    )
    p.add_argument("--concurrency", default="8,32", help="Comma-separated concurrency levels")
    p.add_argument("--duration", type=float, default=10.0, help="Seconds measured per scenario and level")
    p.add_argument("--warmup", type=float, default=2.0, help="Seconds of unmeasured warm-up before each")
    p.add_argument("--max-requests", type=int, default=100_000, help="Cap on measured requests per run")
    p.add_argument(
        "--mix", default=None, help="Mixed workload weights, e.g. zaak_read=70,status_create=20,..."
    )
    p.add_argument(
        "--setup-zaken", type=int, default=200, help="Zaken (with status and rol) created in setup"
    )
    p.add_argument("--citizens", type=int, default=20, help="Distinct BSNs the setup zaken are spread over")
    p.add_argument("--setup-documents", type=int, default=20, help="Documents created in setup")
    p.add_argument("--server-pid", type=int, help="Report this process tree's memory (VmRSS/VmHWM)")
    p.add_argument("--json", type=Path, help="Also write the results as JSON to this file")
    p.add_argument("--timeout", type=float, default=30.0, help="Per-request timeout in seconds")
    p.add_argument(
        "--token-refresh", type=float, default=60.0, help="Re-sign the JWT after this many seconds"
    )
    p.add_argument("--seed", type=int, default=1, help="Random seed (pages, zaken, mix)")
    p.add_argument("--no-uvloop", action="store_true", help="Use asyncio's own event loop, not uvloop")
    p.add_argument("--allow-remote", action="store_true", help="Allow targets other than loopback addresses")
    args = p.parse_args(argv)
    args.scenario_list = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(args.scenario_list) - set(sc.SCENARIOS)
    if unknown:
        p.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.ceiling_only = set(args.scenario_list) <= {"ceiling"}
    if not args.zaaktype and not args.ceiling_only:
        p.error("--zaaktype is required (unless --scenarios ceiling)")
    try:
        args.levels = [int(c) for c in args.concurrency.split(",") if c.strip()]
        args.mix_weights = sc.parse_mix(args.mix) if args.mix else dict(sc.DEFAULT_MIX)
    except ValueError as exc:
        p.error(str(exc))
    if not args.levels or min(args.levels) < 1 or max(args.levels) > 1024:
        p.error("concurrency levels must be within 1..1024")
    if args.duration <= 0 or args.duration > 3600 or args.warmup < 0 or args.warmup > 600:
        p.error("--duration must be within (0, 3600] and --warmup within [0, 600] seconds")
    if args.max_requests < 1:
        p.error("--max-requests must be positive")
    if args.citizens < 1 or args.setup_zaken < 1:
        p.error("--citizens and --setup-zaken must be positive")
    return args


# -- running ----------------------------------------------------------------------------------


async def run_phase(
    ctx: sc.Context,
    op: sc.Op,
    rec: Recorder,
    *,
    concurrency: int,
    duration: float,
    max_requests: int,
    seed: int,
) -> float:
    """``concurrency`` workers repeat ``op`` until the duration or the request cap is reached;
    returns the elapsed seconds. Both caps bound every loop, whatever the server does."""
    start = time.perf_counter()
    cpu_start = _cpu_seconds()
    deadline = start + duration

    async def worker(index: int) -> None:
        rng = random.Random(seed * 1000 + index)
        while time.perf_counter() < deadline and rec.total < max_requests:
            await op(ctx, rng, rec)

    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    elapsed = time.perf_counter() - start
    rec.client_cpu = (_cpu_seconds() - cpu_start) / elapsed if elapsed > 0 else 0.0
    return elapsed


def _cpu_seconds() -> float:
    """CPU seconds of this process: near 1.0 per second means the generator, not the server,
    limits throughput (it is one Python process)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def result_row(
    scenario: str, concurrency: int, rec: Recorder, elapsed: float, ceiling_rps: float | None
) -> dict[str, Any]:
    rps = rec.total / elapsed if elapsed > 0 else 0.0
    endpoints = {
        label: {
            "requests": len(ep.latencies),
            "rps": round(len(ep.latencies) / elapsed, 1) if elapsed > 0 else 0.0,
            "latency_ms": _rounded(summarize(ep.latencies)),
            "errors": ep.errors,
            "statuses": ep.statuses,
        }
        for label, ep in sorted(rec.endpoints.items())
    }
    return {
        "scenario": scenario,
        "concurrency": concurrency,
        "requests": rec.total,
        "seconds": round(elapsed, 3),
        "rps": round(rps, 1),
        "latency_ms": _rounded(summarize(rec.all_latencies())),
        "errors": rec.errors,
        "error_samples": rec.error_samples,
        "ceiling_fraction": round(rps / ceiling_rps, 3) if ceiling_rps else None,
        "client_cpu": round(rec.client_cpu, 2),
        "endpoints": endpoints,
    }


def _rounded(values: dict[str, float]) -> dict[str, float | None]:
    return {k: (None if math.isnan(v) else round(v, 2)) for k, v in values.items()}


async def prepare(ctx: sc.Context, scenario: str, rec: Recorder) -> str | None:
    """Per-scenario preparation; returns why the scenario cannot run, or None."""
    if scenario in ctx.unsupported:
        return ctx.unsupported[scenario]
    if (
        scenario.startswith("zaken_list") or scenario == "mixed"
    ) and "zaken_list_first" not in ctx.unsupported:
        await sc.refresh_count(ctx, rec)
    if scenario in ("zaken_list_expand", "zaken_zoek_bsn_expand"):
        await sc.probe_expand(ctx, rec, scenario)
        return ctx.unsupported.get(scenario)
    return None


async def run(args: argparse.Namespace, out: TextIO = sys.stdout) -> dict[str, Any]:
    for url in filter(None, (args.base_url, args.zaaktype, args.informatieobjecttype)):
        check_target(url, allow_remote=args.allow_remote)
    target = sc.Target(
        base_url=args.base_url.rstrip("/"),
        zaaktype=args.zaaktype or "",
        informatieobjecttype=args.informatieobjecttype,
        zaken_root=args.zaken_root,
        documenten_root=args.documenten_root,
        ceiling_path=args.ceiling_path,
        rsin=args.rsin,
    )
    limits = httpx.Limits(
        max_connections=max(args.levels) + 4, max_keepalive_connections=max(args.levels) + 4
    )
    transport = GuardedTransport(httpx.AsyncHTTPTransport(limits=limits), allow_remote=args.allow_remote)
    async with httpx.AsyncClient(transport=transport, timeout=args.timeout) as http:
        return await run_with_client(args, target, http, out)


async def run_with_client(
    args: argparse.Namespace, target: sc.Target, http: httpx.AsyncClient, out: TextIO
) -> dict[str, Any]:
    tokens = TokenProvider(args.client_id, args.secret, refresh_s=args.token_refresh)
    ctx = sc.Context(client=ZgwClient(http, tokens, crs_prefixes=[target.zaken]), target=target)
    sampler = MemorySampler(args.server_pid) if args.server_pid else None
    if sampler and not sampler.available():
        print(f"warning: no /proc entry for pid {args.server_pid}; memory not reported", file=sys.stderr)
        sampler = None

    started = time.time()
    facts = machine_facts()  # the load average before the run, not after
    if not args.ceiling_only:
        print(f"setup: discovering the zaaktype and creating {args.setup_zaken} zaken…", file=sys.stderr)
        await sc.setup(
            ctx, Recorder(), zaken=args.setup_zaken, citizens=args.citizens, documents=args.setup_documents
        )
    mix = sc.usable_mix(args.mix_weights, ctx.unsupported)
    if not mix:
        ctx.unsupported["mixed"] = "no operation of the mix is supported"
    scenario_ops = dict(sc.OPS)
    if mix:
        scenario_ops["mixed"] = sc.mixed_op(sc.MixPicker(mix))

    results: list[dict[str, Any]] = []
    unsupported: dict[str, str] = {}
    ceiling: dict[int, float] = {}
    order = list(args.scenario_list)
    if "ceiling" in order and len(order) > 1:
        # The ceiling again at the end: on a shared machine the difference shows how much the
        # conditions drifted while the scenarios ran.
        order.append("ceiling_end")
        scenario_ops["ceiling_end"] = sc.OPS["ceiling"]
    for scenario in order:
        for level in args.levels:
            prep = Recorder()
            reason = await prepare(ctx, scenario, prep)
            if reason:
                unsupported[scenario] = reason
                print(f"{scenario}: skipped ({reason})", file=sys.stderr)
                break
            op = scenario_ops[scenario]
            if args.warmup:
                await run_phase(
                    ctx, op, Recorder(), concurrency=level, duration=args.warmup,
                    max_requests=args.max_requests, seed=args.seed + 7,
                )  # fmt: skip
            rec = Recorder()
            if sampler:
                sampler.start()
            elapsed = await run_phase(
                ctx, op, rec, concurrency=level, duration=args.duration,
                max_requests=args.max_requests, seed=args.seed,
            )  # fmt: skip
            row = result_row(
                scenario, level, rec, elapsed, None if scenario == "ceiling" else ceiling.get(level)
            )
            if scenario == "ceiling":
                ceiling[level] = row["rps"]
            if sampler:
                row["server_memory"] = await sampler.stop()
            results.append(row)
            print(
                f"{scenario} c={level}: {row['rps']} req/s, p99 {row['latency_ms']['p99']} ms, "
                f"{row['errors']} errors",
                file=sys.stderr,
            )

    report = {
        "meta": facts
        | {
            "loadavg_at_end": [round(x, 2) for x in os.getloadavg()],
            "base_url": target.base_url,
            "zaaktype": target.zaaktype,
            "started": dt.datetime.fromtimestamp(started, dt.UTC).isoformat(),
            "seconds": round(time.time() - started, 1),
            "duration": args.duration,
            "warmup": args.warmup,
            "concurrency": args.levels,
            "setup_zaken": len(ctx.zaken),
            "zaken_count": ctx.count,
            "page_size": ctx.page_size,
            "mix": mix,
            "jwt_signed": tokens.signed,
        },
        "ceiling_rps": {str(k): v for k, v in ceiling.items()},
        "results": results,
        "unsupported": unsupported,
        "notes": ctx.notes,
    }
    out.write(format_table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"JSON written to {args.json}", file=sys.stderr)
    return report


def machine_facts() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "loadavg_at_start": [round(x, 2) for x in load] if load else None,
    }


# -- output -----------------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def format_table(report: dict[str, Any]) -> str:
    """The results as a fixed-width table; the mixed workload also per endpoint."""
    has_memory = any("server_memory" in r for r in report["results"])
    header = f"{'scenario':<28}{'conc':>5}{'req':>8}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
    header += f"{'errors':>7}{'ceiling':>9}{'gen cpu':>8}" + (f"{'peak MiB':>10}" if has_memory else "")
    lines = [header, "-" * len(header)]
    for r in report["results"]:
        lat = r["latency_ms"]
        frac = r.get("ceiling_fraction")
        line = (
            f"{r['scenario']:<28}{r['concurrency']:>5}{r['requests']:>8}{r['rps']:>9.1f}"
            f"{_fmt(lat['p50']):>9}{_fmt(lat['p95']):>9}{_fmt(lat['p99']):>9}{r['errors']:>7}"
            f"{(f'{frac:.1%}' if frac is not None else '-'):>9}{r.get('client_cpu', 0):>8.0%}"
        )
        if has_memory:
            line += f"{_fmt(r.get('server_memory', {}).get('peak_rss_mib')):>10}"
        lines.append(line)
        if len(r["endpoints"]) > 1:
            for label, ep in r["endpoints"].items():
                el = ep["latency_ms"]
                lines.append(
                    f"{'  ' + label:<28}{'':>5}{ep['requests']:>8}{ep['rps']:>9.1f}{_fmt(el['p50']):>9}"
                    f"{_fmt(el['p95']):>9}{_fmt(el['p99']):>9}{ep['errors']:>7}"
                )
    for name, reason in report.get("unsupported", {}).items():
        lines.append(f"{name:<28}{reason}")
    for r in report["results"]:
        for sample in r["error_samples"][:3]:
            lines.append(
                f"error in {r['scenario']} c={r['concurrency']}: {sample['status']} {sample['body'][:300]}"
            )
    for note in report.get("notes", []):
        lines.append(f"note: {note}")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    loop_factory = None
    if not args.no_uvloop:
        try:
            import uvloop

            loop_factory = uvloop.new_event_loop
        except ImportError:
            pass
    try:
        with asyncio.Runner(loop_factory=loop_factory) as runner:
            runner.run(run(args))
    except RemoteTargetError as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except sc.SetupError as exc:
        print(f"setup failed: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
