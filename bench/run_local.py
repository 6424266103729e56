"""Benchmark a local Samenzaak end to end: a fresh database, a server on a free loopback port,
a catalogus with a published zaaktype made through the APIs, then ``bench/load.py``.

    python bench/run_local.py                                   # SQLite, 2 workers
    python bench/run_local.py --postgres postgresql://postgres@127.0.0.1:5432/sz_bench
    python bench/run_local.py --workers 2 -- --duration 20 --json out.json   # after --: load.py's options

The server is stopped (by its pid) whatever happens; the data folder is removed unless --keep-dir.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import secrets
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as `python bench/run_local.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from bench import load, load_data
from bench.zgw import make_jwt

# A client of its own per run, so a run on kept data (--keep-data) does not collide with the
# client an earlier run made (whose secret is gone).
CLIENT_ID = f"samenzaak-bench-{secrets.token_hex(3)}"
RSIN = "111222333"


class ApiMissing(RuntimeError):
    """The server does not (yet) serve an API the setup needs."""


def parse_args(argv: Sequence[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    p = argparse.ArgumentParser(
        prog="bench/run_local.py",
        description="Start a local Samenzaak on a fresh database, set up a zaaktype through the APIs, "
        "run bench/load.py against it and stop the server. Options after -- go to load.py.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    p.add_argument(
        "--postgres", metavar="URL", help="PostgreSQL database to use instead of a fresh SQLite file"
    )
    p.add_argument(
        "--keep-data",
        action="store_true",
        help="PostgreSQL: keep the database's data (e.g. zaken bulk-loaded by bench/load_data.py) "
        "instead of dropping its schema first",
    )
    p.add_argument("--keep-dir", action="store_true", help="Keep the temporary data folder (logs, SQLite)")
    p.add_argument("--port", type=int, default=0, help="Port to serve on (0: a free one)")
    p.add_argument(
        "--load-zaken",
        type=int,
        default=0,
        metavar="N",
        help="Bulk-insert N zaken of the benchmark's zaaktype first (bench/load_data.py)",
    )
    p.add_argument(
        "--zaaktype",
        metavar="UUID",
        help="With --keep-data: benchmark this zaaktype of the kept data (the one an earlier "
        "--load-zaken run filled) instead of making a new one",
    )
    argv = list(sys.argv[1:] if argv is None else argv)
    passthrough: list[str] = []
    if "--" in argv:
        cut = argv.index("--")
        argv, passthrough = argv[:cut], argv[cut + 1 :]
    args = p.parse_args(argv)
    if args.workers < 1:
        p.error("--workers must be positive")
    if args.zaaktype and not (args.keep_data and args.postgres):
        p.error("--zaaktype needs --postgres and --keep-data (a fresh database has no zaaktypen)")
    if args.zaaktype and args.load_zaken:
        p.error("--zaaktype reuses kept data; --load-zaken loads a new zaaktype's")
    return args, passthrough


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def samenzaak_command() -> list[str]:
    script = Path(sys.executable).parent / "samenzaak"
    return [str(script)] if script.exists() else [sys.executable, "-m", "samenzaak.cli"]


async def reset_postgres(url: str) -> None:
    """An empty public schema: the migrations then build the tables afresh."""
    import asyncpg  # type: ignore[import-untyped]

    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await conn.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public")
    finally:
        await conn.close()


# -- the catalogus, through the Catalogi API ----------------------------------------------------


def existing_zaaktype(api: Api, pk: str) -> tuple[str, str]:
    zaaktype = api.get(f"/catalogi/api/v1/zaaktypen/{pk}")
    if not zaaktype["informatieobjecttypen"]:
        raise SystemExit(f"zaaktype {pk} has no informatieobjecttype; the document scenarios need one")
    return zaaktype["url"], zaaktype["informatieobjecttypen"][0]


class Api:
    def __init__(self, base: str, secret: str) -> None:
        self.base = base
        self.http = httpx.Client(timeout=30)
        self.secret = secret

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {make_jwt(CLIENT_ID, self.secret)}", "Accept": "application/json"}

    def get(self, path: str, **params: Any) -> Any:
        response = self.http.get(self._url(path), params=params or None, headers=self._headers())
        return self._checked(response, 200)

    def post(self, path: str, body: dict[str, Any] | None = None, status: int = 201) -> Any:
        response = self.http.post(self._url(path), json=body or {}, headers=self._headers())
        return self._checked(response, status)

    def _url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    @staticmethod
    def _checked(response: httpx.Response, status: int) -> Any:
        if response.status_code in (404, 405, 501):
            raise ApiMissing(f"{response.request.method} {response.request.url}: {response.status_code}")
        if response.status_code != status:
            raise RuntimeError(
                f"{response.request.method} {response.request.url}: {response.status_code} "
                f"{response.text[:1000]}"
            )
        return response.json() if response.content else None


def selectielijst(api: Api) -> dict[str, str]:
    """A procestype, a resultaat of it with procestermijn 'nihil' (so afleidingswijze
    'afgehandeld' fits) and a resultaattypeomschrijving, from the (embedded) Referentielijsten API."""
    root = "/referentielijsten/api/v1"
    try:
        # Not every procestype has resultaten: take a resultaat first, then its procestype.
        resultaten = api.get(f"{root}/resultaten")["results"]
        omschrijving = api.get(f"{root}/resultaattypeomschrijvingen")[0]["url"]
    except (ApiMissing, IndexError, KeyError):
        return {}
    nihil = [r for r in resultaten if r.get("procestermijn") == "nihil" and r.get("procesType")]
    if not nihil:
        return {}
    return {"procestype": nihil[0]["procesType"], "resultaat": nihil[0]["url"], "omschrijving": omschrijving}


def create_catalogus(api: Api) -> tuple[str, str]:
    """A catalogus with a published zaaktype (3 statustypen, 2 roltypen, a resultaattype) and a
    published informatieobjecttype; returns their URLs."""
    cat = "/catalogi/api/v1"
    suffix = "".join(secrets.choice(string.ascii_uppercase) for _ in range(4))
    catalogus = api.post(
        f"{cat}/catalogussen",
        {"domein": f"B{suffix}", "rsin": RSIN, "contactpersoonBeheerNaam": "Benchmark"},
    )["url"]
    lijst = selectielijst(api)
    iotype = api.post(
        f"{cat}/informatieobjecttypen",
        {
            "catalogus": catalogus,
            "omschrijving": f"bench document {suffix}",
            "vertrouwelijkheidaanduiding": "openbaar",
            "beginGeldigheid": "2024-01-01",
            "informatieobjectcategorie": "benchmark",
            "zaaktypeIdentificaties": [],
        },
    )["url"]
    api.post(f"{iotype}/publish", status=200)
    zaaktype_body: dict[str, Any] = {
        "identificatie": f"BENCH-{suffix}",
        "omschrijving": "Benchmark",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "benchmark",
        "aanleiding": "benchmark",
        "indicatieInternOfExtern": "extern",
        "handelingInitiator": "indienen",
        "onderwerp": "benchmark",
        "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P30D",
        "opschortingEnAanhoudingMogelijk": False,
        "verlengingMogelijk": False,
        "publicatieIndicatie": False,
        "productenOfDiensten": [],
        "referentieproces": {"naam": "benchmark", "link": ""},
        "verantwoordelijke": "Benchmark",
        "catalogus": catalogus,
        "besluittypen": [],
        "deelzaaktypen": [],
        "deelzaaktypeIdentificaties": [],
        "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2024-01-01",
        "versiedatum": "2024-01-01",
    }
    if lijst:
        zaaktype_body["selectielijstProcestype"] = lijst["procestype"]
    zaaktype = api.post(f"{cat}/zaaktypen", zaaktype_body)["url"]
    for nummer, omschrijving in enumerate(("Ontvangen", "In behandeling", "Afgehandeld"), start=1):
        api.post(
            f"{cat}/statustypen", {"zaaktype": zaaktype, "omschrijving": omschrijving, "volgnummer": nummer}
        )
    for omschrijving, generiek in (("Aanvrager", "initiator"), ("Behandelaar", "behandelaar")):
        api.post(
            f"{cat}/roltypen",
            {"zaaktype": zaaktype, "omschrijving": omschrijving, "omschrijvingGeneriek": generiek},
        )
    if lijst:
        api.post(
            f"{cat}/resultaattypen",
            {
                "zaaktype": zaaktype,
                "omschrijving": "Afgehandeld",
                "resultaattypeomschrijving": lijst["omschrijving"],
                "selectielijstklasse": lijst["resultaat"],
                "brondatumArchiefprocedure": {
                    "afleidingswijze": "afgehandeld",
                    "procestermijn": None,
                    "datumkenmerk": "",
                    "einddatumBekend": False,
                    "objecttype": "",
                    "registratie": "",
                },
            },
        )
    else:
        print("note: no Selectielijst resultaat found; the zaaktype has no resultaattype", file=sys.stderr)
    api.post(
        f"{cat}/zaaktype-informatieobjecttypen",
        {"zaaktype": zaaktype, "informatieobjecttype": iotype, "volgnummer": 1, "richting": "inkomend"},
    )
    api.post(f"{zaaktype}/publish", status=200)
    return zaaktype, iotype


# -- the server ----------------------------------------------------------------------------------


def wait_healthy(base: str, proc: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the server did not answer /health within {timeout:.0f} s")


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started: SIGINT lets uvicorn stop its workers gracefully; when a
    worker is still busy (a request the generator gave up on) after 20 s, SIGKILL the server's
    own process group (it was started in a new session, so the group holds only its processes;
    killing the supervisor alone would leave its workers running)."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # the workers, even when the supervisor has exited
    if proc.poll() is None:
        proc.wait(timeout=10)


def main(argv: Sequence[str] | None = None) -> int:
    args, passthrough = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="samenzaak-bench-"))
    database = args.postgres or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = os.environ | {
        "SAMENZAAK_DATABASE_URL": database,
        "SAMENZAAK_DATA_DIR": str(workdir),
        "SAMENZAAK_LOG_LEVEL": "WARNING",
    }
    cli = samenzaak_command()
    secret = secrets.token_urlsafe(32)
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    proc: subprocess.Popen[bytes] | None = None
    log_path = workdir / "server.log"
    try:
        if args.postgres and not args.keep_data:
            asyncio.run(reset_postgres(args.postgres))
        subprocess.run([*cli, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
        subprocess.run(
            [
                *cli,
                "applicatie",
                "create",
                "--client-id",
                CLIENT_ID,
                "--secret",
                secret,
                "--alle-autorisaties",
            ],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        with log_path.open("wb") as log:
            serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(args.workers)]
            proc = subprocess.Popen(
                [*cli, *serve, "--no-migrate"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_healthy(base, proc)
        print(f"Samenzaak on {base} (pid {proc.pid}, {args.workers} workers, {database})", file=sys.stderr)
        load_args = ["--base-url", base, "--client-id", CLIENT_ID, "--secret", secret]
        load_args += ["--server-pid", str(proc.pid)]
        try:
            if args.zaaktype:
                zaaktype, iotype = existing_zaaktype(Api(base, secret), args.zaaktype)
            else:
                zaaktype, iotype = create_catalogus(Api(base, secret))
            load_args += ["--zaaktype", zaaktype, "--informatieobjecttype", iotype]
            if args.load_zaken:
                load_data.main(
                    ["--database-url", database, "--zaaktype", zaaktype, "--zaken", str(args.load_zaken)]
                )
        except ApiMissing as exc:
            # Until the Catalogi and Zaken APIs are served, only the ceiling can be measured.
            print(f"note: {exc}; measuring the ceiling only", file=sys.stderr)
            load_args += ["--scenarios", "ceiling"]
        return load.main([*load_args, *passthrough])
    finally:
        if proc is not None:
            stop(proc)
            if proc.returncode not in (0, -signal.SIGINT) and log_path.exists():
                print(log_path.read_text()[-3000:], file=sys.stderr)
        if args.keep_dir:
            print(f"data and server log kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
