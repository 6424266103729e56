"""What a new zaaktype version means for the zaken running on the old one."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from samenzaak.catalogi.models import ResultaatType, StatusType
from samenzaak.common.durations import legal_deadline
from samenzaak.common.urls import UrlBuilder
from samenzaak.legislation.diff import VersionDiff, diff, snapshot
from samenzaak.legislation.service import load_zaaktype
from samenzaak.zaken.models import Resultaat, Status, Zaak


def deadline(startdatum: date, doorlooptijd: str | None, verlenging: dict[str, Any] | None) -> date | None:
    """startdatum + doorlooptijd, plus the verlenging's duur when the zaak was extended (the
    same rule as the dashboard's; a version change compares the zaaktype's terms only)."""
    duur = str(verlenging["duur"]) if verlenging and verlenging.get("duur") else None
    return legal_deadline(startdatum, doorlooptijd, None, duur)


@dataclass
class RunningZaak:
    uuid: uuid.UUID
    identificatie: str
    startdatum: date
    old_deadline: date | None
    new_deadline: date | None
    status: str | None
    resultaat: str | None
    opgeschort: bool

    def as_dict(self, urls: UrlBuilder, today: date) -> dict[str, Any]:
        return {
            "zaak": urls.detail("zaken", "zaken", self.uuid),
            "identificatie": self.identificatie,
            "startdatum": self.startdatum.isoformat(),
            "oudeUiterlijkeEinddatum": self.old_deadline.isoformat() if self.old_deadline else None,
            "nieuweUiterlijkeEinddatum": self.new_deadline.isoformat() if self.new_deadline else None,
            "dagenOverNieuweTermijn": (today - self.new_deadline).days if self.new_deadline else None,
            "status": self.status,
            "resultaat": self.resultaat,
            "opgeschort": self.opgeschort,
        }


@dataclass
class ImpactReport:
    old_zaaktype: uuid.UUID
    new_zaaktype: uuid.UUID
    today: date
    diff: VersionDiff
    running: int
    past_new_term: list[RunningZaak] = field(default_factory=list)
    newly_overdue: list[RunningZaak] = field(default_factory=list)
    status_gone: list[RunningZaak] = field(default_factory=list)
    resultaat_gone: list[RunningZaak] = field(default_factory=list)

    def as_dict(self, urls: UrlBuilder) -> dict[str, Any]:
        return {
            "oudZaaktype": urls.detail("catalogi", "zaaktypen", self.old_zaaktype),
            "nieuwZaaktype": urls.detail("catalogi", "zaaktypen", self.new_zaaktype),
            "peildatum": self.today.isoformat(),
            "verschillen": self.diff.as_dict(),
            "lopendeZaken": self.running,
            "aantalOverNieuweTermijn": len(self.past_new_term),
            "aantalNieuwTeLaat": len(self.newly_overdue),
            "aantalStatusVervalt": len(self.status_gone),
            "aantalResultaatVervalt": len(self.resultaat_gone),
            "overNieuweTermijn": [z.as_dict(urls, self.today) for z in self.past_new_term],
            "nieuwTeLaat": [z.as_dict(urls, self.today) for z in self.newly_overdue],
            "statusVervalt": [z.as_dict(urls, self.today) for z in self.status_gone],
            "resultaatVervalt": [z.as_dict(urls, self.today) for z in self.resultaat_gone],
        }


async def impact(
    session: AsyncSession, old_uuid: uuid.UUID, new_uuid: uuid.UUID, today: date
) -> ImpactReport | None:
    """The differences between two versions and the running zaken of the old one they touch.

    One query reads the running zaken with their current status and resultaat (by the
    omschrijving of their types); the terms are computed per zaak from the two doorlooptijden.
    """
    old = await load_zaaktype(session, old_uuid)
    new = await load_zaaktype(session, new_uuid)
    if old is None or new is None:
        return None
    old_type, new_type = old[0], new[0]
    version_diff = diff(snapshot(*old), snapshot(*new))
    new_statussen = {s.omschrijving for s in new_type.statustypen}
    new_resultaten = {r.omschrijving for r in new_type.resultaattypen}

    current = aliased(Status)
    statustype = aliased(StatusType)
    resultaattype = aliased(ResultaatType)
    rows = (
        await session.execute(
            select(
                Zaak.uuid,
                Zaak.identificatie,
                Zaak.startdatum,
                Zaak.verlenging,
                Zaak.opschorting,
                statustype.omschrijving,
                resultaattype.omschrijving,
            )
            .outerjoin(current, current.uuid == Zaak.status_uuid)
            .outerjoin(statustype, statustype.uuid == current.statustype_uuid)
            .outerjoin(Resultaat, Resultaat.zaak_uuid == Zaak.uuid)
            .outerjoin(resultaattype, resultaattype.uuid == Resultaat.resultaattype_uuid)
            .where(Zaak.zaaktype_uuid == old_uuid, Zaak.einddatum.is_(None))
            .order_by(Zaak.startdatum, Zaak.identificatie)
        )
    ).all()
    report = ImpactReport(old_uuid, new_uuid, today, version_diff, running=len(rows))
    for pk, identificatie, startdatum, verlenging, opschorting, status, resultaat in rows:
        zaak = RunningZaak(
            uuid=pk,
            identificatie=identificatie,
            startdatum=startdatum,
            old_deadline=deadline(startdatum, old_type.doorlooptijd, verlenging),
            new_deadline=deadline(startdatum, new_type.doorlooptijd, verlenging),
            status=status,
            resultaat=resultaat,
            opgeschort=bool((opschorting or {}).get("indicatie")),
        )
        if zaak.new_deadline is not None and zaak.new_deadline < today:
            report.past_new_term.append(zaak)
            if zaak.old_deadline is None or zaak.old_deadline >= today:
                report.newly_overdue.append(zaak)
        if status is not None and status not in new_statussen:
            report.status_gone.append(zaak)
        if resultaat is not None and resultaat not in new_resultaten:
            report.resultaat_gone.append(zaak)
    return report


async def running_count(session: AsyncSession, zaaktype_uuid: uuid.UUID) -> int:
    stmt = select(func.count()).where(Zaak.zaaktype_uuid == zaaktype_uuid, Zaak.einddatum.is_(None))
    return await session.scalar(stmt) or 0
