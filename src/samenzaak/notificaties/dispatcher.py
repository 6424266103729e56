"""Delivery of notifications: from the outbox to every matching abonnement, at least once.

Two steps, each a short transaction, so a worker may die at any moment without loss:

1. **Fan-out.** Claim a batch of undispatched outbox rows (``UPDATE … WHERE id IN (SELECT …
   FOR UPDATE SKIP LOCKED) RETURNING``), match each message against the abonnementen of its
   kanaal and their filters, insert one :class:`Delivery` row per (message, abonnement) and
   mark the outbox rows dispatched, all in one commit. A worker that dies before the commit
   leaves the outbox rows undispatched for the next one.
2. **Delivery.** Claim due pending deliveries by moving ``next_attempt_at`` a lease ahead and
   stamping a claim token (again ``SKIP LOCKED``, so concurrent workers take different rows),
   POST each message to its callback, and record the outcomes in bulk under the same token.
   A worker that dies after claiming leaves rows that become due again when the lease ends:
   they are sent again (duplicates are possible, losses are not).

One slow or dead subscriber cannot hold up the others: each subscriber origin has its own
connection pool of ``notification_subscriber_concurrency`` connections, a worker holds at
most ``QUEUE_PER_SUBSCRIBER`` times that many of one abonnement's deliveries (claims skip
abonnementen that have that many), every POST has a timeout, and a new claim starts as soon
as a quarter of the worker's capacity is free.

On SQLite the same statements run (``FOR UPDATE`` is left out by SQLAlchemy); each claim
starts with a write, so it takes SQLite's single write lock up front and waits for it
(``busy_timeout``) instead of failing when the API writes at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import orjson
from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, UOWTransaction

from samenzaak.common.notifications import OutboxMessage
from samenzaak.config import Settings
from samenzaak.db import utcnow
from samenzaak.notificaties.callbacks import received
from samenzaak.notificaties.models import Abonnement, AbonnementKanaal, Delivery, DeliveryState, Kanaal
from samenzaak.notificaties.service import filters_match

log = logging.getLogger("samenzaak.notificaties.dispatcher")

# How many deliveries per subscriber a worker holds (claimed, queued for one of the
# subscriber's connections), as a multiple of its concurrency: enough that a claim is not a
# round trip per handful of deliveries, few enough that a slow subscriber holds a small part
# of the worker's capacity and its queue drains well within the claim lease.
QUEUE_PER_SUBSCRIBER = 8

OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]
DELIVERIES: Table = Delivery.__table__  # type: ignore[assignment]


MESSAGE_COLUMNS = (
    "id",
    "tenant_id",
    "kanaal",
    "hoofd_object",
    "resource",
    "resource_url",
    "actie",
    "aanmaakdatum",
    "kenmerken",
)


def message_body(row: Any) -> bytes:
    """The JSON a subscriber receives, from an outbox row's columns: the Notificaties API's
    ``Message``, exactly as ``OutboxMessage.message()`` builds it (a test holds them equal)."""
    return orjson.dumps(
        {
            "kanaal": row.kanaal,
            "hoofdObject": row.hoofd_object,
            "resource": row.resource,
            "resourceUrl": row.resource_url,
            "actie": row.actie,
            "aanmaakdatum": row.aanmaakdatum.isoformat().replace("+00:00", "Z"),
            "kenmerken": dict(row.kenmerken or {}),
        }
    )


@dataclass(slots=True)
class Claimed:
    id: int
    token: str
    abonnement: uuid.UUID
    url: str
    auth: str
    body: bytes
    attempts: int
    give_up_at: datetime


@dataclass(slots=True)
class Outcome:
    id: int
    token: str
    attempts: int
    give_up_at: datetime
    status: int | None
    error: str
    at: datetime

    @property
    def ok(self) -> bool:
        return self.status is not None and received(self.status)


@dataclass(slots=True)
class Stats:
    fanned_out: int = 0
    deliveries_created: int = 0
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    by_subscriber: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def backoff(attempts: int, settings: Settings) -> float:
    """Seconds before the next attempt: exponential in the attempts made, capped, with "equal
    jitter" (half fixed, half random) so retries of a burst do not arrive all at once."""
    growth: float = 2.0 ** max(attempts - 1, 0)
    delay = min(settings.notification_backoff_max, settings.notification_backoff_base * growth)
    return delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 (spreading load, not security)


