"""The informatieobjecten a zaak refers to (zrc-003, zrc-007, zrc-017, zrc-022), local or remote."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.urls import UrlBuilder
from samenzaak.zaken import remote
from samenzaak.zaken.catalogus import RefError


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    url: str
    informatieobjecttype: str
    indicatie_gebruiksrecht: bool | None
    status: str


async def load(session: AsyncSession, urls: UrlBuilder, url: str) -> DocumentInfo:
    """The informatieobject at ``url``; RefError ``bad-url`` / ``invalid-resource`` otherwise."""
    fetched = await remote.fetch(url, use_cache=False)
    if not fetched.ok:
        raise RefError("bad-url", f"De URL {url} resulteert niet in een HTTP 200.")
    data = fetched.data
    if not isinstance(data, dict) or "informatieobjecttype" not in data:
        raise RefError("invalid-resource", f"De URL {url} wijst niet naar een informatieobject.")
    return DocumentInfo(
        url=url,
        informatieobjecttype=str(data["informatieobjecttype"]),
        indicatie_gebruiksrecht=data.get("indicatieGebruiksrecht"),
        status=str(data.get("status") or ""),
    )
