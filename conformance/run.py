"""Run VNG's Postman conformance suite ("ZGW api tests", "ZGW OAS tests") against Samenzaak.

For each collection the runner creates a fresh, migrated database with the two clients the
suite expects, starts Samenzaak with uvicorn on a free loopback port, serves the mock
endpoint (``mock_url``) itself, runs newman with a JSON reporter and prints, per folder, the
requests executed and the assertions passed and failed, then every failure. The exit code
is 0 only when every assertion passed and no script or request failed.

    .venv/bin/python conformance/run.py                      # both collections
    .venv/bin/python conformance/run.py --collection api --folder ac --folder ztc
    .venv/bin/python conformance/run.py --keep               # leave the server up afterwards

See conformance/README.md for the suite's provenance and conformance/FINDINGS.md for results.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

COLLECTIONS = {
    "api": ("ZGW api tests", HERE / "ZGW_api_postman_tests.json"),
    "oas": ("ZGW OAS tests", HERE / "ZGW_OAS_tests.json"),
}
MOCKS_FILE = HERE / "ZGW_mocks.json"
DRIVER = HERE / "newman_driver.js"

# A request started this often means the suite is looping (its setNextRequest retries never
# end when an API is missing); the driver then stops the run and still writes its report.
MAX_REPEATS = 50

CLIENT_ID, SECRET = "zgw_api_tests", "secret"
CLIENT_ID_LIMITED, SECRET_LIMITED = "zgw_api_tests_limited", "secret_limited"

# Folders that only wrap the API folders ("Tests/standaard.md/zrc/..."): the report groups by
# the first folder below them.
WRAPPER_FOLDERS = ("Tests", "standaard.md")

# The OAS collection signs its JWTs with iat = now + 257 s (see FINDINGS.md); the server
# refuses tokens from the future beyond its leeway, so that run gets a wider one.
OAS_JWT_LEEWAY = 300

NEWMAN_VERSION = "6"
# Outside the repository, so every worktree and CI clone on the machine shares one install.
DEFAULT_NEWMAN_DIR = Path(
    os.environ.get("SAMENZAAK_NEWMAN_DIR")
    or Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "samenzaak" / "newman"
)
DEFAULT_REPORT_DIR = REPO / "test-artifacts" / "conformance"


class HarnessError(Exception):
    """The harness itself could not do its job (as opposed to the suite failing)."""


# --------------------------------------------------------------------------- mock endpoint


@dataclass(frozen=True)
class MockResponse:
    status: int
    body: bytes = b""
    content_type: str = ""


def load_mock_routes(mocks_file: Path = MOCKS_FILE) -> dict[str, MockResponse]:
    """Paths the suite calls on ``mock_url``, with the example responses of ``ZGW_mocks.json``."""
    routes: dict[str, MockResponse] = {
        "/200": MockResponse(200),
        "/204": MockResponse(204),
        "/404": MockResponse(404),
        "/communicatiekanaal": MockResponse(
            200,
            json.dumps({"url": "http://example.com", "naam": "string", "omschrijving": "string"}).encode(),
            "application/json",
        ),
    }
    collection = json.loads(mocks_file.read_text(encoding="utf-8"))
    for item in collection["item"]:
        raw = item["request"]["url"]["raw"]
        path = raw.replace("{{mock_url}}", "").split("?")[0] or "/"
        if path in ("/200", "/404") or not item.get("response"):
            continue
        example = item["response"][0]
        body = (example.get("body") or "").encode()
        content_type = ""
        if body:
            try:
                json.loads(body)
                content_type = "application/json"
            except ValueError:
                content_type = "text/plain; charset=utf-8"
        routes[path] = MockResponse(int(example["code"]), body, content_type)
    return routes


class MockServer:
    """The ``mock_url`` endpoint, served by the harness on its own loopback port."""

    def __init__(self, routes: dict[str, MockResponse], host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes = routes

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                path = self.path.split("?")[0].rstrip("/") or "/"
                # Drain a request body so keep-alive connections stay usable.
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                mock = routes.get(path, MockResponse(404))
                self.send_response(mock.status)
                if mock.content_type:
                    self.send_header("Content-Type", mock.content_type)
                if mock.status != 204:
                    self.send_header("Content-Length", str(len(mock.body)))
                self.end_headers()
                if self.command != "HEAD" and mock.status != 204:
                    self.wfile.write(mock.body)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _answer

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer((host, port), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="mock-server", daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> MockServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- database


async def _prepare_database(url: str) -> None:
    from sqlalchemy import text

    from samenzaak.autorisaties.models import Applicatie, ApplicatieClient
    from samenzaak.autorisaties.service import set_credential
    from samenzaak.db import create_engine, make_sessionmaker, tenant_session
    from samenzaak.migrate import upgrade_connection

    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            if engine.dialect.name == "postgresql":
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
            await conn.run_sync(upgrade_connection)
        async with tenant_session(make_sessionmaker(engine)) as session:
            # The full client: an applicatie with every autorisatie, as Open Zaak's fixture had.
            await set_credential(session, CLIENT_ID, SECRET)
            session.add(
                Applicatie(
                    label="ZGW API tests",
                    heeft_alle_autorisaties=True,
                    clients=[ApplicatieClient(client_id=CLIENT_ID)],
                    autorisaties=[],
                )
            )
            # The limited client: a secret only; the suite creates its applicaties itself.
            await set_credential(session, CLIENT_ID_LIMITED, SECRET_LIMITED)
            await session.commit()
    finally:
        await engine.dispose()


def prepare_database(url: str) -> None:
    """Wipe (PostgreSQL: the public schema), migrate and register the suite's two clients."""
    asyncio.run(_prepare_database(url))


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stop_process(proc: subprocess.Popen[Any] | None, timeout: float = 10) -> None:
    """Stop a process started in its own session, with everything it started."""
    if proc is None or proc.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Server:
    """Samenzaak under uvicorn in a subprocess."""

    database_url: str
    data_dir: Path
    log_path: Path
    port: int = field(default_factory=free_port)
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_timeout: float = 60) -> None:
        env = {
            **os.environ,
            "SAMENZAAK_DATABASE_URL": self.database_url,
            "SAMENZAAK_DATA_DIR": str(self.data_dir),
            "SAMENZAAK_PUBLIC_BASE_URL": self.base_url,
            **self.extra_env,
        }
        cmd = [
            sys.executable, "-m", "uvicorn", "samenzaak.asgi:app",
            "--host", "127.0.0.1", "--port", str(self.port), "--no-server-header",
        ]  # fmt: skip
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            # Own session: Ctrl-C reaches only the runner, which then stops the server cleanly.
            self.proc = subprocess.Popen(  # noqa: S603 (our own command line)
                cmd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=REPO
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise HarnessError(
                    f"Samenzaak exited with {self.proc.returncode} during start-up:\n{tail(self.log_path)}"
                )
            try:
                with urllib.request.urlopen(f"{self.base_url}/ready", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise HarnessError(f"Samenzaak was not ready within {ready_timeout:.0f}s:\n{tail(self.log_path)}")

    def stop(self) -> None:
        stop_process(self.proc)


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def newman_binary(prefix: Path) -> Path:
    return prefix / "node_modules" / ".bin" / "newman"


def ensure_newman(prefix: Path) -> Path:
    """newman from the npm registry, installed once into ``prefix`` (outside git's view)."""
    binary = newman_binary(prefix)
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise HarnessError("npm is not installed; install Node.js 18+ (newman runs on node)")
    print(f"Installing newman@{NEWMAN_VERSION} into {prefix} …", flush=True)
    prefix.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 (our own command line)
        [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error",
         f"newman@{NEWMAN_VERSION}"],
        check=True,
    )  # fmt: skip
    if not binary.exists():
        raise HarnessError(f"npm install finished but {binary} is missing")
    return binary


def environment(server_url: str, mock_url: str) -> dict[str, str]:
    """The variables the collections read (see the shared README), without trailing slashes."""
    return {
        "zrc_url": f"{server_url}/zaken/api/v1",
        "drc_url": f"{server_url}/documenten/api/v1",
        "ztc_url": f"{server_url}/catalogi/api/v1",
        "brc_url": f"{server_url}/besluiten/api/v1",
        "ac_url": f"{server_url}/autorisaties/api/v1",
        "nrc_url": f"{server_url}/notificaties/api/v1",
        "referentielijst_url": f"{server_url}/referentielijsten/api/v1",
        "mock_url": mock_url,
        "client_id": CLIENT_ID,
        "secret": SECRET,
        "client_id_limited": CLIENT_ID_LIMITED,
        "secret_limited": SECRET_LIMITED,
    }


def newman_options(
    collection: Path,
    env: dict[str, str],
    report: Path,
    folders: Sequence[str] = (),
    timeout_ms: int = 30 * 60 * 1000,
    max_repeats: int = MAX_REPEATS,
) -> dict[str, Any]:
    """The options ``newman_driver.js`` passes to newman.run()."""
    return {
        "collection": str(collection),
        "report": str(report),
        "envVar": [{"key": key, "value": value} for key, value in env.items()],
        "folder": list(folders),
        "timeout": timeout_ms,
        "timeoutRequest": 30000,
        "maxRepeats": max_repeats,
    }


def run_newman(
    newman_prefix: Path, options: dict[str, Any], options_path: Path, log_path: Path, verbose: bool
) -> int:
    """Run the driver; its one line per request goes to ``log_path`` (and the terminal with
    ``verbose``). Without ``verbose`` a line every 30 s tells how far it got."""
    node = shutil.which("node")
    if node is None:
        raise HarnessError("node is not installed; install Node.js 18+ (newman runs on node)")
    options_path.write_text(json.dumps(options), encoding="utf-8")
    cmd = [node, str(DRIVER), str(newman_prefix), str(options_path)]
    proc: subprocess.Popen[bytes] | None = None
    try:
        with log_path.open("ab") as log:
            # Own session: Ctrl-C reaches only the runner, which then stops newman cleanly.
            proc = subprocess.Popen(  # noqa: S603 (our own command line)
                cmd,
                stdout=subprocess.PIPE if verbose else log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if verbose:
                assert proc.stdout is not None
                for line in proc.stdout:
                    log.write(line)
                    sys.stdout.buffer.write(line)
                    sys.stdout.flush()
                return proc.wait()
            while True:
                try:
                    return proc.wait(30)
                except subprocess.TimeoutExpired:
                    print(f"  … {count_lines(log_path)} requests so far", flush=True)
    finally:
        stop_process(proc)


def count_lines(path: Path) -> int:
    try:
        with path.open("rb") as f:
            return sum(1 for line in f if not line.startswith(b" "))
    except OSError:
        return 0


# --------------------------------------------------------------------------- report


@dataclass
class FolderStats:
    requests: int = 0
    passed: int = 0
    failed: int = 0
    errors: int = 0  # script errors and requests that got no response


@dataclass
class Failure:
    folder: str
    request: str
    method: str
    url: str
    status: int | None
    body: str
    kind: str  # "assertion", "test-script", "prerequest-script" or "request"
    message: str


@dataclass
class Summary:
    collection: str
    folders: dict[str, FolderStats]
    failures: list[Failure]
    newman_error: str = ""

    @property
    def total(self) -> FolderStats:
        total = FolderStats()
        for stats in self.folders.values():
            total.requests += stats.requests
            total.passed += stats.passed
            total.failed += stats.failed
            total.errors += stats.errors
        return total

    @property
    def ok(self) -> bool:
        total = self.total
        return not self.newman_error and total.failed == 0 and total.errors == 0 and total.requests > 0


def _folder_index(items: list[dict[str, Any]], path: tuple[str, ...] = ()) -> dict[str, str]:
    """Item id -> its top-level folder (below the wrapper folders)."""
    index: dict[str, str] = {}
    for item in items:
        if "item" in item:
            index.update(_folder_index(item["item"], (*path, item["name"])))
        else:
            index[item["id"]] = _top_folder(path)
    return index


def _top_folder(path: tuple[str, ...]) -> str:
    rest = list(path)
    for wrapper in WRAPPER_FOLDERS:
        if rest and rest[0] == wrapper:
            rest.pop(0)
        else:
            break
    return rest[0] if rest else "(top level)"


def url_string(url: Any) -> str:
    """A postman-collection URL object (as in the JSON report) as a string."""
    if isinstance(url, str):
        return url
    if not isinstance(url, dict):
        return ""
    host = url.get("host") or []
    out = f"{url.get('protocol', 'http')}://{'.'.join(host) if isinstance(host, list) else host}"
    if url.get("port"):
        out += f":{url['port']}"
    path = url.get("path") or []
    out += "/" + "/".join(path) if isinstance(path, list) else str(path)
    query = [q for q in url.get("query") or [] if not q.get("disabled")]
    if query:
        out += "?" + "&".join(f"{q.get('key')}={q.get('value') or ''}" for q in query)
    return out


def body_start(response: dict[str, Any] | None, limit: int = 300) -> str:
    if not response:
        return ""
    stream = response.get("stream") or {}
    data = stream.get("data") if isinstance(stream, dict) else None
    if not data:
        return ""
    text = bytes(data[: limit * 4]).decode("utf-8", errors="replace")
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _failure(folder: str, execution: dict[str, Any], kind: str, message: str) -> Failure:
    item = execution.get("item") or {}
    request = execution.get("request") or {}
    response = execution.get("response")
    return Failure(
        folder=folder,
        request=str(item.get("name", "")),
        method=str(request.get("method", "")),
        url=url_string(request.get("url")),
        status=(response or {}).get("code"),
        body=body_start(response),
        kind=kind,
        message=message,
    )


def summarise(report: dict[str, Any], collection: str) -> Summary:
    """Per-folder counts and the list of failures from a newman JSON report."""
    index = _folder_index(report["collection"]["item"])
    run = report["run"]
    folders: dict[str, FolderStats] = {}
    failures: list[Failure] = []
    for execution in run.get("executions", []):
        folder = execution.get("folder") or index.get(
            (execution.get("item") or {}).get("id", ""), "(unknown)"
        )
        stats = folders.setdefault(folder, FolderStats())
        stats.requests += 1
        if execution.get("requestError"):
            stats.errors += 1
            err = execution["requestError"]
            message = err.get("message") or " ".join(
                str(err[k]) for k in ("code", "syscall", "hostname", "address", "port") if k in err
            )
            failures.append(_failure(folder, execution, "request", str(message)))
        for script in ("prerequestScript", "testScript"):
            for result in execution.get(script) or []:
                if result.get("error"):
                    stats.errors += 1
                    err = result["error"]
                    kind = "prerequest-script" if script == "prerequestScript" else "test-script"
                    message = f"{err.get('name', 'Error')}: {err.get('message', '')}"
                    failures.append(_failure(folder, execution, kind, message))
        for assertion in execution.get("assertions") or []:
            if assertion.get("skipped"):
                continue
            if assertion.get("error"):
                stats.failed += 1
                message = f"{assertion.get('assertion', '')}: {assertion['error'].get('message', '')}"
                failures.append(_failure(folder, execution, "assertion", message))
            else:
                stats.passed += 1
    error = run.get("error")
    newman_error = str(error.get("message", error)) if isinstance(error, dict) else str(error or "")
    return Summary(collection, folders, failures, newman_error)


def grouped_failures(failures: Sequence[Failure]) -> list[tuple[Failure, int]]:
    """Failures in order of first occurrence; repeats (the suite's retry loops) counted, not listed."""
    groups: dict[tuple[str, str, str, str, str, str, int | None], list[Any]] = {}
    for f in failures:
        key = (f.folder, f.request, f.kind, f.message, f.method, f.url, f.status)
        if key in groups:
            groups[key][1] += 1
        else:
            groups[key] = [f, 1]
    return [(f, n) for f, n in groups.values()]


def format_summary(summary: Summary, max_failures: int | None = None) -> str:
    lines = [f"== {summary.collection}"]
    lines.append(f"  {'folder':<28} {'requests':>8} {'passed':>7} {'failed':>7} {'errors':>7}")
    for name, s in [*summary.folders.items(), ("TOTAL", summary.total)]:
        lines.append(f"  {name:<28} {s.requests:>8} {s.passed:>7} {s.failed:>7} {s.errors:>7}")
    if summary.newman_error:
        lines.append(f"  newman stopped: {summary.newman_error}")
    groups = grouped_failures(summary.failures)
    if groups:
        shown = groups if max_failures is None else groups[:max_failures]
        lines.append(f"\n  Failures ({len(summary.failures)}, {len(groups)} distinct):")
        for f, count in shown:
            status = f.status if f.status is not None else "no response"
            times = f" (x{count})" if count > 1 else ""
            lines.append(f"  [{f.folder}] {f.request}: {f.kind}: {f.message}{times}")
            lines.append(f"      {f.method} {f.url} -> {status}")
            if f.body:
                lines.append(f"      {f.body}")
        if len(shown) < len(groups):
            lines.append(f"  … and {len(groups) - len(shown)} more (see summary.txt in the report folder)")
    return "\n".join(lines)


# --------------------------------------------------------------------------- orchestration


@dataclass
class Options:
    collections: list[str]
    folders: list[str]
    database_url: str | None
    keep: bool
    verbose: bool
    newman_dir: Path
    report_dir: Path
    max_failures: int | None
    timeout_minutes: int


@contextlib.contextmanager
def terminate_on_sigterm() -> Iterator[None]:
    """SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so the finally blocks stop our processes."""

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    # A process started in the background by a script inherits SIGINT ignored; Ctrl-C and
    # `kill -INT` must still stop the run (and, with --keep, the server).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def top_folders(collection: dict[str, Any]) -> list[str]:
    """The collection's top-level folders below the wrappers, in order (ac, zrc, … / setUp, ZRC, …)."""
    items = collection["item"]
    names: list[str] = []
    for item in items:
        if "item" not in item:
            continue
        if item["name"] in WRAPPER_FOLDERS:
            names += top_folders(item)
        else:
            names.append(item["name"])
    return names


def folder_names(items: list[dict[str, Any]]) -> list[str]:
    names: list[str] = []
    for item in items:
        if "item" in item:
            names += [item["name"], *folder_names(item["item"])]
    return names


def resume_folders(collection: dict[str, Any], order: Sequence[str], stuck: str) -> list[str]:
    """The folders after the one a looping run was stopped in, if newman can select them by name."""
    if stuck not in order:
        return []
    rest = list(order)[list(order).index(stuck) + 1 :]
    everywhere = folder_names(collection["item"])
    return rest if all(everywhere.count(name) == 1 for name in rest) else []


def merge_reports(reports: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One report of a run that was stopped and resumed: executions and failures in order."""
    first, last = reports[0], reports[-1]
    indexes = [_folder_index(r["collection"]["item"]) for r in reports]
    errors = [r["run"].get("error") for r in reports if r["run"].get("error")]
    return {
        "collection": first["collection"],
        "environment": last.get("environment"),
        "globals": last.get("globals"),
        "run": {
            "stats": last["run"].get("stats"),
            # Newman gives the items new ids on every run: each execution keeps its own folder.
            "executions": [
                {**e, "folder": index.get((e.get("item") or {}).get("id", ""), "(unknown)")}
                for r, index in zip(reports, indexes, strict=True)
                for e in r["run"].get("executions", [])
            ],
            "failures": [f for r in reports for f in r["run"].get("failures", [])],
            "error": {"message": "; ".join(str(e.get("message", e)) for e in errors)} if errors else None,
        },
    }


def run_suite(key: str, opts: Options, workdir: Path, env: dict[str, str]) -> dict[str, Any]:
    """Run one collection with the driver. When the suite loops on a request (an API is
    missing), the driver stops it; the run then resumes at the next top-level folder with
    the variables set so far, so one missing API does not hide the others' results."""
    name, path = COLLECTIONS[key]
    collection = json.loads(path.read_text(encoding="utf-8"))
    order = opts.folders or top_folders(collection)
    folders = list(opts.folders)
    log_path = opts.report_dir / f"newman-{key}.log"
    log_path.unlink(missing_ok=True)
    reports: list[dict[str, Any]] = []
    carried: dict[str, Any] = {}
    while True:
        part = opts.report_dir / f"newman-{key}.part{len(reports) + 1}.json"
        part.unlink(missing_ok=True)
        options = (
            newman_options(path, env, part, folders, timeout_ms=opts.timeout_minutes * 60 * 1000) | carried
        )
        what = ", ".join(folders) if folders else "all folders"
        print(f"[{name}] newman running {what} (log: {log_path}) …", flush=True)
        started = time.monotonic()
        options_path = workdir / f"newman-{key}-options.json"
        returncode = run_newman(opts.newman_dir, options, options_path, log_path, opts.verbose)
        elapsed = time.monotonic() - started
        print(f"[{name}] newman finished in {elapsed:.0f}s (exit {returncode})", flush=True)
        if not part.exists():
            raise HarnessError(f"newman wrote no report (exit {returncode}):\n{tail(log_path)}")
        report = json.loads(part.read_text(encoding="utf-8"))
        reports.append(report)
        error = report["run"].get("error") or {}
        if not error.get("looping"):
            break
        stuck = _folder_index(report["collection"]["item"]).get(error.get("item", ""), "")
        folders = resume_folders(collection, order, stuck)
        if not folders:
            break
        print(f"[{name}] {error['message']}; resuming at {folders[0]}", flush=True)
        carried = {"environment": report.get("environment"), "globals": report.get("globals")}
    merged = merge_reports(reports)
    (opts.report_dir / f"newman-{key}.json").write_text(json.dumps(merged), encoding="utf-8")
    return merged


def run_collection(
    key: str, opts: Options, workdir: Path, mock_url: str, keep: bool
) -> tuple[Summary, Server]:
    name = COLLECTIONS[key][0]
    database_url = opts.database_url or f"sqlite:///{workdir / f'{key}.sqlite3'}"
    print(f"\n[{name}] fresh database, migrations, clients …", flush=True)
    prepare_database(database_url)
    extra_env = {"SAMENZAAK_JWT_LEEWAY": str(OAS_JWT_LEEWAY)} if key == "oas" else {}
    server = Server(
        database_url=database_url,
        data_dir=workdir / f"data-{key}",
        log_path=opts.report_dir / f"server-{key}.log",
        extra_env=extra_env,
    )
    try:
        server.start()
        print(f"[{name}] Samenzaak at {server.base_url}, mocks at {mock_url}", flush=True)
        report = run_suite(key, opts, workdir, environment(server.base_url, mock_url))
        summary = summarise(report, name)
    except BaseException:
        server.stop()
        raise
    if not keep:
        server.stop()
    return summary, server


def run(opts: Options) -> int:
    opts.report_dir.mkdir(parents=True, exist_ok=True)
    ensure_newman(opts.newman_dir)
    summaries: list[Summary] = []
    servers: list[Server] = []
    mock = MockServer(load_mock_routes()).start()
    workdir = Path(tempfile.mkdtemp(prefix="samenzaak-conformance-"))
    try:
        for i, key in enumerate(opts.collections):
            keep = opts.keep and i == len(opts.collections) - 1
            summary, server = run_collection(key, opts, workdir, mock.url, keep)
            servers.append(server)
            summaries.append(summary)
        text = "\n\n".join(format_summary(s, opts.max_failures) for s in summaries)
        print("\n" + text)
        full = "\n\n".join(format_summary(s) for s in summaries)
        (opts.report_dir / "summary.txt").write_text(full + "\n", encoding="utf-8")
        ok = all(s.ok for s in summaries)
        totals = [s.total for s in summaries]
        print(
            f"\nconformance: {sum(t.passed for t in totals)} passed, {sum(t.failed for t in totals)} failed, "
            f"{sum(t.errors for t in totals)} errors in {sum(t.requests for t in totals)} requests "
            f"({'OK' if ok else 'FAILED'}); reports in {opts.report_dir}"
        )
        if opts.keep and servers:
            from samenzaak.common.auth import make_token

            server = servers[-1]
            print(
                f"\n--keep: Samenzaak stays at {server.base_url} (database {server.database_url}),"
                f" mocks at {mock.url}.\nJWT of {CLIENT_ID}: {make_token(CLIENT_ID, SECRET, user_id='123')}"
                "\nPress Ctrl-C to stop.",
                flush=True,
            )
            with contextlib.suppress(KeyboardInterrupt):
                while server.proc is not None and server.proc.poll() is None:
                    time.sleep(0.5)
        return 0 if ok else 1
    finally:
        for server in servers:
            server.stop()
        mock.stop()
        shutil.rmtree(workdir, ignore_errors=True)


def parse_args(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="conformance/run.py",
        description="Run VNG's ZGW Postman suite (newman) against a fresh Samenzaak and summarise it.",
    )
    parser.add_argument(
        "--collection",
        choices=["api", "oas", "both"],
        default="both",
        help='"api": ZGW api tests (behaviour rules), "oas": ZGW OAS tests, "both" (default): api, then oas',
    )
    parser.add_argument(
        "--folder",
        action="append",
        default=[],
        metavar="NAME",
        help="run only this folder (newman --folder), e.g. ac, ztc, zrc, ZTC; repeatable",
    )
    parser.add_argument(
        "--database-url",
        help="postgresql://user@host/db to run on PostgreSQL; ITS PUBLIC SCHEMA IS WIPED before each "
        "collection. Default: SQLite in a temporary folder.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="after the run, keep the server and mocks up until Ctrl-C"
    )
    parser.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="stream newman's cli reporter (it crashes past 9,999 failures)",
    )
    parser.add_argument(
        "--newman-dir",
        type=Path,
        default=DEFAULT_NEWMAN_DIR,
        help="npm prefix newman is installed into when missing (default: $SAMENZAAK_NEWMAN_DIR or "
        f"{DEFAULT_NEWMAN_DIR})",
    )
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        help="where newman's JSON reports, logs, server logs and summary.txt go (default: %(default)s)",
    )
    parser.add_argument(
        "--max-failures", type=int, default=None, help="list at most this many failures per collection"
    )
    parser.add_argument(
        "--timeout-minutes", type=int, default=30, help="stop a collection's run after this long"
    )
    args = parser.parse_args(argv)
    collections = ["api", "oas"] if args.collection == "both" else [args.collection]
    return Options(
        collections=collections,
        folders=args.folder,
        database_url=args.database_url,
        keep=args.keep,
        verbose=args.verbose,
        newman_dir=args.newman_dir.resolve(),
        report_dir=args.report_dir.resolve(),
        max_failures=args.max_failures,
        timeout_minutes=args.timeout_minutes,
    )


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(argv)
    try:
        with terminate_on_sigterm():
            return run(opts)
    except HarnessError as exc:
        print(f"conformance: harness error: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"conformance: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nconformance: interrupted; every process it started has been stopped", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
