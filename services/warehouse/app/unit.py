"""What every use case gets: the unit of work's repositories, the time, and where events go."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from contracts.base import Message
from services.warehouse.adapters.repositories import (
    FulfilmentRepository,
    InspectionRepository,
    ReturnRepository,
    StockRepository,
)
from services.warehouse.domain.stock import StockBook
from shared.uow import UnitOfWork

Emit = Callable[[Message], Awaitable[object]]


class NotFound(LookupError):
    """The thing asked for does not exist (HTTP 404)."""


@dataclass
class Work:
    """Repositories over one unit of work, and the emitter for the events raised in it."""

    uow: UnitOfWork
    emit: Emit

    def __post_init__(self) -> None:
        session, now = self.uow.session, self.uow.clock.now()
        self.now: datetime = now
        self.stock = StockRepository(session, now)
        self.fulfilments = FulfilmentRepository(session, now)
        self.inspections = InspectionRepository(session, now)
        self.returns = ReturnRepository(session, now)

    @classmethod
    def correlated(cls, uow: UnitOfWork, correlation_id: str) -> Work:
        """For HTTP requests: events carry the given correlation id and no causation."""

        async def emit(message: Message) -> object:
            return await uow.emit(message, correlation_id=correlation_id)

        return cls(uow, emit)

    async def emit_all(self, messages: Iterable[Message]) -> None:
        for message in list(messages):
            await self.emit(message)

    async def save_books(self, books: Iterable[StockBook]) -> None:
        """Persist the ledger entries, then raise the reorder-point signal where it crossed."""
        for book in books:
            book.check_reorder_point()
            await self.stock.save(book)
            await self.emit_all(book.events)
            book.events.clear()
