"""ZGW authentication (JWT, HS256, ``client_id`` claim) and authorisation (autorisaties).

Every request loads the caller's applicatie afresh (one query, two with limited rights), so a change in the
Autorisaties API takes effect on the next request; there is no permission cache to go stale.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning
from sqlalchemy import ColumnElement, and_, bindparam, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.autorisaties.models import Applicatie, ApplicatieClient, Autorisatie, ClientCredential
from samenzaak.common.problems import NotAuthenticated, PermissionDenied
from samenzaak.common.validators import vertrouwelijkheid_rank, vertrouwelijkheid_up_to


@dataclass(frozen=True, slots=True)
class Grant:
    component: str
    scopes: frozenset[str]
    type_url: str = ""
    max_vertrouwelijkheidaanduiding: str = ""


@dataclass(slots=True)
class Auth:
    """Who is calling and what they may do."""

    client_id: str
    user_id: str = ""
    user_representation: str = ""
    applicatie_uuid: str | None = None
    applicatie_label: str = ""
    all_rights: bool = False
    alleen_is_gereed_voor_publicatie: bool = False
    grants: list[Grant] = field(default_factory=list)
    # The request's ``X-Audit-Toelichting`` header: why the client makes this change; the
    # audit trail records it as the ``toelichting`` of every write of the request.
    audit_toelichting: str = ""

    def has_scope(self, component: str, scope: str) -> bool:
        """Whether the scope is granted on the component, for at least one type."""
        return self.all_rights or any(g.component == component and scope in g.scopes for g in self.grants)

    def require(self, component: str, *scopes: str) -> None:
        """Refuse unless every scope is granted on the component."""
        for scope in scopes:
            if not self.has_scope(component, scope):
                raise PermissionDenied(
                    f"The client {self.client_id!r} lacks the scope {scope!r}.",
                )

    def allows(self, component: str, scope: str, type_url: str, vertrouwelijkheid: str | None = None) -> bool:
        """Whether the scope is granted for one object of ``type_url``."""
        if self.all_rights:
            return True
        for g in self.grants:
            if g.component != component or scope not in g.scopes or g.type_url != type_url:
                continue
            if vertrouwelijkheid is None or not g.max_vertrouwelijkheidaanduiding:
                return True
            if vertrouwelijkheid_rank(vertrouwelijkheid) <= vertrouwelijkheid_rank(
                g.max_vertrouwelijkheidaanduiding
            ):
                return True
        return False

    def require_object(
        self, component: str, scope: str, type_url: str, vertrouwelijkheid: str | None = None
    ) -> None:
        if not self.allows(component, scope, type_url, vertrouwelijkheid):
            raise PermissionDenied(f"The client {self.client_id!r} may not use {scope!r} on this object.")

    def sql_filter(
        self,
        component: str,
        scope: str,
        match_types: Callable[[Sequence[str]], ColumnElement[bool]],
        vertrouwelijkheid: ColumnElement[Any] | None = None,
    ) -> ColumnElement[bool]:
        """A WHERE clause limiting a list to what the caller may see, built without a query.

        Grants are grouped by their maximum vertrouwelijkheidaanduiding, so the clause has
        at most one term per level (eight), however many types the caller is authorised for.
        """
        if self.all_rights:
            return true()
        by_level: dict[str, list[str]] = {}
        for g in self.grants:
            if g.component == component and scope in g.scopes and g.type_url:
                by_level.setdefault(g.max_vertrouwelijkheidaanduiding, []).append(g.type_url)
        if not by_level:
            return false()
        terms = []
        for level, urls in by_level.items():
            term = match_types(sorted(set(urls)))
            if vertrouwelijkheid is not None and level:
                term = and_(term, vertrouwelijkheid.in_(vertrouwelijkheid_up_to(level)))
            terms.append(term)
        return or_(*terms)


def bearer_token(header: str | None) -> str:
    if not header:
        raise NotAuthenticated()
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated("The Authorization header must be 'Bearer <JWT>'.")
    return token.strip()


def unverified_client_id(token: str) -> str:
    try:
        # Header and claims from one parse (the signature is checked once the secret is known).
        unverified = jwt.decode_complete(token, options={"verify_signature": False})
        header, claims = unverified["header"], unverified["payload"]
    except jwt.PyJWTError as exc:
        raise PermissionDenied("The JWT could not be decoded.", code="invalid-jwt") from exc
    if header.get("alg") != "HS256":
        raise PermissionDenied("Only HS256-signed JWTs are accepted.", code="invalid-jwt")
    client_id = claims.get("client_id") or claims.get("iss")
    if not isinstance(client_id, str) or not client_id:
        raise PermissionDenied("The JWT has no client_id claim.", code="missing-client-identifier")
    return client_id


def verify(token: str, secret: str, *, leeway: int, max_age: int | None) -> dict[str, Any]:
    try:
        with _short_secrets_allowed():
            claims: dict[str, Any] = jwt.decode(
                token,
                secret,
                algorithms=["HS256"],
                leeway=leeway,
                options={"require": ["iat"], "verify_aud": False},
            )
    except jwt.ExpiredSignatureError as exc:
        raise PermissionDenied("The JWT has expired.", code="jwt-expired") from exc
    except jwt.ImmatureSignatureError as exc:
        raise PermissionDenied("The JWT was issued in the future.", code="jwt-immature") from exc
    except jwt.MissingRequiredClaimError as exc:
        raise PermissionDenied("The JWT has no iat claim.", code="jwt-missing-iat") from exc
    except jwt.InvalidSignatureError as exc:
        raise PermissionDenied("The JWT signature is invalid.", code="invalid-jwt-signature") from exc
    except jwt.PyJWTError as exc:
        raise PermissionDenied(f"The JWT is invalid: {exc}.", code="invalid-jwt") from exc
    if max_age is not None and float(claims["iat"]) + max_age + leeway < time.time():
        raise PermissionDenied("The JWT has expired.", code="jwt-expired")
    return claims


# Built once: constructing a statement costs more than compiling it (which is cached).
_CALLER = (
    select(
        ClientCredential.secret,
        Applicatie.uuid,
        Applicatie.label,
        Applicatie.heeft_alle_autorisaties,
        Applicatie.alleen_is_gereed_voor_publicatie,
    )
    .select_from(ClientCredential)
    .outerjoin(ApplicatieClient, ApplicatieClient.client_id == ClientCredential.client_id)
    .outerjoin(Applicatie, Applicatie.uuid == ApplicatieClient.applicatie_uuid)
    .where(ClientCredential.client_id == bindparam("client_id"))
)
_GRANTS = (
    select(
        Autorisatie.component,
        Autorisatie.scopes,
        Autorisatie.zaaktype,
        Autorisatie.informatieobjecttype,
        Autorisatie.besluittype,
        Autorisatie.max_vertrouwelijkheidaanduiding,
    )
    .where(Autorisatie.applicatie_uuid == bindparam("applicatie"))
    .order_by(Autorisatie.position)
)


async def authenticate(
    session: AsyncSession, header: str | None, *, leeway: int, max_age: int | None
) -> Auth:
    token = bearer_token(header)
    client_id = unverified_client_id(token)
    # The secret and the client's applicatie in one round trip (rows, no ORM objects), and
    # its autorisaties in a second one only when they matter: every request pays for this.
    row = (await session.execute(_CALLER, {"client_id": client_id})).first()
    if row is None:
        raise PermissionDenied("The client id is unknown.", code="invalid-client-identifier")
    secret, applicatie_uuid, label, all_rights, alleen_gereed = row
    claims = verify(token, secret, leeway=leeway, max_age=max_age)
    auth = Auth(
        client_id=client_id,
        user_id=str(claims.get("user_id", "")),
        user_representation=str(claims.get("user_representation", "")),
    )
    if applicatie_uuid is not None:
        auth.applicatie_uuid = str(applicatie_uuid)
        auth.applicatie_label = label
        auth.all_rights = all_rights
        auth.alleen_is_gereed_voor_publicatie = alleen_gereed
        if not all_rights:
            # With all rights no grant is ever consulted (has_scope, allows, sql_filter).
            rows = await session.execute(_GRANTS, {"applicatie": applicatie_uuid})
            auth.grants = [
                Grant(
                    component=component,
                    scopes=frozenset(scopes),
                    type_url=zaaktype or informatieobjecttype or besluittype or "",
                    max_vertrouwelijkheidaanduiding=maximum or "",
                )
                for component, scopes, zaaktype, informatieobjecttype, besluittype, maximum in rows
            ]
    return auth


def make_token(client_id: str, secret: str, *, user_id: str = "", user_representation: str = "") -> str:
    """A ZGW JWT as clients build them (used by the CLI and the tests)."""
    payload = {
        "iss": client_id,
        "client_id": client_id,
        "user_id": user_id,
        "user_representation": user_representation,
        "iat": int(time.time()),
    }
    with _short_secrets_allowed():
        return jwt.encode(payload, secret, algorithm="HS256")


@contextmanager
def _short_secrets_allowed() -> Iterator[None]:
    """ZGW secrets are chosen by municipalities and are often short ("secret" in VNG's own
    suite); refusing them would break interoperability, so PyJWT's length warning is muted."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InsecureKeyLengthWarning)
        yield
