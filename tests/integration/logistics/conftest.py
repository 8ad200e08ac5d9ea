"""A logistics runtime per test, in its own namespace and schema, on the real broker and DB.

Time is a ``FixedClock`` (Tuesday 2026-12-01 10:00 in Shanghai, before the pickup cut-off) and
deadlines fire when a test calls ``runtime.scanner.fire_due()`` after advancing it. The carrier
is the built-in simulated one, injected so a test can choose how it behaves.
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import aio_pika
import httpx
import pytest

from contracts.base import Message
from contracts.common import Address, Dimensions, Package
from contracts.events.warehouse import GoodsReady
from contracts.roles import Role
from services.logistics.adapters.carriers import SimulatedCarrier
from services.logistics.main import LogisticsRuntime, build_runtime, routers
from services.logistics.settings import LogisticsSettings
from shared.clock import FixedClock
from shared.http import create_app
from shared.signing import signed_headers
from tests.harness import EventSpy, eventually, send, settings_for
from tests.identity import ISSUER
from tests.infra import Infra

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
_numbers = itertools.count(1)


class SignedBy(httpx.Auth):
    """A carrier's system calling: signed in as ``login``, each body signed with ``secret``
    at ``at`` (now by default), as ``shared.signing`` says."""

    def __init__(self, login: str, secret: str, at: datetime | None = None) -> None:
        self.login, self.secret, self.at = login, secret, at

    def auth_flow(self, request: httpx.Request) -> Iterator[httpx.Request]:
        request.headers.update(ISSUER.headers(self.login, Role.CARRIER))
        at = self.at or datetime.now(UTC)
        request.headers.update(signed_headers(self.secret, request.content, at))
        yield request


# The test client is a dispatcher; scans come from the carrier's system (``auth=CARRIER``); the
# simulator is an operator's. A test that needs someone else signs them in with its own headers.
DISPATCHER = ISSUER.headers("Zhou", Role.DISPATCHER)
CARRIER_LOGIN, CARRIER_SECRET = "zto-gateway", "zto-gateway's secret, from operations"
CARRIER = SignedBy(CARRIER_LOGIN, CARRIER_SECRET)
OPERATOR = ISSUER.headers("ops", Role.OPERATOR)


@dataclass
class Logistics:
    runtime: LogisticsRuntime
    clock: FixedClock
    carrier: SimulatedCarrier
    spy: EventSpy
    http: httpx.AsyncClient
    channel: aio_pika.abc.AbstractChannel
    namespace: str
    replicas: list[LogisticsRuntime] = field(default_factory=list)

    async def send(self, message: Message, correlation_id: str, **kw: Any) -> None:
        await send(self.channel, self.namespace, message, correlation_id=correlation_id, **kw)

    async def shipment_of(self, order_id: UUID, timeout: float = 15) -> dict[str, Any]:
        found: list[dict[str, Any]] = []

        async def booked() -> bool:
            found[:] = (await self.http.get(f"/orders/{order_id}/shipments")).json()
            return bool(found)

        await eventually(booked, timeout=timeout)
        return found[0]

    async def shipment(self, shipment_id: UUID | str) -> dict[str, Any]:
        response = await self.http.get(f"/shipments/{shipment_id}")
        assert response.status_code == 200, response.text
        return response.json()

    async def scan(self, shipment: dict[str, Any], status: str, n: int, **kw: Any) -> dict:
        body = {
            "carrier": shipment["carrier"],
            "tracking_no": shipment["tracking_no"],
            "scan_id": f"{shipment['tracking_no']}-{n}",
            "status": status,
            "at": self.clock.now().isoformat(),
            **kw,
        }
        response = await self.http.post("/carrier-webhook/scans", json=body, auth=CARRIER)
        assert response.status_code == 202, response.text
        return response.json()

    async def next_scan(self, shipment_id: str, **body: Any) -> httpx.Response:
        """The built-in carrier's next scan, on an operator's request."""
        url = f"/simulator/shipments/{shipment_id}/next-scan"
        return await self.http.post(url, json=body, headers=OPERATOR)

    def handled(self, consumer: str) -> float:
        """Messages handled by the consumer of a queue (``goods.ready``, ``commands``)."""
        return sum(
            r.metrics.registry.get_sample_value(
                "orderflow_messages_handled_total", {"handler": f"logistics.{consumer}"}
            )
            or 0
            for r in [self.runtime, *self.replicas]
        )


def goods_ready(
    order_id: UUID | None = None,
    *,
    weight: str = "12.5",
    promised: date | None = date(2026, 12, 4),
    rush: bool = False,
    country: str = "CN",
) -> GoodsReady:
    package = Package(
        package_no="1",
        label="PKG-1",
        weight_kg=Decimal(weight),
        dimensions=Dimensions(length_cm=Decimal(40), width_cm=Decimal(30), height_cm=Decimal(20)),
    )
    return GoodsReady(
        order_id=order_id or uuid4(),
        order_no=f"202612-{next(_numbers):03d}",
        packages=[package],
        total_weight_kg=Decimal(weight),
        delivery_address=Address(
            recipient="Li Lei", line1="88 Century Ave", city="Shanghai", country=country
        ),
        promised_date=promised,
        rush=rush,
    )


StartLogistics = Callable[..., Awaitable[Logistics]]


@pytest.fixture
async def amqp_channel(infra: Infra) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(infra.amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


@pytest.fixture
async def start_logistics(
    infra: Infra, namespace: str, run_id: str, amqp_channel: aio_pika.abc.AbstractChannel
) -> AsyncIterator[StartLogistics]:
    """Start the service for one test; ``replicas=2`` starts a second one on the same queues."""
    started: list[LogisticsRuntime] = []
    clients: list[httpx.AsyncClient] = []
    n = next(_numbers)
    ns = f"{namespace}lg{n}."

    async def start(
        carrier: SimulatedCarrier | None = None, replicas: int = 1, **overrides: object
    ) -> Logistics:
        overrides.setdefault("carrier_secrets", {CARRIER_LOGIN: CARRIER_SECRET})
        settings = settings_for(
            LogisticsSettings, infra, ns, "logistics", db_schema=f"t{run_id}_lg{n}", **overrides
        )
        clock = FixedClock(START)
        carrier = carrier or SimulatedCarrier()
        runtimes = []
        for _ in range(replicas):
            runtime = build_runtime(settings, clock, carrier, run_timers=False)
            await runtime.start()
            started.append(runtime)
            runtimes.append(runtime)
        spy = await EventSpy(amqp_channel, ns, f"spy{n}").start()
        app = create_app(runtimes[0], routers(settings), manage_runtime=False)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://lg", headers=DISPATCHER
        )
        clients.append(client)
        return Logistics(runtimes[0], clock, carrier, spy, client, amqp_channel, ns, runtimes[1:])

    yield start
    for client in clients:
        await client.aclose()
    for runtime in reversed(started):
        await runtime.stop()
