"""Fixtures: one customer-service runtime per test session on a fixed, advanceable clock.

Declaring a queue per event type takes a few seconds, so the runtime is shared; tests keep
apart by using their own order and complaint ids, and only ever move the clock forward.

The HTTP client is signed in as Lin of the after-sales desk; a step someone else takes (an
approval, a review, a rebuild) is sent with that person's headers (``signed_in``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

import aio_pika
import httpx
import pytest

from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime, build_runtime, routers
from services.customer_service.settings import CustomerServiceSettings
from shared.clock import FixedClock
from shared.http import create_app
from tests.harness import EventSpy, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

DESK = "Lin"


def signed_in(name: str, *roles: Role) -> dict[str, str]:
    """The Authorization header of ``name`` holding ``roles``."""
    return ISSUER.headers(name, *roles)


# The clock starts at the wall-clock time, because other services' events (sent by the tests
# with the wall-clock time) and this service's own events are ordered by when they occurred.
START = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def cs_clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture(scope="session")
def cs_settings(infra: Infra, namespace: str) -> CustomerServiceSettings:
    return settings_for(
        CustomerServiceSettings,
        infra,
        namespace,
        "customer_service",
        notice_poll_s=0.05,
        prefetch=50,
    )


@pytest.fixture(scope="session")
async def cs_runtime(
    cs_settings: CustomerServiceSettings, cs_clock: FixedClock, cleanup_run: None
) -> AsyncIterator[CustomerServiceRuntime]:
    runtime = build_runtime(cs_settings, clock=cs_clock)
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture(scope="session")
async def cs_channel(infra: Infra) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


@pytest.fixture(scope="session")
async def spy(
    cs_channel: aio_pika.abc.AbstractChannel, namespace: str, cs_runtime: CustomerServiceRuntime
) -> EventSpy:
    return await EventSpy(cs_channel, namespace, name="customer_service_spy").start()


def client(
    runtime: CustomerServiceRuntime, base_url: str = "http://customer-service"
) -> httpx.AsyncClient:
    """A client of ``runtime``'s HTTP API, signed in as the desk's Lin."""
    app = create_app(runtime, routers(), manage_runtime=False)
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url=base_url,
        headers=signed_in(DESK, Role.AFTER_SALES),
    )


@pytest.fixture
async def api(cs_runtime: CustomerServiceRuntime) -> AsyncIterator[httpx.AsyncClient]:
    async with client(cs_runtime) as c:
        yield c


StartReplica = Callable[[], Awaitable[CustomerServiceRuntime]]


@pytest.fixture
async def start_replica(
    cs_settings: CustomerServiceSettings, cs_clock: FixedClock
) -> AsyncIterator[StartReplica]:
    """A second replica of the same service (same queues and schema), stopped at teardown."""
    started: list[CustomerServiceRuntime] = []

    async def start() -> CustomerServiceRuntime:
        runtime = build_runtime(cs_settings, clock=cs_clock)
        await runtime.start()
        started.append(runtime)
        return runtime

    yield start
    for runtime in started:
        await runtime.stop()
