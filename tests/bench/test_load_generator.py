"""The load generator's pure parts, and one tiny end-to-end run against an in-memory fake ZGW
server (through httpx's ASGI transport: no socket, no timing assertions)."""

from __future__ import annotations

import base64
import io
import json
import random
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from bench.metrics import Recorder, parse_ppid, parse_proc_status, percentile, process_tree, summarize
from bench.zgw import (
    GuardedTransport,
    RemoteTargetError,
    Resolver,
    TokenProvider,
    ZgwClient,
    check_target,
    elfproef,
    is_loopback_host,
    make_jwt,
    valid_bsns,
)
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bench import load
from bench import scenarios as sc

# -- percentiles ----------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks() -> None:
    values = [1.0, 2.0, 3.0, 4.0]
    assert percentile(values, 0) == 1.0
    assert percentile(values, 50) == 2.5
    assert percentile(values, 100) == 4.0
    assert percentile(list(map(float, range(1, 101))), 99) == pytest.approx(99.01)


def test_percentile_of_one_value_and_of_none() -> None:
    assert percentile([7.0], 99) == 7.0
    assert summarize([])["p99"] != summarize([])["p99"]  # NaN: no requests is not "0 ms"
    with pytest.raises(ValueError):
        percentile([1.0], 101)


def test_summarize_reports_milliseconds_from_unsorted_seconds() -> None:
    s = summarize([0.003, 0.001, 0.002])
    assert s["p50"] == pytest.approx(2.0)
    assert s["max"] == pytest.approx(3.0)
    assert s["mean"] == pytest.approx(2.0)


def test_recorder_counts_errors_and_keeps_only_the_first_bodies() -> None:
    rec = Recorder()
    rec.add("zaak_read", 0.01, 200)
    for i in range(8):
        rec.add("zaak_read", 0.02, 500, f"boom {i}" + "x" * 1000)
    rec.add("zaak_create", 0.03, None, "ConnectError")
    assert rec.total == 10
    assert rec.errors == 9
    assert len(rec.error_samples) == 5
    assert rec.error_samples[0]["body"].startswith("boom 0") and len(rec.error_samples[0]["body"]) == 500
    assert rec.endpoints["zaak_read"].statuses == {"200": 1, "500": 8}
    assert rec.endpoints["zaak_create"].statuses == {"exception": 1}


# -- /proc parsing --------------------------------------------------------------------------


def test_proc_status_and_stat_parsing() -> None:
    status = "Name:\tuvicorn\nVmPeak:\t  300 kB\nVmHWM:\t  120400 kB\nVmRSS:\t   98000 kB\nThreads:\t4\n"
    assert parse_proc_status(status) == {"VmPeak": 300, "VmHWM": 120400, "VmRSS": 98000}
    assert parse_ppid("4242 (python3 -m (x) y) S 17 4242 4242 0 -1") == 17


def test_process_tree_follows_children_of_children() -> None:
    parents = {1: 0, 10: 1, 11: 10, 12: 10, 13: 11, 99: 1}
    assert sorted(process_tree(10, parents)) == [10, 11, 12, 13]


# -- JWT ------------------------------------------------------------------------------------


def test_jwt_has_the_zgw_claims_and_verifies_with_the_secret() -> None:
    token = make_jwt("bench", "s3cret-s3cret-s3cret-s3cret-s3cret", user_id="u1", now=1_700_000_000)
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    claims = jwt.decode(token, "s3cret-s3cret-s3cret-s3cret-s3cret", algorithms=["HS256"])
    assert claims == {
        "iss": "bench",
        "client_id": "bench",
        "user_id": "u1",
        "user_representation": "Samenzaak benchmark",
        "iat": 1_700_000_000,
    }


