"""One call for what every write records: its audit-trail row and its notification."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.common.audit import add_audit
from samenzaak.common.auth import Auth
from samenzaak.common.notifications import publish

RESULT_STATUS = {"create": 201, "update": 200, "partial_update": 200, "destroy": 204}


def record_change(
    session: AsyncSession,
    auth: Auth,
    *,
    bron: str,
    kanaal: str | None,
    actie: str,
    resource: str,
    resource_url: str,
    hoofd_object: str,
    oud: Any = None,
    nieuw: Any = None,
    kenmerken: dict[str, str] | None = None,
    resource_weergave: str = "",
    audit: bool = True,
) -> None:
    """Add the audit row and the outbox row of a change to the session's transaction."""
    if audit:
        add_audit(
            session,
            auth,
            bron=bron,
            actie=actie,
            resultaat=RESULT_STATUS.get(actie, 200),
            hoofd_object=hoofd_object,
            resource=resource,
            resource_url=resource_url,
            oud=oud,
            nieuw=nieuw,
            resource_weergave=resource_weergave,
            toelichting=auth.audit_toelichting,
        )
    if kanaal:
        publish(
            session,
            kanaal=kanaal,
            hoofd_object=hoofd_object,
            resource=resource,
            resource_url=resource_url,
            actie=actie,
            kenmerken=kenmerken,
        )
