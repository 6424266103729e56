"""A whole case through the APIs, as a task application would walk it: publish a zaaktype,
open a zaak, add a rol, relate a document, set statussen, take a besluit laid down in that
document, set the resultaat and close the zaak; every relation, audit trail and notification
is checked along the way."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.notifications import OutboxMessage
from tests.catalogi import helpers as ztc
from tests.conftest import ApiClient
from tests.documenten.conftest import document_body

ZRC = "/zaken/api/v1"
DRC = "/documenten/api/v1"
BRC = "/besluiten/api/v1"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
RSIN = "000000000"


async def post(api: ApiClient, url: str, body: dict[str, Any], **kw: Any) -> dict[str, Any]:
    r = await api.post(url, json=body, **kw)
    assert r.status_code == 201, f"{url}: {r.text}"
    data: dict[str, Any] = r.json()
    return data


async def get(api: ApiClient, url: str, **kw: Any) -> Any:
    r = await api.get(url, **kw)
    assert r.status_code == 200, f"{url}: {r.text}"
    return r.json()


async def publish_zaaktype(api: ApiClient) -> dict[str, Any]:
    """A catalogus with a published zaaktype and everything a zaak of it needs."""
    catalogus = await ztc.catalogus(api, domein="E2E")
    iot = await ztc.iot(api, catalogus["url"], omschrijving="Besluitbrief")
    besluittype = await ztc.besluittype(
        api,
        catalogus["url"],
        omschrijving="Vergunning verleend",
        informatieobjecttypen=["Besluitbrief"],
        reactietermijn="P6W",
    )
    procestype, klasse = ztc.procestype_url()
    zaaktype = await ztc.zaaktype(
        api, catalogus["url"], besluittypen=["Vergunning verleend"], selectielijstProcestype=procestype
    )
    ontvangen = await ztc.create(
        api, "statustypen", {"zaaktype": zaaktype["url"], "omschrijving": "Ontvangen", "volgnummer": 1}
    )
    afgerond = await ztc.create(
        api, "statustypen", {"zaaktype": zaaktype["url"], "omschrijving": "Afgerond", "volgnummer": 2}
    )
    roltype = await ztc.create(
        api,
        "roltypen",
        {"zaaktype": zaaktype["url"], "omschrijving": "Aanvrager", "omschrijvingGeneriek": "initiator"},
    )
    resultaattype = await ztc.create(
        api,
        "resultaattypen",
        {
            "zaaktype": zaaktype["url"],
            "omschrijving": "Verleend",
            "resultaattypeomschrijving": ztc.resultaattypeomschrijving_url(),
            "selectielijstklasse": klasse,
            "brondatumArchiefprocedure": {
                "afleidingswijze": "afgehandeld",
                "procestermijn": None,
                "datumkenmerk": "",
                "einddatumBekend": False,
                "objecttype": "",
                "registratie": "",
            },
        },
    )
    await ztc.create(
        api,
        "zaaktype-informatieobjecttypen",
        {
            "zaaktype": zaaktype["url"],
            "informatieobjecttype": "Besluitbrief",
            "volgnummer": 1,
            "richting": "uitgaand",
        },
    )
    for url in (iot["url"], besluittype["url"], zaaktype["url"]):
        assert (await ztc.publish(api, url))["concept"] is False
    zaaktype = await get(api, zaaktype["url"])
    assert zaaktype["besluittypen"] == [besluittype["url"]]
    assert zaaktype["informatieobjecttypen"] == [iot["url"]]
    return {
        "iot": iot["url"],
        "besluittype": besluittype["url"],
        "zaaktype": zaaktype["url"],
        "ontvangen": ontvangen["url"],
        "afgerond": afgerond["url"],
        "roltype": roltype["url"],
        "resultaattype": resultaattype["url"],
    }


async def notifications(session: AsyncSession) -> list[tuple[str, str, str]]:
    rows = (await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all()
    return [(m.kanaal, m.resource, m.actie) for m in rows]


async def test_a_whole_case_from_zaaktype_to_closed_zaak(api: ApiClient, session: AsyncSession) -> None:
    types = await publish_zaaktype(api)
    today = date.today().isoformat()

    # Open the zaak and say who asked for it.
    zaak = await post(
        api,
        f"{ZRC}/zaken",
        {
            "bronorganisatie": RSIN,
            "verantwoordelijkeOrganisatie": RSIN,
            "zaaktype": types["zaaktype"],
            "omschrijving": "Omgevingsvergunning dakkapel",
            "startdatum": "2024-03-01",
            "zaakgeometrie": {"type": "Point", "coordinates": [5.1, 52.1]},
        },
        headers=CRS,
    )
    rol = await post(
        api,
        f"{ZRC}/rollen",
        {
            "zaak": zaak["url"],
            "betrokkeneType": "natuurlijk_persoon",
            "roltype": types["roltype"],
            "roltoelichting": "aanvrager",
            "betrokkeneIdentificatie": {"inpBsn": "111222333", "geslachtsnaam": "Jansen"},
        },
    )
    await post(
        api,
        f"{ZRC}/statussen",
        {"zaak": zaak["url"], "statustype": types["ontvangen"], "datumStatusGezet": "2024-03-01T09:00:00Z"},
    )

    # Upload the decision letter and relate it to the zaak.
    document = await post(
        api,
        f"{DRC}/enkelvoudiginformatieobjecten",
        document_body(types["iot"], titel="Besluitbrief", indicatieGebruiksrecht=False),
    )
    zio = await post(
        api, f"{ZRC}/zaakinformatieobjecten", {"zaak": zaak["url"], "informatieobject": document["url"]}
    )
    assert zio["aardRelatieWeergave"] == "Hoort bij, omgekeerd: kent"

    # Take the besluit in the zaak and lay it down in the letter.
    besluit = await post(
        api,
        f"{BRC}/besluiten",
        {
            "verantwoordelijkeOrganisatie": RSIN,
            "besluittype": types["besluittype"],
            "zaak": zaak["url"],
            "datum": today,
            "ingangsdatum": today,
            "toelichting": "Vergunning verleend",
        },
    )
    bio = await post(
        api,
        f"{BRC}/besluitinformatieobjecten",
        {"besluit": besluit["url"], "informatieobject": document["url"]},
    )

    # Decide the outcome and close the zaak with its last status.
    await post(api, f"{ZRC}/resultaten", {"zaak": zaak["url"], "resultaattype": types["resultaattype"]})
    eind = await post(
        api,
        f"{ZRC}/statussen",
        {"zaak": zaak["url"], "statustype": types["afgerond"], "datumStatusGezet": "2024-04-01T09:00:00Z"},
    )

    # The zaak is closed, with its status, resultaat, rol, document and besluit.
    closed = await get(api, zaak["url"], headers=CRS)
    assert closed["einddatum"] == "2024-04-01"
    assert closed["status"] == eind["url"]
    assert closed["rollen"] == [rol["url"]]
    assert closed["resultaat"]
    assert (await get(api, f"{zaak['url']}/besluiten"))[0]["besluit"] == besluit["url"]
    assert [
        b["url"] for b in (await get(api, f"{BRC}/besluiten", params={"zaak": zaak["url"]}))["results"]
    ] == [besluit["url"]]
    assert await get(api, f"{BRC}/besluitinformatieobjecten", params={"besluit": besluit["url"]}) == [bio]
    # The document knows both the zaak and the besluit it belongs to.
    oios = await get(api, f"{DRC}/objectinformatieobjecten", params={"informatieobject": document["url"]})
    assert sorted((o["objectType"], o["object"]) for o in oios) == [
        ("besluit", besluit["url"]),
        ("zaak", zaak["url"]),
    ]
    # A besluit read with its zaak and type expanded.
    expanded = (await get(api, besluit["url"], params={"expand": "zaak,besluittype"}))["_expand"]
    assert expanded["zaak"]["url"] == zaak["url"] and expanded["besluittype"]["url"] == types["besluittype"]

    # The audit trails tell the story of each main object.
    zaak_trail = [(t["bron"], t["resource"], t["actie"]) for t in await get(api, f"{zaak['url']}/audittrail")]
    assert zaak_trail[0] == ("zrc", "zaak", "create")
    for entry in (
        ("zrc", "rol", "create"),
        ("zrc", "status", "create"),
        ("zrc", "zaakinformatieobject", "create"),
        ("zrc", "zaakbesluit", "create"),
        ("zrc", "resultaat", "create"),
    ):
        assert entry in zaak_trail, entry
    besluit_trail = [
        (t["bron"], t["resource"], t["actie"]) for t in await get(api, f"{besluit['url']}/audittrail")
    ]
    assert besluit_trail == [("brc", "besluit", "create"), ("brc", "besluitinformatieobject", "create")]
    document_trail = [
        (t["bron"], t["resource"], t["actie"]) for t in await get(api, f"{document['url']}/audittrail")
    ]
    assert document_trail[0] == ("drc", "enkelvoudiginformatieobject", "create")
    assert document_trail.count(("drc", "objectinformatieobject", "create")) == 2

    # And each change left its notification in the outbox, on its API's kanaal.
    sent = await notifications(session)
    for expected in (
        ("zaken", "zaak", "create"),
        ("zaken", "rol", "create"),
        ("zaken", "status", "create"),
        ("documenten", "enkelvoudiginformatieobject", "create"),
        ("zaken", "zaakinformatieobject", "create"),
        ("besluiten", "besluit", "create"),
        ("zaken", "zaakbesluit", "create"),
        ("besluiten", "besluitinformatieobject", "create"),
        ("zaken", "resultaat", "create"),
    ):
        assert expected in sent, expected
    assert sent.index(("besluiten", "besluit", "create")) < sent.index(
        ("besluiten", "besluitinformatieobject", "create")
    )
    assert sent[-1][0] == "zaken"
