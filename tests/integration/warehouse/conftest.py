"""Warehouse runtimes against the real broker and database, an HTTP client and an event spy.

One runtime serves the whole module set (tests keep apart by using their own product codes and
order ids); a test that needs a second replica starts one with the same name.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

import aio_pika
import httpx
import pytest

from contracts.roles import Role
from services.warehouse.main import build_runtime, routers
from services.warehouse.settings import WarehouseSettings
from shared.clock import FixedClock
from shared.http import create_app
from shared.runtime import ServiceRuntime
from tests.harness import EventSpy, now, settings_for
from tests.identity import ISSUER
from tests.infra import Infra


@dataclass
class Warehouse:
    runtime: ServiceRuntime
    http: httpx.AsyncClient
    spy: EventSpy
    channel: aio_pika.abc.AbstractChannel
    namespace: str
    clock: FixedClock
    settings: WarehouseSettings


@pytest.fixture(scope="session")
async def warehouse(infra: Infra, namespace: str) -> AsyncIterator[Warehouse]:
    # the service keeps its own name: commands are routed by it ("warehouse.confirm_pick")
    name = "warehouse"
    settings = settings_for(WarehouseSettings, infra, namespace, name, prefetch=20)
    clock = FixedClock(now())
    runtime = build_runtime(settings, clock)
    await runtime.start()
    connection = await aio_pika.connect(infra.amqp_url)
    channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
    spy = await EventSpy(channel, namespace, f"{name}-spy").start()
    app = create_app(runtime, routers(), manage_runtime=False)
    # The client is a storekeeper who is also QC; a test that needs someone else signs them in.
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://warehouse",
        headers=ISSUER.headers("Wang", Role.WAREHOUSE, Role.QC),
    ) as client:
        yield Warehouse(runtime, client, spy, channel, namespace, clock, settings)
    await connection.close()
    await runtime.stop()


@pytest.fixture
async def replica(warehouse: Warehouse) -> AsyncIterator[Callable[[], Awaitable[ServiceRuntime]]]:
    """Start more replicas of the shared warehouse (same queues, same schema)."""
    started: list[ServiceRuntime] = []

    async def start() -> ServiceRuntime:
        runtime = build_runtime(warehouse.settings, warehouse.clock)
        await runtime.start()
        started.append(runtime)
        return runtime

    yield start
    for runtime in started:
        await runtime.stop()


@pytest.fixture
def code() -> str:
    """A product code no other test uses."""
    return f"P-{uuid.uuid4().hex[:10]}"
