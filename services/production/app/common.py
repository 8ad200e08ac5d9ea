"""What every use case needs: the planning calendar, repositories on a unit of work, emitting."""

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
from shared.calendar import BusinessCalendar
from shared.uow import UnitOfWork


class NotFound(Exception):
    """The thing asked for does not exist (HTTP 404, or a dead letter for a command)."""


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


class Repos:
    def __init__(self, uow: UnitOfWork) -> None:
        session = uow.session
        self.lines = LineRepository(session)
        self.products = ProductRepository(session)
        self.materials = MaterialRepository(session)
        self.orders = OrderPlanRepository(session)
        self.work_orders = WorkOrderRepository(session)
        self.requisitions = RequisitionRepository(session)


async def emit(
    uow: UnitOfWork, message: Message, correlation_id: UUID, causation: UUID | None
) -> None:
    await uow.emit(message, correlation_id=str(correlation_id), causation_id=causation)


async def flush_events(
    uow: UnitOfWork, work_orders: Iterable[WorkOrder], causation: UUID | None
) -> None:
    """Publish what the work orders recorded, each under its own order."""
    for wo in work_orders:
        for event in wo.events:
            await emit(uow, event, wo.order_id, causation)
        wo.events.clear()
