"""The project's promises: specs unchanged, migrations in step with models, health, CLI."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from samenzaak.cli import app as cli_app
from samenzaak.models import metadata
from tests.conftest import ApiClient

SHARED = Path(__file__).resolve().parents[2] / "shared"
SPEC_SOURCES = {
    "referentielijsten-openapi.yaml": SHARED / "referentielijsten" / "openapi.yaml",
}


def _spec_files() -> list[str]:
    return sorted(p.name for p in resources.files("samenzaak.specs").iterdir() if p.name.endswith(".yaml"))


@pytest.mark.parametrize("name", _spec_files())
def test_specs_are_byte_identical_to_the_official_files(name: str) -> None:
    source = SPEC_SOURCES.get(name, SHARED / "zgw-specs" / name)
    if not source.parent.exists():
        pytest.skip("../shared is not present (fresh clone); the copies are checked where it is")
    ours = resources.files("samenzaak.specs").joinpath(name).read_bytes()
    assert hashlib.sha256(ours).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()


async def test_models_and_migrations_agree(engine: AsyncEngine) -> None:
    def diff(sync_conn: object) -> list[object]:
        ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})  # type: ignore[arg-type]
        return list(compare_metadata(ctx, metadata))

    async with engine.connect() as conn:
        differences = await conn.run_sync(diff)
    assert differences == []


async def test_health_and_ready(anon: ApiClient) -> None:
    assert (await anon.get("/health")).json() == {"status": "ok"}
    r = await anon.get("/ready")
    assert r.status_code == 200 and r.json()["migrations"] == "current"


async def test_api_version_and_request_id_headers(api: ApiClient) -> None:
    r = await api.get("/autorisaties/api/v1/applicaties")
    assert r.headers["api-version"] == "1.1.0"
    assert r.headers["x-request-id"]


async def test_official_spec_is_served(anon: ApiClient) -> None:
    r = await anon.get("/autorisaties/api/v1/schema/openapi.yaml")
    assert r.status_code == 200 and b"Autorisaties API" in r.content


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["serve", "--help"],
        ["migrate", "--help"],
        ["applicatie", "create", "--help"],
        ["token", "--help"],
    ],
)
def test_every_command_has_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_token_command_prints_a_verifiable_jwt() -> None:
    import jwt

    result = CliRunner().invoke(cli_app, ["token", "--client-id", "c", "--secret", "s", "--user-id", "u"])
    assert result.exit_code == 0
    claims = jwt.decode(result.output.strip(), "s", algorithms=["HS256"])
    assert claims["client_id"] == "c" and claims["user_id"] == "u" and "iat" in claims


def test_applicatie_create_and_bootstrap_on_a_fresh_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samenzaak.config import get_settings

    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli_app, ["bootstrap"])
        assert first.exit_code == 0, first.output
        assert "client id: samenzaak-admin" in first.output and "JWT:" in first.output
        again = runner.invoke(cli_app, ["bootstrap", "--demo"])
        assert again.exit_code == 0 and "exists" in again.output
        assert "Demo catalogus loaded: http://127.0.0.1:8000/catalogi/api/v1/catalogussen/" in again.output
        once_more = runner.invoke(cli_app, ["bootstrap", "--demo"])
        assert once_more.exit_code == 0 and "Demo catalogus loaded" not in once_more.output
        created = runner.invoke(cli_app, ["applicatie", "create", "--client-id", "zs", "--secret", "geheim"])
        assert created.exit_code == 0, created.output
        dup = runner.invoke(cli_app, ["applicatie", "create", "--client-id", "zs", "--secret", "geheim"])
        assert dup.exit_code != 0 and "already belongs" in dup.output
        assert (tmp_path / "data" / "samenzaak.sqlite3").exists()
    finally:
        get_settings.cache_clear()


async def test_allowed_hosts_are_enforced(settings: Any, engine: Any, sessionmaker: Any) -> None:
    import httpx

    from samenzaak.app import create_app

    settings.allowed_hosts = ["zaken.example.nl"]
    app = create_app(settings, engine=engine)
    app.state.sessionmaker = sessionmaker
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://evil.example") as c:
        assert (await c.get("/health")).status_code == 400
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://zaken.example.nl"
    ) as c:
        assert (await c.get("/health")).status_code == 200
