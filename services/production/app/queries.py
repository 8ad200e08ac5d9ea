"""What people look up: lines, products, materials, the schedule, work orders.

Reads go through here like every other use case, so the HTTP layer never touches a repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from typing import Any
from uuid import UUID

from contracts.status.production import WorkOrderStatus
from services.production.app.unit import Work
from services.production.domain.capacity import Line
from services.production.domain.work_order import WorkOrder
from shared.errors import NotFound

# The planner's view covers a month unless asked for other days.
_DEFAULT_DAYS = 30


@dataclass
class ScheduleDay:
    """One line's day: the share of its capacity used (0 = free, 1 = full) and the work on it."""

    line_code: str
    day: date
    used: Fraction = Fraction(0)
    work_orders: list[dict[str, Any]] = field(default_factory=list)


async def lines(work: Work) -> list[Line]:
    return await work.lines.lines()


async def line(work: Work, code: str) -> tuple[Line, list[dict[str, Any]]]:
    """The line with its capacities, and its downtime days."""
    found = await work.lines.lines([code])
    if not found:
        raise NotFound("line", code)
    return found[0], await work.lines.downtime_rows(code)


async def product(work: Work, code: str) -> dict[str, Any]:
    found = await work.products.get(code)
    if found is None:
        raise NotFound("product", code)
    return found


async def materials(work: Work) -> list[dict[str, Any]]:
    return await work.materials.all()


async def work_orders(
    work: Work, order_id: UUID | None, status: WorkOrderStatus | None, line_code: str | None
) -> list[WorkOrder]:
    return await work.work_orders.search(order_id, status, line_code)


async def work_order(work: Work, work_order_id: UUID) -> WorkOrder:
    found = await work.work_orders.get(work_order_id)
    if found is None:
        raise NotFound("work order", work_order_id)
    return found


async def schedule(
    work: Work, line_code: str | None, day_from: date | None, day_to: date | None
) -> list[ScheduleDay]:
    """The planner's view: per line and day, the share of capacity used and the work on it."""
    start = day_from or work.today
    end = day_to or start + timedelta(days=_DEFAULT_DAYS)
    rows = await work.lines.schedule_view(line_code, start, end)
    rates = {ln.code: ln.rates for ln in await work.lines.lines({r["line_code"] for r in rows})}
    days: dict[tuple[str, date], ScheduleDay] = {}
    for row in rows:
        key = (row["line_code"], row["day"])
        entry = days.setdefault(key, ScheduleDay(*key))
        rate = rates[row["line_code"]].get(row["family"])
        if rate:
            entry.used += Fraction(row["quantity"], rate)
        entry.work_orders.append(row)
    return list(days.values())
