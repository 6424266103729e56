"""A zaaktype with its parts, created and read back through the API."""

from __future__ import annotations

from tests.catalogi import helpers as h
from tests.conftest import ApiClient


async def test_build_and_read_a_catalogus(api: ApiClient) -> None:
    cat = await h.catalogus(api)
    iot = await h.iot(api, cat["url"])
    bt = await h.besluittype(api, cat["url"], informatieobjecttypen=["Foto"])
    zt = await h.zaaktype(api, cat["url"], besluittypen=["Vergunning"])
    st1 = await h.create(
        api, "statustypen", {"zaaktype": zt["url"], "omschrijving": "Ontvangen", "volgnummer": 1}
    )
    st2 = await h.create(
        api, "statustypen", {"zaaktype": zt["url"], "omschrijving": "Afgerond", "volgnummer": 2}
    )
    await h.create(
        api,
        "roltypen",
        {"zaaktype": zt["url"], "omschrijving": "Melder", "omschrijvingGeneriek": "initiator"},
    )
    await h.create(
        api,
        "zaaktype-informatieobjecttypen",
        {"zaaktype": zt["url"], "informatieobjecttype": "Foto", "volgnummer": 1, "richting": "inkomend"},
    )
    r = await api.get(zt["url"])
    assert r.status_code == 200
    body = r.json()
    assert body["besluittypen"] == [bt["url"]]
    assert body["informatieobjecttypen"] == [iot["url"]]
    assert body["statustypen"] == [st1["url"], st2["url"]]
    # isEindstatus is derived: the highest volgnummer of the zaaktype, now the second one.
    assert st1["isEindstatus"] is True  # when it was the only one
    assert (await api.get(st1["url"])).json()["isEindstatus"] is False
    assert st2["isEindstatus"] is True
    r = await api.get(cat["url"])
    assert r.json()["zaaktypen"] == [zt["url"]]


async def test_zrc_006_a_numeric_identificatie_is_taken_as_text(api: ApiClient) -> None:
    """VNG's suite creates a zaaktype with ``"identificatie": 20``; it is the text "20"."""
    catalogus = await h.catalogus(api, domein="NUM")
    zt = await h.create(api, "zaaktypen", h.zaaktype_body(catalogus["url"]) | {"identificatie": 20})
    assert zt["identificatie"] == "20"
