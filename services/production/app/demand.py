"""Following what the warehouse says production is to make after the order was scheduled.

An amendment changes an order's quantities; the warehouse covers what it can from free stock
and reports the rest as a change of the shortfall (``stock.reserved``). Production then makes
exactly the sum of those changes per line: a planned work order grows or shrinks (and is
cancelled at nothing), or a new one is loaded for a line that has none left to grow. Work
already started is not shrunk: what it makes beyond the need goes to stock.
"""

from __future__ import annotations

from typing import Any

from contracts.events.sales import OrderConfirmed
from contracts.status.production import WorkOrderKind, WorkOrderStatus
from services.production.app.booking import (
    announce_scheduled,
    load_and_book,
    return_materials,
    work_order_for,
)
from services.production.app.unit import Work
from services.production.domain.capacity import Load
from services.production.domain.scheduling import schedule
from services.production.domain.work_order import WorkOrder


async def follow_demand(work: Work, row: dict[str, Any]) -> None:
    order = OrderConfirmed.model_validate(row["confirmation"])
    demand = {int(k): v for k, v in (row["shortfall"] or {}).items()}
    by_line = {line.line_no: line for line in order.lines if line.line_no in demand}
    families = await work.products.families({line.product_code for line in by_line.values()})
    # lines before work orders: the same lock order as scheduling, so the two never deadlock
    await work.lines.lock(await work.lines.makers(set(families.values())))
    mine = [
        wo
        for wo in await work.work_orders.for_order(order.order_id, lock=True)
        if wo.kind == WorkOrderKind.PRODUCTION and wo.status != WorkOrderStatus.CANCELLED
    ]
    resized: list[WorkOrder] = []
    gone: list[WorkOrder] = []
    new: list[WorkOrder] = []
    for line_no, line in sorted(by_line.items()):
        wos = [wo for wo in mine if wo.line_no == line_no]
        gap = max(demand[line_no], 0) - sum(wo.quantity for wo in wos)
        planned = [wo for wo in wos if wo.status == WorkOrderStatus.PLANNED]
        if gap > 0 and planned:
            planned[-1].quantity += gap
            resized.append(planned[-1])
        elif gap > 0 and line.product_code in families:
            new.append(work_order_for(order, line, gap, families[line.product_code], len(wos) + 1))
        for wo in reversed(planned):
            if gap >= 0:
                break
            take = min(-gap, wo.quantity)
            gap += take
            if take == wo.quantity:
                gone.append(wo)
            else:
                wo.quantity -= take
                resized.append(wo)
    for wo in gone:
        await _cancel(work, wo)
    await work.collect(gone)
    await _apply(work, order, resized, new)


async def _apply(
    work: Work, order: OrderConfirmed, resized: list[WorkOrder], new: list[WorkOrder]
) -> None:
    if resized:
        await _reload(work, resized)
    if new:
        await load_and_book(work, new)
    if resized or new:
        await announce_scheduled(work, resized + new, order.rush)


async def _cancel(work: Work, wo: WorkOrder) -> None:
    """A planned work order no longer needed: cancelled, its reserved materials back in stock."""
    had_materials = wo.materials_ready
    if wo.cancel("order amended: no longer to be made", work.today):
        await work.work_orders.save(wo, work.now)
        if had_materials:
            await return_materials(work, wo)


async def _reload(work: Work, kept: list[WorkOrder]) -> None:
    """Resized work orders are loaded again from the first production day."""
    planning = work.planning
    codes = await work.lines.makers({wo.family for wo in kept})
    lines = await work.lines.lines(codes)
    first_day = planning.first_day(work.now)
    exclude = {wo.work_order_id for wo in kept}
    load = Load.of(lines, await work.lines.booked(codes, first_day, exclude=exclude))
    schedule(
        kept,
        lines,
        load,
        first_day,
        planning.is_business_day,
        planning.horizon_days,
        reason="order amended",
    )
    for wo in kept:
        await work.work_orders.save(wo, work.now)
