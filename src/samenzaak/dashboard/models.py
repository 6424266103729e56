"""Tables of the dashboard: its users and their login sessions (per tenant).

Sessions are rows on the server, the cookie carries only a random token (256 bits) whose
SHA-256 is the row's key: logging out or deleting a user ends the session at once, a stolen
database dump holds no usable cookie, and no signing key has to be configured and rotated.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.db import Base, TenantMixin, UTCDateTime, utcnow
from samenzaak.zaken.models import Zaak


class DashboardUser(TenantMixin, Base):
    """Someone who may read the dashboard of one tenant (no access to the APIs)."""

    __tablename__ = "dashboard_users"
    __table_args__ = (UniqueConstraint("tenant_id", "username"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150))
    password_hash: Mapped[str] = mapped_column(String(200))
    aangemaakt: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class DashboardSession(TenantMixin, Base):
    __tablename__ = "dashboard_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("dashboard_users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    expires: Mapped[datetime] = mapped_column(UTCDateTime)


# The open zaken of a zaaktype (no einddatum): few, but scattered over the whole table; the
# law-change impact counts and lists them (legislation.impact, legislation.switch). Narrow on
# purpose: a column of a zaak that a status or resultaat changes (status_uuid) in an index
# makes every such update write a new entry in each of the table's indexes (no HOT update).
# The dashboard itself reads its summary tables, not the zaken.
Index(
    "ix_dashboard_zaken_open",
    Zaak.tenant_id,
    Zaak.zaaktype_uuid,
    Zaak.startdatum,
    postgresql_where=Zaak.einddatum.is_(None),
    sqlite_where=Zaak.einddatum.is_(None),
)


# --- the summary the indicators read (see ``samenzaak.dashboard.summary``) -----------------


class DashboardZaakFeit(TenantMixin, Base):
    """One row per zaak: what the overdue list reads, and the zaak's contributions to the
    counters (``bijdragen``), so a change subtracts exactly what the zaak added before.

    Kept in the same transaction as the zaak, status and resultaat writes (a session hook in
    ``summary``); ``samenzaak dashboard rebuild`` recomputes it from the source tables."""

    __tablename__ = "dashboard_zaakfeiten"

    zaak_uuid: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    identificatie: Mapped[str] = mapped_column(String(40))
    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column()  # NO_ZAAKTYPE_UUID for an external zaaktype
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    startdatum: Mapped[date] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date, nullable=True)
    einddatum_gepland: Mapped[date | None] = mapped_column(Date, nullable=True)
    # The legal deadline (uiterlijkeEinddatumAfdoening or start + doorlooptijd, plus verlenging).
    wettelijke_termijn: Mapped[date | None] = mapped_column(Date, nullable=True)
    opgeschort: Mapped[bool] = mapped_column(default=False)
    # The earliest deadline that counts for the overdue list (planned end, or the legal one
    # unless suspended): the zaak is over its term on a day after it, while open.
    eerste_termijn: Mapped[date | None] = mapped_column(Date, nullable=True)
    bijdragen: Mapped[list[Any]] = mapped_column(JSON, default=list)


class DashboardTelling(TenantMixin, Base):
    """Counters per (day, zaaktype, bronorganisatie, kind, key), summed over a period by the
    indicators. Kinds: see ``summary``. ``aantal`` counts zaken (or +1/-1 events for the
    open-on-a-day kinds, summed from the beginning); ``som`` is a sum in microseconds."""

    __tablename__ = "dashboard_tellingen"
    __table_args__ = (
        PrimaryKeyConstraint("tenant_id", "soort", "dag", "zaaktype_uuid", "bronorganisatie", "sleutel"),
    )

    soort: Mapped[str] = mapped_column(String(20))
    dag: Mapped[date] = mapped_column(Date)
    zaaktype_uuid: Mapped[uuid.UUID] = mapped_column()
    bronorganisatie: Mapped[str] = mapped_column(String(9))
    sleutel: Mapped[str] = mapped_column(String(1000))
    aantal: Mapped[int] = mapped_column(BigInteger, default=0)
    som: Mapped[int] = mapped_column(BigInteger, default=0)


# The overdue list: open zaken (no einddatum) past their first term, worst first; and for a
# peildatum in the past, the zaken that ended after it.
Index(
    "ix_dashboard_zaakfeiten_open",
    DashboardZaakFeit.tenant_id,
    DashboardZaakFeit.eerste_termijn,
    postgresql_where=DashboardZaakFeit.einddatum.is_(None),
    sqlite_where=DashboardZaakFeit.einddatum.is_(None),
)
# The second: only zaken that were ever over a term while open (ended after it), with the
# other conditions as key columns, so they are checked in the index before any row is read.
Index(
    "ix_dashboard_zaakfeiten_eind",
    DashboardZaakFeit.tenant_id,
    DashboardZaakFeit.einddatum,
    DashboardZaakFeit.eerste_termijn,
    DashboardZaakFeit.startdatum,
    postgresql_where=DashboardZaakFeit.einddatum > DashboardZaakFeit.eerste_termijn,
    sqlite_where=DashboardZaakFeit.einddatum > DashboardZaakFeit.eerste_termijn,
)

# The session hook that keeps the summary up to date registers on import, with the tables.
from samenzaak.dashboard import summary as _summary  # noqa: E402

__all__ = ["DashboardSession", "DashboardTelling", "DashboardUser", "DashboardZaakFeit", "_summary"]
