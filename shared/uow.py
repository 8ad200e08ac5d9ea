"""Unit of work: one transaction for a use case's state change, its events, its deadlines and
its audit entry.

It knows who acts (``actor``: the signed-in person or the departmental system, never a name from
a request body), when (``now``: the server's clock, read once when the unit opens, so every
decision in it carries the same time), and what the work belongs to (``correlation_id``, and
``causation_id``, the message being handled): ``emit`` fills both in unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import Any
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Message
from shared import audit, timers
from shared.aggregate import CancelTimer, Recorder, ScheduleTimer
from shared.auth import Actor
from shared.clock import Clock
from shared.outbox import OutboxWriter

SYSTEM = Actor(subject="system", name="system", roles=frozenset(), kind="system")


class UnitOfWork:
    """``async with uow:`` opens a transaction; ``commit()`` makes state and events durable.

    Leaving the block without ``commit()`` rolls back, and nothing is published or audited.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: OutboxWriter,
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
        *,
        actor: Actor = SYSTEM,
        correlation_id: str | None = None,
        causation_id: UUID | None = None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self.clock = clock
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._emitted = 0
        self.actor = actor
        self.touched: list[str] = []
        self._correlation_id = correlation_id
        self.causation_id = causation_id
        self.now: datetime = clock.now()
        self.audit_entry: audit.Entry | None = None

    @property
    def correlation_id(self) -> str | None:
        """What the work belongs to (an order, a complaint): emits default to it."""
        return self._correlation_id

    @correlation_id.setter
    def correlation_id(self, value: str | None) -> None:
        """A use case that finds out what it acts on says so; the audit entry is filed under it
        too, whether or not anything is emitted."""
        self._correlation_id = value
        if value is not None:
            self.touch(value)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        await self._session.begin()
        self._emitted = 0
        self.now = self.clock.now()
        self.touched = [self._correlation_id] if self._correlation_id else []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        try:
            if session.in_transaction():
                await session.rollback()
        finally:
            await session.close()

    async def emit(
        self,
        message: Message,
        *,
        correlation_id: str | None = None,
        causation_id: UUID | None = None,
        routing_key: str | None = None,
    ) -> UUID:
        """Queue an event or command for publishing when this transaction commits (under its
        type as routing key, unless ``routing_key`` says otherwise)."""
        correlation = correlation_id or self.correlation_id
        if correlation is None:
            raise ValueError(f"{type(message).__name__}: no correlation id to emit it under")
        self._emitted += 1
        self.touch(correlation)
        return await self._outbox.add(
            self.session,
            message,
            correlation_id=correlation,
            causation_id=causation_id or self.causation_id,
            occurred_at=self.clock.now(),
            routing_key=routing_key,
        )

    def touch(self, correlation_id: str) -> None:
        """Note that this unit acts on ``correlation_id`` (an order, a complaint): its audit entry
        is found under it even when the unit emits nothing about it."""
        if correlation_id not in self.touched:
            self.touched.append(correlation_id)

    async def collect(self, aggregate: Recorder, *, correlation_id: str | None = None) -> None:
        """Emit what ``aggregate`` recorded and set or stop the deadlines it asked for."""
        correlation = correlation_id or getattr(aggregate, "correlation_id", None)
        correlation = str(correlation) if correlation is not None else self.correlation_id
        for message in list(aggregate.events):
            await self.emit(message, correlation_id=correlation)
        aggregate.events.clear()
        changes: list[Any] = getattr(aggregate, "timers", [])
        for change in list(changes):
            if isinstance(change, ScheduleTimer):
                key, due, message = change.key, change.due_at, change.message
                await timers.schedule(self.session, key, due, message, str(correlation))
            elif isinstance(change, CancelTimer):
                await timers.cancel(self.session, change.key, self.now)
        changes.clear()

    async def commit(self) -> None:
        if self.audit_entry is not None:
            await audit.record(self.session, self.audit_entry, self.actor, self.now, self.touched)
        await self.session.commit()
        if self._emitted:
            self._on_commit()
