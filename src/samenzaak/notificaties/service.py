"""The rules of the Notificaties API, as plain functions.

Writes here are not audited: the standard keeps audit trails for the hoofdobjecten of the
registers (zaak, document, besluit), and an abonnement's ``auth`` is a secret that must not
be copied into an audit row.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from samenzaak.common.auth import Auth
from samenzaak.common.notifications import OutboxMessage
from samenzaak.common.problems import InvalidParam, NotFound, ValidationProblem
from samenzaak.common.urls import UrlBuilder
from samenzaak.notificaties.models import Abonnement, AbonnementKanaal, Kanaal
from samenzaak.notificaties.schemas import (
    AbonnementIn,
    AbonnementPatch,
    FilterGroup,
    KanaalIn,
    Message,
    check_uri,
)

API = "notificaties"
WILDCARD = "*"

# (callbackUrl, auth) -> (accepted, reason); None skips the check.
CallbackCheck = Callable[[str, str], Awaitable[tuple[bool, str]]]


# -- matching ---------------------------------------------------------------------------


def filters_match(filters: Mapping[str, str], kenmerken: Mapping[str, str]) -> bool:
    """Whether a message's kenmerken pass an abonnement's filters on one kanaal.

    Each filter names a kenmerk and the value it must have; ``*`` means "do not filter on
    this kenmerk" (the standard's words), and a kenmerk without a filter is not filtered.
    A message lacking a filtered kenmerk does not match.
    """
    for key, wanted in filters.items():
        if wanted == WILDCARD:
            continue
        if kenmerken.get(key) != wanted:
            return False
    return True


# -- kanalen ----------------------------------------------------------------------------


def kanaal_to_dict(kanaal: Kanaal, urls: UrlBuilder) -> dict[str, Any]:
    return {
        "url": urls.detail(API, "kanaal", kanaal.uuid),
        "naam": kanaal.naam,
        "documentatieLink": kanaal.documentatie_link,
        "filters": list(kanaal.filters or []),
    }


def kanalen_query(naam: str | None) -> Select[Kanaal]:
    stmt = select(Kanaal).order_by(Kanaal.naam)
    if naam is not None:
        stmt = stmt.where(Kanaal.naam == naam)
    return stmt


async def get_kanaal(session: AsyncSession, pk: uuid.UUID) -> Kanaal:
    kanaal = await session.scalar(select(Kanaal).where(Kanaal.uuid == pk))
    if kanaal is None:
        raise NotFound("Kanaal niet gevonden.")
    return kanaal


async def create_kanaal(session: AsyncSession, data: KanaalIn) -> Kanaal:
    """A kanaal is unique in naam ("Een kanaal mag slechts eenmalig aangemaakt worden")."""
    errors: list[InvalidParam] = []
    if await session.scalar(select(Kanaal.uuid).where(Kanaal.naam == data.naam)) is not None:
        errors.append(InvalidParam("naam", "unique", "Er bestaat al een kanaal met deze naam."))
    if data.documentatieLink:
        try:
            check_uri(data.documentatieLink)
        except ValueError:
            errors.append(InvalidParam("documentatieLink", "invalid", "Voer een geldige URL in."))
    if len(set(data.filters)) != len(data.filters):
        errors.append(InvalidParam("filters", "unique", "Een kenmerk mag maar één keer voorkomen."))
    if errors:
        raise ValidationProblem(errors)
    kanaal = Kanaal(
        uuid=uuid.uuid4(), naam=data.naam, documentatie_link=data.documentatieLink, filters=data.filters
    )
    session.add(kanaal)
    await session.commit()
    return kanaal


# -- abonnementen -----------------------------------------------------------------------


SelectT = TypeVar("SelectT", bound=Select[Any])


def with_kanalen(stmt: SelectT) -> SelectT:
    return stmt.options(selectinload(Abonnement.kanalen).selectinload(AbonnementKanaal.kanaal))


def select_abonnementen() -> Select[Abonnement]:
    return select(Abonnement).order_by(Abonnement.created_at, Abonnement.uuid)


def abonnement_to_dict(abonnement: Abonnement, urls: UrlBuilder) -> dict[str, Any]:
    # The spec requires ``auth`` in the response (it is not writeOnly there), so it is shown
    # to callers with notificaties.consumeren, as the spec prescribes.
    return {
        "url": urls.detail(API, "abonnement", abonnement.uuid),
        "callbackUrl": abonnement.callback_url,
        "auth": abonnement.auth,
        "kanalen": [{"naam": g.kanaal.naam, "filters": dict(g.filters or {})} for g in abonnement.kanalen],
    }


async def get_abonnement(session: AsyncSession, pk: uuid.UUID) -> Abonnement:
    abonnement = await session.scalar(with_kanalen(select(Abonnement).where(Abonnement.uuid == pk)))
    if abonnement is None:
        raise NotFound("Abonnement niet gevonden.")
    return abonnement


async def check_kanalen(session: AsyncSession, groups: Sequence[FilterGroup]) -> list[InvalidParam]:
    """Each kanaal exists; an abonnement filters only on kenmerken its kanaal defines."""
    errors: list[InvalidParam] = []
    names = {g.naam for g in groups}
    known = {k.naam: k for k in (await session.scalars(select(Kanaal).where(Kanaal.naam.in_(names)))).all()}
    for i, group in enumerate(groups):
        kanaal = known.get(group.naam)
        if kanaal is None:
            errors.append(
                InvalidParam(f"kanalen.{i}.naam", "kanaal_naam", "Kanaal met deze naam bestaat niet.")
            )
            continue
        unknown = sorted(set(group.filters) - set(kanaal.filters or []))
        if unknown:
            errors.append(
                InvalidParam(
                    f"kanalen.{i}.filters",
                    "inconsistent-abonnement-filters",
                    f"Het kanaal {kanaal.naam!r} kent de kenmerken {', '.join(unknown)} niet.",
                )
            )
    return errors


async def _kanaal_rows(session: AsyncSession, groups: Sequence[FilterGroup]) -> list[AbonnementKanaal]:
    known = {
        k.naam: k
        for k in (
            await session.scalars(select(Kanaal).where(Kanaal.naam.in_({g.naam for g in groups})))
        ).all()
    }
    return [
        AbonnementKanaal(position=i, kanaal_uuid=known[g.naam].uuid, kanaal=known[g.naam], filters=g.filters)
        for i, g in enumerate(groups)
    ]


async def _check_callback(session: AsyncSession, check: CallbackCheck | None, url: str, auth: str) -> None:
    if check is None:
        return
    # End the (so far read-only) transaction before calling out: on SQLite a writing request
    # holds the database's write lock for its whole transaction, and an outgoing call of up
    # to ``notification_timeout`` seconds must not hold it. Nothing has been written yet.
    await session.commit()
    ok, reason = await check(url, auth)
    if not ok:
        raise ValidationProblem([InvalidParam("nonFieldErrors", "invalid-callback-url", reason)])


async def create_abonnement(
    session: AsyncSession, auth: Auth, data: AbonnementIn, check: CallbackCheck | None
) -> Abonnement:
    errors = await check_kanalen(session, data.kanalen)
    if errors:
        raise ValidationProblem(errors)
    # Last, so a malformed request never causes an outgoing call.
    await _check_callback(session, check, data.callbackUrl, data.auth)
    abonnement = Abonnement(
        uuid=uuid.uuid4(),
        callback_url=data.callbackUrl,
        auth=data.auth,
        client_id=auth.client_id,
        kanalen=await _kanaal_rows(session, data.kanalen),
    )
    session.add(abonnement)
    await session.commit()
    return abonnement


async def update_abonnement(
    session: AsyncSession,
    pk: uuid.UUID,
    data: AbonnementIn | AbonnementPatch,
    check: CallbackCheck | None,
) -> Abonnement:
    abonnement = await get_abonnement(session, pk)
    callback_url = data.callbackUrl if data.callbackUrl is not None else abonnement.callback_url
    auth_value = data.auth if data.auth is not None else abonnement.auth
    errors = await check_kanalen(session, data.kanalen) if data.kanalen is not None else []
    if errors:
        raise ValidationProblem(errors)
    if (callback_url, auth_value) != (abonnement.callback_url, abonnement.auth):
        await _check_callback(session, check, callback_url, auth_value)
    abonnement.callback_url = callback_url
    abonnement.auth = auth_value
    if data.kanalen is not None:
        abonnement.kanalen.clear()
        await session.flush()
        abonnement.kanalen.extend(await _kanaal_rows(session, data.kanalen))
    await session.commit()
    return await get_abonnement(session, pk)


async def destroy_abonnement(session: AsyncSession, pk: uuid.UUID) -> None:
    """Deleting an abonnement also drops its pending deliveries (ON DELETE CASCADE)."""
    abonnement = await get_abonnement(session, pk)
    await session.delete(abonnement)
    await session.commit()


# -- notificaties -----------------------------------------------------------------------


async def publish(session: AsyncSession, data: Message) -> dict[str, Any]:
    """A notification from a source outside Samenzaak: checked, then into the same outbox
    the own APIs write to, so it is delivered by the same workers with the same guarantees."""
    kanaal = await session.scalar(select(Kanaal).where(Kanaal.naam == data.kanaal))
    if kanaal is None:
        raise ValidationProblem(
            [InvalidParam("kanaal", "message_kanaal", "Kanaal met deze naam bestaat niet.")]
        )
    unknown = sorted(set(data.kenmerken) - set(kanaal.filters or []))
    if unknown:
        raise ValidationProblem(
            [
                InvalidParam(
                    "kenmerken",
                    "kenmerken_inconsistent",
                    f"Het kanaal {kanaal.naam!r} kent de kenmerken {', '.join(unknown)} niet.",
                )
            ]
        )
    aanmaakdatum = data.aanmaakdatum
    if aanmaakdatum.tzinfo is None:
        aanmaakdatum = aanmaakdatum.replace(tzinfo=UTC)
    row = OutboxMessage(
        kanaal=data.kanaal,
        hoofd_object=data.hoofdObject,
        resource=data.resource,
        resource_url=data.resourceUrl,
        actie=data.actie,
        aanmaakdatum=aanmaakdatum,
        kenmerken=dict(data.kenmerken),
    )
    session.add(row)
    await session.commit()
    return row.message()