class Dispatcher:
    """One worker: fans out the outbox and delivers to subscribers until stopped."""

    def __init__(
        self,
        factory: async_sessionmaker[AsyncSession],
        settings: Settings,
        *,
        client: httpx.AsyncClient | None = None,
        name: str = "",
    ) -> None:
        self.factory = factory
        self.settings = settings
        self.name = name or f"worker-{uuid.uuid4().hex[:8]}"
        self.stats = Stats()
        self._client = client
        self._own_client = client is None
        self._clients: dict[str, httpx.AsyncClient] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._per_subscriber: dict[uuid.UUID, int] = defaultdict(int)
        self._semaphores: dict[uuid.UUID, asyncio.Semaphore] = {}
        self._outcomes: list[Outcome] = []
        # Claimed deliveries waiting for one of their subscriber's connections.
        self._queued: dict[int, tuple[Claimed, asyncio.Task[None]]] = {}
        self._kick = asyncio.Event()
        self._stopping = False
        self._loop: asyncio.AbstractEventLoop | None = None

    # -- lifecycle ------------------------------------------------------------------------

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        """A session for every tenant at once: the dispatcher serves them all by design (this
        also sets PostgreSQL's row-level security to admit every tenant's outbox rows)."""
        async with self.factory() as session:
            session.info["all_tenants"] = True
            yield session

    def client_for(self, url: str) -> httpx.AsyncClient:
        """One connection pool per subscriber origin: httpcore scans its whole pool on every
        request, so small pools stay fast, and a dead subscriber's connections never sit in
        the pool the others use."""
        if self._client is not None:
            return self._client
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        client = self._clients.get(origin)
        if client is None:
            limit = self.settings.notification_subscriber_concurrency
            client = self._clients[origin] = httpx.AsyncClient(
                timeout=self.settings.notification_timeout,
                limits=httpx.Limits(max_connections=limit, max_keepalive_connections=limit),
                follow_redirects=False,
            )
        return client

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), {}
        for client in clients:
            await client.aclose()
        if self._own_client and self._client is not None:
            await self._client.aclose()
            self._client = None

    def wake(self) -> None:
        """Look at the outbox now (called after a commit that added outbox rows)."""
        self._kick.set()

    def stop(self) -> None:
        self._stopping = True
        self._kick.set()

    async def run(self, *, once: bool = False) -> Stats:
        """Work until :meth:`stop` (or, with ``once``, until nothing is due and nothing is in
        flight). Cancelling the task abandons in-flight deliveries; their lease makes them due
        again later, which is what a crash does too."""
        self._loop = asyncio.get_running_loop()
        _running.add(self)
        try:
            while True:
                # Cleared before the step, not after: a wake-up that arrives while the step
                # runs (waiting for SQLite's write lock, say) must not be lost.
                self._kick.clear()
                progressed = await self.step()
                if self._stopping:
                    break
                if once and not progressed and not self._tasks and not self._outcomes:
                    break
                if not progressed:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._kick.wait(), self.settings.notification_poll_interval)
            await self.drain()
        finally:
            _running.discard(self)
        return self.stats

    async def run_forever(self, pause: float = 5.0) -> None:
        """:meth:`run`, restarted after an error (the database restarting, say) until
        :meth:`stop`: what the embedded dispatcher and ``samenzaak worker`` run."""
        while not self._stopping:
            try:
                await self.run()
            except Exception:
                log.exception("notification dispatcher %s failed; restarting in %s s", self.name, pause)
                await asyncio.sleep(pause)

    async def drain(self) -> None:
        """Graceful stop: hand back the claims of deliveries still queued in this worker (so
        another worker sends them now, not after the lease), let the ones being sent finish
        (each has a timeout) and record their outcomes."""
        queued = list(self._queued.values())
        for _claimed, task in queued:
            task.cancel()
        if queued:
            await asyncio.gather(*(task for _c, task in queued), return_exceptions=True)
            await self.release([c for c, _task in queued])
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=self.settings.notification_timeout + 5)
        await self.flush()

    async def release(self, claims: list[Claimed]) -> None:
        """Give claims back unsent: due now, the attempt not counted."""
        stmt = (
            update(DELIVERIES)
            .where(DELIVERIES.c.id == bindparam("r_id"), DELIVERIES.c.claim_token == bindparam("r_token"))
            .values(next_attempt_at=utcnow(), attempts=DELIVERIES.c.attempts - 1, claim_token=None)
        )
        async with self._session() as session:
            await session.execute(stmt, [{"r_id": c.id, "r_token": c.token} for c in claims])
            await session.commit()

    async def step(self) -> bool:
        """One round: a fan-out batch, a claim if slots are free, and recording outcomes."""
        progressed = await self.fan_out() > 0
        if not self._stopping:
            free = self.settings.notification_concurrency - len(self._tasks)
            # Claim in sizeable portions, not one row per finished delivery.
            threshold = max(
                1, min(self.settings.notification_batch_size, self.settings.notification_concurrency) // 4
            )
            if free >= threshold or (free > 0 and not self._tasks):
                claimed = await self.claim(min(free, self.settings.notification_batch_size))
                for c in claimed:
                    self._start(c)
                progressed = progressed or bool(claimed)
        return await self.flush() > 0 or progressed

    # -- fan-out --------------------------------------------------------------------------

    async def fan_out(self) -> int:
        """Turn one batch of outbox rows into delivery rows. Returns the number of rows.

        Deliveries this worker has room for are inserted already claimed by it and start at
        once (one transaction less between a write and its delivery); the others are
        inserted due, for any worker to claim.
        """
        now = utcnow()
        batch = (
            select(OUTBOX.c.id)
            .where(OUTBOX.c.dispatched_at.is_(None))
            .order_by(OUTBOX.c.id)
            .limit(self.settings.notification_batch_size)
            .with_for_update(skip_locked=True)
        )
        claim = (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(batch.scalar_subquery()))
            .values(dispatched_at=now)
            .returning(*(OUTBOX.c[name] for name in MESSAGE_COLUMNS))
        )
        async with self._session() as session:
            messages = (await session.execute(claim)).all()
            if not messages:
                await session.rollback()
                return 0
            groups = (
                await session.execute(
                    select(
                        AbonnementKanaal.abonnement_uuid,
                        AbonnementKanaal.tenant_id,
                        AbonnementKanaal.filters,
                        Kanaal.naam,
                        Abonnement.callback_url,
                        Abonnement.auth,
                    )
                    .join(Kanaal, Kanaal.uuid == AbonnementKanaal.kanaal_uuid)
                    .join(Abonnement, Abonnement.uuid == AbonnementKanaal.abonnement_uuid)
                    .where(Kanaal.naam.in_({m.kanaal for m in messages}))
                    .execution_options(all_tenants=True)
                )
            ).all()
            by_kanaal: dict[tuple[int, str], list[tuple[uuid.UUID, dict[str, str]]]] = defaultdict(list)
            callbacks: dict[uuid.UUID, tuple[str, str]] = {}
            for g in groups:
                by_kanaal[(g.tenant_id, g.naam)].append((g.abonnement_uuid, g.filters or {}))
                callbacks[g.abonnement_uuid] = (g.callback_url, g.auth)
            give_up_at = now + timedelta(seconds=self.settings.notification_retry_window)
            token = uuid.uuid4().hex
            lease_end = now + timedelta(seconds=self.settings.notification_claim_lease)
            room = 0 if self._stopping else self.settings.notification_concurrency - len(self._tasks)
            per_subscriber = self.settings.notification_subscriber_concurrency * QUEUE_PER_SUBSCRIBER
            held = dict(self._per_subscriber)
            rows: list[dict[str, Any]] = []
            taken: list[tuple[Any, uuid.UUID]] = []  # (message, abonnement)
            for m in messages:
                kenmerken = m.kenmerken or {}
                # An abonnement may list a kanaal twice with other filters: one delivery still.
                targets = {
                    abonnement
                    for abonnement, filters in by_kanaal.get((m.tenant_id, m.kanaal), ())
                    if filters_match(filters, kenmerken)
                }
                for abonnement in targets:
                    take = room > 0 and held.get(abonnement, 0) < per_subscriber
                    if take:
                        room -= 1
                        held[abonnement] = held.get(abonnement, 0) + 1
                        taken.append((m, abonnement))
                    rows.append(
                        {
                            "outbox_id": m.id,
                            "abonnement_uuid": abonnement,
                            "tenant_id": m.tenant_id,
                            "state": DeliveryState.PENDING,
                            "attempts": 1 if take else 0,
                            "created_at": now,
                            "next_attempt_at": lease_end if take else now,
                            "give_up_at": give_up_at,
                            "last_error": "",
                            "claim_token": token if take else None,
                        }
                    )
            ids: dict[tuple[int, uuid.UUID], int] = {}
            if rows:
                await session.execute(insert(DELIVERIES), rows)
            if taken:
                # Plain executemany is the fast path; the ids of this claim come back by token.
                claimed_rows = await session.execute(
                    select(DELIVERIES.c.id, DELIVERIES.c.outbox_id, DELIVERIES.c.abonnement_uuid).where(
                        DELIVERIES.c.claim_token == token
                    )
                )
                ids = {(r.outbox_id, r.abonnement_uuid): r.id for r in claimed_rows}
            await session.commit()
        self.stats.fanned_out += len(messages)
        self.stats.deliveries_created += len(rows)
        bodies: dict[int, bytes] = {}
        for m, abonnement in taken:
            body = bodies.get(m.id)
            if body is None:
                body = bodies[m.id] = message_body(m)
            url, auth = callbacks[abonnement]
            self._start(Claimed(ids[(m.id, abonnement)], token, abonnement, url, auth, body, 1, give_up_at))
        self.stats.claimed += len(taken)
        return len(messages)

    # -- delivery -------------------------------------------------------------------------

    async def claim(self, limit: int) -> list[Claimed]:
        """Take up to ``limit`` due deliveries, at most :data:`QUEUE_PER_SUBSCRIBER` times the
        per-subscriber concurrency for each abonnement, skipping abonnementen that already
        have that many in this worker."""
        if limit <= 0:
            return []
        now = utcnow()
        per_subscriber = self.settings.notification_subscriber_concurrency * QUEUE_PER_SUBSCRIBER
        saturated = [a for a, n in self._per_subscriber.items() if n >= per_subscriber]
        due = (DELIVERIES.c.state == DeliveryState.PENDING) & (DELIVERIES.c.next_attempt_at <= now)
        if saturated:
            due = due & DELIVERIES.c.abonnement_uuid.not_in(saturated)
        # The window (at most so many per abonnement) looks only at the first due rows, so a
        # claim costs the same whatever the backlog; saturated abonnementen are left out above,
        # so the rows of a slow subscriber cannot fill that look-ahead claim after claim.
        head = (
            select(DELIVERIES.c.id, DELIVERIES.c.abonnement_uuid, DELIVERIES.c.next_attempt_at)
            .where(due)
            .order_by(DELIVERIES.c.next_attempt_at, DELIVERIES.c.id)
            .limit(limit * 4)
            .subquery()
        )
        ranked = select(
            head.c.id,
            head.c.next_attempt_at,
            func.row_number()
            .over(partition_by=head.c.abonnement_uuid, order_by=(head.c.next_attempt_at, head.c.id))
            .label("rn"),
        ).subquery()
        candidates = (
            select(ranked.c.id)
            .where(ranked.c.rn <= per_subscriber)
            .order_by(ranked.c.next_attempt_at, ranked.c.id)
            .limit(limit)
        )
        # Re-check "due" under the row lock: a row another worker claimed meanwhile is skipped.
        lockable = (
            select(DELIVERIES.c.id)
            .where(DELIVERIES.c.id.in_(candidates.scalar_subquery()), due)
            .with_for_update(skip_locked=True)
        )
        token = uuid.uuid4().hex
        lease_end = now + timedelta(seconds=self.settings.notification_claim_lease)
        stmt = (
            update(DELIVERIES)
            .where(DELIVERIES.c.id.in_(lockable.scalar_subquery()))
            .values(next_attempt_at=lease_end, attempts=DELIVERIES.c.attempts + 1, claim_token=token)
            .returning(DELIVERIES.c.id)
        )
        async with self._session() as session:
            ids = list((await session.execute(stmt)).scalars())
            if not ids:
                await session.rollback()
                return []
            rows = (
                await session.execute(
                    select(
                        DELIVERIES.c.id.label("delivery_id"),
                        DELIVERIES.c.abonnement_uuid,
                        DELIVERIES.c.attempts,
                        DELIVERIES.c.give_up_at,
                        Abonnement.callback_url,
                        Abonnement.auth,
                        *(OUTBOX.c[name] for name in MESSAGE_COLUMNS),
                    )
                    .join(Abonnement, Abonnement.uuid == DELIVERIES.c.abonnement_uuid)
                    .join(OUTBOX, OUTBOX.c.id == DELIVERIES.c.outbox_id)
                    .where(DELIVERIES.c.id.in_(ids))
                    .execution_options(all_tenants=True)
                )
            ).all()
            await session.commit()
        bodies: dict[int, bytes] = {}
        claimed = []
        for r in rows:
            body = bodies.get(r.id)
            if body is None:
                body = bodies[r.id] = message_body(r)
            claimed.append(
                Claimed(
                    r.delivery_id,
                    token,
                    r.abonnement_uuid,
                    r.callback_url,
                    r.auth,
                    body,
                    r.attempts,
                    r.give_up_at,
                )
            )
        self.stats.claimed += len(claimed)
        return claimed

    def _start(self, c: Claimed) -> None:
        self._per_subscriber[c.abonnement] += 1
        task = asyncio.create_task(self._deliver(c))
        self._tasks.add(task)
        self._queued[c.id] = (c, task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, c: Claimed) -> None:
        semaphore = self._semaphores.get(c.abonnement)
        if semaphore is None:
            semaphore = self._semaphores[c.abonnement] = asyncio.Semaphore(
                self.settings.notification_subscriber_concurrency
            )
        status: int | None = None
        error = ""
        try:
            async with semaphore:
                self._queued.pop(c.id, None)  # being sent now
                try:
                    response = await self.client_for(c.url).post(
                        c.url,
                        content=c.body,
                        headers={"Content-Type": "application/json", "Authorization": c.auth},
                    )
                    status = response.status_code
                    if not received(status):
                        error = f"HTTP {status}: {response.text[:200]}"
                except httpx.HTTPError as exc:
                    error = f"{type(exc).__name__}: {exc}"[:500] or type(exc).__name__
            self._outcomes.append(Outcome(c.id, c.token, c.attempts, c.give_up_at, status, error, utcnow()))
        finally:
            self._queued.pop(c.id, None)
            left = self._per_subscriber[c.abonnement] - 1
            if left:
                self._per_subscriber[c.abonnement] = left
            else:
                del self._per_subscriber[c.abonnement]
                self._semaphores.pop(c.abonnement, None)
            self._kick.set()

    async def flush(self) -> int:
        """Record the outcomes gathered so far, in one statement (executemany)."""
        if not self._outcomes:
            return 0
        outcomes, self._outcomes = self._outcomes, []
        params = [self._outcome_params(o) for o in outcomes]
        stmt = (
            update(DELIVERIES)
            .where(DELIVERIES.c.id == bindparam("o_id"), DELIVERIES.c.claim_token == bindparam("o_token"))
            .values(
                state=bindparam("o_state"),
                next_attempt_at=bindparam("o_next"),
                delivered_at=bindparam("o_delivered"),
                response_status=bindparam("o_status"),
                last_error=bindparam("o_error"),
                claim_token=None,
            )
        )
        try:
            async with self._session() as session:
                await session.execute(stmt, params)
                await session.commit()
        except BaseException:
            # Not recorded: keep them for the next flush (the lease covers a crash meanwhile).
            self._outcomes[:0] = outcomes
            raise
        return len(outcomes)

    def _outcome_params(self, o: Outcome) -> dict[str, Any]:
        params: dict[str, Any] = {
            "o_id": o.id,
            "o_token": o.token,
            "o_status": o.status,
            "o_error": o.error,
            "o_delivered": None,
        }
        if o.ok:
            self.stats.delivered += 1
            params.update(o_state=DeliveryState.DELIVERED, o_next=o.at, o_delivered=o.at)
            return params
        retry_at = o.at + timedelta(seconds=backoff(o.attempts, self.settings))
        if retry_at > o.give_up_at:
            self.stats.failed += 1
            params.update(o_state=DeliveryState.FAILED, o_next=o.at)
        else:
            self.stats.retried += 1
            params.update(o_state=DeliveryState.PENDING, o_next=retry_at)
        return params


