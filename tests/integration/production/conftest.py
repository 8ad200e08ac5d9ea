"""Production runtimes against the real broker and database, an HTTP client, an event spy."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest

from contracts.roles import Role
from services.production.main import ProductionRuntime, routers
from services.production.settings import ProductionSettings
from shared.clock import FixedClock
from shared.http import create_app
from tests.harness import EventSpy, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

_names = itertools.count(1)

# Monday 7 December 2026, 10:00 in Shanghai: with one business day of lead time the first
# production day is Tuesday 8 December.
MONDAY = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)

StartProduction = Callable[..., Awaitable[ProductionRuntime]]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(MONDAY)


@pytest.fixture
def test_no() -> int:
    return next(_names)


@pytest.fixture
def ns(namespace: str, test_no: int) -> str:
    """This test's own exchanges and queues, inside the run's namespace.

    The service keeps its real name, "production", because the command queue is bound to
    ``production.#``: a renamed service would not receive shop-floor commands.
    """
    return f"{namespace}p{test_no}."


@pytest.fixture
async def start_production(
    infra: Infra, namespace: str, ns: str, test_no: int, clock: FixedClock
) -> AsyncIterator[StartProduction]:
    """Start replicas of production; the replicas of one test share queues and schema."""
    started: list[ProductionRuntime] = []
    schema = f"{namespace.rstrip('.')}_production{test_no}"

    async def start(**overrides: object) -> ProductionRuntime:
        settings = settings_for(
            ProductionSettings, infra, ns, "production", db_schema=schema, **overrides
        )
        runtime = ProductionRuntime(settings, clock=clock, run_jobs=False)
        await runtime.start()
        started.append(runtime)
        return runtime

    yield start
    for runtime in reversed(started):
        await runtime.stop()


@pytest.fixture
async def production(start_production: StartProduction) -> ProductionRuntime:
    return await start_production()


@pytest.fixture
async def client(production: ProductionRuntime) -> AsyncIterator[httpx.AsyncClient]:
    """A planner who also reports from the shop floor; a test that needs someone else signs
    them in with its own headers."""
    app = create_app(production, routers(), manage_runtime=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://production",
        headers=ISSUER.headers("Zhao", Role.PRODUCTION_PLANNER, Role.SHOP_FLOOR),
    ) as http:
        yield http


@pytest.fixture
async def amqp_channel(infra: Infra) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


@pytest.fixture
async def spy(amqp_channel: aio_pika.abc.AbstractChannel, ns: str) -> EventSpy:
    return await EventSpy(amqp_channel, ns).start()
