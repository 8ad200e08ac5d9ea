"""Durable deadlines: rows in the service's database, fired once as events through the outbox.

A scanner claims due rows with ``FOR UPDATE SKIP LOCKED``, writes the message into the outbox and
marks the row fired in one transaction, so two scanners (two replicas) never fire one deadline
twice and a crash between the two steps cannot lose or double it. "Due" is judged by the
injected clock, so a simulated month passes in minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import structlog
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.base import Message
from contracts.registry import REGISTRY
from shared.aio import wait_or_stop
from shared.clock import Clock
from shared.metrics import KitMetrics

if TYPE_CHECKING:
    from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.timers")

_SCHEDULE = text(
    "INSERT INTO timer (key, due_at, message_type, message_version, payload, correlation_id)"
    " VALUES (:key, :due_at, :type, :version, CAST(:payload AS jsonb), :correlation_id)"
    " ON CONFLICT (key) DO UPDATE SET due_at = EXCLUDED.due_at, payload = EXCLUDED.payload,"
    " message_type = EXCLUDED.message_type, message_version = EXCLUDED.message_version,"
    " fired_at = NULL, cancelled_at = NULL"
)
_CANCEL = text(
    "UPDATE timer SET cancelled_at = :now WHERE key = :key AND fired_at IS NULL"
    " AND cancelled_at IS NULL"
)
_CLAIM_DUE = text(
    "SELECT id, key, message_type, message_version, payload, correlation_id FROM timer"
    " WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= :now"
    " ORDER BY due_at LIMIT :limit FOR UPDATE SKIP LOCKED"
)
_MARK_FIRED = text("UPDATE timer SET fired_at = :now WHERE id = :id")


async def schedule(
    session: AsyncSession, key: str, due_at: datetime, message: Message, correlation_id: str
) -> None:
    """Set (or move) the deadline ``key``; it fires ``message`` at ``due_at`` unless cancelled."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    spec = REGISTRY.spec_for(type(message))
    await session.execute(
        _SCHEDULE,
        {
            "key": key,
            "due_at": due_at,
            "type": spec.type,
            "version": spec.version,
            "payload": message.model_dump_json(),
            "correlation_id": correlation_id,
        },
    )


async def cancel(session: AsyncSession, key: str, now: datetime) -> bool:
    """Stop a pending deadline (the thing it guarded happened in time)."""
    result = await session.execute(_CANCEL, {"key": key, "now": now})
    return bool(getattr(result, "rowcount", 0))


class TimerScanner:
    def __init__(
        self,
        new_uow: Callable[[], UnitOfWork],
        clock: Clock,
        metrics: KitMetrics,
        *,
        poll_s: float = 1.0,
        batch: int = 100,
    ) -> None:
        self._new_uow = new_uow
        self._clock = clock
        self._metrics = metrics
        self._poll_s = poll_s
        self._batch = batch

    async def fire_due(self) -> int:
        """Fire every due deadline in one batch; returns how many fired."""
        now = self._clock.now()
        async with self._new_uow() as uow:
            rows = (await uow.session.execute(_CLAIM_DUE, {"now": now, "limit": self._batch})).all()
            for row in rows:
                model = REGISTRY.get(row.message_type, row.message_version).model
                await uow.emit(model.model_validate(row.payload), correlation_id=row.correlation_id)
                await uow.session.execute(_MARK_FIRED, {"id": row.id, "now": now})
            await uow.commit()
        for row in rows:
            if row.message_type.endswith(".sla_breached"):
                self._metrics.sla_breaches.labels(row.message_type).inc()
        if rows:
            self._metrics.timers_fired.inc(len(rows))
            log.info("timers_fired", count=len(rows))
        return len(rows)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                fired = await self.fire_due()
            except Exception as exc:
                log.warning("timer_scan_failed", error=str(exc))
                fired = 0
            if fired < self._batch:
                await wait_or_stop(stop, self._poll_s)
