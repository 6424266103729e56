"""The conformance harness (conformance/run.py): the collections, the mocks, the database
set-up, the server process and the report summary. The suite itself runs with `make conformance`."""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from conformance import run as harness
from samenzaak.common.auth import authenticate, make_token
from samenzaak.db import create_engine, make_sessionmaker, tenant_session

COLLECTION_FILES = ["ZGW_api_postman_tests.json", "ZGW_OAS_tests.json", "ZGW_mocks.json"]


def shared_copy() -> Path | None:
    """The project's shared copy of the suite: beside the repository (as CI lays it out)."""
    candidates = [
        os.environ.get("SAMENZAAK_ZGW_CONFORMANCE_DIR"),
        harness.REPO.parent / "shared" / "zgw-conformance",
        "/work/shared/zgw-conformance",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "README.md").is_file():
            return Path(candidate)
    return None


@pytest.mark.parametrize("filename", COLLECTION_FILES)
def test_collections_are_unchanged_copies_of_the_shared_suite(filename: str) -> None:
    shared = shared_copy()
    if shared is None:
        pytest.skip("the shared copy of the ZGW conformance suite is not beside the repository")
    ours = (harness.HERE / filename).read_bytes()
    assert ours == (shared / filename).read_bytes(), f"conformance/{filename} differs from {shared}"


def _request(url: str, method: str = "GET", token: str | None = None) -> tuple[int, bytes, str]:
    req = urllib.request.Request(url, method=method)
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def test_mock_server_answers_the_paths_the_suite_uses() -> None:
    mock = harness.MockServer(harness.load_mock_routes()).start()
    try:
        assert _request(f"{mock.url}/200")[0] == 200
        assert _request(f"{mock.url}/204")[0] == 204
        assert _request(f"{mock.url}/404")[0] == 404
        assert _request(f"{mock.url}/no-such-path")[0] == 404
        assert _request(f"{mock.url}/callback", method="POST")[0] == 204
        status, body, ctype = _request(f"{mock.url}/communicatiekanaal")
        assert (status, ctype) == (200, "application/json")
        assert set(json.loads(body)) == {"url", "naam", "omschrijving"}
        for path, field in [("/zaaktype", "omschrijving"), ("/zaak", "identificatie")]:
            status, body, ctype = _request(mock.url + path)
            assert (status, ctype) == (200, "application/json")
            assert field in json.loads(body)
    finally:
        mock.stop()


def test_environment_provides_every_variable_the_collections_read() -> None:
    env = harness.environment("http://127.0.0.1:1234", "http://127.0.0.1:5678")
    assert all(not value.endswith("/") for value in env.values())
    assert env["referentielijst_url"] == "http://127.0.0.1:1234/referentielijsten/api/v1"
    for filename in ["ZGW_api_postman_tests.json", "ZGW_OAS_tests.json"]:
        text = (harness.HERE / filename).read_text(encoding="utf-8")
        used = set(re.findall(r"\{\{([a-z_]+_url|client_id\w*|secret\w*)\}\}", text))
        set_by_scripts = set(re.findall(r'\.set\(\\"(\w+)\\"', text))
        assert used - set_by_scripts <= set(env), f"{filename} reads {sorted(used - set(env))}"
    # The pre-request script reads these from the environment to sign the JWTs.
    assert {"client_id", "secret", "client_id_limited", "secret_limited"} <= set(env)


async def test_prepare_database_registers_the_suites_two_clients(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'conformance.sqlite3'}"
    await harness._prepare_database(url)
    engine = create_engine(url)
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
            full = await authenticate(
                session, f"Bearer {make_token(harness.CLIENT_ID, harness.SECRET)}", leeway=60, max_age=None
            )
            assert full.all_rights and full.applicatie_uuid is not None
            limited = await authenticate(
                session,
                f"Bearer {make_token(harness.CLIENT_ID_LIMITED, harness.SECRET_LIMITED)}",
                leeway=60,
                max_age=None,
            )
            # A known secret but no applicatie: the suite creates that client's applicaties itself.
            assert limited.applicatie_uuid is None and not limited.all_rights and not limited.grants
    finally:
        await engine.dispose()


