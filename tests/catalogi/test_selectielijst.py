"""Resultaattypen against the Selectielijst: ztc-001..008."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from samenzaak.referentielijsten.data import DATA
from tests.catalogi import helpers as h
from tests.conftest import ApiClient
from tests.referentielijsten.test_service import Remote


@pytest.fixture
async def cat(api: ApiClient) -> dict[str, Any]:
    return await h.catalogus(api)


def resultaattype_body(zaaktype_url: str, klasse: str, **brondatum: Any) -> dict[str, Any]:
    return {
        "zaaktype": zaaktype_url,
        "omschrijving": "Toegekend",
        "resultaattypeomschrijving": h.resultaattypeomschrijving_url(),
        "selectielijstklasse": klasse,
        "brondatumArchiefprocedure": {
            "afleidingswijze": "afgehandeld",
            "procestermijn": None,
            "datumkenmerk": "",
            "einddatumBekend": False,
            "objecttype": "",
            "registratie": "",
        }
        | brondatum,
    }


async def test_ztc_001_selectielijst_procestype_must_be_a_procestype(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    _, klasse = h.procestype_url()
    r = await api.post(
        f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(cat["url"], selectielijstProcestype=klasse)
    )
    assert r.status_code == 400 and h.codes(r) == [("selectielijstProcestype", "invalid-resource")]


@pytest.fixture
def empty_200() -> Iterator[str]:
    """A URL on another server answering 200 with an empty body (the suite's ``mock_url/200``)."""
    server = Remote()
    server.thread.start()
    try:
        yield f"http://127.0.0.1:{server.server.server_port}/empty"
    finally:
        server.server.shutdown()
        server.server.server_close()
        server.thread.join(5)


async def test_ztc_001_selectielijst_procestype_answering_200_without_a_resource_is_invalid_resource(
    api: ApiClient, cat: dict[str, Any], empty_200: str
) -> None:
    r = await api.post(
        f"{h.ROOT}/zaaktypen", json=h.zaaktype_body(cat["url"], selectielijstProcestype=empty_200)
    )
    assert r.status_code == 400 and h.codes(r) == [("selectielijstProcestype", "invalid-resource")]


async def test_ztc_002_references_answering_200_without_a_resource_are_invalid_resource(
    api: ApiClient, cat: dict[str, Any], empty_200: str
) -> None:
    procestype, klasse = h.procestype_url("nihil")
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    body = resultaattype_body(zt["url"], klasse) | {"resultaattypeomschrijving": empty_200}
    r = await api.post(f"{h.ROOT}/resultaattypen", json=body)
    assert r.status_code == 400 and h.codes(r) == [("resultaattypeomschrijving", "invalid-resource")]
    r = await api.post(f"{h.ROOT}/resultaattypen", json=resultaattype_body(zt["url"], empty_200))
    assert r.status_code == 400 and h.codes(r) == [("selectielijstklasse", "invalid-resource")]


async def test_ztc_002_omschrijving_generiek_and_archief_defaults_come_from_the_selectielijst(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    procestype, klasse = h.procestype_url("nihil")
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    rt = await h.create(api, "resultaattypen", resultaattype_body(zt["url"], klasse))
    omschrijving = next(iter(DATA.by_kind["resultaattypeomschrijvingen"].values())).fields["omschrijving"]
    resultaat = DATA.by_kind["resultaten"][__import__("uuid").UUID(klasse.rsplit("/", 1)[1])]
    assert rt["omschrijvingGeneriek"] == omschrijving
    assert rt["archiefnominatie"] == resultaat.fields["waardering"]
    assert rt["archiefactietermijn"] == resultaat.fields["bewaartermijn"]
    assert rt["zaaktypeIdentificatie"] == "ZT-1"


async def test_ztc_002_references_must_be_the_right_resources(api: ApiClient, cat: dict[str, Any]) -> None:
    procestype, klasse = h.procestype_url("nihil")
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    body = resultaattype_body(zt["url"], klasse) | {"resultaattypeomschrijving": klasse}
    r = await api.post(f"{h.ROOT}/resultaattypen", json=body)
    assert r.status_code == 400 and h.codes(r) == [("resultaattypeomschrijving", "invalid-resource")]
    body = resultaattype_body(zt["url"], procestype)
    r = await api.post(f"{h.ROOT}/resultaattypen", json=body)
    assert r.status_code == 400 and h.codes(r) == [("selectielijstklasse", "invalid-resource")]


async def test_ztc_002_selectielijstklasse_must_belong_to_the_procestype(
    api: ApiClient, cat: dict[str, Any]
) -> None:
    procestype, _ = h.procestype_url("nihil")
    _, other_klasse = h.procestype_url("ingeschatte_bestaansduur_procesobject")
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    r = await api.post(
        f"{h.ROOT}/resultaattypen",
        json=resultaattype_body(zt["url"], other_klasse, afleidingswijze="termijn", procestermijn="P5Y"),
    )
    assert r.status_code == 400 and h.codes(r) == [("nonFieldErrors", "procestype-mismatch")]


@pytest.mark.parametrize(
    ("procestermijn", "afleidingswijze", "ok"),
    [
        ("nihil", "afgehandeld", True),
        ("nihil", "hoofdzaak", False),
        ("ingeschatte_bestaansduur_procesobject", "termijn", True),
        ("ingeschatte_bestaansduur_procesobject", "gerelateerde_zaak", False),
        ("", "hoofdzaak", True),
    ],
)
async def test_ztc_003_afleidingswijze_follows_the_procestermijn(
    api: ApiClient, cat: dict[str, Any], procestermijn: str, afleidingswijze: str, ok: bool
) -> None:
    procestype, klasse = h.procestype_url(procestermijn)
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    extra = {"procestermijn": "P10Y"} if afleidingswijze == "termijn" else {}
    r = await api.post(
        f"{h.ROOT}/resultaattypen",
        json=resultaattype_body(zt["url"], klasse, afleidingswijze=afleidingswijze, **extra),
    )
    if ok:
        assert r.status_code == 201, r.text
    else:
        assert r.status_code == 400
        assert h.codes(r) == [("nonFieldErrors", "invalid-afleidingswijze-for-procestermijn")]


@pytest.mark.parametrize(
    ("brondatum", "expected"),
    [
        (
            {"afleidingswijze": "eigenschap"},
            ("brondatumArchiefprocedure.datumkenmerk", "required"),
        ),  # ztc-004
        (
            {"afleidingswijze": "hoofdzaak", "datumkenmerk": "x"},
            ("brondatumArchiefprocedure.datumkenmerk", "must-be-empty"),
        ),
        (
            {"afleidingswijze": "afgehandeld", "einddatumBekend": True},
            ("brondatumArchiefprocedure.einddatumBekend", "must-be-empty"),
        ),  # ztc-005
        (
            {"afleidingswijze": "zaakobject", "datumkenmerk": "d"},
            ("brondatumArchiefprocedure.objecttype", "required"),
        ),  # ztc-006
        (
            {"afleidingswijze": "hoofdzaak", "objecttype": "pand"},
            ("brondatumArchiefprocedure.objecttype", "must-be-empty"),
        ),
        (
            {"afleidingswijze": "ander_datumkenmerk", "datumkenmerk": "d", "objecttype": "pand"},
            ("brondatumArchiefprocedure.registratie", "required"),  # ztc-007
        ),
        ({"afleidingswijze": "termijn"}, ("brondatumArchiefprocedure.procestermijn", "required")),  # ztc-008
        (
            {"afleidingswijze": "hoofdzaak", "procestermijn": "P1Y"},
            ("brondatumArchiefprocedure.procestermijn", "must-be-empty"),
        ),
    ],
)
async def test_ztc_004_to_008_brondatum_archiefprocedure(
    api: ApiClient, cat: dict[str, Any], brondatum: dict[str, Any], expected: tuple[str, str]
) -> None:
    procestype, klasse = h.procestype_url("")  # no procestermijn: every afleidingswijze possible
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    r = await api.post(f"{h.ROOT}/resultaattypen", json=resultaattype_body(zt["url"], klasse, **brondatum))
    assert r.status_code == 400
    assert h.codes(r) == [expected]


@pytest.mark.parametrize(
    ("klasse_termijn", "brondatum", "expected"),
    [
        (  # ztc-004g
            "nihil",
            {"afleidingswijze": "afgehandeld", "datumkenmerk": "identificatie"},
            ("brondatumArchiefprocedure.datumkenmerk", "must-be-empty"),
        ),
        (  # ztc-005c
            "ingeschatte_bestaansduur_procesobject",
            {"afleidingswijze": "termijn", "procestermijn": "P5Y", "einddatumBekend": True},
            ("brondatumArchiefprocedure.einddatumBekend", "must-be-empty"),
        ),
        (  # ztc-008a
            "ingeschatte_bestaansduur_procesobject",
            {"afleidingswijze": "termijn"},
            ("brondatumArchiefprocedure.procestermijn", "required"),
        ),
    ],
)
async def test_ztc_004_to_008_brondatum_errors_come_before_a_procestype_mismatch(
    api: ApiClient,
    cat: dict[str, Any],
    klasse_termijn: str,
    brondatum: dict[str, Any],
    expected: tuple[str, str],
) -> None:
    # As in the suite: the zaaktype's procestype is that of a 'vast_te_leggen_datum' klasse, the
    # resultaattype takes a klasse of another procestype and breaks a brondatum rule.
    procestype, _ = h.procestype_url("vast_te_leggen_datum")
    _, klasse = h.procestype_url(klasse_termijn)
    zt = await h.zaaktype(api, cat["url"], selectielijstProcestype=procestype)
    r = await api.post(f"{h.ROOT}/resultaattypen", json=resultaattype_body(zt["url"], klasse, **brondatum))
    assert r.status_code == 400
    assert h.codes(r) == [expected, ("nonFieldErrors", "procestype-mismatch")]
