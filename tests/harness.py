"""Helpers for integration tests of any service: settings for this run, waiting, an event spy."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TypeVar

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage
from sqlalchemy import text

from contracts.base import Message
from contracts.envelope import Envelope
from contracts.registry import REGISTRY
from shared.config import ServiceSettings
from shared.runtime import ServiceRuntime
from shared.topology import Topology
from tests.identity import ISSUER
from tests.infra import Infra

S = TypeVar("S", bound=ServiceSettings)
M = TypeVar("M", bound=Message)


def settings_for(cls: type[S], infra: Infra, namespace: str, name: str, **overrides: object) -> S:
    """Settings that put a service's queues and schema in this test run's namespace."""
    base: dict[str, object] = {
        "service_name": name,
        "amqp_url": infra.amqp_url,
        "database_url": infra.database_url,
        "db_schema": f"{namespace.replace('.', '_').rstrip('_')}_{name}",
        "namespace": namespace,
        "retry_delays_ms": [200, 400, 800],
        "max_attempts": 3,
        "relay_idle_poll_s": 0.05,
        "timer_poll_s": 0.05,
        # Service suites create thousands of short-lived queues; quorum queues (one Raft group
        # each) at that churn overwhelm a small single-node broker. The kit's own tests and the
        # end-to-end run use quorum queues.
        "quorum_queues": False,
        **ISSUER.settings(),
    }
    return cls(**{**base, **overrides})


async def eventually(
    check: Callable[[], Awaitable[bool]], timeout: float = 30.0, interval: float = 0.05
) -> None:
    """Wait until ``check`` holds; fail with a clear message if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await check():
            return
        await asyncio.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


async def until_blocked(runtime: ServiceRuntime, condition: str, timeout: float = 15) -> None:
    """Until a database session waits for a lock, matching ``condition`` on pg_stat_activity
    (``query LIKE 'INSERT INTO x %'``, ``wait_event = 'advisory'``): a race staged for sure."""

    async def blocked() -> bool:
        async with runtime.new_uow() as probe:
            waiting = await probe.session.execute(
                text(
                    "SELECT count(*) FROM pg_stat_activity"
                    f" WHERE wait_event_type = 'Lock' AND {condition}"
                )
            )
            return bool(waiting.scalar_one())

    await eventually(blocked, timeout=timeout)


def free_port() -> int:
    """A TCP port nobody listens on now, for a service process started by a test."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def now() -> datetime:
    return datetime.now(UTC)


class EventSpy:
    """Collects every envelope published on this run's events exchange (a queue bound to '#')."""

    def __init__(self, channel: AbstractChannel, namespace: str, name: str = "spy") -> None:
        self._channel = channel
        self._topology = Topology(namespace)
        self._queue_name = f"{namespace}{name}"
        self.envelopes: list[Envelope] = []

    async def start(self) -> EventSpy:
        exchange = await self._channel.declare_exchange(
            self._topology.events_exchange,
            aio_pika.ExchangeType.TOPIC,
            durable=True,
            arguments=self._topology.events_exchange_arguments(),
        )
        queue = await self._channel.declare_queue(self._queue_name, durable=True)
        await queue.bind(exchange, routing_key="#")
        await queue.consume(self._on_message)
        return self

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        self.envelopes.append(Envelope.from_json(message.body))
        await message.ack()

    def of(self, model: type[M], correlation_id: str | None = None) -> list[M]:
        spec = REGISTRY.spec_for(model)
        return [
            env.open_as(model)
            for env in self.envelopes
            if (env.type, env.version) == (spec.type, spec.version)
            and (correlation_id is None or env.correlation_id == correlation_id)
        ]

    async def wait_for(
        self,
        model: type[M],
        count: int = 1,
        correlation_id: str | None = None,
        timeout: float = 30.0,
    ) -> list[M]:
        async def enough() -> bool:
            return len(self.of(model, correlation_id)) >= count

        await eventually(enough, timeout=timeout)
        return self.of(model, correlation_id)


async def send(
    channel: AbstractChannel,
    namespace: str,
    message: Message,
    *,
    correlation_id: str,
    producer: str = "test",
    event_id: object = None,
) -> Envelope:
    """Publish a message the way another service or a departmental system would."""
    envelope = Envelope.wrap(
        message,
        producer=producer,
        correlation_id=correlation_id,
        occurred_at=now(),
        **({"event_id": event_id} if event_id else {}),
    )
    spec = REGISTRY.spec_for(type(message))
    topology = Topology(namespace)
    name = topology.events_exchange if spec.kind == "event" else topology.commands_exchange
    exchange = await channel.get_exchange(name)
    await exchange.publish(
        aio_pika.Message(
            envelope.to_json(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            message_id=str(envelope.event_id),
        ),
        routing_key=spec.routing_key,
        mandatory=True,
    )
    return envelope
