"""zrc-010..015 and zrc-022: the validation rules on a zaak's own fields."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, FakeRemote, create_zaak, make_catalog, zaak_body

KANAAL = "https://ref.example.com/api/v1/communicatiekanalen/1"


def params(r: Any) -> list[tuple[str, str]]:
    assert r.status_code == 400, r.text
    return [(p["name"], p["code"]) for p in r.json()["invalidParams"]]


async def test_zrc_010_communicatiekanaal(api: ApiClient, catalog: Catalog, fake_remote: FakeRemote) -> None:
    fake_remote.set("https://mock.example/200", None)
    fake_remote.set(KANAAL, {"url": KANAAL, "naam": "balie", "omschrijving": "x"})
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, communicatiekanaal="https://mock.example/404"), headers=CRS
    )
    assert params(r) == [("communicatiekanaal", "bad-url")]
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, communicatiekanaal="https://mock.example/200"), headers=CRS
    )
    assert params(r) == [("communicatiekanaal", "invalid-resource")]
    zaak = await create_zaak(api, catalog, communicatiekanaal=KANAAL)
    r = await api.patch(zaak["url"], json={"communicatiekanaal": "https://mock.example/404"}, headers=CRS)
    assert params(r) == [("communicatiekanaal", "bad-url")]


async def test_zrc_011_relevante_andere_zaken(
    api: ApiClient, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    other = await create_zaak(api, catalog)
    bad = [{"url": "https://mock.example/404", "aardRelatie": "vervolg"}]
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, relevanteAndereZaken=bad), headers=CRS)
    assert params(r) == [("relevanteAndereZaken.0.url", "bad-url")]
    good = [{"url": other["url"], "aardRelatie": "vervolg"}]
    zaak = await create_zaak(api, catalog, relevanteAndereZaken=good)
    assert zaak["relevanteAndereZaken"] == good
    r = await api.patch(zaak["url"], json={"relevanteAndereZaken": bad}, headers=CRS)
    assert params(r) == [("relevanteAndereZaken.0.url", "bad-url")]


async def test_zrc_012_gegevensgroepen(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, opschorting={"wrong_field": "x"}), headers=CRS)
    assert params(r) == [("opschorting.indicatie", "required"), ("opschorting.reden", "required")]
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, verlenging={"wrong_field": "x"}), headers=CRS)
    assert params(r) == [("verlenging.reden", "required"), ("verlenging.duur", "required")]
    zaak = await create_zaak(api, catalog, opschorting=None, verlenging={"reden": "drukte", "duur": "P5D"})
    assert zaak["opschorting"] is None and zaak["verlenging"] == {"reden": "drukte", "duur": "P5D"}
    r = await api.patch(zaak["url"], json={"opschorting": {"wrong_field": "x"}}, headers=CRS)
    assert params(r) == [("opschorting.indicatie", "required"), ("opschorting.reden", "required")]
    r = await api.patch(
        zaak["url"], json={"verlenging": None, "opschorting": {"indicatie": True, "reden": "r"}}, headers=CRS
    )
    assert r.status_code == 200 and r.json()["verlenging"] is None
    assert r.json()["opschorting"] == {"indicatie": True, "reden": "r"}


async def test_zrc_013_hoofdzaak(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, hoofdzaak="https://mock.example/200"), headers=CRS
    )
    assert params(r) == [("hoofdzaak", "no_match")]
    hoofdzaak = await create_zaak(api, catalog)
    deelzaak = await create_zaak(api, catalog, hoofdzaak=hoofdzaak["url"])
    assert deelzaak["hoofdzaak"] == hoofdzaak["url"]
    r = await api.get(hoofdzaak["url"], headers=CRS)
    assert r.json()["deelzaken"] == [deelzaak["url"]]
    # A deelzaak cannot have deelzaken.
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, hoofdzaak=deelzaak["url"]), headers=CRS)
    assert params(r) == [("hoofdzaak", "deelzaak-als-hoofdzaak")]
    r = await api.patch(hoofdzaak["url"], json={"hoofdzaak": hoofdzaak["url"]}, headers=CRS)
    assert params(r) == [("hoofdzaak", "self-forbidden")]
    # A hoofdzaak (it has deelzaken) cannot become a deelzaak.
    other = await create_zaak(api, catalog)
    r = await api.patch(hoofdzaak["url"], json={"hoofdzaak": other["url"]}, headers=CRS)
    assert params(r) == [("hoofdzaak", "deelzaak-als-hoofdzaak")]


async def test_zrc_014_betalingsindicatie(api: ApiClient, catalog: Catalog) -> None:
    body = zaak_body(catalog, betalingsindicatie="nvt", laatsteBetaaldatum="2019-03-29T12:00:00")
    r = await api.post(f"{ZRC}/zaken", json=body, headers=CRS)
    assert params(r) == [("laatsteBetaaldatum", "betaling-nvt")]
    zaak = await create_zaak(
        api, catalog, betalingsindicatie="geheel", laatsteBetaaldatum="2019-03-29T12:00:00"
    )
    assert zaak["laatsteBetaaldatum"] == "2019-03-29T12:00:00Z"
    assert zaak["betalingsindicatieWeergave"]
    r = await api.patch(zaak["url"], json={"betalingsindicatie": "nvt"}, headers=CRS)
    assert r.status_code == 200 and r.json()["laatsteBetaaldatum"] is None


async def test_zrc_015_producten_of_diensten(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, productenOfDiensten=["https://other.example/"]), headers=CRS
    )
    assert params(r) == [("productenOfDiensten", "invalid-products-services")]
    zaak = await create_zaak(api, catalog, productenOfDiensten=["https://ref.tst.vng.cloud/standaard/"])
    r = await api.patch(zaak["url"], json={"productenOfDiensten": [zaak["url"]]}, headers=CRS)
    assert params(r) == [("productenOfDiensten", "invalid-products-services")]


async def test_zrc_022_archiefstatus(
    api: ApiClient, catalog: Catalog, fake_remote: FakeRemote, session: AsyncSession
) -> None:
    from tests.zaken.test_zaak_afsluiten import add_document

    zaak = await create_zaak(api, catalog)
    document = await add_document(api, session, catalog, fake_remote, zaak)
    r = await api.patch(zaak["url"], json={"archiefstatus": "gearchiveerd"}, headers=CRS)
    assert params(r) == [("archiefstatus", "documents-not-archived")]
    fake_remote.answers[document] = fake_remote.answers[document].__class__(
        200, fake_remote.answers[document].data | {"status": "gearchiveerd"}
    )
    r = await api.patch(zaak["url"], json={"archiefstatus": "gearchiveerd"}, headers=CRS)
    assert params(r) == [
        ("archiefnominatie", "archiefnominatie-not-set"),
        ("archiefactiedatum", "archiefactiedatum-not-set"),
    ]
    r = await api.patch(
        zaak["url"],
        json={"archiefstatus": "gearchiveerd", "archiefnominatie": "blijvend_bewaren"},
        headers=CRS,
    )
    assert params(r) == [("archiefactiedatum", "archiefactiedatum-not-set")]
    r = await api.patch(
        zaak["url"],
        json={
            "archiefstatus": "overgedragen",
            "archiefnominatie": "blijvend_bewaren",
            "archiefactiedatum": "2030-01-01",
        },
        headers=CRS,
    )
    assert r.status_code == 200 and r.json()["archiefstatus"] == "overgedragen"


async def test_remote_zaaktype_is_validated_the_same_way(
    api: ApiClient, catalog: Catalog, fake_remote: FakeRemote, session: AsyncSession
) -> None:
    url = "https://ztc.example.com/api/v1/zaaktypen/1"
    fake_remote.set(
        url,
        {
            "url": url,
            "omschrijving": "remote",
            "vertrouwelijkheidaanduiding": "intern",
            "statustypen": [],
            "doorlooptijd": "P10D",
            "concept": False,
            "beginGeldigheid": "2018-01-01",
            "productenOfDiensten": [],
        },
    )
    zaak = await create_zaak(api, catalog, zaaktype=url)
    assert zaak["zaaktype"] == url and zaak["vertrouwelijkheidaanduiding"] == "intern"
    r = await api.get(f"{ZRC}/zaken", params={"zaaktype": url}, headers=CRS)
    assert [z["url"] for z in r.json()["results"]] == [zaak["url"]]
    fake_remote.set(url, fake_remote.answers[url].data | {"concept": True})
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, zaaktype=url), headers=CRS)
    assert params(r) == [("zaaktype", "not-published")]
    other = await make_catalog(session)
    assert other.zaaktype_url != url
