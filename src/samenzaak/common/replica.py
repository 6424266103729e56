"""Reads from a streaming replica where staleness is acceptable, never stale for the writer.

A write transaction of a client records its transaction id (``pg_current_xact_id()``) in
``client_write_positions``, in the same transaction. A read that may use the replica first
asks the primary for that client's last transaction id (one primary-key lookup) and then the
replica whether it has replayed that transaction's commit (``pg_xact_status``). Only then
does the read go to the replica; otherwise to the primary. So a client never reads older
data than it wrote, whichever process or host served its write, while other clients' list
and dashboard reads move to the replica.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, event, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, UOWTransaction, mapped_column

from samenzaak.db import Base, TenantMixin, UTCDateTime, utcnow


class ClientWritePosition(TenantMixin, Base):
    """The last write transaction of a client (kept only when a replica is configured)."""

    __tablename__ = "client_write_positions"
    __table_args__ = (Index("ix_client_write_positions_client", "tenant_id", "client_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(100))
    xid: Mapped[str] = mapped_column(String(30))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


@event.listens_for(Session, "after_flush")
def _note_flush(session: Session, flush_context: UOWTransaction) -> None:
    session.info["wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_write(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete or state.is_insert:
        state.session.info["wrote"] = True


@event.listens_for(Session, "before_commit")
def _record_write_position(session: Session) -> None:
    info = session.info
    if not (info.get("track_writes") and info.get("wrote") and info.get("client_id")):
        return
    info["wrote"] = False
    stmt = postgresql.insert(ClientWritePosition).values(
        tenant_id=info["tenant_id"],
        client_id=info["client_id"],
        xid=text("pg_current_xact_id()::text"),
        updated_at=utcnow(),
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["tenant_id", "client_id"],
        set_={"xid": stmt.excluded.xid, "updated_at": stmt.excluded.updated_at},
    )
    session.execute(stmt)


_REPLAYED = text(
    "SELECT CASE WHEN CAST(CAST(:xid AS text) AS xid8) >= pg_snapshot_xmax(pg_current_snapshot()) "
    "THEN 'not replayed' ELSE pg_xact_status(CAST(CAST(:xid AS text) AS xid8)) END"
)


async def replica_is_current_for(primary: AsyncSession, replica: AsyncSession, client_id: str) -> bool:
    """Whether the replica has replayed the client's last write (or the client never wrote)."""
    xid = await primary.scalar(
        select(ClientWritePosition.xid).where(ClientWritePosition.client_id == client_id)
    )
    if xid is None:
        return True
    # A transaction the replica has not reached yet is "in the future" there: pg_xact_status
    # would raise, so compare with the replica's snapshot first.
    status: Any = await replica.scalar(_REPLAYED, {"xid": xid})
    return bool(status == "committed")
