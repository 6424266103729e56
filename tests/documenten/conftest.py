"""Fixtures for the Documenten API: published informatieobjecttypen and document bodies."""

from __future__ import annotations

import base64
import uuid
from datetime import date
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import InformatieObjectType
from samenzaak.config import Settings
from tests.catalogi.factories import make_catalogus
from tests.conftest import BASE, ApiClient

DRC = "/documenten/api/v1"
EIO = f"{DRC}/enkelvoudiginformatieobjecten"


async def make_iotype(
    session: AsyncSession, *, concept: bool = False, vertrouwelijkheidaanduiding: str = "openbaar"
) -> str:
    catalogus = await make_catalogus(session, domein=uuid.uuid4().hex[:5].upper())
    iot = InformatieObjectType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalogus.uuid,
        omschrijving=f"Type {uuid.uuid4().hex[:6]}",
        vertrouwelijkheidaanduiding=vertrouwelijkheidaanduiding,
        informatieobjectcategorie="test",
        trefwoord=[],
        omschrijving_generiek={},
        concept=concept,
        begin_geldigheid=date(2024, 1, 1),
    )
    session.add(iot)
    await session.commit()
    return f"{BASE}/catalogi/api/v1/informatieobjecttypen/{iot.uuid}"


@pytest.fixture
async def iotype(session: AsyncSession) -> str:
    return await make_iotype(session)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def document_body(iotype: str, **extra: Any) -> dict[str, Any]:
    return {
        "bronorganisatie": "000000000",
        "creatiedatum": "2024-03-01",
        "titel": "Aanvraag",
        "auteur": "Tester",
        "taal": "nld",
        "informatieobjecttype": iotype,
        "inhoud": b64(b"string"),
        "bestandsnaam": "aanvraag.txt",
        "formaat": "text/plain",
    } | extra


async def create_document(api: ApiClient, iotype: str, **extra: Any) -> dict[str, Any]:
    r = await api.post(EIO, json=document_body(iotype, **extra))
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body


async def lock(api: ApiClient, url: str) -> str:
    r = await api.post(f"{url}/lock")
    assert r.status_code == 200, r.text
    token: str = r.json()["lock"]
    return token


@pytest.fixture
def storage_root(settings: Settings) -> Any:
    return settings.data_dir / "documenten"


def stored_files(root: Any) -> list[Any]:
    """Content files in the storage, temp files included (a half upload would show here)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
