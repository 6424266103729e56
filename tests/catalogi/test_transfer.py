"""Import and export of a whole catalogus (the demo catalogus, and a round trip)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from samenzaak.catalogi.cli import DEMO
from samenzaak.catalogi.models import BesluitType, Catalogus, InformatieObjectType, StatusType, ZaakType
from samenzaak.catalogi.transfer import export_catalogus, import_catalogus
from samenzaak.cli import app as cli_app
from samenzaak.common.auth import Auth
from samenzaak.common.commands import database_url
from samenzaak.common.problems import ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.config import get_settings
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from tests.catalogi import helpers as h
from tests.conftest import BASE, ApiClient

URLS = UrlBuilder(base=BASE)
AUTH = Auth(client_id="test-import", all_rights=True)


def demo() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return document


async def test_demo_catalogus_imports_published_and_reads_through_the_api(
    api: ApiClient, session: AsyncSession
) -> None:
    catalogus = await import_catalogus(session, AUTH, URLS, demo())
    cat_url = URLS.detail("catalogi", "catalogussen", catalogus.uuid)
    r = await api.get(f"{h.ROOT}/zaaktypen", params={"catalogus": cat_url})
    zaaktypen = {z["omschrijving"]: z for z in r.json()["results"]}
    assert set(zaaktypen) == {"Omgevingsvergunning", "Melding openbare ruimte", "Wmo-aanvraag"}
    omv = zaaktypen["Omgevingsvergunning"]
    assert omv["concept"] is False and omv["doorlooptijd"] == "P8W" and omv["servicenorm"] == "P6W"
    assert len(omv["statustypen"]) == 4 and len(omv["roltypen"]) == 4 and len(omv["resultaattypen"]) == 3
    assert omv["besluittypeOmschrijving"] == ["Besluit omgevingsvergunning"] and len(omv["besluittypen"]) == 1
    assert omv["informatieobjecttypeOmschrijving"] == ["Aanvraagformulier", "Bouwtekening", "Besluitbrief"]
    resultaat = (await api.get(omv["resultaattypen"][0])).json()
    assert resultaat["omschrijvingGeneriek"] and resultaat["archiefnominatie"] == "vernietigen"


async def test_export_then_import_gives_the_same_document(session: AsyncSession) -> None:
    catalogus = await import_catalogus(session, AUTH, URLS, demo())
    exported = await export_catalogus(session, URLS, catalogus.uuid)
    assert exported["zaaktypen"][0]["resultaattypen"][0]["selectielijstklasse"].startswith(
        "{referentielijsten}/"
    )
    exported["catalogus"]["domein"] = "KOPIE"
    copy = await import_catalogus(session, AUTH, URLS, exported)
    again = await export_catalogus(session, URLS, copy.uuid)
    assert again == exported


async def test_import_is_all_or_nothing(api: ApiClient, session: AsyncSession) -> None:
    """A document refused halfway (its last zaaktype has a resultaattype with a selectielijstklasse
    that is no resultaat) leaves no catalogus, type or part behind."""
    document = demo()
    document["catalogus"]["domein"] = "HALF"
    document["zaaktypen"][-1]["resultaattypen"][0]["selectielijstklasse"] = "{referentielijsten}/resultaten/x"
    with pytest.raises(ValidationProblem) as refused:
        await import_catalogus(session, AUTH, URLS, document)
    assert [(p.name, p.code) for p in refused.value.invalid_params] == [
        ("selectielijstklasse", "invalid-resource")
    ]
    r = await api.get(f"{h.ROOT}/catalogussen", params={"domein": "HALF"})
    assert r.status_code == 200 and r.json()["count"] == 0
    for resource in ("zaaktypen", "informatieobjecttypen", "besluittypen", "statustypen", "roltypen"):
        r = await api.get(f"{h.ROOT}/{resource}", params={"status": "alles"})
        assert r.status_code == 200 and r.json()["count"] == 0, resource
    # The same session imports a valid document afterwards.
    document["zaaktypen"][-1] = demo()["zaaktypen"][-1]
    catalogus = await import_catalogus(session, AUTH, URLS, document)
    r = await api.get(f"{h.ROOT}/catalogussen", params={"domein": "HALF"})
    assert r.json()["count"] == 1 and r.json()["results"][0]["url"].endswith(str(catalogus.uuid))


def test_cli_import_is_all_or_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``samenzaak catalogus import``: a refused document leaves the database as it was."""
    monkeypatch.setenv("SAMENZAAK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SAMENZAAK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    try:
        assert CliRunner().invoke(cli_app, ["migrate"]).exit_code == 0
        document = demo()
        document["zaaktypen"][-1]["resultaattypen"][0]["selectielijstklasse"] = (
            "{referentielijsten}/resultaten/x"
        )
        bad = tmp_path / "bad.json"
        bad.write_text(json.dumps(document), encoding="utf-8")
        result = CliRunner().invoke(cli_app, ["catalogus", "import", str(bad)])
        assert result.exit_code == 1 and "selectielijstklasse: invalid-resource" in result.output

        async def counts() -> list[int]:
            engine = create_engine(database_url())
            try:
                async with tenant_session(make_sessionmaker(engine)) as s:
                    return [
                        int(await s.scalar(select(func.count()).select_from(model)) or 0)
                        for model in (Catalogus, InformatieObjectType, BesluitType, ZaakType, StatusType)
                    ]
            finally:
                await engine.dispose()

        assert asyncio.run(counts()) == [0, 0, 0, 0, 0]
        result = CliRunner().invoke(cli_app, ["catalogus", "import", "demo"])
        assert result.exit_code == 0, result.output
        assert asyncio.run(counts())[0] == 1
    finally:
        get_settings.cache_clear()
