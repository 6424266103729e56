"""zrc-001, zrc-002, zrc-009: creating and changing zaken."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.audit import AuditTrail
from samenzaak.common.notifications import OutboxMessage
from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, RSIN, ZRC, Catalog, FakeRemote, create_zaak, make_catalog, zaak_body


def error(r: Any) -> dict[str, str]:
    assert r.status_code == 400, r.text
    return dict(r.json()["invalidParams"][0])


async def test_zrc_001a_create_read_update_delete(
    api: ApiClient, catalog: Catalog, session: AsyncSession
) -> None:
    zaak = await create_zaak(api, catalog, toelichting="x", betalingsindicatie="geheel")
    assert zaak["identificatie"].startswith("ZAAK-")
    assert zaak["zaaktype"] == catalog.zaaktype_url
    assert zaak["archiefstatus"] == "nog_te_archiveren"  # zrc-022a
    assert zaak["status"] is None and zaak["rollen"] == []

    r = await api.get(zaak["url"], headers=CRS)
    assert r.status_code == 200 and r.json() == zaak
    assert r.headers["content-crs"] == "EPSG:4326" and r.headers["etag"]

    r = await api.put(zaak["url"], json=zaak_body(catalog, omschrijving="nieuw"), headers=CRS)
    assert r.status_code == 200, r.text
    assert r.json()["omschrijving"] == "nieuw"

    r = await api.patch(zaak["url"], json={"toelichting": "deels"}, headers=CRS)
    assert r.status_code == 200 and r.json()["toelichting"] == "deels"
    assert r.json()["omschrijving"] == "nieuw"

    outbox = (
        await session.scalars(select(OutboxMessage).where(OutboxMessage.hoofd_object == zaak["url"]))
    ).all()
    assert [m.actie for m in outbox] == ["create", "update", "partial_update"]
    assert outbox[0].kanaal == "zaken"
    assert outbox[0].kenmerken == {
        "bronorganisatie": RSIN,
        "zaaktype": catalog.zaaktype_url,
        "vertrouwelijkheidaanduiding": "openbaar",
    }
    audit = (await session.scalars(select(AuditTrail).where(AuditTrail.hoofd_object == zaak["url"]))).all()
    assert {a.bron for a in audit} == {"zrc"} and len(audit) == 3

    r = await api.get(f"{zaak['url']}/audittrail")
    assert r.status_code == 200 and len(r.json()) == 3

    r = await api.delete(zaak["url"])
    assert r.status_code == 204
    assert (await api.get(zaak["url"], headers=CRS)).status_code == 404
    remaining = await session.scalar(
        select(func.count()).select_from(AuditTrail).where(AuditTrail.hoofd_object == zaak["url"])
    )
    assert remaining == 0  # zrc-023: the audit trail goes with the zaak


async def test_zrc_001d_zaaktype_that_does_not_resolve(
    api: ApiClient, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, zaaktype="https://mock.example/404"), headers=CRS
    )
    assert error(r) == {"name": "zaaktype", "code": "bad-url", "reason": error(r)["reason"]}


async def test_zrc_001e_zaaktype_url_is_not_a_zaaktype(
    api: ApiClient, catalog: Catalog, fake_remote: FakeRemote
) -> None:
    fake_remote.set("https://mock.example/200", None)
    r = await api.post(
        f"{ZRC}/zaken", json=zaak_body(catalog, zaaktype="https://mock.example/200"), headers=CRS
    )
    assert error(r)["code"] == "invalid-resource"
    # A local URL of another resource is no zaaktype either.
    r = await api.post(
        f"{ZRC}/zaken",
        json=zaak_body(catalog, zaaktype=catalog.url("statustypen", catalog.begin)),
        headers=CRS,
    )
    assert error(r) == {"name": "zaaktype", "code": "invalid-resource", "reason": error(r)["reason"]}


async def test_zrc_001f_concept_zaaktype_is_refused(api: ApiClient, session: AsyncSession) -> None:
    concept = await make_catalog(session, concept=True)
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(concept), headers=CRS)
    assert error(r)["code"] == "not-published"


async def test_zaaktype_must_be_valid_on_startdatum(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, startdatum="2017-01-01"), headers=CRS)
    assert error(r) == {"name": "zaaktype", "code": "zaaktype-niet-geldig", "reason": error(r)["reason"]}


async def test_zrc_001g_zaaktype_cannot_change(
    api: ApiClient, catalog: Catalog, session: AsyncSession
) -> None:
    zaak = await create_zaak(api, catalog)
    other = await make_catalog(session)
    r = await api.patch(zaak["url"], json={"zaaktype": other.zaaktype_url}, headers=CRS)
    assert error(r)["code"] == "wijzigen-niet-toegelaten"


async def test_zrc_002_identificatie_unique_per_bronorganisatie(api: ApiClient, catalog: Catalog) -> None:
    first = await create_zaak(api, catalog, identificatie="ZAAK-1")
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, identificatie="ZAAK-1"), headers=CRS)
    assert error(r) == {
        "name": "identificatie",
        "code": "identificatie-niet-uniek",
        "reason": error(r)["reason"],
    }
    # Another bronorganisatie may use the same identificatie.
    await create_zaak(api, catalog, identificatie="ZAAK-1", bronorganisatie="111222333")
    second = await create_zaak(api, catalog, identificatie="ZAAK-2")
    r = await api.patch(second["url"], json={"identificatie": first["identificatie"]}, headers=CRS)
    assert error(r)["code"] == "wijzigen-niet-toegelaten"


async def test_zrc_002d_generated_identificaties_are_unique(api: ApiClient, catalog: Catalog) -> None:
    made = {(await create_zaak(api, catalog))["identificatie"] for _ in range(3)}
    assert len(made) == 3
    r = await api.post(f"{ZRC}/zaaknummer_reserveren", json={"bronorganisatie": RSIN, "aantal": 2})
    assert r.status_code == 201, r.text
    reserved = [x["zaaknummer"] for x in r.json()]
    assert len(set(reserved) | made) == 5
    # A reserved number can be used for a zaak, once.
    zaak = await create_zaak(api, catalog, identificatie=reserved[0])
    assert zaak["identificatie"] == reserved[0]


async def test_rsin_elfproef(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, bronorganisatie="123456789"), headers=CRS)
    assert error(r) == {"name": "bronorganisatie", "code": "invalid", "reason": error(r)["reason"]}


async def test_zrc_009_vertrouwelijkheidaanduiding(api: ApiClient, catalog: Catalog) -> None:
    assert (await create_zaak(api, catalog))["vertrouwelijkheidaanduiding"] == "openbaar"
    zaak = await create_zaak(api, catalog, vertrouwelijkheidaanduiding="geheim")
    assert zaak["vertrouwelijkheidaanduiding"] == "geheim"
    r = await api.patch(zaak["url"], json={"vertrouwelijkheidaanduiding": "intern"}, headers=CRS)
    assert r.json()["vertrouwelijkheidaanduiding"] == "intern"


async def test_crs_headers_are_required(api: ApiClient, catalog: Catalog) -> None:
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog))
    assert r.status_code == 412
    r = await api.get(f"{ZRC}/zaken", headers={"Accept-Crs": "EPSG:28992"})
    assert r.status_code == 406


async def test_etag_if_none_match(api: ApiClient, catalog: Catalog) -> None:
    zaak = await create_zaak(api, catalog)
    tag = (await api.get(zaak["url"], headers=CRS)).headers["etag"]
    api.validate = False  # 304 and HEAD are not in the spec's response list
    r = await api.get(zaak["url"], headers={**CRS, "If-None-Match": tag})
    assert r.status_code == 304 and not r.content
    r = await api.request("HEAD", zaak["url"], headers=CRS)
    assert r.status_code == 200 and r.headers["etag"] == tag and not r.content
    await api.patch(zaak["url"], json={"toelichting": "changed"}, headers=CRS)
    r = await api.get(zaak["url"], headers={**CRS, "If-None-Match": tag})
    assert r.status_code == 200


async def test_audit_toelichting_header_is_recorded_for_zaken_writes(
    api: ApiClient, catalog: Catalog
) -> None:
    """The standard's audit trail: `X-Audit-Toelichting` on a write becomes the record's
    `toelichting`; a write without the header records an empty one."""
    r = await api.post(
        f"{ZRC}/zaken",
        json=zaak_body(catalog),
        headers={**CRS, "X-Audit-Toelichting": "Aangemaakt na een melding"},
    )
    assert r.status_code == 201, r.text
    zaak = r.json()
    r = await api.patch(
        zaak["url"], json={"toelichting": "bijgewerkt"}, headers={**CRS, "X-Audit-Toelichting": "Correctie"}
    )
    assert r.status_code == 200, r.text
    r = await api.post(
        f"{ZRC}/rollen",
        json={
            "zaak": zaak["url"],
            "betrokkeneType": "medewerker",
            "roltype": catalog.url("roltypen", catalog.roltype),
            "roltoelichting": "x",
        },
        headers={"X-Audit-Toelichting": "Behandelaar toegewezen"},
    )
    assert r.status_code == 201, r.text
    await api.patch(zaak["url"], json={"toelichting": "nogmaals"}, headers=CRS)
    r = await api.get(f"{zaak['url']}/audittrail")
    assert r.status_code == 200
    assert [(a["actie"], a["resource"], a["toelichting"]) for a in r.json()] == [
        ("create", "zaak", "Aangemaakt na een melding"),
        ("partial_update", "zaak", "Correctie"),
        ("create", "rol", "Behandelaar toegewezen"),
        ("partial_update", "zaak", ""),
    ]


async def test_writes_read_only_the_catalogus_rows_they_need(
    api: ApiClient, catalog: Catalog, count_queries: Any
) -> None:
    """A zaak's zaaktype is read in one query (not with all its children), plus the dashboard
    summary's read of its norms; a status reads its statustype and the highest volgnummer
    (isEindstatus), nothing more: not its zaaktype (only its URL is compared) and not the
    norms (the summary reads them joined to the zaak)."""

    def catalogus_reads(statements: list[str]) -> list[str]:
        return [s for s in statements if s.lstrip().upper().startswith("SELECT") and "FROM ztc_" in s]

    with count_queries() as create:
        zaak = await create_zaak(api, catalog)
    assert len(catalogus_reads(create.statements)) == 1 + 1, catalogus_reads(create.statements)
    with count_queries() as status:
        r = await api.post(
            f"{ZRC}/statussen",
            json={
                "zaak": zaak["url"],
                "statustype": catalog.url("statustypen", catalog.begin),
                "datumStatusGezet": "2019-04-10T10:00:00Z",
            },
        )
        assert r.status_code == 201, r.text
    assert len(catalogus_reads(status.statements)) == 2, catalogus_reads(status.statements)


async def test_a_zaak_creation_writes_without_reading_back(
    api: ApiClient, catalog: Catalog, count_queries: Any
) -> None:
    """Creating a zaak reads only what it must (client, zaaktype, is the number free, the
    zaaktype's norms for the dashboard) and writes the zaak, its number, audit trail,
    notification and dashboard summary: no savepoint, no related URLs of a zaak that has
    none, no read-back of the summary, and no second transaction to render the answer."""
    await create_zaak(api, catalog)  # the counter row exists; the client is known
    with count_queries() as q:
        await create_zaak(api, catalog)
    kinds = [" ".join(s.split()[:3]) for s in q.statements]
    reads = [k for k in kinds if k.startswith("SELECT")]
    writes = [k for k in kinds if not k.startswith("SELECT")]
    assert len(reads) == 4, q.statements
    assert [w.split()[2] for w in writes] == [
        "zrc_zaaknummer_tellers",  # in the test's transaction (PostgreSQL's own is in numbering)
        "zrc_zaken",
        "zrc_zaakidentificaties",
        "audittrail",
        "notification_outbox",
        "dashboard_zaakfeiten",
        "dashboard_tellingen",
    ], writes
