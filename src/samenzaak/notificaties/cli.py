"""``samenzaak worker`` and ``samenzaak notificaties failed|retry``.

Wiring in ``samenzaak.cli``::

    from samenzaak.notificaties.cli import app as notificaties_app, worker
    app.add_typer(notificaties_app, name="notificaties")
    app.command()(worker)
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from samenzaak.common.notifications import OutboxMessage
from samenzaak.config import Settings, get_settings
from samenzaak.db import create_engine, make_sessionmaker
from samenzaak.notificaties.dispatcher import Dispatcher, list_failed, requeue_failed
from samenzaak.notificaties.models import Delivery

app = typer.Typer(
    help="Notification delivery: failed deliveries, re-sending them, the worker.", no_args_is_help=True
)


@asynccontextmanager
async def _sessions(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(settings.resolved_database_url())
    try:
        yield make_sessionmaker(engine)
    finally:
        await engine.dispose()


async def _work(settings: Settings, once: bool) -> int:
    async with _sessions(settings) as factory:
        dispatcher = Dispatcher(factory, settings)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            # Stop claiming, let in-flight deliveries finish and record them, then exit.
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(sig, dispatcher.stop)
        try:
            if once:
                await dispatcher.run(once=True)
            else:
                await dispatcher.run_forever()
            stats = dispatcher.stats
        finally:
            await dispatcher.aclose()
    typer.echo(
        f"{dispatcher.name}: {stats.fanned_out} notificaties fanned out, {stats.delivered} delivered, "
        f"{stats.retried} to retry, {stats.failed} failed."
    )
    return stats.delivered


@app.command("worker")
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit (for tests and cron).")
    ] = False,
) -> None:
    """Run a notification dispatcher: fan out the outbox and deliver to the abonnementen.

    Run as many as you like against one PostgreSQL database: they claim work with
    FOR UPDATE SKIP LOCKED and do not send a notification twice in the normal case.
    Set SAMENZAAK_DISPATCHER_IN_PROCESS=false for the servers when workers run separately.
    """
    asyncio.run(_work(get_settings(), once))


async def _failed(settings: Settings, limit: int) -> list[tuple[Delivery, str, OutboxMessage]]:
    async with _sessions(settings) as factory, factory() as session:
        return await list_failed(session, limit)


@app.command("failed")
def failed(
    limit: Annotated[int, typer.Option(help="Show at most this many.")] = 100,
) -> None:
    """List deliveries that kept failing for the whole retry window."""
    rows = asyncio.run(_failed(get_settings(), limit))
    if not rows:
        typer.echo("No failed deliveries.")
        return
    for delivery, callback_url, message in rows:
        typer.echo(
            f"{delivery.id}\t{callback_url}\t{message.kanaal}\t{message.actie}\t{message.resource_url}\t"
            f"attempts={delivery.attempts}\tstatus={delivery.response_status}\t{delivery.last_error}"
        )


async def _retry(settings: Settings, ids: list[int]) -> int:
    async with _sessions(settings) as factory, factory() as session:
        return await requeue_failed(session, settings, ids)


@app.command("retry")
def retry(
    ids: Annotated[
        list[int] | None, typer.Argument(help="Delivery ids (from `failed`); none: every failed delivery.")
    ] = None,
) -> None:
    """Queue failed deliveries again, with a fresh retry window."""
    count = asyncio.run(_retry(get_settings(), ids or []))
    typer.echo(f"{count} deliveries queued again.")
