"""What every use case gets: the unit of work's repositories, the time, the actor, the planning
calendar. Built per unit of work by the factory ``bootstrap`` makes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from contracts.base import Message
from services.production.adapters.repositories import (
    LineRepository,
    MaterialRepository,
    OrderPlanRepository,
    ProductRepository,
    RequisitionRepository,
    WorkOrderRepository,
)
from services.production.domain.work_order import WorkOrder
from shared.auth import Actor
from shared.calendar import BusinessCalendar
from shared.uow import UnitOfWork


@dataclass(frozen=True)
class Planning:
    """Calendar and planning limits; the first production day is ``lead_days`` business days on."""

    calendar: BusinessCalendar
    horizon_days: int = 365
    lead_days: int = 1

    def today(self, now: datetime) -> date:
        return self.calendar.local_date(now)

    def first_day(self, now: datetime) -> date:
        return self.calendar.add_business_days_to_date(self.today(now), self.lead_days)

    def is_business_day(self, day: date) -> bool:
        return self.calendar.is_business_day(day)


class Work:
    """Repositories over one unit of work; events go out under the order they are about."""

    def __init__(self, uow: UnitOfWork, planning: Planning) -> None:
        self.uow = uow
        self.planning = planning
        self.now: datetime = uow.now
        session = uow.session
        self.lines = LineRepository(session)
        self.products = ProductRepository(session)
        self.materials = MaterialRepository(session)
        self.orders = OrderPlanRepository(session)
        self.work_orders = WorkOrderRepository(session)
        self.requisitions = RequisitionRepository(session)

    @property
    def actor(self) -> Actor:
        return self.uow.actor

    @property
    def today(self) -> date:
        return self.planning.today(self.now)

    async def emit(self, message: Message, order_id: UUID) -> None:
        """An event about an order, under that order's correlation id."""
        await self.uow.emit(message, correlation_id=str(order_id))

    async def collect(self, work_orders: Iterable[WorkOrder]) -> None:
        """Publish what the work orders recorded, each under its own order."""
        for wo in work_orders:
            await self.uow.collect(wo)
