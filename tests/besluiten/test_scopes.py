"""Scopes of the Besluiten API (component brc), granted per besluittype."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from tests.besluiten.conftest import (
    BESLUITEN,
    BIOS,
    ZTC,
    Types,
    besluit_body,
    create_besluit,
    make_besluittype,
    make_document,
)
from tests.conftest import ApiClient, make_client


def brc(besluittype: str, *scopes: str) -> dict[str, Any]:
    return {"component": "brc", "scopes": list(scopes), "besluittype": besluittype}


async def test_no_scope_no_access(api: ApiClient, types: Types, session: AsyncSession) -> None:
    besluit = await create_besluit(api, types)
    token = await make_client(
        session,
        "no-brc",
        autorisaties=[
            {
                "component": "zrc",
                "scopes": ["zaken.lezen"],
                "zaaktype": types.zaaktype_url,
                "maxVertrouwelijkheidaanduiding": "geheim",
            }
        ],
    )
    other = api.with_token(token)
    for r in (
        await other.get(BESLUITEN),
        await other.get(besluit["url"]),
        await other.post(BESLUITEN, json=besluit_body(types)),
        await other.patch(besluit["url"], json={"toelichting": "x"}),
        await other.delete(besluit["url"]),
        await other.get(BIOS),
        await other.get(f"{besluit['url']}/audittrail"),
    ):
        assert r.status_code == 403, r.text
        assert r.json()["code"] == "permission_denied"


async def test_lezen_is_limited_to_the_granted_besluittypen(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    other_type = await make_besluittype(session, types.catalogus)
    await session.commit()
    other_url = f"{ZTC}/besluittypen/{other_type.uuid}"
    visible = await create_besluit(api, types)
    hidden = await create_besluit(api, types, besluittype=other_url)
    document = await make_document(api, types)
    bio = (await api.post(BIOS, json={"besluit": visible["url"], "informatieobject": document["url"]})).json()
    token = await make_client(session, "lezer", autorisaties=[brc(types.besluittype_url, "besluiten.lezen")])
    reader = api.with_token(token)

    r = await reader.get(BESLUITEN)
    assert [b["url"] for b in r.json()["results"]] == [visible["url"]] and r.json()["count"] == 1
    assert (await reader.get(visible["url"])).status_code == 200
    assert (await reader.get(hidden["url"])).status_code == 403
    assert [x["url"] for x in (await reader.get(BIOS)).json()] == [bio["url"]]
    assert (await reader.get(bio["url"])).status_code == 200
    # Reading is not writing.
    assert (await reader.post(BESLUITEN, json=besluit_body(types))).status_code == 403
    assert (await reader.patch(visible["url"], json={"toelichting": "x"})).status_code == 403
    assert (await reader.delete(visible["url"])).status_code == 403
    assert (await reader.delete(bio["url"])).status_code == 403
    # The audit trail has its own scope.
    assert (await reader.get(f"{visible['url']}/audittrail")).status_code == 403


async def test_writes_are_limited_to_the_granted_besluittypen(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    other_type = await make_besluittype(session, types.catalogus)
    await session.commit()
    other_url = f"{ZTC}/besluittypen/{other_type.uuid}"
    scopes = (
        "besluiten.lezen",
        "besluiten.aanmaken",
        "besluiten.bijwerken",
        "besluiten.verwijderen",
        "audittrails.lezen",
    )
    token = await make_client(session, "schrijver", autorisaties=[brc(types.besluittype_url, *scopes)])
    writer = api.with_token(token)

    r = await writer.post(BESLUITEN, json=besluit_body(types))
    assert r.status_code == 201, r.text
    mine = r.json()
    assert (await writer.post(BESLUITEN, json=besluit_body(types, besluittype=other_url))).status_code == 403
    theirs = await create_besluit(api, types, besluittype=other_url)
    assert (await writer.patch(theirs["url"], json={"toelichting": "x"})).status_code == 403
    assert (
        await writer.put(theirs["url"], json=besluit_body(types, besluittype=other_url))
    ).status_code == 403
    assert (await writer.delete(theirs["url"])).status_code == 403
    assert (await writer.get(f"{theirs['url']}/audittrail")).status_code == 403
    assert (await writer.patch(mine["url"], json={"toelichting": "x"})).status_code == 200
    assert (await writer.get(f"{mine['url']}/audittrail")).status_code == 200
    assert (await writer.delete(mine["url"])).status_code == 204
