"""Fixtures for the Notificaties tests: webhook subscribers on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from samenzaak.notificaties.testing import Subscriber


@pytest.fixture
async def subscribers() -> AsyncIterator[Callable[..., Awaitable[Subscriber]]]:
    """``await subscribers(delay=…, status=…)`` starts one more; all stop after the test."""
    started: list[Subscriber] = []

    async def start(**kwargs: object) -> Subscriber:
        sub = await Subscriber(**kwargs).start()  # type: ignore[arg-type]
        started.append(sub)
        return sub

    yield start
    for sub in started:
        await sub.stop()


@pytest.fixture
async def subscriber(subscribers: Callable[..., Awaitable[Subscriber]]) -> Subscriber:
    return await subscribers()
