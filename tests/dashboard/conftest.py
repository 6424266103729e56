"""Fixtures for the dashboard: the app with the dashboard mounted, a logged-in client, and
hand-made zaken whose indicators are computed by hand in the tests."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import Catalogus, ResultaatType, StatusType, ZaakType
from samenzaak.dashboard import security
from samenzaak.dashboard.routes import install
from samenzaak.db import DEFAULT_TENANT_ID, Tenant, use_tenant
from samenzaak.zaken.models import Resultaat, Status, Zaak
from tests.conftest import BASE

ZT = "MZT-AANVRAAG"


@pytest.fixture
def dashboard_app(app: Any) -> Any:
    install(app)
    return app


@pytest.fixture
async def dash(dashboard_app: Any) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=dashboard_app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client


async def login(client: httpx.AsyncClient, username: str, password: str, prefix: str = "") -> httpx.Response:
    form = await client.get(f"{prefix}/dashboard/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert match
    return await client.post(
        f"{prefix}/dashboard/login",
        data={"username": username, "password": password, "csrf_token": match.group(1)},
    )


@pytest.fixture
async def logged_in(dash: httpx.AsyncClient, session: AsyncSession) -> httpx.AsyncClient:
    await security.create_user(session, "anna", "geheim-wachtwoord")
    r = await login(dash, "anna", "geheim-wachtwoord")
    assert r.status_code == 303, r.text
    return dash


def at(d: date, hour: int = 9) -> datetime:
    return datetime.combine(d, time(hour), tzinfo=UTC)


@dataclass
class Types:
    zaaktype: ZaakType
    statustypen: dict[str, StatusType]
    resultaattypen: dict[str, ResultaatType]


async def make_types(
    session: AsyncSession, identificatie: str = ZT, doorlooptijd: str = "P8W", servicenorm: str | None = "P4W"
) -> Types:
    catalogus = Catalogus(
        uuid=uuid.uuid4(), domein="TEST", rsin="002220647", contactpersoon_beheer_naam="Beheer"
    )
    session.add(catalogus)
    zt = ZaakType(
        uuid=uuid.uuid4(),
        catalogus_uuid=catalogus.uuid,
        identificatie=identificatie,
        omschrijving="Aanvraag",
        vertrouwelijkheidaanduiding="openbaar",
        doel="d",
        aanleiding="a",
        indicatie_intern_of_extern="extern",
        handeling_initiator="aanvragen",
        onderwerp="o",
        handeling_behandelaar="behandelen",
        doorlooptijd=doorlooptijd,
        servicenorm=servicenorm,
        producten_of_diensten=[],
        begin_geldigheid=date(2024, 1, 1),
        versiedatum=date(2024, 1, 1),
        concept=False,
    )
    session.add(zt)
    await session.flush()
    sts = {}
    for i, (naam, norm) in enumerate(
        [("Ontvangen", "P5D"), ("In behandeling", "P2W"), ("Afgehandeld", None)], 1
    ):
        sts[naam] = StatusType(
            uuid=uuid.uuid4(), zaaktype_uuid=zt.uuid, omschrijving=naam, volgnummer=i, doorlooptijd=norm
        )
        session.add(sts[naam])
    rts = {}
    for naam in ("Verleend", "Geweigerd"):
        rts[naam] = ResultaatType(
            uuid=uuid.uuid4(),
            zaaktype_uuid=zt.uuid,
            omschrijving=naam,
            resultaattypeomschrijving="https://example.nl/r",
            selectielijstklasse="https://example.nl/s",
        )
        session.add(rts[naam])
    await session.flush()
    return Types(zt, sts, rts)


_seq = iter(range(1, 10**6))


async def make_zaak(
    session: AsyncSession,
    types: Types,
    start: date,
    *,
    einde: date | None = None,
    statussen: list[tuple[str, datetime]] | None = None,
    resultaat: str | None = None,
    **kw: Any,
) -> Zaak:
    zaak = Zaak(
        uuid=uuid.uuid4(),
        identificatie=f"ZAAK-{next(_seq):05d}",
        bronorganisatie=kw.pop("bronorganisatie", "002220647"),
        verantwoordelijke_organisatie="002220647",
        registratiedatum=start,
        startdatum=start,
        einddatum=einde,
        vertrouwelijkheidaanduiding="openbaar",
        zaaktype_uuid=types.zaaktype.uuid,
        **kw,
    )
    session.add(zaak)
    await session.flush()
    last = None
    for naam, moment in statussen or []:
        last = Status(
            uuid=uuid.uuid4(),
            zaak_uuid=zaak.uuid,
            statustype_uuid=types.statustypen[naam].uuid,
            datum_status_gezet=moment,
        )
        session.add(last)
    if last is not None:
        await session.flush()
        zaak.status_uuid = last.uuid
    if resultaat:
        session.add(
            Resultaat(
                uuid=uuid.uuid4(),
                zaak_uuid=zaak.uuid,
                resultaattype_uuid=types.resultaattypen[resultaat].uuid,
            )
        )
    await session.flush()
    return zaak


@dataclass
class Scenario:
    """The hand-computed case set (period 2025-01-06 .. 2025-02-02, four ISO weeks)."""

    types: Types
    zaken: dict[str, Zaak] = field(default_factory=dict)
    other_tenant: int = 0


@pytest.fixture
async def scenario(session: AsyncSession) -> Scenario:
    t = await make_types(session)
    s = Scenario(t)
    z = s.zaken
    # Open since December, legal deadline 2024-12-01 + 8 weeks = 2025-01-26: 7 days over on 02-02.
    z["over_wettelijk"] = await make_zaak(session, t, date(2024, 12, 1))
    # Same, but a verlenging of 6 weeks moves the deadline to 2025-03-09.
    z["verlengd"] = await make_zaak(
        session, t, date(2024, 12, 1), verlenging={"reden": "advies", "duur": "P6W"}
    )
    # Same, but suspended: its clock stands still.
    z["opgeschort"] = await make_zaak(
        session, t, date(2024, 12, 1), opschorting={"indicatie": True, "reden": "wacht op stukken"}
    )
    # Past its planned end (2025-01-20) by 13 days, not past its legal deadline (2025-03-07).
    z["over_gepland"] = await make_zaak(session, t, date(2025, 1, 10), einddatum_gepland=date(2025, 1, 20))
    # uiterlijkeEinddatumAfdoening overrides start + doorlooptijd: 2 days over.
    z["uiterlijk"] = await make_zaak(
        session, t, date(2025, 1, 7), uiterlijke_einddatum_afdoening=date(2025, 1, 31)
    )
    # Closed in 14 days with a resultaat.
    z["snel"] = await make_zaak(
        session,
        t,
        date(2025, 1, 6),
        einde=date(2025, 1, 20),
        statussen=[("Ontvangen", at(date(2025, 1, 6))), ("Afgehandeld", at(date(2025, 1, 20)))],
        resultaat="Verleend",
    )
    # Closed in 40 days (past the servicenorm of 4 weeks, within 8 weeks), without resultaat.
    z["zonder_resultaat"] = await make_zaak(session, t, date(2024, 12, 20), einde=date(2025, 1, 29))
    # Closed, reopened and closed again: counted once in the outflow, on its last einddatum.
    z["heropend"] = await make_zaak(
        session,
        t,
        date(2025, 1, 8),
        einde=date(2025, 1, 24),
        statussen=[
            ("Ontvangen", at(date(2025, 1, 8))),
            ("Afgehandeld", at(date(2025, 1, 15))),
            ("In behandeling", at(date(2025, 1, 17))),
            ("Afgehandeld", at(date(2025, 1, 24))),
        ],
        resultaat="Geweigerd",
    )
    # Another bronorganisatie within the same tenant.
    z["andere_organisatie"] = await make_zaak(session, t, date(2025, 1, 13), bronorganisatie="111222333")

    # A second municipality with the same model zaaktype: never in the figures above.
    other = Tenant(slug="tweede", naam="Gemeente Twee", active=True)
    session.add(other)
    await session.flush()
    s.other_tenant = other.id
    await use_tenant(session, other.id)
    t2 = await make_types(session)
    await make_zaak(session, t2, date(2025, 1, 6), einde=date(2025, 1, 16))
    await make_zaak(session, t2, date(2024, 11, 1))  # open, deadline 2024-12-27: over
    await use_tenant(session, DEFAULT_TENANT_ID)
    await session.commit()
    return s
