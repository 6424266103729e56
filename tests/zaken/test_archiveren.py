"""zrc-021: archiefnominatie and archiefactiedatum derived at closing, per afleidingswijze."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.zaken.archief import add_duration, parse_date
from tests.catalogi.factories import make_catalogus, make_zaaktype
from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, FakeRemote, add_children, create_zaak

EINDE = "2018-04-20T13:37:00"


async def catalog_with(session: AsyncSession, **brondatum: Any) -> Catalog:
    catalogus = await make_catalogus(session, domein="ARCH")
    zt = await make_zaaktype(session, catalogus, producten_of_diensten=[])
    return await add_children(session, zt, **brondatum)


async def close(api: ApiClient, c: Catalog, zaak: dict[str, Any], when: str = EINDE) -> dict[str, Any]:
    r = await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": c.url("resultaattypen", c.resultaattype)},
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        f"{ZRC}/statussen",
        json={"zaak": zaak["url"], "statustype": c.url("statustypen", c.eind), "datumStatusGezet": when},
    )
    assert r.status_code == 201, r.text
    return dict((await api.get(zaak["url"], headers=CRS)).json())


def test_add_duration_and_loose_dates() -> None:
    assert add_duration(parse_date("2018-01-31") or None, "P1M") == parse_date("2018-02-28")  # type: ignore[arg-type]
    assert add_duration(parse_date("2013-1-1"), "P10Y") == parse_date("2023-01-01")  # type: ignore[arg-type]
    assert parse_date("20190102") == parse_date("2019-01-02")
    assert add_duration(parse_date("2020-01-01"), "P2W3D") == parse_date("2020-01-18")  # type: ignore[arg-type]


async def test_zrc_021a_afgehandeld(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze="afgehandeld")
    zaak = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-04-20T10:00:00")
    assert (zaak["archiefnominatie"], zaak["archiefactiedatum"]) == ("vernietigen", "2034-04-20")


async def test_zrc_021_explicit_archiefnominatie_is_kept(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze="afgehandeld")
    zaak = await create_zaak(api, c, startdatum="2024-02-01", archiefnominatie="blijvend_bewaren")
    assert (await close(api, c, zaak, "2024-04-20T10:00:00"))["archiefnominatie"] == "blijvend_bewaren"


async def test_zrc_021_termijn(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze="termijn", brondatum_procestermijn="P5Y")
    zaak = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-04-20T10:00:00")
    assert zaak["archiefactiedatum"] == "2039-04-20"


async def test_zrc_021b_hoofdzaak(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze="hoofdzaak")
    hoofd = await create_zaak(api, c, startdatum="2024-02-01")
    hoofd = await close(api, c, hoofd, "2024-03-01T10:00:00")
    deel = await close(
        api,
        c,
        await create_zaak(api, c, startdatum="2024-02-01", hoofdzaak=hoofd["url"]),
        "2024-05-01T10:00:00",
    )
    assert deel["archiefactiedatum"] == "2034-03-01"


async def test_zrc_021_eigenschap(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(
        session, brondatum_afleidingswijze="eigenschap", brondatum_datumkenmerk="test eigenschap"
    )
    # A datum eigenschap holds its value as YYYYMMDD (Catalogi ztc-015).
    c.eigenschap.specificatie_formaat, c.eigenschap.specificatie_lengte = "datum", "8"
    await session.commit()
    zaak = await create_zaak(api, c, startdatum="2024-02-01")
    r = await api.post(
        f"{zaak['url']}/zaakeigenschappen",
        json={
            "zaak": zaak["url"],
            "eigenschap": c.url("eigenschappen", c.eigenschap),
            "waarde": "20300101",
        },
    )
    assert r.status_code == 201, r.text
    assert (await close(api, c, zaak, "2024-04-20T10:00:00"))["archiefactiedatum"] == "2040-01-01"


async def test_zrc_021_ander_datumkenmerk_is_left_to_the_client(
    api: ApiClient, session: AsyncSession
) -> None:
    c = await catalog_with(
        session, brondatum_afleidingswijze="ander_datumkenmerk", brondatum_datumkenmerk="x"
    )
    zaak = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-04-20T10:00:00")
    assert zaak["archiefnominatie"] == "vernietigen" and zaak["archiefactiedatum"] is None


async def test_zrc_021h_zaakobject(api: ApiClient, session: AsyncSession, fake_remote: FakeRemote) -> None:
    c = await catalog_with(
        session,
        brondatum_afleidingswijze="zaakobject",
        brondatum_objecttype="woz_waarde",
        brondatum_datumkenmerk="waardepeildatum",
    )
    zaak = await create_zaak(api, c, startdatum="2024-02-01")
    adres = {
        "aoaIdentificatie": "a",
        "wplWoonplaatsNaam": "w",
        "gorOpenbareRuimteNaam": "g",
        "aoaHuisnummer": 1,
    }
    for peildatum in ("2013-1-1", "2015-6-1"):
        ident = {
            "waardepeildatum": peildatum,
            "isVoor": {"wozObjectNummer": "x", "aanduidingWozObject": adres},
        }
        r = await api.post(
            f"{ZRC}/zaakobjecten",
            json={"zaak": zaak["url"], "objectType": "woz_waarde", "objectIdentificatie": ident},
        )
        assert r.status_code == 201, r.text
    # An external object counts too.
    fake_remote.set("https://objects.example/1", {"waardepeildatum": "2016-02-02"})
    r = await api.post(
        f"{ZRC}/zaakobjecten",
        json={"zaak": zaak["url"], "objectType": "woz_waarde", "object": "https://objects.example/1"},
    )
    assert r.status_code == 201, r.text
    assert (await close(api, c, zaak, "2024-04-20T10:00:00"))["archiefactiedatum"] == "2026-02-02"


async def test_zrc_021i_gerelateerde_zaak(api: ApiClient, session: AsyncSession) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze="gerelateerde_zaak")
    early = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-03-01T10:00:00")
    late = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-06-01T10:00:00")
    relevant = [
        {"url": early["url"], "aardRelatie": "bijdrage"},
        {"url": late["url"], "aardRelatie": "vervolg"},
    ]
    zaak = await close(
        api,
        c,
        await create_zaak(api, c, startdatum="2024-02-01", relevanteAndereZaken=relevant),
        "2024-04-01T10:00:00",
    )
    assert zaak["archiefactiedatum"] == "2034-06-01"


@pytest.mark.parametrize(
    ("wijze", "expected"), [("ingangsdatum_besluit", "2035-01-01"), ("vervaldatum_besluit", "2036-06-30")]
)
async def test_zrc_021_besluit(
    api: ApiClient, session: AsyncSession, fake_remote: FakeRemote, wijze: str, expected: str
) -> None:
    c = await catalog_with(session, brondatum_afleidingswijze=wijze)
    zaak = await create_zaak(api, c, startdatum="2024-02-01")
    for i, (ingang, verval) in enumerate([("2024-05-01", "2025-01-01"), ("2025-01-01", "2026-06-30")]):
        url = f"https://brc.example/api/v1/besluiten/{i}"
        fake_remote.set(url, {"url": url, "ingangsdatum": ingang, "vervaldatum": verval})
        r = await api.post(f"{zaak['url']}/besluiten", json={"besluit": url})
        assert r.status_code == 201, r.text
    assert (await close(api, c, zaak, "2024-04-20T10:00:00"))["archiefactiedatum"] == expected


async def test_startdatum_bewaartermijn_is_the_brondatum_for_te_vernietigen_zaken(
    api: ApiClient, session: AsyncSession
) -> None:
    """RGBZ/Zaken: startdatumBewaartermijn marks the end of the procestermijn (the brondatum),
    set only for zaakdossiers to be destroyed; a value the client gave is kept."""
    c = await catalog_with(session, brondatum_afleidingswijze="termijn", brondatum_procestermijn="P5Y")
    zaak = await close(api, c, await create_zaak(api, c, startdatum="2024-02-01"), "2024-04-20T10:00:00")
    assert zaak["archiefnominatie"] == "vernietigen"
    assert (zaak["startdatumBewaartermijn"], zaak["archiefactiedatum"]) == ("2029-04-20", "2039-04-20")

    bewaren = await create_zaak(api, c, startdatum="2024-02-01", archiefnominatie="blijvend_bewaren")
    zaak = await close(api, c, bewaren, "2024-04-20T10:00:00")
    assert zaak["startdatumBewaartermijn"] is None

    given = await create_zaak(api, c, startdatum="2024-02-01", startdatumBewaartermijn="2030-01-01")
    zaak = await close(api, c, given, "2024-04-20T10:00:00")
    assert zaak["startdatumBewaartermijn"] == "2030-01-01"
