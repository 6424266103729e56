"""Switching running zaken to a new zaaktype version: dry run, run, interruption, refusals."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import ResultaatType, RolType, StatusType, ZaakType
from samenzaak.common.audit import AuditTrail
from samenzaak.common.auth import Auth
from samenzaak.common.notifications import OutboxMessage
from samenzaak.common.problems import ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.legislation import switch
from samenzaak.legislation.models import SwitchItem
from samenzaak.zaken.models import Resultaat, Rol, Status, Zaak
from tests.legislation import builders

URLS = UrlBuilder("http://t")
AUTH = Auth(client_id="beheer", all_rights=True)


async def versions(session: AsyncSession) -> tuple[ZaakType, ZaakType]:
    cat = await builders.catalogus(session)
    old = await builders.zaaktype(session, cat.uuid, doorlooptijd="P8W")
    new = await builders.zaaktype(
        session,
        cat.uuid,
        doorlooptijd="P6W",
        versiedatum=date(2027, 1, 1),
        statussen=("Ingediend", "In behandeling", "Afgehandeld"),
        resultaten=("Toegekend",),
    )
    return old, new


def mapping(old: ZaakType, new: ZaakType, **explicit: Any) -> switch.Mapping:
    return switch.Mapping.parse(
        {"from": f"http://t/catalogi/api/v1/zaaktypen/{old.uuid}", "to": str(new.uuid), **explicit}
    )


async def scenario(session: AsyncSession) -> tuple[ZaakType, ZaakType, list[Zaak]]:
    old, new = await versions(session)
    zaken = [
        await builders.zaak(session, old, "Z-1", date(2026, 11, 1), status="Ontvangen", rol="Aanvrager"),
        await builders.zaak(
            session, old, "Z-2", date(2026, 11, 2), status="In behandeling", resultaat="Toegekend"
        ),
        # "Afgewezen" has no counterpart in the new version: this zaak cannot be switched
        await builders.zaak(session, old, "Z-3", date(2026, 11, 3), resultaat="Afgewezen"),
        await builders.zaak(session, old, "Z-4", date(2026, 11, 4), status="Ontvangen"),
    ]
    await builders.zaak(session, old, "Z-closed", date(2026, 1, 1), einddatum=date(2026, 2, 1))
    await session.commit()
    return old, new, zaken


async def test_mapping_names_types_that_exist(session: AsyncSession) -> None:
    old, new = await versions(session)
    with pytest.raises(ValidationProblem) as info:
        await switch.plan(session, mapping(old, new, statustypen={"Ontvangen": "Bestaat niet"}))
    assert info.value.invalid_params[0].name == "statustypen.Ontvangen"
    with pytest.raises(ValidationProblem):
        switch.Mapping.parse({"from": "geen-uuid", "to": str(new.uuid)})
    with pytest.raises(ValidationProblem):
        switch.Mapping.parse({"from": str(old.uuid), "to": str(new.uuid), "statustypen": ["x"]})


async def test_dry_run_lists_every_change_and_every_refusal(session: AsyncSession) -> None:
    old, new, _zaken = await scenario(session)
    plans = await switch.plan(session, mapping(old, new, statustypen={"Ontvangen": "Ingediend"}))
    by_id = {p.identificatie: p for p in plans}
    assert sorted(by_id) == ["Z-1", "Z-2", "Z-3", "Z-4"]  # the closed zaak is not a running zaak
    assert by_id["Z-1"].can_switch and {c["kind"] for c in by_id["Z-1"].changes} == {
        "statustypen",
        "roltypen",
    }
    assert not by_id["Z-3"].can_switch
    assert "Afgewezen" in by_id["Z-3"].reasons[0]
    # a dry run changes nothing
    assert await session.scalar(select(func.count()).where(Zaak.zaaktype_uuid == new.uuid)) == 0


async def test_the_run_does_what_the_dry_run_said(session: AsyncSession) -> None:
    old, new, zaken = await scenario(session)
    m = mapping(old, new, statustypen={"Ontvangen": "Ingediend"})
    planned = {p.identificatie: p.as_dict() for p in await switch.plan(session, m)}
    seen: list[tuple[int, int]] = []
    run = await switch.run_switch(session, AUTH, URLS, m, progress=lambda d, t: seen.append((d, t)))
    assert run.state == "finished" and seen[-1] == (4, 4)

    items = {i.zaak_uuid: i for i in await switch.run_items(session, run.uuid)}
    for z in zaken:
        await session.refresh(z)
        plan = planned[z.identificatie]
        assert items[z.uuid].state == ("switched" if plan["switch"] else "skipped")
        assert items[z.uuid].changes == plan["changes"]
        assert z.zaaktype_uuid == (new.uuid if plan["switch"] else old.uuid)

    ingediend = await builders.types_of(session, new, StatusType, "Ingediend")
    status_types = set(
        (await session.scalars(select(Status.statustype_uuid).where(Status.zaak_uuid == zaken[0].uuid))).all()
    )
    assert status_types == {ingediend}
    rol_type = await session.scalar(select(Rol.roltype_uuid).where(Rol.zaak_uuid == zaken[0].uuid))
    assert rol_type == await builders.types_of(session, new, RolType, "Aanvrager")
    res_type = await session.scalar(
        select(Resultaat.resultaattype_uuid).where(Resultaat.zaak_uuid == zaken[1].uuid)
    )
    assert res_type == await builders.types_of(session, new, ResultaatType, "Toegekend")
    # the zaak that could not be mapped is untouched, its reason kept
    untouched = await session.scalar(
        select(Resultaat.resultaattype_uuid).where(Resultaat.zaak_uuid == zaken[2].uuid)
    )
    assert untouched == await builders.types_of(session, old, ResultaatType, "Afgewezen")
    assert "Afgewezen" in items[zaken[2].uuid].reason
    # every switched zaak has its audit record and notification
    for z in (zaken[0], zaken[1], zaken[3]):
        url = f"http://t/zaken/api/v1/zaken/{z.uuid}"
        audit = await session.scalar(select(AuditTrail).where(AuditTrail.hoofd_object == url))
        assert audit is not None and audit.nieuw["zaaktype"].endswith(str(new.uuid))
        msg = await session.scalar(select(OutboxMessage).where(OutboxMessage.resource_url == url))
        assert msg is not None and msg.kanaal == "zaken" and msg.kenmerken["zaaktype"].endswith(str(new.uuid))


async def test_an_interrupted_run_resumes_and_never_half_switches_a_zaak(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    old, new, zaken = await scenario(session)
    old_uuid, new_uuid, second = old.uuid, new.uuid, zaken[1].uuid
    m = mapping(old, new, statustypen={"Ontvangen": "Ingediend"})
    real = switch.switch_one
    calls = 0

    async def crash_on_second(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            # fail in the middle of a zaak: after its rows changed, before its commit
            session_arg = args[0]
            await session_arg.execute(
                Zaak.__table__.update().where(Zaak.uuid == args[4].zaak_uuid).values(zaaktype_uuid=new_uuid)
            )
            raise RuntimeError("power cut")
        await real(*args, **kwargs)

    monkeypatch.setattr(switch, "switch_one", crash_on_second)
    with pytest.raises(RuntimeError):
        await switch.run_switch(session, AUTH, URLS, m)
    await session.rollback()
    states = [
        i.state
        for i in sorted(
            await switch.run_items(session, (await switch.start_or_resume(session, m)).uuid),
            key=lambda i: i.id,
        )
    ]
    assert states == ["switched", "pending", "pending", "pending"]
    # the zaak that was being switched when it failed still has its old zaaktype
    assert await session.scalar(select(Zaak.zaaktype_uuid).where(Zaak.uuid == second)) == old_uuid

    monkeypatch.setattr(switch, "switch_one", real)
    run = await switch.run_switch(session, AUTH, URLS, m)
    items = await switch.run_items(session, run.uuid)
    assert sorted(i.state for i in items) == ["skipped", "switched", "switched", "switched"]
    assert (
        await session.scalar(
            select(func.count()).select_from(SwitchItem).where(SwitchItem.run_uuid == run.uuid)
        )
        == 4
    )
