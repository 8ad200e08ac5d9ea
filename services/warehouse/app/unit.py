"""What every use case gets: the unit of work's repositories, the time, the actor, the rules'
settings, and where events go. Built per unit of work by the factory ``bootstrap`` makes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, tzinfo

from contracts.base import Message
from services.warehouse.adapters.repositories import (
    FulfilmentRepository,
    InspectionRepository,
    ReturnRepository,
    StockRepository,
)
from services.warehouse.domain.stock import StockBook
from shared.auth import Actor
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class WarehousePolicy:
    """Where accepted goods go, and the calendar's time zone for the dates the warehouse quotes."""

    inbound_location: str
    restock_location: str
    tz: tzinfo


class Work:
    """Repositories over one unit of work; events go out under its correlation id."""

    def __init__(self, uow: UnitOfWork, policy: WarehousePolicy) -> None:
        self.uow = uow
        self.policy = policy
        session, now = uow.session, uow.now
        self.now: datetime = now
        self.stock = StockRepository(session, now)
        self.fulfilments = FulfilmentRepository(session, now)
        self.inspections = InspectionRepository(session, now)
        self.returns = ReturnRepository(session, now)

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    async def emit(self, message: Message) -> None:
        await self.uow.emit(message)

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
