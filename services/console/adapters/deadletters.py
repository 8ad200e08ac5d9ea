"""Dead letters through the runtime kit's tools (the same ones ``orderflow dlq`` uses)."""

from __future__ import annotations

from shared import deadletters
from shared.deadletters import DeadLetter


async def depths(amqp_url: str, queues: list[str]) -> dict[str, int | None]:
    return await deadletters.depths(amqp_url, queues)


async def letters(amqp_url: str, queue: str) -> list[DeadLetter]:
    return await deadletters.list_dead_letters(amqp_url, queue)


async def replay(amqp_url: str, queue: str, message_id: str | None) -> int:
    return await deadletters.replay(amqp_url, queue, {message_id} if message_id else None)
