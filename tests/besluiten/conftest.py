"""Fixtures for the Besluiten API: a published besluittype with its informatieobjecttype and a
zaaktype that allows it (rows made through the Catalogi models), documents and zaken made
through their own APIs, and a stand-in for other installations' APIs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import BesluitType, Catalogus, InformatieObjectType, ZaakType
from samenzaak.common import remote
from tests.catalogi.factories import make_catalogus, make_zaaktype
from tests.conftest import BASE, ApiClient
from tests.documenten.conftest import create_document
from tests.zaken.conftest import CRS, add_children

BRC = "/besluiten/api/v1"
BESLUITEN = f"{BRC}/besluiten"
BIOS = f"{BRC}/besluitinformatieobjecten"
ZTC = f"{BASE}/catalogi/api/v1"
RSIN = "000000000"


@dataclass
class Types:
    catalogus: Catalogus
    iot: InformatieObjectType
    besluittype: BesluitType
    zaaktype: ZaakType

    @property
    def iot_url(self) -> str:
        return f"{ZTC}/informatieobjecttypen/{self.iot.uuid}"

    @property
    def besluittype_url(self) -> str:
        return f"{ZTC}/besluittypen/{self.besluittype.uuid}"

    @property
    def zaaktype_url(self) -> str:
        return f"{ZTC}/zaaktypen/{self.zaaktype.uuid}"


async def make_besluittype(session: AsyncSession, catalogus: Catalogus, **kw: Any) -> BesluitType:
    bt = BesluitType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalogus.uuid,
        **(
            {
                "omschrijving": f"Besluit {uuid.uuid4().hex[:6]}",
                "publicatie_indicatie": False,
                "informatieobjecttypen": [],
                "begin_geldigheid": date(2018, 1, 1),
                "concept": False,
            }
            | kw
        ),
    )
    session.add(bt)
    await session.flush()
    return bt


async def make_iot(session: AsyncSession, catalogus: Catalogus, **kw: Any) -> InformatieObjectType:
    iot = InformatieObjectType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalogus.uuid,
        **(
            {
                "omschrijving": f"Document {uuid.uuid4().hex[:6]}",
                "vertrouwelijkheidaanduiding": "openbaar",
                "informatieobjectcategorie": "test",
                "trefwoord": [],
                "omschrijving_generiek": {},
                "concept": False,
                "begin_geldigheid": date(2018, 1, 1),
            }
            | kw
        ),
    )
    session.add(iot)
    await session.flush()
    return iot


async def make_types(session: AsyncSession) -> Types:
    catalogus = await make_catalogus(session, domein=uuid.uuid4().hex[:5])
    iot = await make_iot(session, catalogus)
    bt = await make_besluittype(session, catalogus, informatieobjecttypen=[iot.omschrijving])
    zt = await make_zaaktype(
        session,
        catalogus,
        producten_of_diensten=["https://ref.tst.vng.cloud/standaard/"],
        begin_geldigheid=date(2018, 1, 1),
        besluittypen=[bt.omschrijving],
    )
    await add_children(session, zt)
    await session.commit()
    return Types(catalogus, iot, bt, zt)


@pytest.fixture
async def types(session: AsyncSession) -> Types:
    return await make_types(session)


def besluit_body(types: Types, **extra: Any) -> dict[str, Any]:
    return {
        "verantwoordelijkeOrganisatie": RSIN,
        "besluittype": types.besluittype_url,
        "datum": "2019-01-01",
        "ingangsdatum": "2018-01-01",
        **extra,
    }


async def create_besluit(api: ApiClient, types: Types, **extra: Any) -> dict[str, Any]:
    r = await api.post(BESLUITEN, json=besluit_body(types, **extra))
    assert r.status_code == 201, r.text
    return dict(r.json())


async def create_zaak(api: ApiClient, types: Types) -> dict[str, Any]:
    r = await api.post(
        "/zaken/api/v1/zaken",
        json={
            "bronorganisatie": RSIN,
            "verantwoordelijkeOrganisatie": RSIN,
            "zaaktype": types.zaaktype_url,
            "startdatum": "2019-01-01",
            "zaakgeometrie": {"type": "Point", "coordinates": [5.1, 52.1]},
        },
        headers=CRS,
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def make_document(api: ApiClient, types: Types, **extra: Any) -> dict[str, Any]:
    return await create_document(api, types.iot_url, **extra)


@dataclass
class FakeRemote:
    """Other installations' APIs in a test: GET url -> (status, json); writes are recorded."""

    answers: dict[str, remote.Fetched] = field(default_factory=dict)
    sent: list[tuple[str, str, Any]] = field(default_factory=list)
    send_status: int = 201

    def set(self, url: str, data: Any, status: int = 200) -> None:
        self.answers[url] = remote.Fetched(status, data)

    async def fetch(
        self, url: str, *, cache: bool = False, params: dict[str, str] | None = None
    ) -> remote.Fetched:
        return self.answers.get(url, remote.Fetched(404))

    async def send(self, method: str, url: str, body: Any = None) -> remote.Fetched:
        self.sent.append((method, url, body))
        return remote.Fetched(self.send_status if method == "POST" else 204, body)


@pytest.fixture
def fake_remote(monkeypatch: pytest.MonkeyPatch) -> FakeRemote:
    fake = FakeRemote()
    monkeypatch.setattr(remote, "fetch", fake.fetch)
    monkeypatch.setattr(remote, "send", fake.send)
    return fake
