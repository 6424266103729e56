"""Delivery rules with one dispatcher, inside the test's rolled-back transaction: matching on
kanaal and filters, the message as the consumer spec defines it, retries with backoff, the
end of the retry window, re-sending failed deliveries, tenants, and the metrics.

The dispatcher here uses the test's sessionmaker (savepoints on the test connection), which
is right for one dispatcher; concurrency and crashes are in ``test_delivery_faults.py``.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from openapi_schema_validator import OAS30ReadValidator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from samenzaak.common.notifications import OutboxMessage
from samenzaak.db import Tenant, tenant_session
from samenzaak.notificaties import metrics
from samenzaak.notificaties.dispatcher import Dispatcher, backoff, list_failed, requeue_failed
from samenzaak.notificaties.models import Delivery, DeliveryState
from samenzaak.notificaties.testing import Subscriber
from tests.notificaties.helpers import ZAAKTYPE_A, ZAAKTYPE_B, fast_settings, publish_many, subscribe
from tests.spec import spec


async def deliveries(session: AsyncSession) -> list[Delivery]:
    session.expire_all()
    return list((await session.scalars(select(Delivery).order_by(Delivery.id))).all())


async def test_delivers_to_matching_abonnementen_with_their_auth(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscribers: Any,
    tmp_path: Path,
    db_url: str,
) -> None:
    everything, only_a, only_b, wildcard = [await subscribers() for _ in range(4)]
    await subscribe(session, everything.url, auth="Bearer alles")
    await subscribe(session, only_a.url, ("zaken", {"zaaktype": ZAAKTYPE_A}))
    await subscribe(session, only_b.url, ("zaken", {"zaaktype": ZAAKTYPE_B}))
    await subscribe(session, wildcard.url, ("zaken", {"zaaktype": "*", "bronorganisatie": "002220647"}))
    a = await publish_many(session, 3, zaaktype=ZAAKTYPE_A)
    b = await publish_many(session, 2, zaaktype=ZAAKTYPE_B)
    await publish_many(session, 2, kanaal="documenten")  # nobody subscribed there

    stats = await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)

    assert stats.fanned_out == 7 and stats.delivered == 5 + 3 + 2 + 5
    assert sorted(m["resourceUrl"] for m in everything.notifications()) == sorted(a + b)
    assert sorted(m["resourceUrl"] for m in only_a.notifications()) == sorted(a)
    assert sorted(m["resourceUrl"] for m in only_b.notifications()) == sorted(b)
    assert len(wildcard.notifications()) == 5
    assert {r.headers["authorization"] for r in everything.received} == {"Bearer alles"}
    assert {r.headers["content-type"] for r in everything.received} == {"application/json"}
    assert all(
        d.state == DeliveryState.DELIVERED and d.response_status == 204 for d in await deliveries(session)
    )
    outbox = (await session.scalars(select(OutboxMessage))).all()
    assert all(m.dispatched_at is not None for m in outbox)


async def test_message_matches_the_consumer_webhook_spec(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscriber: Subscriber,
    tmp_path: Path,
    db_url: str,
) -> None:
    await subscribe(session, subscriber.url)
    await publish_many(session, 1)
    await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    (body,) = subscriber.notifications()
    webhook = spec("notificaties-consumer-webhook-1.0.0-rc1.yaml")
    validator = OAS30ReadValidator(
        {"$ref": f"{webhook.uri}#/components/schemas/Notificatie"},
        registry=webhook.registry,
        format_checker=OAS30ReadValidator.FORMAT_CHECKER,
    )
    assert [e.message for e in validator.iter_errors(body)] == []
    assert set(body) == {
        "kanaal",
        "hoofdObject",
        "resource",
        "resourceUrl",
        "actie",
        "aanmaakdatum",
        "kenmerken",
    }
    # The dispatcher builds the body from columns; it is the outbox row's message() exactly.
    row = await session.scalar(select(OutboxMessage))
    assert row is not None and body == row.message()


async def test_kanaal_listed_twice_in_an_abonnement_delivers_once(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscriber: Subscriber,
    tmp_path: Path,
    db_url: str,
) -> None:
    await subscribe(
        session, subscriber.url, ("zaken", {"zaaktype": ZAAKTYPE_A}), ("zaken", {"zaaktype": "*"})
    )
    await publish_many(session, 2)
    await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    assert len(subscriber.notifications()) == 2


async def test_notifications_stay_within_their_tenant(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscribers: Any,
    tmp_path: Path,
    db_url: str,
) -> None:
    session.add(Tenant(id=2, slug="buurgemeente", naam="Buurgemeente"))
    await session.commit()
    ours, theirs = await subscribers(), await subscribers()
    await subscribe(session, ours.url)
    async with tenant_session(sessionmaker, 2) as other:
        await subscribe(other, theirs.url)
        their_urls = await publish_many(other, 2, tag="t2-")
    our_urls = await publish_many(session, 3)
    # Metrics through a tenant's session count that tenant's notifications only.
    assert (await metrics.collect(session))["backlog"]["outbox"] == 3
    async with tenant_session(sessionmaker, 2) as other:
        assert (await metrics.collect(other))["backlog"]["outbox"] == 2
    await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    assert sorted(m["resourceUrl"] for m in ours.notifications()) == sorted(our_urls)
    assert sorted(m["resourceUrl"] for m in theirs.notifications()) == sorted(their_urls)


async def test_failing_subscriber_is_retried_with_backoff_until_it_answers(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscribers: Any,
    tmp_path: Path,
    db_url: str,
) -> None:
    sub = await subscribers(status=503)
    await subscribe(session, sub.url)
    urls = await publish_many(session, 3)
    # The first retry is due 0.15-0.3 s later, usually after the first run has stopped (nothing due).
    settings = fast_settings(tmp_path, db_url, notification_backoff_base=0.3, notification_backoff_max=0.3)
    dispatcher = Dispatcher(sessionmaker, settings)
    await dispatcher.run(once=True)
    rows = await deliveries(session)
    assert [d.state for d in rows] == [DeliveryState.PENDING] * 3
    assert all(d.attempts >= 1 and d.response_status == 503 and "HTTP 503" in d.last_error for d in rows)
    assert all(d.next_attempt_at > d.created_at for d in rows)
    sub.status = 204
    async with asyncio.timeout(5):
        while len(sub.notifications()) < 3:
            await dispatcher.run(once=True)
            await asyncio.sleep(0.05)
    assert sorted(m["resourceUrl"] for m in sub.notifications()) == sorted(urls)
    assert [d.state for d in await deliveries(session)] == [DeliveryState.DELIVERED] * 3


def test_backoff_grows_exponentially_with_jitter_and_a_cap(tmp_path: Path) -> None:
    settings = fast_settings(
        tmp_path, "sqlite:///x", notification_backoff_base=2.0, notification_backoff_max=60.0
    )
    for attempts, full in [(1, 2.0), (2, 4.0), (3, 8.0), (5, 32.0), (6, 60.0), (30, 60.0)]:
        waits = [backoff(attempts, settings) for _ in range(50)]
        assert all(full / 2 <= w <= full for w in waits)
        assert len(set(waits)) > 1  # jitter


async def test_after_the_retry_window_a_delivery_is_kept_as_failed_and_can_be_resent(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscribers: Any,
    tmp_path: Path,
    db_url: str,
) -> None:
    sub = await subscribers(status=500)
    await subscribe(session, sub.url)
    (url,) = await publish_many(session, 1)
    settings = fast_settings(tmp_path, db_url, notification_retry_window=0.3)
    dispatcher = Dispatcher(sessionmaker, settings)
    await dispatcher.run(once=True)
    async with asyncio.timeout(5):
        while (await deliveries(session))[0].state != DeliveryState.FAILED:
            await dispatcher.run(once=True)
            await asyncio.sleep(0.05)
    (failed,) = await deliveries(session)
    assert failed.attempts >= 2 and failed.response_status == 500
    listed = await list_failed(session)
    assert [(d.id, callback, m.resource_url) for d, callback, m in listed] == [(failed.id, sub.url, url)]
    summary = await metrics.collect(session)
    assert summary["failuresPerSubscriber"] == [
        {
            "abonnement": summary["failuresPerSubscriber"][0]["abonnement"],
            "callbackUrl": sub.url,
            "failed": 1,
            "retrying": 0,
        }
    ]

    sub.status = 204
    await dispatcher.run(once=True)
    assert sub.notifications() == []  # failed stays failed until re-sent
    assert await requeue_failed(session, settings) == 1
    await dispatcher.run(once=True)
    assert [m["resourceUrl"] for m in sub.notifications()] == [url]
    assert (await deliveries(session))[0].state == DeliveryState.DELIVERED


async def test_deleting_an_abonnement_drops_its_pending_deliveries(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscribers: Any,
    tmp_path: Path,
    db_url: str,
) -> None:
    sub = await subscribers(status=503)
    abonnement = await subscribe(session, sub.url)
    await publish_many(session, 2)
    await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    assert len(await deliveries(session)) == 2
    await session.delete(abonnement)
    await session.commit()
    assert await deliveries(session) == []


async def test_metrics_report_backlog_rate_and_oldest(
    session: AsyncSession,
    sessionmaker: async_sessionmaker[AsyncSession],
    subscriber: Subscriber,
    tmp_path: Path,
    db_url: str,
) -> None:
    await subscribe(session, subscriber.url)
    await publish_many(session, 4)
    before = await metrics.collect(session)
    assert before["backlog"] == {"outbox": 4, "deliveries": 0, "total": 4}
    assert before["oldestUndeliveredAgeSeconds"] >= 0
    await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    after = await metrics.collect(session, window=60)
    assert after["backlog"]["total"] == 0 and after["oldestUndeliveredAgeSeconds"] is None
    assert after["deliveriesPerSecond"] == round(4 / 60, 3)


async def test_messages_on_a_kanaal_without_abonnementen_are_just_dispatched(
    sessionmaker: async_sessionmaker[AsyncSession], session: AsyncSession, tmp_path: Path, db_url: str
) -> None:
    await publish_many(session, 3, kanaal="autorisaties")
    stats = await Dispatcher(sessionmaker, fast_settings(tmp_path, db_url)).run(once=True)
    assert (stats.fanned_out, stats.deliveries_created) == (3, 0)
    assert await deliveries(session) == []
    assert all(m.dispatched_at for m in (await session.scalars(select(OutboxMessage))).all())
