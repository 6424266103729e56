"""A write commits its rows, audit records and outbox rows together or not at all."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.audit import AuditTrail
from samenzaak.common.notifications import OutboxMessage
from samenzaak.zaken import access
from samenzaak.zaken.models import Status, Zaak
from tests.conftest import ApiClient
from tests.zaken.conftest import CRS, ZRC, Catalog, create_zaak


async def counts(session: AsyncSession) -> tuple[int, ...]:
    return tuple(
        [
            await session.scalar(select(func.count()).select_from(m)) or 0
            for m in (Zaak, Status, AuditTrail, OutboxMessage)
        ]
    )


async def test_status_audit_and_outbox_commit_together_or_not_at_all(
    api: ApiClient, session: AsyncSession, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    zaak = await create_zaak(api, catalog)
    before = await counts(session)
    body = {
        "zaak": zaak["url"],
        "statustype": catalog.url("statustypen", catalog.begin),
        "datumStatusGezet": "2019-05-01T10:00:00",
    }

    original = access.record

    def failing_record(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("the outbox is unavailable")

    monkeypatch.setattr(access, "record", failing_record)
    r = await api.post(f"{ZRC}/statussen", json=body)
    assert r.status_code == 500
    session.expunge_all()
    assert await counts(session) == before
    assert (await api.get(zaak["url"], headers=CRS)).json()["status"] is None

    monkeypatch.setattr(access, "record", original)
    r = await api.post(f"{ZRC}/statussen", json=body)
    assert r.status_code == 201
    zaken, statussen, audits, outbox = await counts(session)
    assert (zaken, statussen, audits, outbox) == (before[0], before[1] + 1, before[2] + 1, before[3] + 1)
