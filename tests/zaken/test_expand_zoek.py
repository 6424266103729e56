"""expand (zrc-025..028), POST /zaken/_zoek with fields (zrc-029) and geometry, list filters and ordering."""

from __future__ import annotations

from typing import Any

from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[5.0, 52.0], [6.0, 52.0], [6.0, 53.0], [5.0, 53.0], [5.0, 52.0]]],
}


async def _rol(api: ApiClient, catalog: Catalog, zaak: dict[str, Any]) -> dict[str, Any]:
    r = await api.post(
        f"{ZRC}/rollen",
        json={
            "zaak": zaak["url"],
            "betrokkeneType": "medewerker",
            "roltype": catalog.url("roltypen", catalog.roltype),
            "roltoelichting": "x",
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_expand_nested_local_resources(api: ApiClient, catalog: Catalog) -> None:
    hoofd = await create_zaak(api, catalog)
    zaak = await create_zaak(api, catalog, hoofdzaak=hoofd["url"])
    rol = await _rol(api, catalog, zaak)
    r = await api.get(f"{zaak['url']}?expand=rollen,status", headers=CRS)
    assert r.status_code == 200, r.text
    assert r.json()["_expand"]["status"] == {}
    # A single expanded object can never pass the spec's oneOf [ZaakExpanded, EmptyObject]
    # (EmptyObject accepts any object), so from here the responses are checked by hand.
    api.validate = False
    r = await api.get(f"{zaak['url']}?expand=rollen,hoofdzaak.deelzaken,status", headers=CRS)
    assert r.status_code == 200, r.text
    expanded = r.json()["_expand"]
    assert [x["url"] for x in expanded["rollen"]] == [rol["url"]]
    assert expanded["hoofdzaak"]["url"] == hoofd["url"]
    assert [d["url"] for d in expanded["hoofdzaak"]["_expand"]["deelzaken"]] == [zaak["url"]]
    assert expanded["status"] == {}
    r = await api.get(f"{zaak['url']}?expand=zaaktype,rollen.roltype", headers=CRS)
    assert r.json()["_expand"]["zaaktype"]["url"] == catalog.zaaktype_url
    assert r.json()["_expand"]["rollen"][0]["_expand"]["roltype"]["omschrijving"] == "test"


async def test_expand_unknown_field_is_refused(api: ApiClient, catalog: Catalog) -> None:
    r = await api.get(f"{ZRC}/zaken?expand=nietbestaand", headers=CRS)
    assert r.status_code == 400 and r.json()["invalidParams"][0]["code"] == "unknown-expand"


async def test_zoek_filters_geometry_and_fields(api: ApiClient, catalog: Catalog) -> None:
    inside = await create_zaak(api, catalog, zaakgeometrie={"type": "Point", "coordinates": [5.3, 52.3]})
    await create_zaak(api, catalog, zaakgeometrie={"type": "Point", "coordinates": [7.0, 52.5]})
    # Inside the bounding box but outside the triangle.
    triangle = {"type": "Polygon", "coordinates": [[[5.0, 52.0], [6.0, 52.0], [5.0, 53.0], [5.0, 52.0]]]}
    corner = await create_zaak(api, catalog, zaakgeometrie={"type": "Point", "coordinates": [5.9, 52.9]})
    r = await api.post(f"{ZRC}/zaken/_zoek", json={"zaakgeometrie": {"within": SQUARE}}, headers=CRS)
    assert r.status_code == 200, r.text
    assert {z["url"] for z in r.json()["results"]} == {inside["url"], corner["url"]}
    r = await api.post(f"{ZRC}/zaken/_zoek", json={"zaakgeometrie": {"within": triangle}}, headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == [inside["url"]]
    r = await api.post(
        f"{ZRC}/zaken/_zoek",
        json={"uuid__in": [inside["uuid"]], "zaaktype__in": [catalog.zaaktype_url]},
        headers=CRS,
    )
    assert [z["url"] for z in r.json()["results"]] == [inside["url"]]
    api.validate = False  # a field selection returns partial zaken by design
    await _rol(api, catalog, inside)
    r = await api.post(
        f"{ZRC}/zaken/_zoek",
        json={"uuid__in": [inside["uuid"]], "fields": ["url", "identificatie", {"rollen": ["omschrijving"]}]},
        headers=CRS,
    )
    result = r.json()["results"][0]
    assert set(result) == {"url", "identificatie", "rollen", "_expand"}
    assert result["_expand"]["rollen"] == [{"omschrijving": "test"}]


async def test_list_filters_and_ordering(api: ApiClient, catalog: Catalog) -> None:
    a = await create_zaak(api, catalog, startdatum="2019-01-01", identificatie="A-1")
    b = await create_zaak(api, catalog, startdatum="2020-01-01", identificatie="B-1")
    r = await api.get(f"{ZRC}/zaken", params={"startdatum__gte": "2019-06-01"}, headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == [b["url"]]
    r = await api.get(f"{ZRC}/zaken", params={"ordering": "startdatum"}, headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == [a["url"], b["url"]]
    r = await api.get(f"{ZRC}/zaken", params={"ordering": "-identificatie"}, headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == [b["url"], a["url"]]
    r = await api.get(
        f"{ZRC}/zaken", params={"identificatie": "A-1", "einddatum__isnull": "true"}, headers=CRS
    )
    assert r.json()["count"] == 1
    r = await api.get(f"{ZRC}/zaken", params={"startdatum": "not-a-date"}, headers=CRS)
    assert r.status_code == 400


async def test_expand_on_sub_resources(api: ApiClient, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    rol = await _rol(api, catalog, zaak)
    r = await api.get(f"{ZRC}/rollen", params={"zaak": zaak["url"], "expand": "zaak.rollen"})
    assert r.status_code == 200, r.text
    api.validate = False  # single expanded objects cannot pass the spec's oneOf (see above)
    r = await api.get(f"{ZRC}/rollen", params={"zaak": zaak["url"], "expand": "zaak.rollen"})
    expanded_zaak = r.json()["results"][0]["_expand"]["zaak"]
    assert expanded_zaak["url"] == zaak["url"]
    assert [x["url"] for x in expanded_zaak["_expand"]["rollen"]] == [rol["url"]]
    r = await api.get(rol["url"], params={"expand": "roltype"})
    assert r.json()["_expand"]["roltype"]["omschrijving"] == "test"
    r = await api.get(rol["url"], params={"expand": "informatieobject"})
    assert r.status_code == 400


async def test_zoek_within_a_point_is_a_valid_search_without_results(
    api: ApiClient, catalog: Catalog
) -> None:
    """OAS ZRC `POST /zaken/_zoek`: `within` is any GeoJSONGeometry; a point has no interior."""
    await create_zaak(api, catalog, zaakgeometrie={"type": "Point", "coordinates": [5.3, 52.3]})
    point = {"type": "Point", "coordinates": [5.3, 52.3]}
    r = await api.post(f"{ZRC}/zaken/_zoek", json={"zaakgeometrie": {"within": point}}, headers=CRS)
    assert r.status_code == 200, r.text
    assert r.json()["count"] == 0 and r.json()["results"] == []
    r = await api.post(
        f"{ZRC}/zaken/_zoek", json={"zaakgeometrie": {"within": {"type": "Point"}}}, headers=CRS
    )
    assert r.status_code == 400 and r.json()["invalidParams"][0]["name"] == "zaakgeometrie.within"
