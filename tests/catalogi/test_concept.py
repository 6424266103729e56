"""Concept and publish: ztc-009, ztc-010, ztc-011, ztc-012, ztc-013, ztc-016."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.catalogi import helpers as h
from tests.conftest import ApiClient, make_client

NON_CONCEPT = ("nonFieldErrors", "non-concept-object")
NON_CONCEPT_RELATION = ("nonFieldErrors", "non-concept-relation")
NON_CONCEPT_ZAAKTYPE = ("nonFieldErrors", "non-concept-zaaktype")


@pytest.fixture
async def limited(api: ApiClient, session: AsyncSession) -> ApiClient:
    """The VNG suite's client: lezen and schrijven, no geforceerd-* scopes."""
    token = await make_client(
        session,
        "limited",
        autorisaties=[{"component": "ztc", "scopes": ["catalogi.lezen", "catalogi.schrijven"]}],
    )
    return api.with_token(token)


@pytest.fixture
async def cat(api: ApiClient) -> dict[str, Any]:
    return await h.catalogus(api)


async def test_ztc_009_published_zaaktype_only_changes_its_eindegeldigheid(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    zt = await h.zaaktype(api, cat["url"])
    await h.publish(api, zt["url"])

    r = await limited.put(zt["url"], json=h.zaaktype_body(cat["url"], doel="aangepast"))
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT]
    r = await limited.patch(zt["url"], json={"omschrijving": "aangepast"})
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT]
    r = await limited.patch(zt["url"], json={"eindeGeldigheid": "2030-12-31"})
    assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2030-12-31"
    assert r.json()["omschrijving"] == "Melding openbare ruimte"
    assert await h.delete(limited, zt["url"]) == 400


@pytest.mark.parametrize("kind", ["besluittypen", "informatieobjecttypen"])
async def test_ztc_009_published_besluittype_and_informatieobjecttype(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any], kind: str
) -> None:
    obj = await (h.besluittype(api, cat["url"]) if kind == "besluittypen" else h.iot(api, cat["url"]))
    await h.publish(api, obj["url"])
    r = await limited.patch(obj["url"], json={"omschrijving": "ja"})
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT]
    r = await limited.patch(obj["url"], json={"eindeGeldigheid": "2030-01-01"})
    assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2030-01-01"
    assert await h.delete(limited, obj["url"]) == 400


async def test_ztc_009_correctie_with_geforceerd_scopes(
    api: ApiClient, session: AsyncSession, cat: dict[str, Any]
) -> None:
    token = await make_client(
        session,
        "beheerder",
        autorisaties=[
            {
                "component": "ztc",
                "scopes": [
                    "catalogi.lezen",
                    "catalogi.schrijven",
                    "catalogi.geforceerd-schrijven",
                    "catalogi.geforceerd-verwijderen",
                ],
            }
        ],
    )
    forced = api.with_token(token)
    zt = await h.zaaktype(api, cat["url"])
    await h.publish(api, zt["url"])
    r = await forced.patch(zt["url"], json={"toelichting": "correctie"})
    assert r.status_code == 200 and r.json()["toelichting"] == "correctie"
    st = await forced.post(
        f"{h.ROOT}/statustypen", json={"zaaktype": zt["url"], "omschrijving": "Extra", "volgnummer": 9}
    )
    assert st.status_code == 201
    assert await h.delete(forced, zt["url"]) == 204
    assert (await api.get(zt["url"])).status_code == 404


async def test_ztc_010_parts_of_a_published_zaaktype_are_fixed(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    zt = await h.zaaktype(api, cat["url"])
    st = await h.create(
        api, "statustypen", {"zaaktype": zt["url"], "omschrijving": "Ontvangen", "volgnummer": 1}
    )
    rt = await h.create(
        api,
        "roltypen",
        {"zaaktype": zt["url"], "omschrijving": "Melder", "omschrijvingGeneriek": "initiator"},
    )
    await h.publish(api, zt["url"])

    r = await limited.post(
        f"{h.ROOT}/statustypen", json={"zaaktype": zt["url"], "omschrijving": "Nieuw", "volgnummer": 2}
    )
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_ZAAKTYPE]
    r = await limited.patch(st["url"], json={"omschrijving": "Anders"})
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_ZAAKTYPE]
    r = await limited.put(
        rt["url"], json={"zaaktype": zt["url"], "omschrijving": "X", "omschrijvingGeneriek": "adviseur"}
    )
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_ZAAKTYPE]
    r = await h.delete_response(limited, rt["url"])
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_ZAAKTYPE]
    e = await limited.post(
        f"{h.ROOT}/eigenschappen",
        json={
            "naam": "kenmerk",
            "definitie": "d",
            "zaaktype": zt["url"],
            "specificatie": {"formaat": "tekst", "lengte": "5", "kardinaliteit": "1"},
        },
    )
    assert e.status_code == 400 and h.codes(e) == [NON_CONCEPT_ZAAKTYPE]