def test_server_starts_ready_serves_the_clients_and_stops(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    harness.prepare_database(url)
    server = harness.Server(database_url=url, data_dir=tmp_path / "data", log_path=tmp_path / "server.log")
    try:
        server.start()
        root = f"{server.base_url}/autorisaties/api/v1"
        status, body, _ = _request(f"{root}/applicaties", token=make_token(harness.CLIENT_ID, harness.SECRET))
        assert status == 200
        page = json.loads(body)
        assert page["count"] == 1
        # URLs carry the public base URL the runner configured.
        assert page["results"][0]["url"].startswith(f"{root}/applicaties/")
        limited = make_token(harness.CLIENT_ID_LIMITED, harness.SECRET_LIMITED)
        assert _request(f"{root}/applicaties", token=limited)[0] == 403
    finally:
        server.stop()
    assert server.proc is not None and server.proc.poll() is not None


def _report() -> dict[str, Any]:
    """A newman JSON report in miniature: a wrapped folder with a pass, a failure and a script error."""
    url = {
        "protocol": "http",
        "host": ["127", "0", "0", "1"],
        "port": "8000",
        "path": ["zaken", "api", "v1", "zaken"],
    }
    body = list(b'{"code": "invalid", "title": "Invalid input."}')
    return {
        "collection": {
            "item": [
                {
                    "name": "Tests",
                    "item": [
                        {
                            "name": "standaard.md",
                            "item": [
                                {
                                    "name": "zrc",
                                    "item": [{"name": "setUp", "item": [{"id": "a", "name": "Zaak"}]}],
                                },
                                {"name": "ac", "item": [{"id": "b", "name": "Applicatie"}]},
                            ],
                        }
                    ],
                },
                {"name": "mock requests", "item": [{"id": "c", "name": "mock 200"}]},
            ]
        },
        "run": {
            "executions": [
                {
                    "item": {"id": "a", "name": "Zaak"},
                    "request": {"method": "POST", "url": url},
                    "response": {"code": 400, "stream": {"type": "Buffer", "data": body}},
                    "assertions": [
                        {
                            "assertion": "status code is 201",
                            "error": {"message": "expected 400 to equal 201"},
                        },
                        {"assertion": "has a body"},
                        {"assertion": "skipped one", "skipped": True},
                    ],
                    "testScript": [{"error": {"name": "TypeError", "message": "x is undefined"}}],
                },
                {
                    "item": {"id": "a", "name": "Zaak"},
                    "request": {"method": "POST", "url": url},
                    "response": {"code": 400, "stream": {"type": "Buffer", "data": body}},
                    "assertions": [
                        {
                            "assertion": "status code is 201",
                            "error": {"message": "expected 400 to equal 201"},
                        },
                    ],
                },
                {
                    "item": {"id": "b", "name": "Applicatie"},
                    "request": {
                        "method": "GET",
                        "url": "http://127.0.0.1:8000/autorisaties/api/v1/applicaties",
                    },
                    "response": {"code": 200},
                    "assertions": [{"assertion": "ok"}],
                },
                {
                    "item": {"id": "c", "name": "mock 200"},
                    "request": {"method": "GET", "url": "http://null/"},
                    "requestError": {"code": "ENOTFOUND", "syscall": "getaddrinfo", "hostname": "null"},
                },
            ],
            "error": None,
        },
    }


def test_summary_counts_per_folder_and_lists_each_failure() -> None:
    summary = harness.summarise(_report(), "ZGW api tests")
    assert list(summary.folders) == ["zrc", "ac", "mock requests"]
    zrc = summary.folders["zrc"]
    assert (zrc.requests, zrc.passed, zrc.failed, zrc.errors) == (2, 1, 2, 1)
    assert (summary.total.requests, summary.total.passed, summary.total.failed) == (4, 2, 2)
    assert not summary.ok
    first = summary.failures[1]
    assert (first.folder, first.request, first.method, first.status) == ("zrc", "Zaak", "POST", 400)
    assert first.url == "http://127.0.0.1:8000/zaken/api/v1/zaken"
    assert first.body.startswith('{"code": "invalid"')
    assert first.message == "status code is 201: expected 400 to equal 201"
    assert [f.kind for f in summary.failures] == ["test-script", "assertion", "assertion", "request"]
    assert summary.failures[-1].message == "ENOTFOUND getaddrinfo null"

    text = harness.format_summary(summary)
    assert "zrc" in text and "TOTAL" in text
    # A repeat of the same failure (the suite's retry loops) is counted, not listed twice.
    assert text.count("status code is 201") == 1 and "(x2)" in text


def test_summary_is_ok_only_with_requests_and_no_failures() -> None:
    report = _report()
    report["run"]["executions"] = [report["run"]["executions"][2]]
    assert harness.summarise(report, "c").ok
    report["run"]["error"] = {"message": "callback timed out"}
    assert not harness.summarise(report, "c").ok
    report["run"]["executions"] = []
    report["run"]["error"] = None
    assert not harness.summarise(report, "c").ok


def test_newman_runs_the_ac_folder_end_to_end(tmp_path: Path) -> None:
    """The whole harness with newman, on the one folder that needs only Autorisaties to start."""
    if not harness.newman_binary(harness.DEFAULT_NEWMAN_DIR).exists():
        pytest.skip(f"newman is not installed in {harness.DEFAULT_NEWMAN_DIR} (make conformance installs it)")
    code = harness.main(["--collection", "api", "--folder", "ac", "--report-dir", str(tmp_path)])
    assert code in (0, 1)
    report = json.loads((tmp_path / "newman-api.json").read_text())
    summary = harness.summarise(report, "ZGW api tests")
    assert summary.folders["ac"].requests > 10
    # ac-001..003 need only the Autorisaties API.
    assert summary.folders["ac"].passed >= 10
    assert (code == 0) == summary.ok
    assert "ac" in (tmp_path / "summary.txt").read_text()


def test_top_folders_skip_the_wrappers() -> None:
    api = json.loads((harness.HERE / "ZGW_api_postman_tests.json").read_text(encoding="utf-8"))
    assert harness.top_folders(api) == ["ac", "zrc", "drc", "brc", "ztc", "mock requests"]
    oas = json.loads((harness.HERE / "ZGW_OAS_tests.json").read_text(encoding="utf-8"))
    assert harness.top_folders(oas)[:3] == ["setUp", "ZRC", "DRC"]


def test_a_looping_run_resumes_at_the_next_folder() -> None:
    collection = _report()["collection"]
    order = harness.top_folders(collection)
    assert order == ["zrc", "ac", "mock requests"]
    assert harness.resume_folders(collection, order, "zrc") == ["ac", "mock requests"]
    assert harness.resume_folders(collection, order, "mock requests") == []
    # Newman names items anew each run; the merged report keeps each execution's folder.
    first = _report()
    first["run"]["error"] = {"message": "looping", "looping": True, "item": "a"}
    second = _report()
    second["collection"]["item"][0]["item"][0]["item"][1]["item"][0]["id"] = "b2"
    second["run"]["executions"] = [
        {**second["run"]["executions"][2], "item": {"id": "b2", "name": "Applicatie"}}
    ]
    merged = harness.merge_reports([first, second])
    summary = harness.summarise(merged, "c")
    assert summary.folders["ac"].requests == 2
    assert "(unknown)" not in summary.folders
    assert summary.newman_error == "looping" and not summary.ok
