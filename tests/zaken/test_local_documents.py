"""zrc-005 and zrc-023 with a document of this installation's Documenten API: the
ObjectInformatieObject is mirrored in the same transaction and removed with the relation."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import ApiClient
from tests.documenten.conftest import create_document, document_body
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak
from tests.zaken.test_zaak_afsluiten import iotype

OIO = "/documenten/api/v1/objectinformatieobjecten"


async def test_zrc_005_local_document_is_mirrored(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    document = await create_document(api, await iotype(session, catalog))
    zaak = await create_zaak(api, catalog)
    r = await api.post(
        f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": document["url"]}
    )
    assert r.status_code == 201, r.text
    zio = r.json()
    r = await api.get(OIO, params={"object": zaak["url"], "informatieobject": document["url"]})
    assert [(o["objectType"], o["object"]) for o in r.json()] == [("zaak", zaak["url"])]
    assert (await api.delete(zio["url"])).status_code == 204
    assert (await api.get(OIO, params={"object": zaak["url"]})).json() == []
    # zrc-023: deleting the zaak removes the mirror too.
    await api.post(
        f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": document["url"]}
    )
    assert (await api.delete(zaak["url"])).status_code == 204
    assert (await api.get(OIO, params={"informatieobject": document["url"]})).json() == []


async def test_zrc_017_local_document_of_another_type(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    document = await create_document(api, await iotype(session, catalog, related=False))
    zaak = await create_zaak(api, catalog)
    r = await api.post(
        f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": document["url"]}
    )
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["code"] == "missing-zaaktype-informatieobjecttype-relation"


async def test_zrc_007q_local_document_without_gebruiksrecht_blocks_closing(
    api: ApiClient, session: AsyncSession, catalog: Catalog
) -> None:
    iot = await iotype(session, catalog)
    r = await api.post(
        "/documenten/api/v1/enkelvoudiginformatieobjecten",
        json=document_body(iot, indicatieGebruiksrecht=None),
    )
    assert r.status_code == 201, r.text
    zaak = await create_zaak(api, catalog)
    await api.post(
        f"{ZRC}/zaakinformatieobjecten", json={"zaak": zaak["url"], "informatieobject": r.json()["url"]}
    )
    await api.post(
        f"{ZRC}/resultaten",
        json={"zaak": zaak["url"], "resultaattype": catalog.url("resultaattypen", catalog.resultaattype)},
    )
    r = await api.post(
        f"{ZRC}/statussen",
        json={
            "zaak": zaak["url"],
            "statustype": catalog.url("statustypen", catalog.eind),
            "datumStatusGezet": "2019-05-01T10:00:00",
        },
    )
    assert r.status_code == 400
    assert r.json()["invalidParams"][0]["code"] == "indicatiegebruiksrecht-unset"
    assert (await api.get(zaak["url"], headers=CRS)).json()["einddatum"] is None
