"""What every use case shares: loading an order, writing what an aggregate recorded."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID

from contracts.base import Event
from services.sales.adapters.repositories import NumberRepository, OrderRepository
from services.sales.domain.order import Order
from services.sales.domain.policy import CancelTimer, SalesPolicy, ScheduleTimer, TimerChange
from shared import timers
from shared.uow import UnitOfWork

_ORDER_NO = re.compile(r"^\d{6}-\d{3,}$")


class NotFound(LookupError):
    def __init__(self, what: str, ref: object) -> None:
        self.what = what
        super().__init__(f"{what} {ref} not found")


class Duplicate(Exception):
    """An idempotency key seen before: the earlier result stands."""


async def load_order(uow: UnitOfWork, ref: UUID | str, *, lock: bool = True) -> Order:
    """By id or by number; locked for the rest of the transaction (one writer per order)."""
    orders = OrderRepository(uow.session)
    order: Order | None = None
    if isinstance(ref, UUID):
        order = await orders.get(ref, lock=lock)
    elif _ORDER_NO.match(ref):
        order = await orders.get_by_no(ref, lock=lock)
    else:
        try:
            order = await orders.get(UUID(ref), lock=lock)
        except ValueError:
            order = None
    if order is None:
        raise NotFound("order", ref)
    return order


async def next_number(uow: UnitOfWork, prefix: str, now: datetime, policy: SalesPolicy) -> str:
    """``YYYYMM-NNN`` per local month: at least three digits, more once past 999."""
    month = policy.calendar.local_date(now).strftime("%Y%m")
    n = await NumberRepository(uow.session).next(f"{prefix}{month}")
    return f"{prefix}{month}-{n:03d}"


async def flush(
    uow: UnitOfWork,
    correlation_id: str,
    events: list[Event],
    changes: list[TimerChange],
    causation: UUID | None,
) -> None:
    """Emit the recorded events through the outbox and set or stop the recorded deadlines."""
    for event in events:
        await uow.emit(event, correlation_id=correlation_id, causation_id=causation)
    for change in changes:
        if isinstance(change, ScheduleTimer):
            await timers.schedule(
                uow.session, change.key, change.due_at, change.message, correlation_id
            )
        elif isinstance(change, CancelTimer):
            await timers.cancel(uow.session, change.key, uow.clock.now())
    events.clear()
    changes.clear()


async def save(uow: UnitOfWork, order: Order, causation: UUID | None) -> None:
    await OrderRepository(uow.session).save(order, uow.clock.now())
    await flush(uow, str(order.order_id), order.events, order.timers, causation)
