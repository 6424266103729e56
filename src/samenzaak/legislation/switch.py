"""Switching running zaken to a new zaaktype version: opt-in, planned, audited, resumable.

A *mapping* names the two versions and, per kind of type, which old type becomes which new
one (by omschrijving; eigenschappen by naam). Anything the mapping does not name maps to the
new type with the same omschrijving, when there is one. A zaak that uses a type with no
counterpart cannot be switched: it is left untouched and reported with the reason.

``plan`` is the dry run. ``run`` records every zaak of the plan as an item of a run, then
switches the pending items one zaak per transaction (the zaak's rows, its audit record, its
notification and the item's state commit together), so an interrupted run resumes where it
stopped and no zaak is ever half switched.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.catalogi.models import ZaakType
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, ValidationProblem
from samenzaak.common.urls import UrlBuilder, uuid_from_ref
from samenzaak.db import utcnow
from samenzaak.legislation.models import SwitchItem, SwitchRun
from samenzaak.legislation.service import load_zaaktype
from samenzaak.zaken.models import Resultaat, Rol, Status, Zaak, ZaakEigenschap

KINDS = ("statustypen", "roltypen", "resultaattypen", "eigenschappen")


@dataclass
class Mapping:
    from_zaaktype: uuid.UUID
    to_zaaktype: uuid.UUID
    explicit: dict[str, dict[str, str]]

    @classmethod
    def parse(cls, data: dict[str, Any], urls: UrlBuilder | None = None) -> Mapping:
        errors: list[InvalidParam] = []

        def zaaktype_ref(name: str) -> uuid.UUID | None:
            found = uuid_from_ref(str(data.get(name, "")))
            if found is None:
                errors.append(InvalidParam(name, "invalid", "Geef de URL of de UUID van een zaaktype."))
            return found

        source, target = zaaktype_ref("from"), zaaktype_ref("to")
        explicit: dict[str, dict[str, str]] = {}
        for kind in KINDS:
            value = data.get(kind, {})
            if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()
            ):
                errors.append(
                    InvalidParam(kind, "invalid", "Verwacht: {oude omschrijving: nieuwe omschrijving}.")
                )
                continue
            explicit[kind] = dict(value)
        unknown = set(data) - {"from", "to", *KINDS}
        if unknown:
            errors.append(
                InvalidParam("nonFieldErrors", "unknown", f"Onbekende sleutels: {sorted(unknown)}.")
            )
        if errors or source is None or target is None:
            raise ValidationProblem(errors)
        return cls(source, target, explicit)

    def as_dict(self) -> dict[str, Any]:
        return {"from": str(self.from_zaaktype), "to": str(self.to_zaaktype), **self.explicit}

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()


@dataclass
class TypeMaps:
    """old type uuid -> new type uuid, per kind, and the old omschrijvingen without counterpart."""

    maps: dict[str, dict[uuid.UUID, uuid.UUID]]
    unmapped: dict[str, dict[uuid.UUID, str]]


def build_type_maps(old: ZaakType, new: ZaakType, mapping: Mapping) -> TypeMaps:
    def key(kind: str, row: Any) -> str:
        return str(row.naam if kind == "eigenschappen" else row.omschrijving)

    maps: dict[str, dict[uuid.UUID, uuid.UUID]] = {}
    unmapped: dict[str, dict[uuid.UUID, str]] = {}
    errors: list[InvalidParam] = []
    for kind in KINDS:
        new_by_key = {key(kind, row): row.uuid for row in getattr(new, kind)}
        old_keys = {key(kind, row) for row in getattr(old, kind)}
        for source_key, target_key in mapping.explicit.get(kind, {}).items():
            if source_key not in old_keys:
                errors.append(InvalidParam(f"{kind}.{source_key}", "invalid", "Niet in het oude zaaktype."))
            if target_key not in new_by_key:
                errors.append(
                    InvalidParam(f"{kind}.{source_key}", "invalid", f"{target_key!r} niet in het nieuwe.")
                )
        maps[kind], unmapped[kind] = {}, {}
        for row in getattr(old, kind):
            wanted = mapping.explicit.get(kind, {}).get(key(kind, row), key(kind, row))
            if wanted in new_by_key:
                maps[kind][row.uuid] = new_by_key[wanted]
            else:
                unmapped[kind][row.uuid] = key(kind, row)
    if errors:
        raise ValidationProblem(errors)
    return TypeMaps(maps, unmapped)


@dataclass
class ZaakPlan:
    zaak_uuid: uuid.UUID
    identificatie: str
    changes: list[dict[str, Any]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def can_switch(self) -> bool:
        return not self.reasons

    def as_dict(self) -> dict[str, Any]:
        return {
            "zaak": str(self.zaak_uuid),
            "identificatie": self.identificatie,
            "switch": self.can_switch,
            "changes": self.changes,
            "reasons": self.reasons,
        }


CHILDREN: tuple[tuple[str, type[Any], str], ...] = (
    ("statustypen", Status, "statustype_uuid"),
    ("roltypen", Rol, "roltype_uuid"),
    ("resultaattypen", Resultaat, "resultaattype_uuid"),
    ("eigenschappen", ZaakEigenschap, "eigenschap_uuid"),
)


async def plan_zaken(
    session: AsyncSession, maps: TypeMaps, mapping: Mapping, zaak_uuids: Sequence[uuid.UUID]
) -> list[ZaakPlan]:
    """The changes each zaak would get, from a fixed number of queries per batch of zaken."""
    zaken = (
        await session.execute(
            select(Zaak.uuid, Zaak.identificatie, Zaak.zaaktype_uuid, Zaak.einddatum)
            .where(Zaak.uuid.in_(zaak_uuids))
            .order_by(Zaak.identificatie)
        )
    ).all()
    plans = {z.uuid: ZaakPlan(z.uuid, z.identificatie) for z in zaken}
    for z in zaken:
        if z.zaaktype_uuid != mapping.from_zaaktype:
            plans[z.uuid].reasons.append("De zaak heeft niet (meer) het oude zaaktype.")
        elif z.einddatum is not None:
            plans[z.uuid].reasons.append("De zaak is afgesloten.")
    for kind, model, column in CHILDREN:
        rows = (
            await session.execute(
                select(model.uuid, model.zaak_uuid, getattr(model, column)).where(model.zaak_uuid.in_(plans))
            )
        ).all()
        for child_uuid, zaak_uuid, type_uuid in rows:
            if type_uuid is None:
                continue  # a remote type: not ours to map
            if type_uuid in maps.maps[kind]:
                plans[zaak_uuid].changes.append(
                    {
                        "kind": kind,
                        "uuid": str(child_uuid),
                        "old": str(type_uuid),
                        "new": str(maps.maps[kind][type_uuid]),
                    }
                )
            else:
                name = maps.unmapped[kind].get(type_uuid, str(type_uuid))
                plans[zaak_uuid].reasons.append(
                    f"{kind}: {name!r} heeft geen tegenhanger in het nieuwe zaaktype."
                )
    return list(plans.values())


async def _versions(session: AsyncSession, mapping: Mapping) -> tuple[ZaakType, ZaakType]:
    old = await load_zaaktype(session, mapping.from_zaaktype)
    new = await load_zaaktype(session, mapping.to_zaaktype)
    errors = []
    if old is None:
        errors.append(InvalidParam("from", "does_not_exist", "Zaaktype niet gevonden."))
    if new is None:
        errors.append(InvalidParam("to", "does_not_exist", "Zaaktype niet gevonden."))
    elif new[0].concept:
        errors.append(InvalidParam("to", "not-published", "Het nieuwe zaaktype moet gepubliceerd zijn."))
    if errors or old is None or new is None:
        raise ValidationProblem(errors)
    return old[0], new[0]


async def running_zaken(session: AsyncSession, zaaktype_uuid: uuid.UUID) -> list[uuid.UUID]:
    stmt = (
        select(Zaak.uuid)
        .where(Zaak.zaaktype_uuid == zaaktype_uuid, Zaak.einddatum.is_(None))
        .order_by(Zaak.identificatie)
    )
    return list((await session.scalars(stmt)).all())


async def plan(session: AsyncSession, mapping: Mapping, batch: int = 500) -> list[ZaakPlan]:
    """The dry run: every running zaak of the old version with its changes or its reasons."""
    old, new = await _versions(session, mapping)
    maps = build_type_maps(old, new, mapping)
    ids = await running_zaken(session, mapping.from_zaaktype)
    plans: list[ZaakPlan] = []
    for start in range(0, len(ids), batch):
        plans.extend(await plan_zaken(session, maps, mapping, ids[start : start + batch]))
    return plans


async def start_or_resume(session: AsyncSession, mapping: Mapping, started_by: str = "") -> SwitchRun:
    """The unfinished run for this mapping, or a new one with an item for every running zaak."""
    existing = await session.scalar(
        select(SwitchRun).where(SwitchRun.mapping_digest == mapping.digest(), SwitchRun.state == "running")
    )
    if existing is not None:
        return existing
    await _versions(session, mapping)
    run = SwitchRun(
        uuid=uuid.uuid4(),
        from_zaaktype_uuid=mapping.from_zaaktype,
        to_zaaktype_uuid=mapping.to_zaaktype,
        mapping=mapping.as_dict(),
        mapping_digest=mapping.digest(),
        started_by=started_by,
    )
    session.add(run)
    await session.flush()  # the items' foreign key needs the run row first
    session.add_all(
        SwitchItem(run_uuid=run.uuid, zaak_uuid=pk)
        for pk in await running_zaken(session, mapping.from_zaaktype)
    )
    await session.commit()
    return run


async def switch_one(
    session: AsyncSession, auth: Auth, urls: UrlBuilder, run: SwitchRun, item: SwitchItem, maps: TypeMaps,
    mapping: Mapping,
) -> None:  # fmt: skip
    """Switch one zaak (or record why not) in one transaction, with its audit and notification."""
    [zaak_plan] = await plan_zaken(session, maps, mapping, [item.zaak_uuid]) or [
        ZaakPlan(item.zaak_uuid, "", reasons=["De zaak bestaat niet meer."])
    ]
    item.processed_at = utcnow()
    item.changes = zaak_plan.changes
    if not zaak_plan.can_switch:
        item.state, item.reason = "skipped", " ".join(zaak_plan.reasons)
        await session.commit()
        return
    by_kind = {kind: (model, column) for kind, model, column in CHILDREN}
    for change in zaak_plan.changes:
        model, column = by_kind[change["kind"]]
        await session.execute(
            update(model)
            .where(model.uuid == uuid.UUID(change["uuid"]))
            .values({column: uuid.UUID(change["new"])})
        )
    zaak = await session.get(Zaak, item.zaak_uuid)
    assert zaak is not None
    old_url = urls.detail("catalogi", "zaaktypen", run.from_zaaktype_uuid)
    new_url = urls.detail("catalogi", "zaaktypen", run.to_zaaktype_uuid)
    zaak.zaaktype_uuid = run.to_zaaktype_uuid
    item.state = "switched"
    zaak_url = urls.detail("zaken", "zaken", zaak.uuid)
    record_change(
        session,
        auth,
        bron="zrc",
        kanaal="zaken",
        actie="partial_update",
        resource="zaak",
        resource_url=zaak_url,
        hoofd_object=zaak_url,
        oud={"zaaktype": old_url},
        nieuw={"zaaktype": new_url, "wijzigingen": zaak_plan.changes, "switchRun": str(run.uuid)},
        kenmerken={
            "bronorganisatie": zaak.bronorganisatie,
            "zaaktype": new_url,
            "vertrouwelijkheidaanduiding": zaak.vertrouwelijkheidaanduiding,
        },
        resource_weergave=zaak.identificatie,
    )
    await session.commit()


async def run_switch(
    session: AsyncSession,
    auth: Auth,
    urls: UrlBuilder,
    mapping: Mapping,
    *,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 100,
) -> SwitchRun:
    """Start (or resume) the run for this mapping and process every pending zaak."""
    run = await start_or_resume(session, mapping, started_by=auth.client_id)
    old, new = await _versions(session, mapping)
    maps = build_type_maps(old, new, mapping)
    total = len((await session.scalars(select(SwitchItem.id).where(SwitchItem.run_uuid == run.uuid))).all())
    done = await _done_count(session, run.uuid)
    while True:
        pending = (
            await session.scalars(
                select(SwitchItem)
                .where(SwitchItem.run_uuid == run.uuid, SwitchItem.state == "pending")
                .order_by(SwitchItem.id)
                .limit(batch)
            )
        ).all()
        if not pending:
            break
        for item in pending:
            await switch_one(session, auth, urls, run, item, maps, mapping)
            done += 1
            if progress is not None:
                progress(done, total)
    run.state, run.finished_at = "finished", utcnow()
    await session.commit()
    return run


async def _done_count(session: AsyncSession, run_uuid: uuid.UUID) -> int:
    stmt = select(SwitchItem.id).where(SwitchItem.run_uuid == run_uuid, SwitchItem.state != "pending")
    return len((await session.scalars(stmt)).all())


async def run_items(session: AsyncSession, run_uuid: uuid.UUID) -> list[SwitchItem]:
    return list((await session.scalars(select(SwitchItem).where(SwitchItem.run_uuid == run_uuid))).all())
