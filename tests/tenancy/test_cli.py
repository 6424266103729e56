"""`samenzaak tenant …` and the --tenant options of `applicatie create` and `token`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from typer.testing import CliRunner

from samenzaak.cli import app as cli_app
from samenzaak.config import get_settings


@pytest.fixture
def fresh_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    assert CliRunner().invoke(cli_app, ["migrate"]).exit_code == 0
    yield tmp_path
    get_settings.cache_clear()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli_app, list(args))
    return result.exit_code, result.output


def test_tenant_lifecycle_and_tenant_scoped_clients(fresh_data: Path) -> None:
    assert run("tenant", "create", "gemeente-a", "--naam", "Gemeente A")[0] == 0
    code, out = run("tenant", "create", "gemeente-a")
    assert code != 0 and "exists already" in out
    code, out = run("tenant", "create", "zaken")
    assert code != 0 and "reserved" in out
    code, out = run("tenant", "create", "Not Valid")
    assert code != 0 and "lower-case" in out

    code, out = run(
        "applicatie", "create", "--tenant", "gemeente-a", "--client-id", "zs", "--secret", "geheim-a"
    )
    assert code == 0, out
    # the same client id in another tenant is another client
    assert run("applicatie", "create", "--client-id", "zs", "--secret", "geheim-default")[0] == 0
    code, out = run("applicatie", "create", "--tenant", "nope", "--client-id", "x", "--secret", "y")
    assert code != 0 and "no tenant" in out

    code, out = run("token", "--client-id", "zs", "--tenant", "gemeente-a")
    assert code == 0, out
    jwt.decode(out.strip(), "geheim-a", algorithms=["HS256"])
    code, out = run("token", "--client-id", "zs")
    jwt.decode(out.strip(), "geheim-default", algorithms=["HS256"])

    assert run("tenant", "disable", "gemeente-a")[0] == 0
    code, out = run("tenant", "list")
    assert "gemeente-a" in out and "disabled" in out and "default" in out
    code, out = run("tenant", "disable", "default")
    assert code != 0 and "cannot be disabled" in out
