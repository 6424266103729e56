"""Tables of the dashboard: its users and their login sessions (per tenant).

Sessions are rows on the server, the cookie carries only a random token (256 bits) whose
SHA-256 is the row's key: logging out or deleting a user ends the session at once, a stolen
database dump holds no usable cookie, and no signing key has to be configured and rotated.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from samenzaak.db import Base, TenantMixin, UTCDateTime, utcnow
from samenzaak.zaken.models import Status, Zaak


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


# Indexes the dashboard needs on the Zaken tables (created by the dashboard's migration,
# which depends on the Zaken one). Each covers the columns its queries read, so PostgreSQL
# answers inflow/outflow/throughput from the index alone (index-only scans) and SQLite
# never visits the table rows for them:
# - zaken started in a period, per zaaktype, organisation and kanaal;
# - zaken ended in a period (and the open ones: einddatum IS NULL), with their startdatum;
# - the status history of a zaak in time order, for the time spent per status.
Index(
    "ix_dashboard_zaken_start",
    Zaak.tenant_id,
    Zaak.startdatum,
    Zaak.zaaktype_uuid,
    Zaak.bronorganisatie,
    Zaak.communicatiekanaal,
)
Index(
    "ix_dashboard_zaken_eind",
    Zaak.tenant_id,
    Zaak.einddatum,
    Zaak.zaaktype_uuid,
    Zaak.bronorganisatie,
    Zaak.startdatum,
)
Index(
    "ix_dashboard_statussen_verloop",
    Status.zaak_uuid,
    Status.datum_status_gezet,
    Status.statustype_uuid,
)
# The open zaken (no einddatum): few, but scattered over the whole table. A partial index
# holding what the open-zaken queries read makes them index-only scans on PostgreSQL
# (INCLUDE) instead of one heap page per open zaak; on SQLite it is a small partial index.
Index(
    "ix_dashboard_zaken_open",
    Zaak.tenant_id,
    Zaak.zaaktype_uuid,
    Zaak.startdatum,
    postgresql_include=[
        "bronorganisatie",
        "einddatum_gepland",
        "uiterlijke_einddatum_afdoening",
        "status_uuid",
        "identificatie",
        "uuid",
        "verlenging",
        "opschorting",
    ],
    postgresql_where=Zaak.einddatum.is_(None),
    sqlite_where=Zaak.einddatum.is_(None),
)
