"""The relations of a besluit with zaken and documenten (brc-003..brc-009): the besluit side
is leading, the zaakbesluit and the objectinformatieobject follow it in the same transaction."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.besluiten import service
from samenzaak.besluiten.models import Besluit, BesluitInformatieObject
from samenzaak.common.notifications import OutboxMessage
from samenzaak.documenten.models import ObjectInformatieObject
from samenzaak.zaken.models import ZaakBesluit
from tests.besluiten.conftest import (
    BESLUITEN,
    BIOS,
    FakeRemote,
    Types,
    besluit_body,
    create_besluit,
    create_zaak,
    make_besluittype,
    make_document,
    make_iot,
    make_types,
)
from tests.conftest import ApiClient

OIOS = "/documenten/api/v1/objectinformatieobjecten"


def invalid(r: Any) -> dict[str, str]:
    assert r.status_code == 400, r.text
    return {p["name"]: p["code"] for p in r.json()["invalidParams"]}


async def count(session: AsyncSession, model: Any) -> int:
    return await session.scalar(select(func.count()).select_from(model)) or 0


async def oios(api: ApiClient, besluit: str, document: str) -> list[dict[str, Any]]:
    r = await api.get(OIOS, params={"object": besluit, "informatieobject": document})
    assert r.status_code == 200, r.text
    return list(r.json())


# -- zaak (brc-006, brc-007) -------------------------------------------------------------------


async def test_brc_006_besluit_with_zaak_creates_and_removes_the_zaakbesluit(
    api: ApiClient, types: Types
) -> None:
    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types, zaak=zaak["url"])
    assert besluit["zaak"] == zaak["url"]
    r = await api.get(f"{zaak['url']}/besluiten")
    assert r.status_code == 200, r.text
    assert [zb["besluit"] for zb in r.json()] == [besluit["url"]]
    # The zaak's audit trail shows the relation.
    trail = (await api.get(f"{zaak['url']}/audittrail")).json()
    assert ("create", "zaakbesluit") in [(t["actie"], t["resource"]) for t in trail]
    r = await api.get(BESLUITEN, params={"zaak": zaak["url"]})
    assert [b["url"] for b in r.json()["results"]] == [besluit["url"]]

    assert (await api.delete(besluit["url"])).status_code == 204
    r = await api.get(f"{zaak['url']}/besluiten")
    assert r.json() == []


async def test_brc_006_zaak_cannot_change(api: ApiClient, types: Types) -> None:
    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types)
    r = await api.patch(besluit["url"], json={"zaak": zaak["url"]})
    assert invalid(r) == {"zaak": "wijzigen-niet-toegelaten"}


async def test_zaak_must_resolve_and_be_a_zaak(api: ApiClient, types: Types, fake_remote: FakeRemote) -> None:
    r = await api.post(
        BESLUITEN,
        json=besluit_body(
            types, zaak="http://testserver/zaken/api/v1/zaken/7d5e3c4a-3c2f-4a4b-9a53-2b1b0c6f4c11"
        ),
    )
    assert invalid(r) == {"zaak": "bad-url"}
    r = await api.post(BESLUITEN, json=besluit_body(types, zaak=types.besluittype_url))
    assert invalid(r) == {"zaak": "invalid-resource"}
    r = await api.post(BESLUITEN, json=besluit_body(types, zaak="https://zrc.example.com/api/v1/zaken/1"))
    assert invalid(r) == {"zaak": "bad-url"}


async def test_brc_007_besluittype_must_belong_to_the_zaaktype(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    zaak = await create_zaak(api, types)
    other = await make_besluittype(session, types.catalogus)
    await session.commit()
    r = await api.post(
        BESLUITEN,
        json=besluit_body(
            types,
            besluittype=f"http://testserver/catalogi/api/v1/besluittypen/{other.uuid}",
            zaak=zaak["url"],
        ),
    )
    assert invalid(r) == {"nonFieldErrors": "zaaktype-mismatch"}
    assert await count(session, Besluit) == 0


# -- besluitinformatieobjecten (brc-003, brc-004, brc-005, brc-008) --------------------------------


async def test_brc_003_brc_005_besluitinformatieobject_creates_and_removes_the_objectinformatieobject(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    besluit = await create_besluit(api, types)
    document = await make_document(api, types)
    r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
    assert r.status_code == 201, r.text
    bio = r.json()
    assert r.headers["location"] == bio["url"]
    assert (await api.get(bio["url"])).json() == bio
    # brc-005a
    mirrored = await oios(api, besluit["url"], document["url"])
    assert [(o["objectType"], o["object"], o["informatieobject"]) for o in mirrored] == [
        ("besluit", besluit["url"], document["url"])
    ]
    r = await api.get(BIOS, params={"besluit": besluit["url"]})
    assert r.json() == [bio]
    r = await api.get(BIOS, params={"informatieobject": document["url"]})
    assert r.json() == [bio]
    # The relation is audited under the besluit and notified on kanaal besluiten.
    trail = (await api.get(f"{besluit['url']}/audittrail")).json()
    assert [t["resource"] for t in trail] == ["besluit", "besluitinformatieobject"]
    note = await session.scalar(select(OutboxMessage).where(OutboxMessage.resource_url == bio["url"]))
    assert note is not None and (note.kanaal, note.hoofd_object, note.actie) == (
        "besluiten",
        besluit["url"],
        "create",
    )

    # brc-005b
    assert (await api.delete(bio["url"])).status_code == 204
    assert await oios(api, besluit["url"], document["url"]) == []
    assert (await api.get(bio["url"])).status_code == 404


async def test_brc_003_informatieobject_must_resolve(
    api: ApiClient, types: Types, fake_remote: FakeRemote
) -> None:
    besluit = await create_besluit(api, types)
    r = await api.post(
        BIOS, json={"besluit": besluit["url"], "informatieobject": "https://drc.example.com/404"}
    )
    assert invalid(r) == {"informatieobject": "bad-url"}
    r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": types.iot_url})
    assert invalid(r) == {"informatieobject": "invalid-resource"}
    r = await api.post(
        BIOS,
        json={
            "besluit": "http://testserver/besluiten/api/v1/besluiten/7d5e3c4a-3c2f-4a4b-9a53-2b1b0c6f4c11",
            "informatieobject": types.iot_url,
        },
    )
    assert invalid(r) == {"besluit": "does_not_exist"}


async def test_besluitinformatieobject_is_unique_per_besluit_and_document(
    api: ApiClient, types: Types
) -> None:
    besluit = await create_besluit(api, types)
    document = await make_document(api, types)
    body = {"besluit": besluit["url"], "informatieobject": document["url"]}
    assert (await api.post(BIOS, json=body)).status_code == 201
    r = await api.post(BIOS, json=body)
    assert invalid(r) == {"nonFieldErrors": "unique"}


async def test_brc_008_informatieobjecttype_must_belong_to_the_besluittype(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    besluit = await create_besluit(api, types)
    other_iot = await make_iot(session, types.catalogus)
    await session.commit()
    document = await make_document(
        api,
        types,
        informatieobjecttype=f"http://testserver/catalogi/api/v1/informatieobjecttypen/{other_iot.uuid}",
    )
    r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
    assert invalid(r) == {"nonFieldErrors": "missing-besluittype-informatieobjecttype-relation"}
    assert await count(session, ObjectInformatieObject) == 0


async def test_brc_004_besluitinformatieobject_cannot_be_changed(api: ApiClient, types: Types) -> None:
    """The 1.1.0 spec has no update operations for besluitinformatieobjecten: besluit and
    informatieobject are fixed by construction (the suite's brc-004 asks a 400 of PUT/PATCH)."""
    besluit = await create_besluit(api, types)
    document = await make_document(api, types)
    bio = (await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})).json()
    other_besluit = await create_besluit(api, types)
    other_document = await make_document(api, types)
    api.validate = False  # neither 400 nor 405 is in the spec, as the operation is not
    # brc-004a..d: a body that changes the relation gets the suite's 400.
    for method, body, field in [
        ("PUT", {"besluit": other_besluit["url"], "informatieobject": document["url"]}, "besluit"),
        ("PATCH", {"besluit": other_besluit["url"]}, "besluit"),
        ("PUT", {"besluit": besluit["url"], "informatieobject": other_document["url"]}, "informatieobject"),
        ("PATCH", {"informatieobject": other_document["url"]}, "informatieobject"),
    ]:
        r = await api.request(method, bio["url"], json=body)
        assert r.status_code == 400, (method, body, r.text)
        assert r.json()["invalidParams"][0]["name"] == field
        assert r.json()["invalidParams"][0]["code"] == "wijzigen-niet-toegelaten"
    # Otherwise the operation does not exist.
    r = await api.patch(bio["url"], json={"besluit": besluit["url"]})
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    r = await api.put(bio["url"], content=b"not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 405
    api.validate = True
    assert (await api.get(bio["url"])).json() == bio


async def test_brc_009_deleting_a_besluit_removes_its_relations(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types, zaak=zaak["url"])
    documents = [await make_document(api, types) for _ in range(2)]
    for document in documents:
        r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
        assert r.status_code == 201, r.text
    assert await count(session, ObjectInformatieObject) == 2
    assert (await api.delete(besluit["url"])).status_code == 204
    # brc-008a (of the suite)
    r = await api.get(BIOS, params={"besluit": besluit["url"]})
    assert r.status_code == 200 and r.json() == []
    assert await count(session, BesluitInformatieObject) == 0
    assert await count(session, ObjectInformatieObject) == 0
    assert await count(session, ZaakBesluit) == 0
    # The documents themselves stay.
    for document in documents:
        assert (await api.get(document["url"])).status_code == 200


async def test_expand_besluitinformatieobject(api: ApiClient, types: Types) -> None:
    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types, zaak=zaak["url"])
    document = await make_document(api, types)
    bio = (await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})).json()
    r = await api.get(bio["url"], params={"expand": "informatieobject"})
    assert r.status_code == 200, r.text
    assert r.json()["_expand"]["informatieobject"]["url"] == document["url"]
    # The spec embeds the besluit as oneOf(BesluitExpanded, EmptyObject); EmptyObject is any
    # object, so an expanded besluit matches both and can never pass a oneOf: not validated.
    api.validate = False
    r = await api.get(bio["url"], params={"expand": "informatieobject,besluit.zaak,besluit.besluittype"})
    assert r.status_code == 200, r.text
    expanded = r.json()["_expand"]
    assert expanded["informatieobject"]["url"] == document["url"]
    assert expanded["besluit"]["url"] == besluit["url"]
    assert expanded["besluit"]["_expand"]["zaak"]["url"] == zaak["url"]
    assert expanded["besluit"]["_expand"]["besluittype"]["url"] == types.besluittype_url
    r = await api.get(BIOS, params={"expand": "besluit.zaak.zaaktype"})
    assert r.status_code == 200, r.text
    zaak_expanded = r.json()[0]["_expand"]["besluit"]["_expand"]["zaak"]
    assert zaak_expanded["_expand"]["zaaktype"]["url"] == types.zaaktype_url


