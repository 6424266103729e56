"""The embedded Referentielijsten API (VRL 0.6.0): every endpoint, both filter names,
pagination, and exactly what VNG's Postman conformance suite reads from it.

Every response goes through ``ApiClient``, which validates it against the official spec.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from samenzaak.referentielijsten.data import DATA
from tests.conftest import BASE, ApiClient

ROOT = "/referentielijsten/api/v1"
ABS = BASE + ROOT

PROCESTYPE_1_2020 = "b594c8d1-ea6a-4bcd-a6aa-2c7a8ad3fe5b"
PROCESTYPE_1_2017 = "e1b73b12-b2f6-4c4e-8929-94f84dd2a57d"
PROCESTYPE_15_2020 = "388645ae-bb7f-4b2b-ba70-94b70f713d45"
VERVALLEN = ("cc0011dc-f221-424d-9a2b-f328f7cf1f7f", "1e9318b6-ddec-4cc3-97fa-3d289d850075")


async def all_pages(client: ApiClient, url: str) -> list[dict[str, Any]]:
    pages = []
    next_url: str | None = url
    while next_url:
        response = await client.get(next_url)
        assert response.status_code == 200, response.text
        pages.append(response.json())
        next_url = pages[-1]["next"]
    return pages


# --- procestypen ---------------------------------------------------------------------------


async def test_procestypen_is_a_plain_array_of_both_editions_by_nummer(anon: ApiClient) -> None:
    response = await anon.get(f"{ROOT}/procestypen")
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body, list)
    assert len(body) == 58
    assert [(p["nummer"], p["jaar"]) for p in body[:3]] == [(1, 2017), (1, 2020), (2, 2017)]
    assert body[1]["url"] == f"{ABS}/procestypen/{PROCESTYPE_1_2020}"


@pytest.mark.parametrize(("jaar", "first"), [("2020", PROCESTYPE_1_2020), ("2017", PROCESTYPE_1_2017)])
async def test_procestypen_jaar_filter(anon: ApiClient, jaar: str, first: str) -> None:
    body = (await anon.get(f"{ROOT}/procestypen", params={"jaar": jaar})).json()
    assert len(body) == 29
    assert {p["jaar"] for p in body} == {int(jaar)}
    assert [p["nummer"] for p in body] == list(range(1, 30))
    assert body[0]["url"] == f"{ABS}/procestypen/{first}"
    assert body[0]["naam"] == "Instellen en inrichten organisatie"


async def test_procestypen_unknown_jaar_is_empty_and_invalid_jaar_is_400(anon: ApiClient) -> None:
    assert (await anon.get(f"{ROOT}/procestypen", params={"jaar": "1999"})).json() == []
    response = await anon.get(f"{ROOT}/procestypen", params={"jaar": "twintig"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "jaar"


async def test_procestype_detail(anon: ApiClient) -> None:
    response = await anon.get(f"{ROOT}/procestypen/{PROCESTYPE_15_2020}")
    assert response.status_code == 200
    assert response.json() == {
        "url": f"{ABS}/procestypen/{PROCESTYPE_15_2020}",
        "nummer": 15,
        "jaar": 2020,
        "naam": "Onderhouden en repareren",
        "omschrijving": response.json()["omschrijving"],
        "toelichting": response.json()["toelichting"],
        "procesobject": response.json()["procesobject"],
    }
    assert response.json()["omschrijving"]


@pytest.mark.parametrize(
    "path",
    [
        f"procestypen/{uuid.UUID(int=1)}",
        "procestypen/not-a-uuid",
        f"resultaten/{uuid.UUID(int=1)}",
        "resultaten/not-a-uuid",
        f"resultaattypeomschrijvingen/{uuid.UUID(int=1)}",
        f"communicatiekanalen/{uuid.UUID(int=1)}",
        # a procestype is not a resultaat
        f"resultaten/{PROCESTYPE_1_2020}",
    ],
)
async def test_unknown_resources_are_404(anon: ApiClient, path: str) -> None:
    response = await anon.get(f"{ROOT}/{path}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


# --- resultaten ----------------------------------------------------------------------------


async def test_resultaten_pages_of_100_in_tree_order(anon: ApiClient) -> None:
    # Every page is validated against the spec, so this also checks every resultaat we serve.
    pages = await all_pages(anon, f"{ROOT}/resultaten")
    assert [len(p["results"]) for p in pages] == [100, 100, 100, 44]
    assert {p["count"] for p in pages} == {344}
    assert [p["previous"] for p in pages] == [
        None,
        f"{ABS}/resultaten",
        f"{ABS}/resultaten?page=2",
        f"{ABS}/resultaten?page=3",
    ]
    assert [p["next"] for p in pages] == [
        f"{ABS}/resultaten?page=2",
        f"{ABS}/resultaten?page=3",
        f"{ABS}/resultaten?page=4",
        None,
    ]
    results = [r for p in pages for r in p["results"]]
    numbers = [tuple(int(n) for n in r["volledigNummer"].split(".")) for r in results]
    assert numbers == sorted(numbers)
    assert len({r["url"] for r in results}) == 344
    assert numbers[:3] == [(1, 1), (1, 1, 1), (1, 1, 2)]


async def test_resultaten_page_out_of_range_is_400(anon: ApiClient) -> None:
    for page in ("5", "0", "een"):
        response = await anon.get(f"{ROOT}/resultaten", params={"page": page})
        assert response.status_code == 400, page
        assert response.json()["invalidParams"][0]["name"] == "page"


async def test_vervallen_resultaten_are_not_served(anon: ApiClient) -> None:
    # Documented in referentielijsten/data/README.md: waardering "" breaks every spec version.
    for pk in VERVALLEN:
        assert (await anon.get(f"{ROOT}/resultaten/{pk}")).status_code == 404
    assert {str(u) for u in DATA.skipped_resultaten} == set(VERVALLEN)


@pytest.mark.parametrize("name", ["procesType", "proces_type"])
async def test_resultaten_filter_by_procestype_accepts_both_names(anon: ApiClient, name: str) -> None:
    procestype = f"{ABS}/procestypen/{PROCESTYPE_15_2020}"
    body = (await anon.get(f"{ROOT}/resultaten", params={name: procestype})).json()
    assert body["count"] == len(body["results"]) > 0
    assert {r["procesType"] for r in body["results"]} == {procestype}
    assert all(r["volledigNummer"].startswith("15.") for r in body["results"])
    assert body["next"] is None
    assert body["previous"] is None


async def test_resultaten_filter_with_unknown_or_foreign_procestype_matches_nothing(anon: ApiClient) -> None:
    for value in (
        f"{ABS}/procestypen/{uuid.UUID(int=1)}",
        f"https://selectielijst.openzaak.nl/api/v1/procestypen/{PROCESTYPE_15_2020}",
        "not a url",
    ):
        body = (await anon.get(f"{ROOT}/resultaten", params={"proces_type": value})).json()
        assert body == {"count": 0, "next": None, "previous": None, "results": []}, value
    # 2017 procestypen exist but have no resultaten with UUIDs (see the data README).
    body = (
        await anon.get(f"{ROOT}/resultaten", params={"procesType": f"{ABS}/procestypen/{PROCESTYPE_1_2017}"})
    ).json()
    assert body["count"] == 0


async def test_resultaten_filter_both_names_must_agree(anon: ApiClient) -> None:
    one = f"{ABS}/procestypen/{PROCESTYPE_1_2020}"
    fifteen = f"{ABS}/procestypen/{PROCESTYPE_15_2020}"
    same = (await anon.get(f"{ROOT}/resultaten", params={"procesType": one, "proces_type": one})).json()
    assert same["count"] > 0
    other = (await anon.get(f"{ROOT}/resultaten", params={"procesType": one, "proces_type": fifteen})).json()
    assert other["count"] == 0


async def test_resultaat_detail_derived_fields(anon: ApiClient) -> None:
    generiek = (await anon.get(f"{ROOT}/resultaten/6711baff-798b-4c7f-9133-8ad02c8b7c6f")).json()
    assert generiek["url"] == f"{ABS}/resultaten/6711baff-798b-4c7f-9133-8ad02c8b7c6f"
    assert generiek["procesType"] == f"{ABS}/procestypen/{PROCESTYPE_1_2020}"
    assert (generiek["volledigNummer"], generiek["generiek"], generiek["specifiek"]) == ("1.1", True, False)
    assert (generiek["waardering"], generiek["procestermijn"], generiek["bewaartermijn"]) == (
        "vernietigen",
        "nihil",
        "P10Y",
    )
    assert generiek["procestermijnWeergave"] == "Nihil"
    assert generiek["bedrijfsvoeringEnPersoneel"] is True

    specifiek = (await anon.get(f"{ROOT}/resultaten/6d37598e-30f0-4aef-930d-3e1690725d95")).json()
    assert (specifiek["volledigNummer"], specifiek["generiek"], specifiek["specifiek"]) == (
        "1.1.1",
        False,
        True,
    )
    assert (specifiek["procestermijn"], specifiek["procestermijnWeergave"]) == ("", "")
    assert specifiek["bewaartermijn"] is None
    assert specifiek["waardering"] == "blijvend_bewaren"

    vast = (await anon.get(f"{ROOT}/resultaten/f3e74904-dd73-4a62-8f0e-d47959795fa4")).json()
    assert vast["procestermijnWeergave"] == (
        "De tijdens het proces vast te leggen datum waarop de geldigheid van het procesobject komt te "
        "vervallen. "
    )


async def test_resultaat_p0d_bewaartermijn_is_kept(anon: ApiClient) -> None:
    # The VRL-GO JSON drops P0D; the fixture (and so this API) keeps it.
    pages = await all_pages(anon, f"{ROOT}/resultaten?page=3")
    by_nummer = {r["volledigNummer"]: r for p in pages for r in p["results"]}
    assert [by_nummer[n]["bewaartermijn"] for n in ("19.1.17", "19.1.19", "19.2.1")] == ["P0D"] * 3


# --- what the Postman conformance suite needs ----------------------------------------------


async def test_conformance_setup_finds_the_four_procestermijnen_in_three_pages(anon: ApiClient) -> None:
    """The suite's setUp: walk /resultaten?page=N, keep the first resultaat per procestermijn,
    stop when all are found; then GET the url and procesType it stored."""
    wanted = ("nihil", "vast_te_leggen_datum", "", "ingeschatte_bestaansduur_procesobject")
    found: dict[str, tuple[int, int, dict[str, Any]]] = {}
    page = 1
    while True:
        body = (await anon.get(f"{ROOT}/resultaten?page={page}")).json()
        for index, result in enumerate(body["results"]):
            if result["procestermijn"] in wanted and result["procestermijn"] not in found:
                found[result["procestermijn"]] = (page, index, result)
        if len(found) == len(wanted) or body["next"] is None:
            break
        page += 1
    assert page == 3
    positions = {value: (p, i, r["url"].rsplit("/", 1)[1]) for value, (p, i, r) in found.items()}
    assert positions == {
        "nihil": (1, 0, "6711baff-798b-4c7f-9133-8ad02c8b7c6f"),
        "": (1, 1, "6d37598e-30f0-4aef-930d-3e1690725d95"),
        "vast_te_leggen_datum": (1, 15, "f3e74904-dd73-4a62-8f0e-d47959795fa4"),
        # index 25 of page 3: the 226th in the full list, less the skipped 7.1.20
        "ingeschatte_bestaansduur_procesobject": (3, 25, "59596a33-c8db-4aa7-bb81-140cb29bb42a"),
    }
    assert found["ingeschatte_bestaansduur_procesobject"][2]["procesType"] == (
        f"{ABS}/procestypen/{PROCESTYPE_15_2020}"
    )
    for _, _, result in found.values():
        resultaat = await anon.get(result["url"])
        assert resultaat.status_code == 200
        assert resultaat.json() == result
        procestype = await anon.get(result["procesType"])
        assert procestype.status_code == 200
        assert procestype.json()["url"] == result["procesType"]


async def test_conformance_resultaattypeomschrijvingen_first_url(anon: ApiClient) -> None:
    response = await anon.get(f"{ROOT}/resultaattypeomschrijvingen")
    body = response.json()
    assert isinstance(body, list)
    assert [r["omschrijving"] for r in body] == ["Afgewezen", "Ingetrokken", "Toegekend"]
    assert body[0]["url"] == f"{ABS}/resultaattypeomschrijvingen/e6a0c939-3404-45b0-88e3-76c94fb80ea7"
    detail = await anon.get(body[0]["url"])
    assert detail.status_code == 200
    assert detail.json() == body[0]
    assert set(body[0]) == {"url", "omschrijving", "definitie", "opmerking"}


# --- communicatiekanalen -------------------------------------------------------------------


async def test_communicatiekanalen_paginated_with_stable_uuids(anon: ApiClient) -> None:
    body = (await anon.get(f"{ROOT}/communicatiekanalen")).json()
    assert body["count"] == len(body["results"]) == 7
    assert (body["next"], body["previous"]) == (None, None)
    names = [k["naam"] for k in body["results"]]
    assert {"telefoon", "e-mail", "balie", "post", "website", "sociale media"} <= set(names)
    telefoon = body["results"][names.index("telefoon")]
    expected = uuid.uuid5(uuid.NAMESPACE_URL, "urn:samenzaak:referentielijsten:communicatiekanaal:telefoon")
    assert telefoon["url"] == f"{ABS}/communicatiekanalen/{expected}"
    detail = await anon.get(telefoon["url"])
    assert detail.status_code == 200
    assert detail.json() == telefoon


@pytest.mark.parametrize(
    ("page", "previous"), [("2", f"{ABS}/communicatiekanalen"), ("0", None), ("x", None)]
)
async def test_communicatiekanalen_page_out_of_range_is_empty(
    anon: ApiClient, page: str, previous: str | None
) -> None:
    # The spec documents no error status for this list (no 400, no 404): answer an empty page.
    response = await anon.get(f"{ROOT}/communicatiekanalen", params={"page": page})
    assert response.status_code == 200
    assert response.json() == {"count": 7, "next": None, "previous": previous, "results": []}


# --- public API ----------------------------------------------------------------------------


async def test_no_authorisation_needed_and_a_token_is_ignored(anon: ApiClient, api: ApiClient) -> None:
    anonymous = await anon.get(f"{ROOT}/resultaten/6711baff-798b-4c7f-9133-8ad02c8b7c6f")
    with_token = await api.get(f"{ROOT}/resultaten/6711baff-798b-4c7f-9133-8ad02c8b7c6f")
    garbage = await anon.get(f"{ROOT}/procestypen", headers={"Authorization": "Bearer nonsense"})
    assert (anonymous.status_code, with_token.status_code, garbage.status_code) == (200, 200, 200)
    assert anonymous.json() == with_token.json()
    assert anonymous.headers["api-version"] == "0.6.0"


async def test_urls_follow_the_public_base_url(anon: ApiClient, app: Any) -> None:
    app.state.settings.public_base_url = "https://zaken.gemeente.nl/"
    body = (await anon.get(f"{ROOT}/resultaten", params={"page": "2"})).json()
    assert body["previous"] == "https://zaken.gemeente.nl/referentielijsten/api/v1/resultaten"
    assert body["results"][0]["url"].startswith(
        "https://zaken.gemeente.nl/referentielijsten/api/v1/resultaten/"
    )
    assert body["results"][0]["procesType"].startswith(
        "https://zaken.gemeente.nl/referentielijsten/api/v1/procestypen/"
    )


async def test_schema_endpoint_serves_the_official_spec(anon: ApiClient) -> None:
    response = await anon.get(f"{ROOT}/schema/openapi.yaml")
    assert response.status_code == 200
    assert b"version: 0.6.0" in response.content


async def test_a_page_builds_only_its_own_items(anon: ApiClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # The data is indexed once at import; a request slices it and serialises one page only.
    from samenzaak.referentielijsten import service

    calls: list[str] = []
    original = service.to_dict

    def counting(kind: str, record: Any, urls: Any) -> dict[str, Any]:
        calls.append(kind)
        return original(kind, record, urls)

    monkeypatch.setattr(service, "to_dict", counting)
    body = (await anon.get(f"{ROOT}/resultaten", params={"page": "4"})).json()
    assert len(calls) == len(body["results"]) == 44
    calls.clear()
    await anon.get(f"{ROOT}/resultaten")
    assert len(calls) == 100
