"""The parts of a zaaktype: eigenschappen (ztc-015), zaakobjecttypen, statustype.eigenschappen,
PATCH merging, and the plain errors (404, 400 on a bad body)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from tests.catalogi import helpers as h
from tests.conftest import ApiClient


@pytest.fixture
async def zaaktype(api: ApiClient) -> dict[str, Any]:
    cat = await h.catalogus(api)
    return await h.zaaktype(api, cat["url"])


def eigenschap_body(zaaktype_url: str, **spec: Any) -> dict[str, Any]:
    return {
        "naam": "datum",
        "definitie": "Een datum",
        "zaaktype": zaaktype_url,
        "specificatie": {"formaat": "tekst", "lengte": "10", "kardinaliteit": "1"} | spec,
    }


async def test_ztc_015_dates_in_eigenschappen_have_fixed_lengths(
    api: ApiClient, zaaktype: dict[str, Any]
) -> None:
    r = await api.post(
        f"{h.ROOT}/eigenschappen", json=eigenschap_body(zaaktype["url"], formaat="datum", lengte="10")
    )
    assert r.status_code == 400 and h.codes(r) == [("specificatie.lengte", "invalid")]
    r = await api.post(
        f"{h.ROOT}/eigenschappen", json=eigenschap_body(zaaktype["url"], formaat="datum_tijd", lengte="8")
    )
    assert r.status_code == 400 and h.codes(r) == [("specificatie.lengte", "invalid")]
    ok = await h.create(api, "eigenschappen", eigenschap_body(zaaktype["url"], formaat="datum", lengte="8"))
    assert ok["specificatie"]["formaat"] == "datum" and ok["zaaktypeIdentificatie"] == "ZT-1"


async def test_statustype_eigenschappen_and_eigenschap_statustype_are_one_relation(
    api: ApiClient, zaaktype: dict[str, Any]
) -> None:
    st = await h.create(
        api, "statustypen", {"zaaktype": zaaktype["url"], "omschrijving": "Ontvangen", "volgnummer": 1}
    )
    e = await h.create(api, "eigenschappen", eigenschap_body(zaaktype["url"]) | {"statustype": st["url"]})
    assert e["statustype"] == st["url"]
    assert (await api.get(st["url"])).json()["eigenschappen"] == [e["url"]]
    r = await api.patch(st["url"], json={"eigenschappen": []})
    assert r.status_code == 200 and r.json()["eigenschappen"] == []
    assert (await api.get(e["url"])).json()["statustype"] is None
    r = await api.post(
        f"{h.ROOT}/statustypen", json={"zaaktype": zaaktype["url"], "omschrijving": "Dubbel", "volgnummer": 1}
    )
    assert r.status_code == 400 and h.codes(r) == [("volgnummer", "unique")]


async def test_zaakobjecttypen(api: ApiClient, zaaktype: dict[str, Any]) -> None:
    body = {
        "anderObjecttype": False,
        "objecttype": "https://objecttypen.example.com/api/v2/objecttypes/1",
        "relatieOmschrijving": "Boom",
        "zaaktype": zaaktype["url"],
        "beginGeldigheid": "2024-01-01",
        "catalogus": zaaktype["catalogus"],
    }
    obj = await h.create(api, "zaakobjecttypen", body)
    assert obj["zaaktypeIdentificatie"] == "ZT-1" and obj["catalogus"] == zaaktype["catalogus"]
    r = await api.get(
        f"{h.ROOT}/zaakobjecttypen", params={"relatieOmschrijving": "Boom", "anderObjecttype": "false"}
    )
    assert [o["url"] for o in r.json()["results"]] == [obj["url"]]
    r = await api.get(f"{h.ROOT}/zaakobjecttypen", params={"zaaktypeIdentificatie": "ANDER"})
    assert r.json()["count"] == 0
    assert (await api.get(zaaktype["url"])).json()["zaakobjecttypen"] == [obj["url"]]
    r = await api.patch(obj["url"], json={"relatieOmschrijving": "Lantaarnpaal"})
    assert r.status_code == 200 and r.json()["relatieOmschrijving"] == "Lantaarnpaal"
    assert (await api.delete(obj["url"])).status_code == 204
    assert (await api.get(obj["url"])).status_code == 404


async def test_patch_merges_over_the_stored_values(api: ApiClient, zaaktype: dict[str, Any]) -> None:
    r = await api.patch(zaaktype["url"], json={"doel": "Een ander doel", "trefwoorden": ["x"]})
    assert r.status_code == 200
    body = r.json()
    assert body["doel"] == "Een ander doel" and body["trefwoorden"] == ["x"]
    assert body["omschrijving"] == zaaktype["omschrijving"] and body["servicenorm"] == "P7D"
    r = await api.patch(zaaktype["url"], json={"verlengingMogelijk": True})
    assert r.status_code == 400 and h.codes(r) == [("verlengingstermijn", "required")]


async def test_unknown_objects_and_bad_bodies(api: ApiClient, zaaktype: dict[str, Any]) -> None:
    assert (await api.get(f"{h.ROOT}/zaaktypen/{uuid.uuid4()}")).status_code == 404
    assert (await api.get(f"{h.ROOT}/statustypen/{uuid.uuid4()}")).status_code == 404
    r = await api.post(f"{h.ROOT}/roltypen", json={"zaaktype": zaaktype["url"], "omschrijving": "x"})
    assert r.status_code == 400 and h.codes(r) == [("omschrijvingGeneriek", "required")]
    r = await api.post(
        f"{h.ROOT}/roltypen",
        json={
            "zaaktype": f"{h.ROOT}/zaaktypen/{uuid.uuid4()}",
            "omschrijving": "x",
            "omschrijvingGeneriek": "adviseur",
        },
    )
    assert r.status_code == 400
    r = await api.post(
        f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(zaaktype["catalogus"], doorlooptijd="30 dagen")
    )
    assert r.status_code == 400 and h.codes(r) == [("doorlooptijd", "invalid")]


async def test_catalogus_put_patch_and_rsin(api: ApiClient) -> None:
    cat = await h.catalogus(api)
    r = await api.patch(
        cat["url"], json={"naam": "Zaaktypecatalogus", "contactpersoonBeheerEmailadres": "a@b.nl"}
    )
    assert r.status_code == 200 and r.json()["naam"] == "Zaaktypecatalogus"
    r = await api.put(
        cat["url"], json={"domein": "TEST", "rsin": "123456789", "contactpersoonBeheerNaam": "X"}
    )
    assert r.status_code == 400 and h.codes(r) == [("rsin", "invalid")]
    r = await api.post(
        f"{h.ROOT}/catalogussen",
        json={"domein": "TEST", "rsin": "000000000", "contactpersoonBeheerNaam": "X"},
    )
    assert r.status_code == 400 and h.codes(r) == [("nonFieldErrors", "unique")]