def test_token_is_reused_then_re_signed_after_the_refresh_interval() -> None:
    now = [1000.0]
    tokens = TokenProvider("bench", "secret-secret-secret-secret-secret", refresh_s=60, clock=lambda: now[0])
    first = tokens.header()
    now[0] += 59
    assert tokens.header() == first
    now[0] += 2
    second = tokens.header()
    assert second != first and tokens.signed == 2
    assert jwt.decode(second.removeprefix("Bearer "), options={"verify_signature": False})["iat"] == 1061


# -- loopback guard ---------------------------------------------------------------------------


def fake_resolver(table: dict[str, list[str]]) -> Resolver:
    def resolve(host: str) -> list[str]:
        if host not in table:
            raise OSError("unknown host")
        return table[host]

    return resolve


def test_loopback_guard_accepts_only_loopback_addresses() -> None:
    resolve = fake_resolver({"localhost": ["127.0.0.1", "::1"], "mixed": ["127.0.0.1", "10.0.0.5"]})
    assert is_loopback_host("127.0.0.1", resolve)
    assert is_loopback_host("127.3.4.5", resolve)
    assert is_loopback_host("[::1]", resolve)
    assert is_loopback_host("localhost", resolve)
    assert not is_loopback_host("10.0.0.5", resolve)
    assert not is_loopback_host("mixed", resolve)  # one remote address is enough to refuse
    assert not is_loopback_host("nowhere.example", resolve)
    with pytest.raises(RemoteTargetError):
        check_target("http://192.168.1.10:8000", allow_remote=False, resolver=resolve)
    check_target("http://192.168.1.10:8000", allow_remote=True, resolver=resolve)


async def test_guarded_transport_refuses_a_remote_url_found_in_a_response() -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(str(request.url))
        return httpx.Response(200)

    transport = GuardedTransport(httpx.MockTransport(handler), allow_remote=False, resolver=fake_resolver({}))
    async with httpx.AsyncClient(transport=transport) as client:
        await client.get("http://127.0.0.1:9/ok")
        with pytest.raises(RemoteTargetError):
            await client.get("http://203.0.113.7/next-page")
    assert sent == ["http://127.0.0.1:9/ok"]


def test_cli_refuses_a_remote_base_url_before_sending_anything(capsys: pytest.CaptureFixture[str]) -> None:
    code = load.main(
        [
            "--base-url",
            "http://203.0.113.7",
            "--client-id",
            "c",
            "--secret",
            "s",
            "--zaaktype",
            "http://203.0.113.7/z",
        ]
    )
    assert code == 2
    assert "not a loopback address" in capsys.readouterr().err


# -- BSN and the scenario mix -----------------------------------------------------------------


def test_generated_bsns_pass_the_eleven_test_and_are_distinct() -> None:
    bsns = valid_bsns(25)
    assert len(set(bsns)) == 25 and all(elfproef(b) for b in bsns)
    assert elfproef("111222333") and not elfproef("111222334")


def test_default_mix_is_a_zaaksysteem_day() -> None:
    weights = sc.DEFAULT_MIX
    total = sum(weights.values())
    reads = sum(w for name, w in weights.items() if name in sc.READ_OPS)
    creates = weights["zaak_create"] + weights["document_create"]
    assert reads / total == pytest.approx(0.70)
    assert creates / total == pytest.approx(0.10)
    assert (total - reads - creates) / total == pytest.approx(0.20)


def test_mix_picker_draws_in_proportion_and_never_a_zero_weight() -> None:
    picker = sc.MixPicker({"zaak_read": 7, "status_create": 2, "zaak_create": 1, "rol_create": 0})
    rng = random.Random(42)
    counts = Counter(picker.pick(rng) for _ in range(20_000))
    assert set(counts) == {"zaak_read", "status_create", "zaak_create"}
    assert counts["zaak_read"] / 20_000 == pytest.approx(0.7, abs=0.02)
    assert counts["zaak_create"] / 20_000 == pytest.approx(0.1, abs=0.02)