# -- one transaction ---------------------------------------------------------------------------


async def test_a_failure_after_the_zaakbesluit_leaves_nothing(
    api: ApiClient, types: Types, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    zaak = await create_zaak(api, types)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away between the zaakbesluit and the besluit's audit row")

    monkeypatch.setattr(service, "_record", broken)
    api.validate = False
    r = await api.post(BESLUITEN, json=besluit_body(types, zaak=zaak["url"]))
    assert r.status_code == 500
    assert await count(session, Besluit) == 0
    assert await count(session, ZaakBesluit) == 0
    assert (await api.get(f"{zaak['url']}/besluiten")).json() == []


async def test_a_failure_after_the_objectinformatieobject_leaves_nothing(
    api: ApiClient, types: Types, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    from samenzaak.besluiten import bio_service

    besluit = await create_besluit(api, types)
    document = await make_document(api, types)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(bio_service, "_record", broken)
    api.validate = False
    r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
    assert r.status_code == 500
    assert await count(session, BesluitInformatieObject) == 0
    assert await count(session, ObjectInformatieObject) == 0


async def test_a_failed_delete_keeps_every_relation(
    api: ApiClient, types: Types, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types, zaak=zaak["url"])
    document = await make_document(api, types)
    await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "_record", broken)
    api.validate = False
    assert (await api.delete(besluit["url"])).status_code == 500
    assert await count(session, Besluit) == 1
    assert await count(session, BesluitInformatieObject) == 1
    assert await count(session, ObjectInformatieObject) == 1
    assert await count(session, ZaakBesluit) == 1


# -- relations in other installations ------------------------------------------------------------


REMOTE_ZAAKTYPE = "https://ztc.example.com/api/v1/zaaktypen/1"
REMOTE_ZAAK = "https://zrc.example.com/api/v1/zaken/1"
REMOTE_DOCUMENT = "https://drc.example.com/api/v1/enkelvoudiginformatieobjecten/1"


async def test_brc_006_remote_zaak_gets_the_relation_through_its_api(
    api: ApiClient, types: Types, fake_remote: FakeRemote
) -> None:
    fake_remote.set(
        REMOTE_ZAAK, {"url": REMOTE_ZAAK, "zaaktype": REMOTE_ZAAKTYPE, "bronorganisatie": "000000000"}
    )
    fake_remote.set(REMOTE_ZAAKTYPE, {"url": REMOTE_ZAAKTYPE, "besluittypen": [types.besluittype_url]})
    besluit = await create_besluit(api, types, zaak=REMOTE_ZAAK)
    assert fake_remote.sent == [("POST", f"{REMOTE_ZAAK}/besluiten", {"besluit": besluit["url"]})]

    fake_remote.set(
        f"{REMOTE_ZAAK}/besluiten", [{"url": f"{REMOTE_ZAAK}/besluiten/9", "besluit": besluit["url"]}]
    )
    assert (await api.delete(besluit["url"])).status_code == 204
    assert fake_remote.sent[-1] == ("DELETE", f"{REMOTE_ZAAK}/besluiten/9", None)


async def test_brc_007_remote_zaaktype_must_list_the_besluittype(
    api: ApiClient, types: Types, fake_remote: FakeRemote
) -> None:
    fake_remote.set(
        REMOTE_ZAAK, {"url": REMOTE_ZAAK, "zaaktype": REMOTE_ZAAKTYPE, "bronorganisatie": "000000000"}
    )
    fake_remote.set(REMOTE_ZAAKTYPE, {"url": REMOTE_ZAAKTYPE, "besluittypen": []})
    r = await api.post(BESLUITEN, json=besluit_body(types, zaak=REMOTE_ZAAK))
    assert invalid(r) == {"nonFieldErrors": "zaaktype-mismatch"}
    assert fake_remote.sent == []


async def test_refused_remote_zaakbesluit_undoes_the_besluit(
    api: ApiClient, types: Types, fake_remote: FakeRemote, session: AsyncSession
) -> None:
    fake_remote.set(
        REMOTE_ZAAK, {"url": REMOTE_ZAAK, "zaaktype": REMOTE_ZAAKTYPE, "bronorganisatie": "000000000"}
    )
    fake_remote.set(REMOTE_ZAAKTYPE, {"url": REMOTE_ZAAKTYPE, "besluittypen": [types.besluittype_url]})
    fake_remote.send_status = 403
    r = await api.post(BESLUITEN, json=besluit_body(types, zaak=REMOTE_ZAAK))
    assert invalid(r) == {"zaak": "sync-failed"}
    assert await count(session, Besluit) == 0
    assert await count(session, OutboxMessage) == 0


async def test_brc_005_remote_document_gets_the_relation_through_its_api(
    api: ApiClient, types: Types, fake_remote: FakeRemote, session: AsyncSession
) -> None:
    fake_remote.set(
        REMOTE_DOCUMENT,
        {
            "url": REMOTE_DOCUMENT,
            "informatieobjecttype": types.iot_url,
            "bronorganisatie": "000000000",
            "titel": "t",
        },
    )
    besluit = await create_besluit(api, types)
    r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": REMOTE_DOCUMENT})
    assert r.status_code == 201, r.text
    assert fake_remote.sent == [
        (
            "POST",
            "https://drc.example.com/api/v1/objectinformatieobjecten",
            {"informatieobject": REMOTE_DOCUMENT, "object": besluit["url"], "objectType": "besluit"},
        )
    ]
    fake_remote.send_status = 400
    other = await create_besluit(api, types)
    r = await api.post(BIOS, json={"besluit": other["url"], "informatieobject": REMOTE_DOCUMENT})
    assert invalid(r) == {"informatieobject": "sync-failed"}
    assert await count(session, BesluitInformatieObject) == 1


async def test_besluiten_of_other_types_catalogs_do_not_mix(api: ApiClient, session: AsyncSession) -> None:
    first = await make_types(session)
    second = await make_types(session)
    zaak = await create_zaak(api, first)
    r = await api.post(BESLUITEN, json=besluit_body(second, zaak=zaak["url"]))
    assert invalid(r) == {"nonFieldErrors": "zaaktype-mismatch"}


async def test_lookups_for_the_other_apis(api: ApiClient, types: Types, session: AsyncSession) -> None:
    from samenzaak.besluiten import lookups

    zaak = await create_zaak(api, types)
    besluit = await create_besluit(api, types, zaak=zaak["url"], identificatie="L-1")
    document = await make_document(api, types)
    await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
    assert await lookups.besluiten_of_zaak(session, zaak["url"]) == ["L-1"]
    besluit_uuid = __import__("uuid").UUID(besluit["url"].rsplit("/", 1)[1])
    assert await lookups.has_besluitinformatieobject(session, besluit_uuid, document["url"]) is True
    assert await lookups.has_besluitinformatieobject(session, besluit_uuid, zaak["url"]) is False


async def test_besluitinformatieobject_list_runs_a_fixed_number_of_queries(
    api: ApiClient, types: Types, count_queries: Any
) -> None:
    besluit = await create_besluit(api, types)

    async def add(n: int) -> None:
        for _ in range(n):
            document = await make_document(api, types)
            r = await api.post(BIOS, json={"besluit": besluit["url"], "informatieobject": document["url"]})
            assert r.status_code == 201, r.text

    await add(1)
    params = {"besluit": besluit["url"], "expand": "informatieobject"}
    with count_queries() as small:
        assert len((await api.get(BIOS, params=params)).json()) == 1
    await add(4)
    with count_queries() as large:
        r = await api.get(BIOS, params=params)
    assert len(r.json()) == 5 and all("_expand" in x for x in r.json())
    assert large.count == small.count


async def test_a_closed_zaak_takes_a_besluit_only_with_geforceerd_bijwerken(
    api: ApiClient, types: Types, session: AsyncSession
) -> None:
    from samenzaak.zaken.models import Zaak
    from tests.conftest import make_client

    zaak = await create_zaak(api, types)
    row = await session.scalar(
        select(Zaak).where(Zaak.uuid == __import__("uuid").UUID(zaak["url"].rsplit("/", 1)[1]))
    )
    assert row is not None
    row.einddatum = __import__("datetime").date(2019, 2, 1)
    await session.commit()
    brc = {
        "component": "brc",
        "scopes": ["besluiten.aanmaken", "besluiten.lezen"],
        "besluittype": types.besluittype_url,
    }
    zrc = {
        "component": "zrc",
        "zaaktype": types.zaaktype_url,
        "maxVertrouwelijkheidaanduiding": "zeer_geheim",
    }
    plain = api.with_token(
        await make_client(session, "plain", autorisaties=[brc, zrc | {"scopes": ["zaken.lezen"]}])
    )
    r = await plain.post(BESLUITEN, json=besluit_body(types, zaak=zaak["url"]))
    assert r.status_code == 403, r.text
    assert await count(session, Besluit) == 0
    forced = api.with_token(
        await make_client(
            session, "forced", autorisaties=[brc, zrc | {"scopes": ["zaken.geforceerd-bijwerken"]}]
        )
    )
    r = await forced.post(BESLUITEN, json=besluit_body(types, zaak=zaak["url"]))
    assert r.status_code == 201, r.text
