"""SQLite: requests that change data begin IMMEDIATE, so a commit by another connection (the
in-process notification dispatcher) between their first read and first write cannot fail
them with "database is locked" (SQLITE_BUSY_SNAPSHOT, a 500 seen in the conformance runs)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from samenzaak.common.web import get_session
from samenzaak.db import SQLITE_BEGIN_IMMEDIATE, create_engine, make_sessionmaker, writer_bind


async def _read_then_write_after_another_commit(path: Path, immediate: bool) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        async with engine.begin() as conn:
            await conn.execute(text("CREATE TABLE IF NOT EXISTS t (n INTEGER)"))
        async with (writer_bind(engine) if immediate else engine).connect() as request:
            await request.begin()
            await request.execute(text("SELECT count(*) FROM t"))
            # Another connection (the dispatcher) that begins deferred and commits a write.
            async with engine.connect() as other:
                # Short wait: while the request holds the write lock, this one gives up.
                await other.exec_driver_sql("PRAGMA busy_timeout=100")
                await other.commit()
                try:
                    await other.execute(text("INSERT INTO t VALUES (1)"))
                    await other.commit()
                except OperationalError:
                    await other.rollback()
            await request.execute(text("INSERT INTO t VALUES (2)"))
            await request.commit()
    finally:
        await engine.dispose()


async def test_a_deferred_transaction_that_read_fails_to_write_after_another_commit(tmp_path: Path) -> None:
    # Why the write requests need IMMEDIATE: this is the 500 of the conformance runs.
    with pytest.raises(OperationalError, match="database is locked"):
        await _read_then_write_after_another_commit(tmp_path / "db.sqlite3", immediate=False)


async def test_an_immediate_transaction_writes_after_reading(tmp_path: Path) -> None:
    await _read_then_write_after_another_commit(tmp_path / "db.sqlite3", immediate=True)


@pytest.mark.parametrize(
    ("method", "expected"),
    [("GET", False), ("HEAD", False), ("POST", True), ("PATCH", True), ("DELETE", True)],
)
async def test_requests_that_change_data_begin_immediate(tmp_path: Path, method: str, expected: bool) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    state = SimpleNamespace(sessionmaker=make_sessionmaker(engine), replica_sessionmaker=None)
    scope: dict[str, Any] = {
        "type": "http",
        "method": method,
        "path": "/zaken/api/v1/zaken",
        "headers": [],
        "query_string": b"",
        "app": SimpleNamespace(state=state),
        "state": {},
    }
    try:
        async for session in get_session(Request(scope)):
            bind = session.bind
            assert isinstance(bind, AsyncEngine)
            assert bind.get_execution_options().get(SQLITE_BEGIN_IMMEDIATE, False) is expected
    finally:
        await engine.dispose()
