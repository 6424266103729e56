"""The impact of a new zaaktype version on running zaken, on hand-built cases."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.urls import UrlBuilder
from samenzaak.legislation.impact import deadline, impact
from tests.legislation import builders

TODAY = date(2026, 11, 29)


def test_deadline_adds_the_verlenging() -> None:
    assert deadline(date(2026, 1, 1), "P8W", None) == date(2026, 2, 26)
    assert deadline(date(2026, 1, 1), "P8W", {"reden": "advies", "duur": "P14D"}) == date(2026, 3, 12)
    assert deadline(date(2026, 1, 31), "P1M", None) == date(2026, 2, 28)
    assert deadline(date(2026, 1, 1), None, None) is None


async def test_impact_counts_on_hand_built_zaken(session: AsyncSession) -> None:
    cat = await builders.catalogus(session)
    old = await builders.zaaktype(session, cat.uuid, doorlooptijd="P8W")
    new = await builders.zaaktype(
        session,
        cat.uuid,
        doorlooptijd="P6W",
        versiedatum=date(2026, 12, 1),
        statussen=("Ontvangen", "Beoordeeld", "Afgehandeld"),
        resultaten=("Toegekend", "Afgewezen met bezwaar"),
    )
    # started 7 weeks ago: within 8 weeks, past 6 weeks -> newly overdue
    a = await builders.zaak(session, old, "Z-A", date(2026, 10, 11), status="Ontvangen")
    # started 10 weeks ago: past both terms
    b = await builders.zaak(session, old, "Z-B", date(2026, 9, 20), status="In behandeling")
    # started 7 weeks ago but extended by 3 weeks: within both
    c = await builders.zaak(
        session, old, "Z-C", date(2026, 10, 11), verlenging={"reden": "r", "duur": "P21D"}
    )
    # a resultaat that no longer exists in the new version
    d = await builders.zaak(session, old, "Z-D", date(2026, 11, 20), resultaat="Afgewezen")
    # closed zaken and zaken of other types do not count
    await builders.zaak(session, old, "Z-E", date(2026, 1, 1), einddatum=date(2026, 2, 1))
    await builders.zaak(session, new, "Z-F", date(2026, 1, 1))
    await session.commit()

    report = await impact(session, old.uuid, new.uuid, TODAY)
    assert report is not None
    assert report.running == 4
    assert sorted(z.identificatie for z in report.past_new_term) == ["Z-A", "Z-B"]
    assert [z.identificatie for z in report.newly_overdue] == ["Z-A"]
    assert [z.uuid for z in report.status_gone] == [b.uuid]  # "In behandeling" is gone
    assert [z.uuid for z in report.resultaat_gone] == [d.uuid]
    assert c.uuid not in {z.uuid for z in report.past_new_term}
    body = report.as_dict(UrlBuilder("http://t"))
    assert body["aantalNieuwTeLaat"] == 1 and body["lopendeZaken"] == 4
    assert body["verschillen"]["fields"]["doorlooptijd"] == {"old": "P8W", "new": "P6W"}
    a_row = next(z for z in body["nieuwTeLaat"])
    assert a_row["zaak"] == f"http://t/zaken/api/v1/zaken/{a.uuid}"
    assert a_row["dagenOverNieuweTermijn"] == (TODAY - date(2026, 11, 22)).days
