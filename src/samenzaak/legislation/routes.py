"""JSON API of the law-change tools, for other tools and for the dashboard page.

    GET /dashboard/api/wetgeving/impact?van=<zaaktype>&naar=<zaaktype>[&peildatum=YYYY-MM-DD]
    GET /dashboard/api/wetgeving/updates?catalogus=<catalogus>

Readers are those of the dashboard: a dashboard login, or a JWT with ``dashboard.lezen``.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from samenzaak.common.problems import NotFound, field_error
from samenzaak.common.urls import uuid_from_ref
from samenzaak.common.web import JSON, SessionDep, UrlsDep
from samenzaak.dashboard.routes import ApiReader
from samenzaak.legislation import impact as impact_mod
from samenzaak.legislation import service

router = APIRouter(prefix="/dashboard/api/wetgeving", tags=["wetgeving"])


def _uuid(value: str, name: str) -> uuid.UUID:
    found = uuid_from_ref(value)
    if found is None:
        raise field_error(name, "invalid", "Geef de URL of de UUID.")
    return found


@router.get("/impact")
async def impact_report(
    session: SessionDep,
    reader: ApiReader,
    urls: UrlsDep,
    van: Annotated[str, Query(description="URL or UUID of the zaaktype version in use")],
    naar: Annotated[str, Query(description="URL or UUID of the new zaaktype version")],
    peildatum: Annotated[date | None, Query()] = None,
) -> JSON:
    today = peildatum or date.today()  # noqa: DTZ011 (a calendar date, as the zaken use)
    report = await impact_mod.impact(session, _uuid(van, "van"), _uuid(naar, "naar"), today)
    if report is None:
        raise NotFound("Een van de zaaktypen bestaat niet.")
    return JSON(report.as_dict(urls))


@router.get("/updates")
async def model_updates(
    session: SessionDep,
    reader: ApiReader,
    urls: UrlsDep,
    catalogus: Annotated[str, Query(description="URL or UUID of our catalogus")],
) -> JSON:
    found = await service.available_updates(session, _uuid(catalogus, "catalogus"))
    return JSON([u.as_dict(urls) for u in found])