def test_parse_mix_and_its_refusals() -> None:
    assert sc.parse_mix("zaak_read=70, status_create=30") == {"zaak_read": 70.0, "status_create": 30.0}
    for bad in ("zaak_read", "nonsense=3", "ceiling=1", "zaak_read=-1", "zaak_read=0"):
        with pytest.raises(ValueError):
            sc.parse_mix(bad)
    assert sc.usable_mix({"zaak_read": 1, "document_create": 1}, {"document_create": "no iotype"}) == {
        "zaak_read": 1
    }


def test_cli_rejects_unknown_scenarios_and_bad_levels() -> None:
    base = ["--base-url", "http://127.0.0.1:1", "--client-id", "c", "--secret", "s", "--zaaktype", "http://x"]
    with pytest.raises(SystemExit):
        load.parse_args([*base, "--scenarios", "zaak_read,teleport"])
    with pytest.raises(SystemExit):
        load.parse_args([*base, "--concurrency", "0"])
    args = load.parse_args([*base, "--concurrency", "8,32"])
    assert args.levels == [8, 32] and args.scenario_list == sc.SCENARIOS


# -- table and JSON, through a tiny fake ZGW server -------------------------------------------

BASE = "http://127.0.0.1:8000"
ZAAKTYPE = f"{BASE}/catalogi/api/v1/zaaktypen/{uuid.uuid4()}"
IOTYPE = f"{BASE}/catalogi/api/v1/informatieobjecttypen/{uuid.uuid4()}"
PAGE = 3


def fake_zgw() -> tuple[Starlette, dict[str, Any]]:
    """Just enough of the Catalogi, Zaken and Documenten APIs for every scenario; it refuses
    expand on lists (as a pre-1.6 server does) so the fallback shows."""
    state: dict[str, Any] = {"zaken": [], "docs": {}, "seen": Counter(), "crs": True}
    cat = f"{BASE}/catalogi/api/v1"

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def catalogi(request: Request) -> Response:
        kind, _id = request.path_params["kind"], request.path_params["id"]
        url = str(request.url)
        if kind == "zaaktypen":
            return JSONResponse(
                {
                    "url": url,
                    "concept": False,
                    "statustypen": [f"{cat}/statustypen/2", f"{cat}/statustypen/1"],
                    "roltypen": [f"{cat}/roltypen/1"],
                    "resultaattypen": [],
                }
            )
        if kind == "statustypen":
            return JSONResponse({"url": url, "volgnummer": int(_id)})
        return JSONResponse({"url": url, "omschrijvingGeneriek": "initiator"})

    async def zaken(request: Request) -> Response:
        state["seen"][(request.method, request.url.path)] += 1
        if "zaken/api" in request.url.path and request.headers.get("accept-crs") != "EPSG:4326":
            state["crs"] = False
        if request.method == "POST":
            body = await request.json()
            assert request.headers["authorization"].startswith("Bearer ")
            url = f"{BASE}/zaken/api/v1/zaken/{uuid.uuid4()}"
            if request.url.path.endswith("/zaken"):
                assert {"bronorganisatie", "verantwoordelijkeOrganisatie", "zaaktype", "startdatum"} <= set(
                    body
                )
                state["zaken"].append(url)
            return JSONResponse({"url": url}, status_code=201)
        if "expand" in request.query_params:
            return JSONResponse({"detail": "expand unknown"}, status_code=400)
        page = int(request.query_params.get("page", 1))
        items = state["zaken"][(page - 1) * PAGE : page * PAGE]
        more = page * PAGE < len(state["zaken"])
        return JSONResponse(
            {"count": len(state["zaken"]), "next": "n" if more else None, "previous": None, "results": items}
        )

    async def zaak(request: Request) -> Response:
        return JSONResponse({"url": str(request.url)})

    async def zoek(request: Request) -> Response:
        if "expand" in request.query_params:
            return JSONResponse({"count": 1, "results": [{"url": "u", "_expand": {}}]})
        return JSONResponse({"count": 1, "next": None, "previous": None, "results": [{"url": "u"}]})

    async def documents(request: Request) -> Response:
        body = await request.json()
        key = str(uuid.uuid4())
        state["docs"][key] = base64.b64decode(body["inhoud"])
        url = f"{BASE}/documenten/api/v1/enkelvoudiginformatieobjecten/{key}"
        return JSONResponse({"url": url, "inhoud": f"{url}/download"}, status_code=201)

    async def download(request: Request) -> Response:
        return Response(state["docs"][request.path_params["id"]], media_type="application/octet-stream")

    routes = [
        Route("/health", health),
        Route("/catalogi/api/v1/{kind}/{id}", catalogi),
        Route("/zaken/api/v1/zaken/_zoek", zoek, methods=["POST"]),
        Route("/zaken/api/v1/zaken/{id}", zaak),
        Route("/zaken/api/v1/{kind}", zaken, methods=["GET", "POST"]),
        Route("/documenten/api/v1/enkelvoudiginformatieobjecten", documents, methods=["POST"]),
        Route("/documenten/api/v1/enkelvoudiginformatieobjecten/{id}/download", download),
    ]
    return Starlette(routes=routes), state


