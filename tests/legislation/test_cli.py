"""`samenzaak catalogus impact` and `samenzaak zaken switch-zaaktype` on a fresh database."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samenzaak.cli import app as cli_app
from samenzaak.common.commands import database_url
from samenzaak.config import get_settings
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from tests.legislation import builders


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SAMENZAAK_PUBLIC_BASE_URL", "https://zaken.example.nl")
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    assert CliRunner().invoke(cli_app, ["migrate"]).exit_code == 0

    async def fill() -> dict[str, str]:
        engine = create_engine(database_url())
        async with tenant_session(make_sessionmaker(engine)) as s:
            cat = await builders.catalogus(s)
            old = await builders.zaaktype(s, cat.uuid, doorlooptijd="P8W")
            new = await builders.zaaktype(
                s, cat.uuid, doorlooptijd="P2W", versiedatum=date(2027, 1, 1), resultaten=("Toegekend",)
            )
            await builders.zaak(s, old, "Z-1", date(2026, 11, 1), status="Ontvangen")
            await builders.zaak(s, old, "Z-2", date(2026, 11, 2), resultaat="Afgewezen")
            await s.commit()
            ids = {"old": str(old.uuid), "new": str(new.uuid)}
        await engine.dispose()
        return ids

    yield asyncio.run(fill())
    get_settings.cache_clear()


def test_impact_json(data: dict[str, str]) -> None:
    result = CliRunner().invoke(
        cli_app,
        [
            "catalogus",
            "impact",
            "--from",
            data["old"],
            "--to",
            data["new"],
            "--peildatum",
            "2026-11-29",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["lopendeZaken"] == 2
    assert report["aantalOverNieuweTermijn"] == 2  # two weeks from 1 and 2 November have passed
    assert report["aantalResultaatVervalt"] == 1
    assert report["nieuwZaaktype"] == f"https://zaken.example.nl/catalogi/api/v1/zaaktypen/{data['new']}"


def test_switch_dry_run_then_run(data: dict[str, str], tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"from": data["old"], "to": data["new"]}))
    runner = CliRunner()
    dry = runner.invoke(cli_app, ["zaken", "switch-zaaktype", "--mapping", str(mapping), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 of 2 running zaken can be switched" in dry.output and "Z-2" in dry.output
    real = runner.invoke(cli_app, ["zaken", "switch-zaaktype", "--mapping", str(mapping), "--json"])
    assert real.exit_code == 0, real.output
    states = sorted(z["state"] for z in json.loads(real.output[real.output.index("{") :])["zaken"])
    assert states == ["skipped", "switched"]


def test_bad_mapping_is_refused_with_the_reason(data: dict[str, str], tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"from": data["old"], "to": data["new"], "statustypen": {"Ontvangen": "Nope"}})
    )
    result = CliRunner().invoke(cli_app, ["zaken", "switch-zaaktype", "--mapping", str(mapping)])
    assert result.exit_code == 1
    assert "statustypen.Ontvangen" in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["catalogus", "--help"],
        ["catalogus", "adopt", "--help"],
        ["catalogus", "impact", "--help"],
        ["catalogus", "updates", "--help"],
        ["catalogus", "model", "--help"],
        ["zaken", "switch-zaaktype", "--help"],
    ],
)
def test_help(args: list[str]) -> None:
    result = CliRunner().invoke(cli_app, args)
    assert result.exit_code == 0 and "Usage" in result.output