async def test_ztc_010_concept_zaaktype_tied_to_published_besluittype(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    bt = await h.besluittype(api, cat["url"])
    zt = await h.zaaktype(api, cat["url"], besluittypen=[bt["url"]])
    await h.publish(api, bt["url"])

    r = await limited.patch(zt["url"], json={"omschrijving": "aangepast"})
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]
    r = await limited.patch(zt["url"], json={"eindeGeldigheid": "2030-01-01"})
    assert r.status_code == 200
    r = await h.delete_response(limited, zt["url"])
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]


async def test_ztc_010_zaaktype_informatieobjecttype_with_both_ends_published(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    zt = await h.zaaktype(api, cat["url"])
    iot = await h.iot(api, cat["url"])
    ziot = await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {"zaaktype": zt["url"], "informatieobjecttype": iot["url"], "volgnummer": 1, "richting": "inkomend"},
    )
    assert ziot["informatieobjecttype"] == iot["url"]
    await h.publish(api, iot["url"])
    # One end published: still changeable (ztc-010g).
    r = await limited.patch(ziot["url"], json={"volgnummer": 2})
    assert r.status_code == 200 and r.json()["volgnummer"] == 2
    await h.publish(api, zt["url"])
    r = await limited.patch(ziot["url"], json={"volgnummer": 3})
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]
    r = await h.delete_response(limited, ziot["url"])
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]
    r = await limited.post(
        f"{h.ROOT}/zaaktype-informatieobjecttypen",
        json={
            "zaaktype": zt["url"],
            "informatieobjecttype": iot["url"],
            "volgnummer": 4,
            "richting": "uitgaand",
        },
    )
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]


