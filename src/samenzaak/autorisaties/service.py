"""The rules of the Autorisaties API, as plain functions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, Autorisatie, ClientCredential
from samenzaak.autorisaties.schemas import COMPONENT_WEERGAVE, ApplicatieIn, ApplicatiePatch, AutorisatieIn
from samenzaak.common.auth import Auth
from samenzaak.common.changes import record_change
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.urls import UrlBuilder

KANAAL = "autorisaties"
BRON = "ac"

# Per component: the scope prefix that makes the autorisatie type-bound, and the fields it then needs.
TYPE_BOUND: dict[str, tuple[str, tuple[str, ...]]] = {
    "zrc": ("zaken.", ("zaaktype", "maxVertrouwelijkheidaanduiding")),
    "drc": ("documenten.", ("informatieobjecttype", "maxVertrouwelijkheidaanduiding")),
    "brc": ("besluiten.", ("besluittype",)),
}
TYPE_FIELD = {"zrc": "zaaktype", "drc": "informatieobjecttype", "brc": "besluittype"}


SelectT = TypeVar("SelectT", bound=Select[Any])


def with_children(stmt: SelectT) -> SelectT:
    return stmt.options(selectinload(Applicatie.clients), selectinload(Applicatie.autorisaties))


def check_autorisaties(data: ApplicatieIn) -> list[InvalidParam]:
    """ac-002 (all or explicit autorisaties, not both, not neither) and ac-003 (type-bound fields)."""
    errors: list[InvalidParam] = []
    if data.heeftAlleAutorisaties and data.autorisaties:
        errors.append(
            InvalidParam(
                "nonFieldErrors",
                "ambiguous-authorizations-specified",
                "Geef óf heeftAlleAutorisaties óf expliciete autorisaties op, niet beide.",
            )
        )
    if not data.heeftAlleAutorisaties and not data.autorisaties:
        errors.append(
            InvalidParam(
                "nonFieldErrors",
                "missing-authorizations",
                "Geef heeftAlleAutorisaties of ten minste één autorisatie op.",
            )
        )
    for i, autorisatie in enumerate(data.autorisaties):
        bound = TYPE_BOUND.get(autorisatie.component)
        if bound is None:
            continue
        prefix, fields = bound
        if not any(scope.startswith(prefix) for scope in autorisatie.scopes):
            continue
        for name in fields:
            if not getattr(autorisatie, name):
                errors.append(
                    InvalidParam(
                        f"autorisaties.{i}.{name}",
                        "required",
                        f"Dit veld is verplicht voor component {autorisatie.component} met scopes {prefix}*.",
                    )
                )
    return errors


async def check_client_ids(
    session: AsyncSession, client_ids: Sequence[str], exclude: uuid.UUID | None = None
) -> list[InvalidParam]:
    """ac-001: a client id belongs to one applicatie."""
    errors: list[InvalidParam] = []
    if len(set(client_ids)) != len(client_ids):
        errors.append(InvalidParam("clientIds", "unique", "Een client id mag maar één keer voorkomen."))
    stmt = select(ApplicatieClient.client_id).where(ApplicatieClient.client_id.in_(client_ids))
    if exclude is not None:
        stmt = stmt.where(ApplicatieClient.applicatie_uuid != exclude)
    taken = (await session.scalars(stmt)).all()
    if taken:
        errors.append(
            InvalidParam(
                "clientIds",
                "clientId-exists",
                f"De client id(s) {', '.join(sorted(taken))} zijn al aan een andere applicatie gekoppeld.",
            )
        )
    return errors


def _autorisatie_rows(items: list[AutorisatieIn]) -> list[Autorisatie]:
    return [
        Autorisatie(
            position=i,
            component=a.component,
            scopes=list(a.scopes),
            zaaktype=a.zaaktype or "",
            informatieobjecttype=a.informatieobjecttype or "",
            besluittype=a.besluittype or "",
            max_vertrouwelijkheidaanduiding=a.maxVertrouwelijkheidaanduiding or "",
        )
        for i, a in enumerate(items)
    ]


def to_dict(app: Applicatie, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": urls.detail("autorisaties", "applicaties", app.uuid),
        "clientIds": [c.client_id for c in app.clients],
        "label": app.label,
        "heeftAlleAutorisaties": app.heeft_alle_autorisaties,
        "alleenIsGereedVoorPublicatie": app.alleen_is_gereed_voor_publicatie,
        "autorisaties": [autorisatie_to_dict(a) for a in app.autorisaties],
    }


def autorisatie_to_dict(a: Autorisatie) -> dict[str, Any]:
    body: dict[str, Any] = {
        "component": a.component,
        "componentWeergave": COMPONENT_WEERGAVE[a.component],
        "scopes": list(a.scopes),
    }
    type_field = TYPE_FIELD.get(a.component)
    if type_field:
        body[type_field] = getattr(a, type_field)
    if a.component in ("zrc", "drc"):
        body["maxVertrouwelijkheidaanduiding"] = a.max_vertrouwelijkheidaanduiding
    return {k: v for k, v in body.items() if v != ""}


async def get(session: AsyncSession, pk: uuid.UUID) -> Applicatie:
    app = await session.scalar(with_children(select(Applicatie).where(Applicatie.uuid == pk)))
    if app is None:
        raise NotFound("Applicatie niet gevonden.")
    return app


async def create(session: AsyncSession, auth: Auth, data: ApplicatieIn, urls: UrlBuilder) -> Applicatie:
    errors = check_autorisaties(data) + await check_client_ids(session, data.clientIds)
    if errors:
        raise ValidationProblem(errors)
    app = Applicatie(
        uuid=uuid.uuid4(),
        label=data.label,
        heeft_alle_autorisaties=data.heeftAlleAutorisaties,
        alleen_is_gereed_voor_publicatie=data.alleenIsGereedVoorPublicatie,
        clients=[ApplicatieClient(client_id=c, position=i) for i, c in enumerate(data.clientIds)],
        autorisaties=_autorisatie_rows(data.autorisaties),
    )
    session.add(app)
    await session.flush()
    body = to_dict(app, urls)
    _record(session, auth, "create", body["url"], None, body)
    await session.commit()
    return app


async def update(
    session: AsyncSession,
    auth: Auth,
    pk: uuid.UUID,
    data: ApplicatieIn | ApplicatiePatch,
    urls: UrlBuilder,
) -> Applicatie:
    app = await get(session, pk)
    before = to_dict(app, urls)
    if isinstance(data, ApplicatiePatch):
        given = data.model_dump(exclude_unset=True)
        merged = ApplicatieIn.model_validate(
            {
                "clientIds": [c.client_id for c in app.clients],
                "label": app.label,
                "heeftAlleAutorisaties": app.heeft_alle_autorisaties,
                "alleenIsGereedVoorPublicatie": app.alleen_is_gereed_voor_publicatie,
                "autorisaties": []
                if given.get("heeftAlleAutorisaties")
                else [AutorisatieIn.model_validate(a.snapshot()) for a in app.autorisaties],
            }
            | {k: v for k, v in given.items() if v is not None}
        )
        actie = "partial_update"
    else:
        merged = data
        actie = "update"
    errors = check_autorisaties(merged) + await check_client_ids(session, merged.clientIds, exclude=app.uuid)
    if errors:
        raise ValidationProblem(errors)
    app.label = merged.label
    app.heeft_alle_autorisaties = merged.heeftAlleAutorisaties
    app.alleen_is_gereed_voor_publicatie = merged.alleenIsGereedVoorPublicatie
    # Replace the children wholesale: flush the deletes first so unique client ids can be reused.
    app.clients.clear()
    app.autorisaties.clear()
    await session.flush()
    app.clients.extend(ApplicatieClient(client_id=c, position=i) for i, c in enumerate(merged.clientIds))
    app.autorisaties.extend(_autorisatie_rows(merged.autorisaties))
    await session.flush()
    after = to_dict(app, urls)
    _record(session, auth, actie, after["url"], before, after)
    await session.commit()
    return app


async def destroy(session: AsyncSession, auth: Auth, pk: uuid.UUID, urls: UrlBuilder) -> None:
    app = await get(session, pk)
    before = to_dict(app, urls)
    await session.execute(delete(Applicatie).where(Applicatie.uuid == app.uuid))
    _record(session, auth, "destroy", before["url"], before, None)
    await session.commit()


def _record(session: AsyncSession, auth: Auth, actie: str, url: str, oud: Any, nieuw: Any) -> None:
    record_change(
        session,
        auth,
        bron=BRON,
        kanaal=KANAAL,
        actie=actie,
        resource="applicatie",
        resource_url=url,
        hoofd_object=url,
        oud=oud,
        nieuw=nieuw,
        resource_weergave=(nieuw or oud or {}).get("label", ""),
    )


async def set_credential(session: AsyncSession, client_id: str, secret: str) -> None:
    """Store (or replace) the JWT secret of a client id."""
    existing = await session.scalar(select(ClientCredential).where(ClientCredential.client_id == client_id))
    if existing is None:
        session.add(ClientCredential(client_id=client_id, secret=secret))
    else:
        existing.secret = secret
