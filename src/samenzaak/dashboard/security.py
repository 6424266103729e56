"""Dashboard users: argon2 password hashes, server-side sessions, CSRF tokens.

The session cookie holds a random 256-bit token; the database keeps only its SHA-256
(``DashboardSession.token_hash``), so the cookie cannot be forged or guessed, a logout or a
deleted user ends the session at once, and no signing key needs configuring. The cookie
is HttpOnly, SameSite=Lax, Secure on https, and scoped to the tenant's dashboard path.

The login form has no session yet, so it uses a double-submit token: a random value in a
SameSite=Strict cookie that the form must echo. A cross-site page can neither read that
cookie nor make the browser send it. Logout, inside a session, checks the session's token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from samenzaak.dashboard.models import DashboardSession, DashboardUser
from samenzaak.db import utcnow

SESSION_COOKIE = "sz_dashboard"
CSRF_COOKIE = "sz_dashboard_csrf"
SESSION_LIFETIME = timedelta(hours=8)

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the answer time the same.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


@dataclass(frozen=True, slots=True)
class LoggedIn:
    user_id: int
    username: str
    csrf_token: str


async def authenticate_user(session: AsyncSession, username: str, password: str) -> DashboardUser | None:
    user = await session.scalar(select(DashboardUser).where(DashboardUser.username == username))
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


async def start_session(session: AsyncSession, user: DashboardUser) -> str:
    """A new session row for the user; returns the cookie value. Commits."""
    token = new_token()
    now = utcnow()
    # Old sessions of any user are cleared here, so the table does not grow without bound.
    await session.execute(delete(DashboardSession).where(DashboardSession.expires < now))
    session.add(
        DashboardSession(
            token_hash=token_hash(token),
            user_id=user.id,
            csrf_token=new_token(),
            expires=now + SESSION_LIFETIME,
        )
    )
    await session.commit()
    return token


async def current_user(session: AsyncSession, cookie: str | None) -> LoggedIn | None:
    if not cookie:
        return None
    row = (
        await session.execute(
            select(DashboardSession.user_id, DashboardSession.csrf_token, DashboardUser.username)
            .join(DashboardUser, DashboardUser.id == DashboardSession.user_id)
            .where(DashboardSession.token_hash == token_hash(cookie), DashboardSession.expires > utcnow())
        )
    ).one_or_none()
    if row is None:
        return None
    return LoggedIn(row.user_id, row.username, row.csrf_token)


async def end_session(session: AsyncSession, cookie: str) -> None:
    await session.execute(delete(DashboardSession).where(DashboardSession.token_hash == token_hash(cookie)))
    await session.commit()


async def create_user(session: AsyncSession, username: str, password: str) -> DashboardUser:
    """Create (or reset the password of) a dashboard user in the session's tenant. Commits."""
    user = await session.scalar(select(DashboardUser).where(DashboardUser.username == username))
    if user is None:
        user = DashboardUser(username=username, password_hash=hash_password(password))
        session.add(user)
    else:
        user.password_hash = hash_password(password)
    await session.commit()
    return user


async def delete_user(session: AsyncSession, username: str) -> bool:
    user = await session.scalar(select(DashboardUser).where(DashboardUser.username == username))
    if user is None:
        return False
    await session.execute(delete(DashboardSession).where(DashboardSession.user_id == user.id))
    await session.delete(user)
    await session.commit()
    return True