# -- waking dispatchers in this process when an outbox row is committed ----------------------

_running: set[Dispatcher] = set()


def wake_all(dispatchers: Iterable[Dispatcher] | None = None) -> None:
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for d in list(dispatchers if dispatchers is not None else _running):
        if d._loop is loop:
            d.wake()


def _note_outbox_rows(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    if any(isinstance(obj, OutboxMessage) for obj in session.new):
        session.info["_outbox_written"] = True


def _after_commit(session: Session) -> None:
    if session.info.pop("_outbox_written", False) and _running:
        wake_all()


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    session.info.pop("_outbox_written", None)


def install_wakeups() -> None:
    """Wake in-process dispatchers right after a commit that wrote outbox rows, so the
    embedded default delivers within milliseconds rather than a poll interval."""
    from sqlalchemy import event

    if not event.contains(Session, "before_flush", _note_outbox_rows):
        event.listen(Session, "before_flush", _note_outbox_rows)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)


# -- failed deliveries: listing and re-queueing (the CLI's `failed` and `retry`) ---------------


async def list_failed(session: AsyncSession, limit: int = 100) -> list[tuple[Delivery, str, OutboxMessage]]:
    rows = (
        await session.execute(
            select(Delivery, Abonnement.callback_url, OutboxMessage)
            .join(Abonnement, Abonnement.uuid == Delivery.abonnement_uuid)
            .join(OutboxMessage, OutboxMessage.id == Delivery.outbox_id)
            .where(Delivery.state == DeliveryState.FAILED)
            .order_by(Delivery.id)
            .limit(limit)
        )
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


async def requeue_failed(session: AsyncSession, settings: Settings, ids: Iterable[int] = ()) -> int:
    """Make failed deliveries (all, or those ``ids``) due now, with a fresh retry window."""
    now = utcnow()
    stmt = (
        update(DELIVERIES)
        .where(DELIVERIES.c.state == DeliveryState.FAILED)
        .values(
            state=DeliveryState.PENDING,
            next_attempt_at=now,
            give_up_at=now + timedelta(seconds=settings.notification_retry_window),
            claim_token=None,
        )
    )
    wanted = list(ids)
    if wanted:
        stmt = stmt.where(DELIVERIES.c.id.in_(wanted))
    result = await session.execute(stmt)
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
