"""Fixtures: a sales runtime per test (own schema and queues), an HTTP client, an event spy."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import aio_pika
import httpx
import pytest

from contracts.roles import Role
from services.sales.main import build_runtime, routers
from services.sales.settings import SalesSettings
from shared.clock import FixedClock
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import EventSpy, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

_names = itertools.count(1)

# Wednesday 2 December 2026, 10:00 in Shanghai: a plain business day.
START = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)


@dataclass
class Sales:
    runtime: ServiceRuntime
    client: httpx.AsyncClient
    clock: FixedClock
    spy: EventSpy
    channel: aio_pika.abc.AbstractChannel
    name: str
    others: list[ServiceRuntime] = field(default_factory=list)


@pytest.fixture
async def amqp_channel(infra: Infra) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


@pytest.fixture
async def make_sales(
    infra: Infra, namespace: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> AsyncIterator[Callable[..., Any]]:
    """Start a sales service (optionally with a second replica of the same name)."""
    started: list[ServiceRuntime] = []
    clients: list[httpx.AsyncClient] = []

    async def start(replicas: int = 1, **overrides: Any) -> Sales:
        name = f"sales{next(_names)}"
        clock = FixedClock(START)
        # Own namespace per test (queues, exchanges) under the run's, so command routing keys
        # ("sales.*") reach this test's service only; own schema too.
        own = f"{namespace}{name}."
        schema = f"{namespace.rstrip('.')}_{name}"
        settings = settings_for(
            SalesSettings, infra, own, "sales", **{"db_schema": schema, **overrides}
        )
        runtimes = []
        for _ in range(replicas):
            runtime = build_runtime(settings, clock=clock)
            await runtime.start()
            started.append(runtime)
            runtimes.append(runtime)
        app = create_app(runtimes[0], routers(), manage_runtime=False)
        # The client is Li at the sales desk; a test that needs someone else signs them in.
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://sales",
            headers=ISSUER.headers("Li", Role.SALES_DESK),
        )
        clients.append(client)
        spy = await EventSpy(amqp_channel, own).start()
        return Sales(runtimes[0], client, clock, spy, amqp_channel, name, runtimes[1:])

    yield start
    for client in clients:
        await client.aclose()
    for runtime in reversed(started):
        await runtime.stop()


@pytest.fixture
async def sales(make_sales: Callable[..., Any]) -> Sales:
    s: Sales = await make_sales()
    return s
