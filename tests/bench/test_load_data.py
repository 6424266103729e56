"""The bulk loader spreads zaken over copies of the given zaaktype in several catalogi, the
given one the largest, each zaak with statussen and rollen of its own zaaktype."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from bench import load_data
from samenzaak.cli import app as cli_app
from samenzaak.config import get_settings


@pytest.fixture
def demo_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli_app, ["bootstrap", "--demo"])
        assert result.exit_code == 0, result.output
    finally:
        get_settings.cache_clear()
    return f"sqlite:///{tmp_path / 'data' / 'samenzaak.sqlite3'}"


def test_zipf_weights_make_the_first_the_largest() -> None:
    weights = load_data.zipf_cum_weights(4)
    assert weights == pytest.approx([1, 1.5, 1.5 + 1 / 3, 1.5 + 1 / 3 + 0.25])


def test_zaken_spread_over_copies_of_the_zaaktype(demo_database: str) -> None:
    sync = create_engine(demo_database)
    with sync.connect() as conn:
        zaaktype = conn.execute(
            text("SELECT uuid FROM ztc_zaaktypen WHERE identificatie = 'MOR-001'")
        ).scalar_one()
        catalogi_before = conn.execute(text("SELECT count(*) FROM ztc_catalogussen")).scalar_one()
    args = load_data.parse_args(
        [
            "--database-url",
            demo_database,
            "--zaaktype",
            f"http://x/catalogi/api/v1/zaaktypen/{zaaktype}",
            "--zaken",
            "300",
            "--zaaktypen",
            "5",
            "--catalogi",
            "2",
            "--batch",
            "120",
            "--no-progress",
        ]
    )
    counts = asyncio.run(load_data.load(args))
    assert counts["zaken"] == 300
    with sync.connect() as conn:
        per_zaaktype = Counter(
            dict(
                conn.execute(
                    text("SELECT zaaktype_uuid, count(*) FROM zrc_zaken GROUP BY zaaktype_uuid")
                ).all()
            )
        )
        assert len(per_zaaktype) == 5
        assert per_zaaktype.most_common(1)[0][0] == zaaktype  # the given one is the largest
        catalogi = conn.execute(
            text(
                "SELECT count(DISTINCT catalogus_uuid) FROM ztc_zaaktypen WHERE identificatie LIKE 'MOR-001%'"
            )
        ).scalar_one()
        assert catalogi == 2
        assert conn.execute(text("SELECT count(*) FROM ztc_catalogussen")).scalar_one() == catalogi_before + 1
        # Every status and rol belongs to a type of its own zaak's zaaktype.
        foreign = conn.execute(
            text(
                "SELECT count(*) FROM zrc_statussen s JOIN zrc_zaken z ON z.uuid = s.zaak_uuid "
                "JOIN ztc_statustypen t ON t.uuid = s.statustype_uuid "
                "WHERE t.zaaktype_uuid <> z.zaaktype_uuid"
            )
        ).scalar_one()
        assert foreign == 0
        rollen = conn.execute(
            text(
                "SELECT count(*) FROM zrc_rollen r JOIN zrc_zaken z ON z.uuid = r.zaak_uuid "
                "JOIN ztc_roltypen t ON t.uuid = r.roltype_uuid WHERE t.zaaktype_uuid = z.zaaktype_uuid"
            )
        ).scalar_one()
        assert rollen == 300
        # The dashboard's summary knows every zaak.
        assert conn.execute(text("SELECT count(*) FROM dashboard_zaakfeiten")).scalar_one() == 300
    sync.dispose()
