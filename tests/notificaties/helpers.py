"""Building blocks for the delivery tests: kanalen, abonnementen and outbox rows written
directly (the API tests cover the HTTP side), and fast retry settings."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.notifications import publish
from samenzaak.config import Settings
from samenzaak.notificaties.models import Abonnement, AbonnementKanaal, Kanaal

KENMERKEN = ("bronorganisatie", "zaaktype", "vertrouwelijkheidaanduiding")
ZAAKTYPE_A = "https://catalogi.example.nl/api/v1/zaaktypen/aaaa"
ZAAKTYPE_B = "https://catalogi.example.nl/api/v1/zaaktypen/bbbb"


def fast_settings(tmp_path: Path, db_url: str, **overrides: Any) -> Settings:
    """Retries in tens of milliseconds instead of seconds, so faults heal within a test."""
    values: dict[str, Any] = {
        "notification_backoff_base": 0.05,
        "notification_backoff_max": 0.2,
        "notification_poll_interval": 0.02,
        "notification_timeout": 5.0,
        "notification_claim_lease": 30.0,
    }
    values.update(overrides)
    return Settings(data_dir=tmp_path, database_url=db_url, **values)


async def kanaal(session: AsyncSession, naam: str = "zaken") -> Kanaal:
    row = await session.scalar(select(Kanaal).where(Kanaal.naam == naam))
    if row is None:
        row = Kanaal(uuid=uuid.uuid4(), naam=naam, documentatie_link="", filters=list(KENMERKEN))
        session.add(row)
        await session.flush()
    return row


async def subscribe(
    session: AsyncSession, url: str, *groups: tuple[str, dict[str, str]], auth: str = "Bearer geheim"
) -> Abonnement:
    """An abonnement on ``url`` for (kanaal, filters) groups; default: zaken, no filters."""
    rows = []
    for i, (naam, filters) in enumerate(groups or (("zaken", {}),)):
        k = await kanaal(session, naam)
        rows.append(AbonnementKanaal(position=i, kanaal_uuid=k.uuid, kanaal=k, filters=filters))
    abonnement = Abonnement(uuid=uuid.uuid4(), callback_url=url, auth=auth, kanalen=rows)
    session.add(abonnement)
    await session.commit()
    return abonnement


async def publish_many(
    session: AsyncSession, count: int, kanaal: str = "zaken", zaaktype: str = ZAAKTYPE_A, tag: str = ""
) -> list[str]:
    """``count`` outbox rows, as the Zaken API writes them; returns their resource URLs."""
    urls = []
    for i in range(count):
        zaak = f"https://zaken.example.nl/api/v1/zaken/{tag}{i}-{uuid.uuid4()}"
        publish(
            session,
            kanaal=kanaal,
            hoofd_object=zaak,
            resource="zaak",
            resource_url=zaak,
            actie="create",
            kenmerken={
                "bronorganisatie": "002220647",
                "zaaktype": zaaktype,
                "vertrouwelijkheidaanduiding": "openbaar",
            },
        )
        urls.append(zaak)
    await session.commit()
    return urls
