"""Fixtures for the Zaken API: a published zaaktype with its children, rows made directly
through the Catalogi models, and a stand-in for remote URLs (documents, communicatiekanalen)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import Eigenschap, ResultaatType, RolType, StatusType, ZaakType
from samenzaak.common import remote
from tests.catalogi.factories import make_catalogus, make_zaaktype
from tests.conftest import BASE, ApiClient

ZRC = "/zaken/api/v1"
ZTC = f"{BASE}/catalogi/api/v1"
CRS = {"Accept-Crs": "EPSG:4326", "Content-Crs": "EPSG:4326"}
RSIN = "000000000"


@dataclass
class Catalog:
    zaaktype: ZaakType
    begin: StatusType
    eind: StatusType
    roltype: RolType
    resultaattype: ResultaatType
    eigenschap: Eigenschap
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def zaaktype_url(self) -> str:
        return f"{ZTC}/zaaktypen/{self.zaaktype.uuid}"

    def url(self, resource: str, row: Any) -> str:
        return f"{ZTC}/{resource}/{row.uuid}"


async def make_catalog(session: AsyncSession, **zaaktype: Any) -> Catalog:
    catalogus = await make_catalogus(session, domein=uuid.uuid4().hex[:5])
    zt = await make_zaaktype(
        session,
        catalogus,
        producten_of_diensten=["https://ref.tst.vng.cloud/standaard/"],
        begin_geldigheid=date(2018, 1, 1),
        **zaaktype,
    )
    return await add_children(session, zt)


async def add_children(session: AsyncSession, zt: ZaakType, **resultaattype: Any) -> Catalog:
    begin = StatusType(uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving="Begin", volgnummer=1)
    eind = StatusType(uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving="Eind", volgnummer=2)
    roltype = RolType(
        uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving="test", omschrijving_generiek="adviseur"
    )
    rt = ResultaatType(
        uuid=uuid.uuid4(),
        zaaktype_uuid=zt.uuid,
        omschrijving="Klaar",
        resultaattypeomschrijving="https://example.com/rto/1",
        selectielijstklasse="https://example.com/sl/1",
        archiefnominatie="vernietigen",
        archiefactietermijn="P10Y",
        **({"brondatum_afleidingswijze": "afgehandeld"} | resultaattype),
    )
    eigenschap = Eigenschap(
        uuid=uuid.uuid4(),
        zaaktype_uuid=zt.uuid,
        naam="test eigenschap",
        definitie="for test",
        specificatie_formaat="tekst",
        specificatie_lengte="5",
        specificatie_kardinaliteit="1",
    )
    session.add_all([begin, eind, roltype, rt, eigenschap])
    await session.commit()
    return Catalog(zt, begin, eind, roltype, rt, eigenschap)


@pytest.fixture
async def catalog(session: AsyncSession) -> Catalog:
    return await make_catalog(session)


def zaak_body(catalog: Catalog, **extra: Any) -> dict[str, Any]:
    return {
        "bronorganisatie": RSIN,
        "omschrijving": "string",
        "verantwoordelijkeOrganisatie": RSIN,
        "zaaktype": catalog.zaaktype_url,
        "startdatum": "2019-04-09",
        "registratiedatum": "2019-04-09",
        "zaakgeometrie": {"type": "Point", "coordinates": [5.1, 52.1]},
        **extra,
    }


async def create_zaak(api: ApiClient, catalog: Catalog, **extra: Any) -> dict[str, Any]:
    r = await api.post(f"{ZRC}/zaken", json=zaak_body(catalog, **extra), headers=CRS)
    assert r.status_code == 201, r.text
    return dict(r.json())


class FakeRemote:
    """What remote URLs answer in a test: url -> (status, json)."""

    def __init__(self) -> None:
        self.answers: dict[str, remote.Fetched] = {}

    def set(self, url: str, data: Any, status: int = 200) -> None:
        self.answers[url] = remote.Fetched(status, data)

    async def fetch(
        self, url: str, *, cache: bool = False, params: dict[str, str] | None = None
    ) -> remote.Fetched:
        return self.answers.get(url, remote.Fetched(404))


@pytest.fixture
def fake_remote(monkeypatch: pytest.MonkeyPatch) -> FakeRemote:
    fake = FakeRemote()
    monkeypatch.setattr(remote, "fetch", fake.fetch)
    return fake


def document(fake: FakeRemote, catalog: Catalog, iot_url: str, **extra: Any) -> str:
    url = f"https://drc.example.com/api/v1/enkelvoudiginformatieobjecten/{uuid.uuid4()}"
    fake.set(
        url,
        {"url": url, "informatieobjecttype": iot_url, "indicatieGebruiksrecht": False, "status": ""} | extra,
    )
    return url
