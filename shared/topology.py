"""Names and declarations of exchanges and queues: the whole RabbitMQ layout in one place.

- ``orderflow.events``: durable topic exchange, routing key = event type. Events nobody is bound
  to go to its alternate exchange and wait in ``orderflow.unrouted`` instead of vanishing.
- ``orderflow.commands``: durable topic exchange for commands (routing key = command type);
  no alternate exchange, so a command nobody can take makes the publish fail.
- Per service: one quorum queue per consumed event type (``<service>.<event type>``), one for its
  commands (``<service>.commands``), each with a dead-letter queue ``<queue>.dlq``; a few
  retry tiers ``<service>.retry-<ms>ms`` whose TTL dead-letters through the service's own
  ``<service>.retry-return`` exchange, bound to its work queues only (by queue name), so a
  message can come back from a tier to that service's queues and nowhere else; and a direct
  exchange ``<service>.dead-letter`` through which it files dead letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel

UNROUTED_RETENTION_MS = 7 * 24 * 3600 * 1000


@dataclass(frozen=True)
class Topology:
    namespace: str = ""
    quorum: bool = True
    """Per-service queues are quorum queues; classic only where a deployment (or a test suite
    that creates thousands of short-lived queues) chooses so. ``orderflow.unrouted`` is shared
    by all services and always quorum."""

    def queue_type(self) -> dict[str, Any]:
        return {"x-queue-type": "quorum" if self.quorum else "classic"}

    @property
    def events_exchange(self) -> str:
        return f"{self.namespace}orderflow.events"

    @property
    def commands_exchange(self) -> str:
        return f"{self.namespace}orderflow.commands"

    @property
    def unrouted(self) -> str:
        return f"{self.namespace}orderflow.unrouted"

    def events_exchange_arguments(self) -> dict[str, Any]:
        return {"alternate-exchange": self.unrouted}

    def event_queue(self, service: str, event_type: str) -> str:
        return f"{self.namespace}{service}.{event_type}"

    def command_queue(self, service: str) -> str:
        return f"{self.namespace}{service}.commands"

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    def dead_letter_exchange(self, service: str) -> str:
        """Direct exchange a service publishes dead letters through (key = the DLQ's name).

        Publishing through it rather than the default exchange lets a service's broker user
        write to its own dead-letter queues and nobody else's.
        """
        return f"{self.namespace}{service}.dead-letter"

    def retry_tier(self, service: str, delay_ms: int) -> str:
        return f"{self.namespace}{service}.retry-{delay_ms}ms"

    def retry_return_exchange(self, service: str) -> str:
        """Where a service's retry tiers send expired messages: bound to its work queues only,
        each by its own name."""
        return f"{self.namespace}{service}.retry-return"

    def retry_tier_arguments(self, service: str, delay_ms: int) -> dict[str, Any]:
        return {
            **self.queue_type(),
            "x-message-ttl": delay_ms,
            "x-dead-letter-exchange": self.retry_return_exchange(service),
        }

    def work_queue_arguments(self, queue: str, delivery_limit: int) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            **self.queue_type(),
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": self.dead_letter_queue(queue),
        }
        if self.quorum:  # only quorum queues count deliveries
            arguments["x-delivery-limit"] = delivery_limit
        return arguments


async def declare_exchanges(channel: AbstractChannel, topology: Topology) -> None:
    unrouted_ex = await channel.declare_exchange(
        topology.unrouted, aio_pika.ExchangeType.FANOUT, durable=True
    )
    unrouted_q = await channel.declare_queue(
        topology.unrouted,
        durable=True,
        arguments={"x-queue-type": "quorum", "x-message-ttl": UNROUTED_RETENTION_MS},
    )
    await unrouted_q.bind(unrouted_ex)
    await channel.declare_exchange(
        topology.events_exchange,
        aio_pika.ExchangeType.TOPIC,
        durable=True,
        arguments=topology.events_exchange_arguments(),
    )
    await channel.declare_exchange(
        topology.commands_exchange, aio_pika.ExchangeType.TOPIC, durable=True
    )


async def declare_service_queues(
    channel: AbstractChannel,
    topology: Topology,
    service: str,
    work_queues: list[str],
    retry_delays_ms: list[int],
    delivery_limit: int,
) -> None:
    """Work queues (FastStream declares them again, alike, and binds them), their dead-letter
    queues, and the retry tiers."""
    dead_letters = await channel.declare_exchange(
        topology.dead_letter_exchange(service), aio_pika.ExchangeType.DIRECT, durable=True
    )
    back = await channel.declare_exchange(
        topology.retry_return_exchange(service), aio_pika.ExchangeType.DIRECT, durable=True
    )
    for queue in work_queues:
        work = await channel.declare_queue(
            queue, durable=True, arguments=topology.work_queue_arguments(queue, delivery_limit)
        )
        await work.bind(back, routing_key=queue)
        dlq = await channel.declare_queue(
            topology.dead_letter_queue(queue),
            durable=True,
            arguments=topology.queue_type(),
        )
        await dlq.bind(dead_letters, routing_key=dlq.name)
    for delay in retry_delays_ms:
        name = topology.retry_tier(service, delay)
        exchange = await channel.declare_exchange(name, aio_pika.ExchangeType.FANOUT, durable=True)
        # Expired messages go back through the service's return exchange, keyed by the work
        # queue's name (the routing key they were published with), so one tier serves every
        # work queue of this service and none of another's.
        tier = await channel.declare_queue(
            name, durable=True, arguments=topology.retry_tier_arguments(service, delay)
        )
        await tier.bind(exchange)
