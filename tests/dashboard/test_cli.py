"""`samenzaak dashboard-user create|delete`, `samenzaak dashboard rebuild` and `samenzaak demo-data`."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select
from typer.testing import CliRunner

from samenzaak.cli import app as main_app
from samenzaak.config import get_settings
from samenzaak.dashboard.cli import register
from samenzaak.dashboard.models import DashboardTelling, DashboardUser, DashboardZaakFeit
from samenzaak.db import create_engine
from samenzaak.zaken.models import Zaak


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[typer.Typer]:
    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    app = typer.Typer()
    app.add_typer(main_app)
    register(app)
    assert CliRunner().invoke(main_app, ["migrate"]).exit_code == 0
    yield app
    get_settings.cache_clear()


def run(app: typer.Typer, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def _count(sql_model: type, where: object = None) -> int:
    async def go() -> int:
        engine = create_engine(get_settings().resolved_database_url())
        async with engine.connect() as conn:
            stmt = select(func.count()).select_from(sql_model)
            n = (await conn.execute(stmt)).scalar_one()
        await engine.dispose()
        return int(n)

    return asyncio.run(go())


def test_dashboard_user_create_and_delete(cli: typer.Typer) -> None:
    code, out = run(cli, "dashboard-user", "create", "--username", "anna", "--password", "geheim-wachtwoord")
    assert code == 0, out
    assert _count(DashboardUser) == 1
    code, out = run(cli, "dashboard-user", "create", "--username", "x", "--password", "kort")
    assert code != 0 and "at least 8" in out
    code, out = run(
        cli, "dashboard-user", "create", "--username", "x", "--password", "lang-genoeg", "--tenant", "nope"
    )
    assert code != 0 and "no tenant" in out
    code, out = run(cli, "dashboard-user", "delete", "--username", "anna")
    assert code == 0, out
    assert _count(DashboardUser) == 0
    code, out = run(cli, "dashboard-user", "delete", "--username", "anna")
    assert code != 0 and "no dashboard user" in out


def test_demo_data_adds_up_and_can_run_again(cli: typer.Typer) -> None:
    code, out = run(cli, "demo-data", "--zaken", "300")
    assert code == 0, out
    assert "300 zaken" in out
    assert _count(Zaak) == 300
    # A second run adds more zaken alongside (new numbers, no clashes).
    code, out = run(cli, "demo-data", "--zaken", "50")
    assert code == 0, out
    assert _count(Zaak) == 350


def test_dashboard_rebuild_recomputes_the_summary(cli: typer.Typer) -> None:
    code, out = run(cli, "demo-data", "--zaken", "120")
    assert code == 0, out
    before = _count(DashboardTelling)
    assert _count(DashboardZaakFeit) == 120 and before > 0
    code, out = run(cli, "dashboard", "rebuild")
    assert code == 0, out
    assert "rebuilt from 120 zaken" in out
    assert (_count(DashboardZaakFeit), _count(DashboardTelling)) == (120, before)


@pytest.mark.parametrize(
    "args",
    [["dashboard-user", "create", "--help"], ["demo-data", "--help"], ["dashboard", "rebuild", "--help"]],
)
def test_commands_have_help(cli: typer.Typer, args: list[str]) -> None:
    code, out = run(cli, *args)
    assert code == 0 and "Usage" in out
