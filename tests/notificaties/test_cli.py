"""``samenzaak worker`` and ``samenzaak notificaties failed|retry`` on a database of their own
(a SQLite file in the test's tmp dir: the commands open their own engine from the settings)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from samenzaak.config import get_settings
from samenzaak.db import create_engine, make_sessionmaker, tenant_session
from samenzaak.migrate import upgrade
from samenzaak.notificaties.cli import app
from samenzaak.notificaties.testing import Subscriber
from tests.notificaties.helpers import publish_many, subscribe


@pytest.fixture
def loop_thread() -> Iterator[asyncio.AbstractEventLoop]:
    """A subscriber needs a running loop while the (synchronous) commands run."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


async def _prepare(url: str, callback: str) -> list[str]:
    await upgrade(url)
    engine = create_engine(url)
    try:
        async with tenant_session(make_sessionmaker(engine)) as session:
            await subscribe(session, callback)
            return await publish_many(session, 2)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("command", [[], ["worker"], ["failed"], ["retry"]])
def test_help(command: list[str]) -> None:
    result = CliRunner().invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output


def test_worker_failed_and_retry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, loop_thread: asyncio.AbstractEventLoop
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("SAMENZAAK_DATABASE_URL", url)
    monkeypatch.setenv("SAMENZAAK_NOTIFICATION_RETRY_WINDOW", "0")  # the first failure is final
    get_settings.cache_clear()
    sub = asyncio.run_coroutine_threadsafe(Subscriber(status=500).start(), loop_thread).result(5)
    try:
        urls = asyncio.run(_prepare(url, sub.url))
        runner = CliRunner()

        result = runner.invoke(app, ["worker", "--once"])
        assert result.exit_code == 0, result.output
        assert "2 notificaties fanned out, 0 delivered, 0 to retry, 2 failed" in result.output

        result = runner.invoke(app, ["failed"])
        assert result.exit_code == 0
        assert sorted(line.split("\t")[4] for line in result.output.splitlines()) == sorted(urls)
        assert all("status=500" in line for line in result.output.splitlines())

        sub.status = 204
        first_id = result.output.split("\t")[0]
        assert "1 deliveries queued again." in runner.invoke(app, ["retry", first_id]).output
        assert "1 delivered" in runner.invoke(app, ["worker", "--once"]).output
        assert "1 deliveries queued again." in runner.invoke(app, ["retry"]).output
        assert "1 delivered" in runner.invoke(app, ["worker", "--once"]).output
        assert runner.invoke(app, ["failed"]).output.strip() == "No failed deliveries."
        assert sorted(m["resourceUrl"] for m in sub.notifications()) == sorted(urls)
    finally:
        asyncio.run_coroutine_threadsafe(sub.stop(), loop_thread).result(5)
        get_settings.cache_clear()
