"""When each event of an order went by, seen from a queue of our own on the events exchange."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import Any

import aio_pika
from aio_pika.abc import AbstractIncomingMessage

Key = tuple[str, str]


class EventClock:
    """Binds an exclusive queue to the given event types and notes the first arrival of each
    (event type, order id), with its payload; ``wait`` returns it, whether it came before or
    after the call."""

    def __init__(self, amqp_url: str, exchange: str, types: Sequence[str]) -> None:
        self._amqp_url = amqp_url
        self._exchange = exchange
        self._types = types
        self._seen: dict[Key, tuple[float, dict[str, Any]]] = {}
        self._waiters: dict[Key, asyncio.Event] = {}

    async def start(self) -> EventClock:
        self._connection = await aio_pika.connect(self._amqp_url)
        channel = await self._connection.channel()
        await channel.set_qos(prefetch_count=500)
        exchange = await channel.get_exchange(self._exchange, ensure=True)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for event_type in self._types:
            await queue.bind(exchange, routing_key=event_type)
        await queue.consume(self._on_message, no_ack=True)
        return self

    async def close(self) -> None:
        await self._connection.close()

    async def _on_message(self, message: AbstractIncomingMessage) -> None:
        arrived = time.perf_counter()
        envelope = json.loads(message.body)
        payload = envelope.get("payload") or {}
        key = (str(envelope.get("type")), str(payload.get("order_id")))
        if key in self._seen:
            return  # the first arrival counts; a redelivery or a second event does not
        self._seen[key] = (arrived, payload)
        waiter = self._waiters.pop(key, None)
        if waiter is not None:
            waiter.set()

    async def wait(
        self, event_type: str, order_id: str, within_s: float = 60.0
    ) -> tuple[float, dict[str, Any]]:
        """(arrival on the perf_counter clock, payload) of that order's event."""
        key = (event_type, order_id)
        if key not in self._seen:
            waiter = self._waiters.setdefault(key, asyncio.Event())
            try:
                await asyncio.wait_for(waiter.wait(), within_s)
            except TimeoutError:
                raise TimeoutError(f"no {event_type} for order {order_id} in {within_s}s") from None
        return self._seen[key]
