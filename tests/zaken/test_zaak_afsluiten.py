"""zrc-003..008, zrc-016..020 and zrc-023: statussen, resultaten, rollen, documents,
closing, reopening, forced updates and cascade delete."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import InformatieObjectType, ZaakTypeInformatieObjectType
from samenzaak.common.notifications import OutboxMessage
from tests.conftest import ApiClient, make_client
from tests.zaken.conftest import CRS, ZRC, ZTC, Catalog, FakeRemote, create_zaak, document, make_catalog

EINDE = "2018-04-20T13:37:00"


def params(r: Any) -> list[tuple[str, str]]:
    assert r.status_code == 400, r.text
    return [(p["name"], p["code"]) for p in r.json()["invalidParams"]]


async def iotype(session: AsyncSession, catalog: Catalog, related: bool = True) -> str:
    iot = InformatieObjectType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalog.zaaktype.catalogus_uuid,
        omschrijving=f"iot-{uuid.uuid4().hex[:6]}",
        vertrouwelijkheidaanduiding="openbaar",
        informatieobjectcategorie="document",
        begin_geldigheid=catalog.zaaktype.begin_geldigheid,
        concept=False,
    )
    session.add(iot)
    if related:
        session.add(
            ZaakTypeInformatieObjectType(
                uuid=uuid.uuid4(),
                zaaktype_uuid=catalog.zaaktype.uuid,
                informatieobjecttype_omschrijving=iot.omschrijving,
                volgnummer=1,
                richting="inkomend",
            )
        )
    await session.commit()
    return f"{ZTC}/informatieobjecttypen/{iot.uuid}"


async def add_document(
    api: ApiClient,
    session: AsyncSession,
    catalog: Catalog,
    fake: FakeRemote,
    zaak: dict[str, Any],
    **extra: Any,
) -> str:
    url = document(fake, catalog, await iotype(session, catalog), **extra)
    r = await api.post(f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": url})
    assert r.status_code == 201, r.text
    return url


async def close(api: ApiClient, catalog: Catalog, zaak: dict[str, Any], when: str = EINDE) -> dict[str, Any]:
    r = await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": catalog.url("resultaattypen", catalog.resultaattype)},
    )
    assert r.status_code == 201, r.text
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": catalog.url("statustypen", catalog.eind),
            "datumStatusGezet": when,
        },
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_zrc_007_closing_sets_einddatum_and_archiving(api: ApiClient, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": catalog.url("statustypen", catalog.eind),
            "datumStatusGezet": EINDE,
        },
    )
    assert params(r) == [("nonFieldErrors", "resultaat-does-not-exist")]
    status = await close(api, catalog, zaak)
    assert status["indicatieLaatstGezetteStatus"] is True
    closed = (await api.get(zaak["url"], headers=CRS)).json()
    assert closed["einddatum"] == "2018-04-20"
    assert closed["status"] == status["url"] and closed["resultaat"]
    # zrc-021 afgehandeld: einddatum + archiefactietermijn (P10Y).
    assert closed["archiefnominatie"] == "vernietigen" and closed["archiefactiedatum"] == "2028-04-20"


async def test_zrc_007q_documents_need_indicatie_gebruiksrecht(
    api: ApiClient, session: AsyncSession, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    zaak = await create_zaak(api, catalog)
    await add_document(api, session, catalog, fake_remote, zaak, indicatieGebruiksrecht=None)
    await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": catalog.url("resultaattypen", catalog.resultaattype)},
    )
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": catalog.url("statustypen", catalog.eind),
            "datumStatusGezet": EINDE,
        },
    )
    assert params(r) == [("nonFieldErrors", "indicatiegebruiksrecht-unset")]


async def test_zrc_007_closed_zaak_needs_geforceerd_bijwerken(
    api: ApiClient, session: AsyncSession, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    zaak = await create_zaak(api, catalog)
    await close(api, catalog, zaak)
    scopes = ["zaken.lezen", "zaken.aanmaken", "zaken.bijwerken"]
    limited = api.with_token(
        await make_client(
            session,
            "limited",
            autorisaties=[
                {
                    "component": "zrc",
                    "scopes": scopes,
                    "zaaktype": catalog.zaaktype_url,
                    "maxVertrouwelijkheidaanduiding": "openbaar",
                }
            ],
        )
    )
    checks = [
        await limited.patch(zaak["url"], json={"omschrijving": "x"}, headers=CRS),
        await limited.post(
            f"{ZRC}/klantcontacten", json={"zaak": zaak["url"], "datumtijd": "2019-02-22T00:00:00"}
        ),
        await limited.post(
            f"{ZRC}/rollen",
            json={
                "zaak": zaak["url"],
                "betrokkeneType": "natuurlijk_persoon",
                "roltype": catalog.url("roltypen", catalog.roltype),
                "roltoelichting": "x",
                "betrokkene": "http://example.com/p",
            },
        ),
        await limited.post(
            f"{ZRC}/zaakobjecten",
            json={"zaak": zaak["url"], "objectType": "pand", "objectIdentificatie": {"identificatie": "x"}},
        ),
        await limited.post(
            f"{zaak['url']}/zaakeigenschappen",
            json={
                "zaak": zaak["url"],
                "eigenschap": catalog.url("eigenschappen", catalog.eigenschap),
                "waarde": "x",
            },
        ),
    ]
    assert [r.status_code for r in checks] == [403] * 5
    assert {r.json()["code"] for r in checks} == {"permission_denied"}
    # zrc-007e: the resultaat's uniqueness is reported before the closed zaak.
    r = await limited.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": catalog.url("resultaattypen", catalog.resultaattype)},
    )
    assert params(r)[0][1] == "unique"
    # With the scope (the admin has all): allowed.
    r = await api.patch(zaak["url"], json={"omschrijving": "aangepast"}, headers=CRS)
    assert r.status_code == 200 and r.json()["omschrijving"] == "aangepast"


async def test_zrc_008_reopening(api: ApiClient, session: AsyncSession, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    await close(api, catalog, zaak)
    scopes = ["zaken.lezen", "zaken.aanmaken", "zaken.statussen.toevoegen"]
    limited = api.with_token(
        await make_client(
            session,
            "no-heropenen",
            autorisaties=[
                {
                    "component": "zrc",
                    "scopes": scopes,
                    "zaaktype": catalog.zaaktype_url,
                    "maxVertrouwelijkheidaanduiding": "openbaar",
                }
            ],
        )
    )
    begin = {
        "zaak": zaak["url"],
        "statustype": catalog.url("statustypen", catalog.begin),
        "datumStatusGezet": "2018-04-21T13:37:00",
    }
    r = await limited.post(f"{ZRC}/statussen", json=begin)
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    r = await api.post(f"{ZRC}/statussen", json=begin)
    assert r.status_code == 201, r.text
    reopened = (await api.get(zaak["url"], headers=CRS)).json()
    assert (reopened["einddatum"], reopened["archiefactiedatum"], reopened["archiefnominatie"]) == (
        None,
        None,
        None,
    )
    statussen = (await api.get(f"{ZRC}/statussen", params={"zaak": zaak["url"]})).json()["results"]
    assert sorted(s["indicatieLaatstGezetteStatus"] for s in statussen) == [False, True]


async def test_zrc_016_to_020_types_must_belong_to_the_zaaktype(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    other = await make_catalog(session)
    zaak = await create_zaak(api, catalog)
    mismatch = [("nonFieldErrors", "zaaktype-mismatch")]
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": other.url("statustypen", other.begin),
            "datumStatusGezet": EINDE,
        },
    )
    assert params(r) == mismatch
    r = await api.post(
        f"{ZRC}/rollen",
        json={
            "zaak": zaak["url"],
            "betrokkeneType": "natuurlijk_persoon",
            "roltype": other.url("roltypen", other.roltype),
            "roltoelichting": "x",
        },
    )
    assert params(r) == mismatch
    r = await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": other.url("resultaattypen", other.resultaattype)},
    )
    assert params(r) == mismatch
    r = await api.post(
        f"{zaak['url']}/zaakeigenschappen",
        json={"zaak": zaak["url"], "eigenschap": other.url("eigenschappen", other.eigenschap), "waarde": "x"},
    )
    assert params(r) == mismatch


async def test_zrc_003_004_017_zaakinformatieobjecten(
    api: ApiClient, session: AsyncSession, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    zaak = await create_zaak(api, catalog)
    r = await api.post(
        f"{ZRC}/zaakinformatieobjecten",
        json={"zaak": zaak["url"], "informatieobject": "https://mock.example/404"},
    )
    assert params(r) == [("informatieobject", "bad-url")]
    unrelated = document(fake_remote, catalog, await iotype(session, catalog, related=False))
    r = await api.post(
        f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": unrelated}
    )
    assert params(r) == [("nonFieldErrors", "missing-zaaktype-informatieobjecttype-relation")]
    url = document(fake_remote, catalog, await iotype(session, catalog))
    r = await api.post(
        f"{ZRC}/zaakinformatieobjecten",
        json={"zaak": zaak["url"], "informatieobject": url, "titel": "t", "registratiedatum": "1900-01-01"},
    )
    assert r.status_code == 201, r.text
    zio = r.json()
    assert zio["aardRelatieWeergave"] == "Hoort bij, omgekeerd: kent"
    assert not zio["registratiedatum"].startswith("1900")
    other = await create_zaak(api, catalog)
    r = await api.patch(zio["url"], json={"zaak": other["url"]})
    assert params(r) == [("zaak", "wijzigen-niet-toegelaten")]
    r = await api.patch(zio["url"], json={"informatieobject": unrelated})
    assert params(r) == [("informatieobject", "wijzigen-niet-toegelaten")]
    r = await api.put(zio["url"], json={"zaak": zaak["url"], "informatieobject": url, "titel": "nieuw"})
    assert r.status_code == 200 and r.json()["titel"] == "nieuw"
    r = await api.get(f"{ZRC}/zaakinformatieobjecten", params={"zaak": zaak["url"]})
    assert [z["url"] for z in r.json()] == [zio["url"]]


async def test_rollen_with_betrokkene_identificatie(api: ApiClient, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    roltype = catalog.url("roltypen", catalog.roltype)
    variants = {
        "natuurlijk_persoon": {"inpBsn": "123456782", "geslachtsnaam": "Jansen"},
        "niet_natuurlijk_persoon": {"innNnpId": "111222333", "statutaireNaam": "BV"},
        "vestiging": {"vestigingsNummer": "000012345678", "handelsnaam": ["Winkel"]},
        "organisatorische_eenheid": {"identificatie": "OE-1", "naam": "Team"},
        "medewerker": {"identificatie": "mw-1", "achternaam": "Bakker"},
    }
    for betrokkene_type, identificatie in variants.items():
        body = {
            "zaak": zaak["url"],
            "betrokkeneType": betrokkene_type,
            "roltype": roltype,
            "roltoelichting": "x",
            "betrokkeneIdentificatie": identificatie,
        }
        r = await api.post(f"{ZRC}/rollen", json=body)
        assert r.status_code == 201, r.text
        assert r.json()["betrokkeneIdentificatie"] == identificatie
        assert r.json()["omschrijvingGeneriek"] == "adviseur"
    r = await api.get(
        f"{ZRC}/rollen", params={"betrokkeneIdentificatie__natuurlijkPersoon__inpBsn": "123456782"}
    )
    assert [x["betrokkeneType"] for x in r.json()["results"]] == ["natuurlijk_persoon"]
    r = await api.get(
        f"{ZRC}/zaken",
        params={"rol__betrokkeneIdentificatie__medewerker__identificatie": "mw-1"},
        headers=CRS,
    )
    assert [z["url"] for z in r.json()["results"]] == [zaak["url"]]
    r = await api.get(
        f"{ZRC}/zaken",
        params={"rol__betrokkeneIdentificatie__medewerker__identificatie": "mw-2"},
        headers=CRS,
    )
    assert r.json()["count"] == 0
    assert len((await api.get(zaak["url"], headers=CRS)).json()["rollen"]) == 5


async def test_zrc_023_cascade_delete(
    api: ApiClient, session: AsyncSession, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    zaak = await create_zaak(api, catalog)
    deelzaak = await create_zaak(api, catalog, hoofdzaak=zaak["url"])
    await add_document(api, session, catalog, fake_remote, zaak)
    created = [deelzaak["url"]]
    for path, body in [
        ("resultaten", {"resultaattype": catalog.url("resultaattypen", catalog.resultaattype)}),
        ("statussen", {"statustype": catalog.url("statustypen", catalog.begin), "datumStatusGezet": EINDE}),
        (
            "rollen",
            {
                "betrokkeneType": "natuurlijk_persoon",
                "roltype": catalog.url("roltypen", catalog.roltype),
                "roltoelichting": "x",
            },
        ),
        ("zaakobjecten", {"objectType": "pand", "objectIdentificatie": {"identificatie": "x"}}),
        ("klantcontacten", {"datumtijd": "2019-02-20T00:00:00"}),
    ]:
        r = await api.post(f"{ZRC}/{path}", json={"zaak": zaak["url"], **body})
        assert r.status_code == 201, r.text
        created.append(r.json()["url"])
    r = await api.post(
        f"{zaak['url']}/zaakeigenschappen",
        json={
            "zaak": zaak["url"],
            "eigenschap": catalog.url("eigenschappen", catalog.eigenschap),
            "waarde": "x",
        },
    )
    created.append(r.json()["url"])
    assert (await api.delete(zaak["url"])).status_code == 204
    destroyed = (
        await session.scalars(select(OutboxMessage.resource_url).where(OutboxMessage.actie == "destroy"))
    ).all()
    assert set(destroyed) == {zaak["url"], deelzaak["url"]}
    for url in created:
        r = await api.get(url, headers=CRS)
        assert r.status_code == 404, url


async def test_sub_resources_of_a_zaak_outside_autorisaties_are_403(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    zaak = await create_zaak(api, catalog)
    status = await close(api, catalog, zaak)
    other = await make_catalog(session)
    token = await make_client(
        session,
        "other-type",
        autorisaties=[
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": other.zaaktype_url,
                "maxVertrouwelijkheidaanduiding": "geheim",
            }
        ],
    )
    client = api.with_token(token)
    assert (await client.get(status["url"])).status_code == 403
    assert (await client.get(zaak["url"], headers=CRS)).status_code == 403
    assert (await client.get(f"{ZRC}/statussen")).json()["count"] == 0


async def test_aanmaken_sets_only_the_first_status(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    zaak = await create_zaak(api, catalog)
    grant = {
        "component": "zrc",
        "scopes": ["zaken.aanmaken"],
        "zaaktype": catalog.zaaktype_url,
        "maxVertrouwelijkheidaanduiding": "openbaar",
    }
    maker = api.with_token(await make_client(session, "maker", autorisaties=[grant]))
    body = {
        "zaak": zaak["url"],
        "statustype": catalog.url("statustypen", catalog.begin),
        "datumStatusGezet": EINDE,
    }
    assert (await maker.post(f"{ZRC}/statussen", json=body)).status_code == 201
    assert (await maker.post(f"{ZRC}/statussen", json=body)).status_code == 403


async def test_rol_lists_the_statussen_it_set(api: ApiClient, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    body = {
        "zaak": zaak["url"],
        "betrokkeneType": "medewerker",
        "roltype": catalog.url("roltypen", catalog.roltype),
        "roltoelichting": "x",
    }
    rol = (await api.post(f"{ZRC}/rollen", json=body)).json()
    status = {
        "zaak": zaak["url"],
        "statustype": catalog.url("statustypen", catalog.begin),
        "datumStatusGezet": EINDE,
        "gezetdoor": rol["url"],
    }
    status_url = (await api.post(f"{ZRC}/statussen", json=status)).json()["url"]
    assert (await api.get(rol["url"])).json()["statussen"] == [status_url]
    listed = (await api.get(f"{ZRC}/rollen", params={"zaak": zaak["url"]})).json()["results"]
    assert listed[0]["statussen"] == [status_url]
