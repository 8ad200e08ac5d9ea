"""Operator tools for dead-letter queues: list, show, replay.

Reading never loses anything: messages are fetched unacknowledged and go back to the queue when
the channel closes. Replay publishes a copy to the queue the message died in, waits for the
broker's confirm, and only then removes it from the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from shared import amqp
from shared.senders import login_of

REASON = "x-dead-letter-reason"
_DROP_ON_REPLAY = {REASON, "x-attempt", "x-death", "x-dead-lettered-at", "x-first-death-reason"}


@dataclass
class DeadLetter:
    message_id: str
    message_type: str
    reason: str
    original_queue: str
    dead_lettered_at: str
    attempts: int
    body: str
    headers: dict[str, Any] = field(repr=False, default_factory=dict)


def describe(message: AbstractIncomingMessage) -> DeadLetter:
    headers = dict(message.headers or {})
    death = _first_death(headers)
    reason = str(headers.get(REASON) or (f"broker: {death.get('reason')}" if death else "unknown"))
    original = str(headers.get("x-original-queue") or death.get("queue") or "")
    return DeadLetter(
        message_id=str(message.message_id or ""),
        message_type=str(message.type or headers.get("type") or ""),
        reason=reason,
        original_queue=original,
        dead_lettered_at=str(headers.get("x-dead-lettered-at") or death.get("time") or ""),
        attempts=int(str(headers.get("x-attempt") or death.get("count") or 0)),
        body=message.body.decode("utf-8", errors="replace"),
        headers=headers,
    )


@asynccontextmanager
async def _channel(amqp_url: str) -> AsyncIterator[AbstractChannel]:
    connection = await amqp.connect(amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


async def _drain(channel: AbstractChannel, queue: str) -> list[AbstractIncomingMessage]:
    """Every message now in ``queue``, unacknowledged (returned when the channel closes)."""
    q = await channel.declare_queue(queue, passive=True)
    messages = []
    while (message := await q.get(no_ack=False, fail=False)) is not None:
        messages.append(message)
    return messages


async def list_dead_letters(amqp_url: str, queue: str) -> list[DeadLetter]:
    async with _channel(amqp_url) as channel:
        return [describe(m) for m in await _drain(channel, queue)]


async def depths(amqp_url: str, queues: list[str]) -> dict[str, int | None]:
    """Messages waiting in each queue (None: the queue does not exist), on one connection."""
    found: dict[str, int | None] = {}
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for queue in queues:
            try:
                declared = await channel.declare_queue(queue, passive=True)
            except aio_pika.exceptions.ChannelClosed:
                found[queue] = None
                channel = await connection.channel()  # a failed passive declare closes it
                continue
            found[queue] = declared.declaration_result.message_count
    return found


async def replay(amqp_url: str, queue: str, message_ids: set[str] | None = None) -> int:
    """Send dead letters back to their queue (all, or those whose message_id is listed)."""
    replayed = 0
    async with _channel(amqp_url) as channel:
        for message in await _drain(channel, queue):
            letter = describe(message)
            if message_ids is not None and letter.message_id not in message_ids:
                continue
            if not letter.original_queue:
                continue
            headers = {k: v for k, v in letter.headers.items() if k not in _DROP_ON_REPLAY}
            headers["x-replayed-from"] = queue
            copy = aio_pika.Message(
                body=message.body,
                headers=headers,
                content_type=message.content_type,
                message_id=message.message_id,
                type=message.type,
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                user_id=login_of(amqp_url),
            )
            await channel.default_exchange.publish(
                copy, routing_key=letter.original_queue, mandatory=True
            )
            await message.ack()
            replayed += 1
    return replayed


def _first_death(headers: dict[str, Any]) -> dict[str, Any]:
    deaths = headers.get("x-death") or []
    if deaths and isinstance(deaths[0], dict):
        return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in deaths[0].items()}
    return {}