async def test_a_short_run_covers_every_scenario_and_writes_table_and_json(tmp_path: Path) -> None:
    app, state = fake_zgw()
    out_file = tmp_path / "out.json"
    args = load.parse_args(
        [
            "--base-url", BASE, "--client-id", "bench", "--secret", "secret",
            "--zaaktype", ZAAKTYPE, "--informatieobjecttype", IOTYPE,
            "--concurrency", "2", "--duration", "5", "--max-requests", "6", "--warmup", "0",
            "--setup-zaken", "7", "--citizens", "3", "--setup-documents", "2", "--json", str(out_file),
        ]
    )  # fmt: skip
    target = sc.Target(base_url=BASE, zaaktype=ZAAKTYPE, informatieobjecttype=IOTYPE)
    transport = GuardedTransport(httpx.ASGITransport(app=app), allow_remote=False)
    out = io.StringIO()
    async with httpx.AsyncClient(transport=transport) as http:
        report = await load.run_with_client(args, target, http, out)

    ran = {r["scenario"] for r in report["results"]}
    assert ran == set(sc.SCENARIOS) - {"zaken_list_expand"} | {"ceiling_end"}
    assert report["unsupported"] == {"zaken_list_expand": "unsupported: the server refused expand (400)"}
    assert all(r["errors"] == 0 for r in report["results"]), [r["error_samples"] for r in report["results"]]
    # The request cap bounds each run (a worker may finish the request it started).
    assert all(6 <= r["requests"] <= 7 for r in report["results"])
    assert all(r["ceiling_fraction"] is not None for r in report["results"] if r["scenario"] != "ceiling")
    assert state["crs"], "every Zaken request carries Accept-Crs"
    # The status scenario never sets the eindstatus (volgnummer 2), so zaken stay open.
    assert report["meta"]["setup_zaken"] == 7 and report["meta"]["zaken_count"] >= 7

    table = out.getvalue()
    assert table.splitlines()[0].split()[:3] == ["scenario", "conc", "req"]
    assert "zaken_list_expand" in table and "unsupported" in table
    assert "  zaak_read" in table or "  zaken_list_random" in table  # the mixed rows per endpoint
    assert json.loads(out_file.read_text())["results"] == report["results"]


async def test_status_create_uses_only_non_final_statustypen() -> None:
    app, _ = fake_zgw()
    transport = GuardedTransport(httpx.ASGITransport(app=app), allow_remote=False)
    async with httpx.AsyncClient(transport=transport) as http:
        ctx = sc.Context(
            client=ZgwClient(http, TokenProvider("c", "s"), crs_prefixes=[BASE + "/zaken"]),
            target=sc.Target(base_url=BASE, zaaktype=ZAAKTYPE),
        )
        await sc.discover(ctx, Recorder())
    assert ctx.statustypen == [f"{BASE}/catalogi/api/v1/statustypen/1"]
    assert ctx.roltype_person.endswith("/roltypen/1")
