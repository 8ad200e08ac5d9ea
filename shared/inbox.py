"""Inbox: a consumer records each event_id in the same transaction as its effects.

A second delivery of the same event finds the row already there and changes nothing.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_CLAIM = text(
    "INSERT INTO inbox_message (event_id, consumer) VALUES (:event_id, :consumer) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


async def claim(session: AsyncSession, event_id: UUID, consumer: str) -> bool:
    """True when this consumer sees the event for the first time.

    Concurrent deliveries of one event block on the primary key until the first transaction
    ends: if it commits, the second sees a conflict; if it rolls back, the second proceeds.
    """
    result = await session.execute(_CLAIM, {"event_id": event_id, "consumer": consumer})
    return result.first() is not None