async def test_ztc_011_relation_by_url_to_a_published_version_is_refused(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    iot = await h.iot(api, cat["url"])
    await h.publish(api, iot["url"])
    r = await limited.post(
        f"{h.ROOT}/besluittypen",
        json={
            "catalogus": cat["url"],
            "omschrijving": "B",
            "publicatieIndicatie": False,
            "informatieobjecttypen": [iot["url"]],
            "beginGeldigheid": "2024-01-01",
        },
    )
    assert r.status_code == 400 and h.codes(r) == [NON_CONCEPT_RELATION]


async def test_ztc_011_relation_by_omschrijving_to_published_type_is_the_1_3_way(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    """A new concept version names published besluittypen; the historiemodel resolves them."""
    bt = await h.besluittype(api, cat["url"])
    await h.publish(api, bt["url"])
    zt = await h.zaaktype(api, cat["url"], besluittypen=["Vergunning"])
    assert zt["besluittypen"] == [bt["url"]]
    assert zt["besluittypeOmschrijving"] == ["Vergunning"]
    published = await h.publish(api, zt["url"])
    assert published["concept"] is False


async def test_ztc_012_publish_needs_published_besluittypen_and_informatieobjecttypen(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    bt = await h.besluittype(api, cat["url"])
    zt = await h.zaaktype(api, cat["url"], besluittypen=["Vergunning"])
    r = await api.post(f"{zt['url']}/publish")
    assert r.status_code == 400 and h.codes(r) == [("besluittypen", "concept-relation")]
    await h.publish(api, bt["url"])

    iot = await h.iot(api, cat["url"])
    await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {"zaaktype": zt["url"], "informatieobjecttype": "Foto", "volgnummer": 1, "richting": "inkomend"},
    )
    r = await api.post(f"{zt['url']}/publish")
    assert r.status_code == 400 and h.codes(r) == [("informatieobjecttypen", "concept-relation")]
    await h.publish(api, iot["url"])
    assert (await h.publish(api, zt["url"]))["concept"] is False


async def test_ztc_012_publish_demands_nothing_more(api: ApiClient, cat: dict[str, Any]) -> None:
    """No statustypen, roltypen or resultaattypen are needed to publish."""
    zt = await h.zaaktype(api, cat["url"])
    assert zt["statustypen"] == [] and zt["roltypen"] == [] and zt["resultaattypen"] == []
    assert (await h.publish(api, zt["url"]))["concept"] is False


async def test_ztc_013_relations_stay_within_the_catalogus(api: ApiClient, cat: dict[str, Any]) -> None:
    other = await h.catalogus(api, domein="ANDER")
    bt_other = await h.besluittype(api, other["url"])
    iot_other = await h.iot(api, other["url"])
    r = await api.post(
        f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(cat["url"], besluittypen=[bt_other["url"]])
    )
    assert r.status_code == 400 and h.codes(r) == [("nonFieldErrors", "relations-incorrect-catalogus")]
    zt = await h.zaaktype(api, cat["url"])
    r = await api.post(
        f"{h.ROOT}/zaaktype-informatieobjecttypen",
        json={
            "zaaktype": zt["url"],
            "informatieobjecttype": iot_other["url"],
            "volgnummer": 1,
            "richting": "intern",
        },
    )
    assert r.status_code == 400 and h.codes(r) == [("nonFieldErrors", "relations-incorrect-catalogus")]
    # By name, a name of another catalogus does not exist here.
    r = await api.patch(zt["url"], json={"besluittypen": ["Vergunning"]})
    assert r.status_code == 400 and h.codes(r) == [("besluittypen", "does_not_exist")]


async def test_ztc_016_publishing_a_new_version_closes_the_previous_one(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    v1 = await h.zaaktype(api, cat["url"], beginGeldigheid="2024-01-01")
    await h.publish(api, v1["url"])
    v2 = await h.zaaktype(api, cat["url"], beginGeldigheid="2025-03-01", doel="nieuw doel")
    await h.publish(api, v2["url"])
    assert (await api.get(v1["url"])).json()["eindeGeldigheid"] == "2025-02-28"
    assert (await api.get(v2["url"])).json()["eindeGeldigheid"] is None


async def test_ztc_016_published_versions_never_overlap(api: ApiClient, cat: dict[str, Any]) -> None:
    v1 = await h.zaaktype(api, cat["url"], beginGeldigheid="2024-01-01", eindeGeldigheid="2024-12-31")
    await h.publish(api, v1["url"])
    v2 = await h.zaaktype(api, cat["url"], beginGeldigheid="2024-06-01")
    r = await api.post(f"{v2['url']}/publish")
    assert r.status_code == 400 and h.codes(r) == [("beginGeldigheid", "overlap")]
    assert (await api.get(v2["url"])).json()["concept"] is True
    assert (await api.get(v1["url"])).json()["eindeGeldigheid"] == "2024-12-31"
    # An earlier version published after a later one overlaps that one.
    v0 = await h.zaaktype(api, cat["url"], beginGeldigheid="2023-01-01")
    r = await api.post(f"{v0['url']}/publish")
    assert r.status_code == 400 and h.codes(r) == [("beginGeldigheid", "overlap")]


async def test_ztc_010_new_concept_version_naming_published_types_stays_editable(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    """The historiemodel primer: v2 of a zaaktype names published BT1 and is still a concept
    that can be changed and deleted; only a tie to one version by URL is fixed (suite)."""
    bt = await h.besluittype(api, cat["url"])
    await h.publish(api, bt["url"])
    zt = await h.zaaktype(api, cat["url"], besluittypen=["Vergunning"])
    r = await limited.patch(zt["url"], json={"toelichting": "versie 2"})
    assert r.status_code == 200 and r.json()["besluittypen"] == [bt["url"]]
    assert await h.delete(limited, zt["url"]) == 204


async def test_ztc_016_new_besluittype_version_closes_the_previous_one(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    v1 = await h.besluittype(api, cat["url"], beginGeldigheid="2024-01-01")
    await h.publish(api, v1["url"])
    v2 = await h.besluittype(api, cat["url"], beginGeldigheid="2024-07-01")
    await h.publish(api, v2["url"])
    assert (await api.get(v1["url"])).json()["eindeGeldigheid"] == "2024-06-30"


async def test_zaaktype_informatieobjecttype_given_by_url_shows_that_version(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    """Two published versions share the omschrijving; a URL-style client sees the one it named."""
    first = await h.iot(api, cat["url"], beginGeldigheid="2024-01-01")
    await h.publish(api, first["url"])
    second = await h.iot(api, cat["url"], beginGeldigheid="2024-01-01", informatieobjectcategorie="ander")
    await h.publish(api, second["url"])
    zt = await h.zaaktype(api, cat["url"])
    for target in (first, second):
        r = await api.post(
            f"{h.ROOT}/zaaktype-informatieobjecttypen",
            json={
                "zaaktype": zt["url"],
                "informatieobjecttype": target["url"],
                "volgnummer": 1,
                "richting": "intern",
            },
        )
        assert r.status_code == 201 and r.json()["informatieobjecttype"] == target["url"]


async def test_ztc_010_patch_of_only_eindegeldigheid_may_end_before_the_begin(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    """Suite ztc-010h: a concept zaaktype tied by URL to a published informatieobjecttype,
    beginning 2005-01-01, gets eindeGeldigheid 2004-12-12 by PATCH: 200 (a withdrawn version).
    Creating or rewriting a version that ends before it begins stays refused."""
    iot = await h.iot(api, cat["url"])
    await h.publish(api, iot["url"])
    zt = await h.zaaktype(api, cat["url"], beginGeldigheid="2005-01-01", eindeGeldigheid="2010-01-10")
    await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {
            "zaaktype": zt["url"],
            "informatieobjecttype": iot["url"],
            "volgnummer": 1,
            "richting": "inkomend",
        },
    )
    r = await limited.patch(zt["url"], json={"eindeGeldigheid": "2004-12-12"})
    assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2004-12-12"
    assert r.json()["beginGeldigheid"] == "2005-01-01"

    body = h.zaaktype_body(cat["url"], beginGeldigheid="2005-01-01", eindeGeldigheid="2004-12-12")
    r = await limited.post(f"{h.ROOT}/zaaktypen", json=body)
    assert r.status_code == 400 and h.codes(r) == [("eindeGeldigheid", "date-mismatch")]
    r = await limited.put(zt["url"], json=body)
    assert r.status_code == 400 and h.codes(r) == [("eindeGeldigheid", "date-mismatch")]
    r = await limited.patch(zt["url"], json={"eindeGeldigheid": "2004-12-12", "doel": "anders"})
    assert r.status_code == 400 and h.codes(r) == [("eindeGeldigheid", "date-mismatch")]


@pytest.mark.parametrize("kind", ["besluittypen", "informatieobjecttypen"])
async def test_ztc_009_published_type_withdrawn_by_an_eindegeldigheid_before_its_begin(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any], kind: str
) -> None:
    obj = await (h.besluittype(api, cat["url"]) if kind == "besluittypen" else h.iot(api, cat["url"]))
    await h.publish(api, obj["url"])
    r = await limited.patch(obj["url"], json={"eindeGeldigheid": "2023-12-31"})
    assert r.status_code == 200 and r.json()["eindeGeldigheid"] == "2023-12-31"


async def test_ztc_016_a_withdrawn_version_overlaps_nothing(
    api: ApiClient, limited: ApiClient, cat: dict[str, Any]
) -> None:
    v1 = await h.zaaktype(api, cat["url"], beginGeldigheid="2024-01-01")
    await h.publish(api, v1["url"])
    r = await limited.patch(v1["url"], json={"eindeGeldigheid": "2023-12-31"})
    assert r.status_code == 200
    v2 = await h.zaaktype(api, cat["url"], beginGeldigheid="2024-01-01", doel="opnieuw")
    await h.publish(api, v2["url"])
    assert (await api.get(v1["url"])).json()["eindeGeldigheid"] == "2023-12-31"


async def test_ztc_011_deleting_an_informatieobjecttype_removes_the_relations_laid_to_it_by_url(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    """Suite ztc-011f: a ZIOT laid by URL to a published informatieobjecttype that is then
    deleted (geforceerd) must not keep the zaaktype from being published (ztc-012)."""
    zt = await h.zaaktype(api, cat["url"])
    iot = await h.iot(api, cat["url"])
    await h.publish(api, iot["url"])
    by_url = await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {"zaaktype": zt["url"], "informatieobjecttype": iot["url"], "volgnummer": 1, "richting": "inkomend"},
    )
    other = await h.iot(api, cat["url"], omschrijving="Bijlage")
    await h.publish(api, other["url"])
    by_name = await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {"zaaktype": zt["url"], "informatieobjecttype": "Bijlage", "volgnummer": 2, "richting": "inkomend"},
    )
    assert await h.delete(api, iot["url"]) == 204
    assert (await api.get(by_url["url"])).status_code == 404
    assert (await api.get(by_name["url"])).status_code == 200
    published = await h.publish(api, zt["url"])
    assert published["concept"] is False
    assert published["informatieobjecttypen"] == [other["url"]]
