"""The audit trail: who changed what, when, through which door, in the change's own transaction.

The HTTP layer and the message delivery describe the action (``Entry``); the unit of work writes
it at commit with the verified actor, the server's time and the correlation ids (orders,
complaints) of everything the change emitted, so ``GET /audit?order=<id>`` finds every step
taken on an order in any service. Nothing here updates or deletes a row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

if TYPE_CHECKING:
    from shared.auth import Actor

# The body of a request is kept as sent, up to this size: enough for any form a person fills in.
_MAX_CHANGE_BYTES = 16_384

_INSERT = text(
    "INSERT INTO audit_entry (recorded_at, actor, actor_subject, actor_roles, actor_kind,"
    " channel, action, subject, correlation_ids, change) VALUES (:at, :actor, :subject_id,"
    " :roles, :kind, :channel, :action, :subject, :correlation_ids, CAST(:change AS jsonb))"
)
_BY_CORRELATION = text(
    "SELECT id, recorded_at, actor, actor_subject, actor_roles, actor_kind, channel, action,"
    " subject, correlation_ids, change FROM audit_entry"
    " WHERE correlation_ids @> ARRAY[CAST(:ref AS text)] OR subject = :ref"
    " ORDER BY id LIMIT :limit"
)
_RECENT = text(
    "SELECT id, recorded_at, actor, actor_subject, actor_roles, actor_kind, channel, action,"
    " subject, correlation_ids, change FROM audit_entry ORDER BY id DESC LIMIT :limit"
)


@dataclass(frozen=True)
class Entry:
    """What was asked: ``POST /orders/{order_id}/approve`` on ``/orders/…``, with its body."""

    channel: Literal["http", "command"]
    action: str
    subject: str
    change: dict[str, Any] = field(default_factory=dict)


def bounded(change: dict[str, Any]) -> dict[str, Any]:
    raw = json.dumps(change, default=str, ensure_ascii=False)
    if len(raw.encode()) <= _MAX_CHANGE_BYTES:
        loaded: dict[str, Any] = json.loads(raw)
        return loaded
    return {"truncated": raw[:_MAX_CHANGE_BYTES]}


async def record(
    session: AsyncSession, entry: Entry, actor: Actor, at: datetime, touched: list[str]
) -> None:
    await session.execute(
        _INSERT,
        {
            "at": at,
            "actor": actor.name,
            "subject_id": actor.subject,
            "roles": sorted(actor.roles),
            "kind": actor.kind,
            "channel": entry.channel,
            "action": entry.action,
            "subject": entry.subject,
            "correlation_ids": touched,
            "change": json.dumps(bounded(entry.change), default=str, ensure_ascii=False),
        },
    )


async def entries(session: AsyncSession, ref: str | None, limit: int) -> list[dict[str, Any]]:
    """Entries about ``ref`` (an order or complaint id, or a path), oldest first; or the newest."""
    if ref:
        rows = await session.execute(_BY_CORRELATION, {"ref": ref, "limit": limit})
    else:
        rows = await session.execute(_RECENT, {"limit": limit})
    return [dict(row._mapping) for row in rows]
