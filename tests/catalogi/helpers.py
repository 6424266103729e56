"""Building a catalogue through the API in tests."""

from __future__ import annotations

from typing import Any

from samenzaak.referentielijsten.data import DATA
from tests.conftest import BASE, ApiClient

ROOT = "/catalogi/api/v1"
RL = f"{BASE}/referentielijsten/api/v1"


def procestype_url(procestermijn: str = "nihil") -> tuple[str, str]:
    """A (procestype URL, selectielijstklasse URL) pair whose resultaat has the procestermijn."""
    for record in DATA.by_kind["resultaten"].values():
        if record.fields.get("procestermijn") == procestermijn and record.procestype is not None:
            return f"{RL}/procestypen/{record.procestype}", f"{RL}/resultaten/{record.uuid}"
    raise LookupError(procestermijn)


def resultaattypeomschrijving_url() -> str:
    record = next(iter(DATA.by_kind["resultaattypeomschrijvingen"].values()))
    return f"{RL}/resultaattypeomschrijvingen/{record.uuid}"


async def create(api: ApiClient, resource: str, body: dict[str, Any], status: int = 201) -> dict[str, Any]:
    r = await api.post(f"{ROOT}/{resource}", json=body)
    assert r.status_code == status, r.text
    data: dict[str, Any] = r.json()
    return data


async def catalogus(api: ApiClient, domein: str = "TEST") -> dict[str, Any]:
    return await create(
        api, "catalogussen", {"domein": domein, "rsin": "000000000", "contactpersoonBeheerNaam": "Bea Heer"}
    )


def zaaktype_body(catalogus_url: str, **kw: Any) -> dict[str, Any]:
    procestype, _ = procestype_url()
    return {
        "identificatie": "ZT-1",
        "omschrijving": "Melding openbare ruimte",
        "vertrouwelijkheidaanduiding": "openbaar",
        "doel": "Meldingen afhandelen",
        "aanleiding": "Een melding",
        "indicatieInternOfExtern": "extern",
        "handelingInitiator": "melden",
        "onderwerp": "Openbare ruimte",
        "handelingBehandelaar": "behandelen",
        "doorlooptijd": "P14D",
        "servicenorm": "P7D",
        "opschortingEnAanhoudingMogelijk": False,
        "verlengingMogelijk": False,
        "publicatieIndicatie": False,
        "productenOfDiensten": ["https://example.com/product/1"],
        "selectielijstProcestype": procestype,
        "referentieproces": {"naam": "melding", "link": ""},
        "catalogus": catalogus_url,
        "besluittypen": [],
        "gerelateerdeZaaktypen": [],
        "beginGeldigheid": "2024-01-01",
        "verantwoordelijke": "Team Buitenruimte",
    } | kw


async def zaaktype(api: ApiClient, catalogus_url: str, **kw: Any) -> dict[str, Any]:
    return await create(api, "zaaktypen", zaaktype_body(catalogus_url, **kw))


async def iot(api: ApiClient, catalogus_url: str, **kw: Any) -> dict[str, Any]:
    body = {
        "catalogus": catalogus_url,
        "omschrijving": "Foto",
        "vertrouwelijkheidaanduiding": "openbaar",
        "beginGeldigheid": "2024-01-01",
        "informatieobjectcategorie": "bijlage",
    } | kw
    # The spec documents 200 for this POST; we answer 201 like every other create (see report).
    api.validate = False
    try:
        return await create(api, "informatieobjecttypen", body)
    finally:
        api.validate = True


async def besluittype(api: ApiClient, catalogus_url: str, **kw: Any) -> dict[str, Any]:
    body = {
        "catalogus": catalogus_url,
        "omschrijving": "Vergunning",
        "publicatieIndicatie": False,
        "informatieobjecttypen": [],
        "beginGeldigheid": "2024-01-01",
    } | kw
    return await create(api, "besluittypen", body)


async def publish(api: ApiClient, url: str, status: int = 200) -> dict[str, Any]:
    r = await api.post(f"{url}/publish")
    assert r.status_code == status, r.text
    data: dict[str, Any] = r.json()
    return data


async def delete(api: ApiClient, url: str) -> int:
    return (await delete_response(api, url)).status_code


async def delete_response(api: ApiClient, url: str) -> Any:
    """DELETE without spec validation: the spec documents 200 (not 204) for the three main
    types, and no 400 at all, which the standard's own rules (ztc-009/010) answer."""
    api.validate = False
    try:
        r = await api.delete(url)
    finally:
        api.validate = True
    if r.status_code != 204:
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
    return r


def codes(response: Any) -> list[tuple[str, str]]:
    return [(p["name"], p["code"]) for p in response.json().get("invalidParams", [])]
