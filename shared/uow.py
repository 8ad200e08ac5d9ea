"""Unit of work: one transaction for a use case's state change and the events it raises."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from contracts.base import Message
from shared.clock import Clock
from shared.outbox import OutboxWriter


class UnitOfWork:
    """``async with uow:`` opens a transaction; ``commit()`` makes state and events durable.

    Leaving the block without ``commit()`` rolls back, and nothing is published.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        outbox: OutboxWriter,
        clock: Clock,
        on_commit: Callable[[], None] = lambda: None,
    ) -> None:
        self._sessions = sessions
        self._outbox = outbox
        self.clock = clock
        self._on_commit = on_commit
        self._session: AsyncSession | None = None
        self._emitted = 0

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("unit of work used outside 'async with'")
        return self._session

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        await self._session.begin()
        self._emitted = 0
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
        self, message: Message, *, correlation_id: str, causation_id: UUID | None = None
    ) -> UUID:
        """Queue an event or command for publishing when this transaction commits."""
        self._emitted += 1
        return await self._outbox.add(
            self.session,
            message,
            correlation_id=correlation_id,
            causation_id=causation_id,
            occurred_at=self.clock.now(),
        )

    async def commit(self) -> None:
        await self.session.commit()
        if self._emitted:
            self._on_commit()
