"""Import and export of a whole catalogus (the demo catalogus, and a round trip)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.cli import DEMO
from samenzaak.catalogi.transfer import export_catalogus, import_catalogus
from samenzaak.common.auth import Auth
from samenzaak.common.urls import UrlBuilder
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
