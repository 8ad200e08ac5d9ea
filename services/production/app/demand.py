"""Following what the warehouse says production is to make after the order was scheduled.

An amendment changes an order's quantities; the warehouse covers what it can from free stock
and reports the rest as a change of the shortfall (``stock.reserved``). Production then makes
exactly the sum of those changes per line: a planned work order grows or shrinks (and is
cancelled at nothing), or a new one is loaded for a line that has none left to grow. Work
already started is not shrunk: what it makes beyond the need goes to stock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.events.sales import OrderConfirmed
from services.production.app.booking import (
    announce_scheduled,
    load_and_book,
    return_materials,
    work_order_for,
)
from services.production.app.common import Planning, Repos, flush_events
from services.production.domain.capacity import Load
from services.production.domain.scheduling import schedule
from services.production.domain.work_order import WorkOrder, WorkOrderKind, WorkOrderStatus
from shared.uow import UnitOfWork


async def follow_demand(
    uow: UnitOfWork, planning: Planning, row: dict[str, Any], causation: UUID | None
) -> None:
    repos, now = Repos(uow), uow.clock.now()
    order = OrderConfirmed.model_validate(row["confirmation"])
    demand = {int(k): v for k, v in (row["shortfall"] or {}).items()}
    by_line = {line.line_no: line for line in order.lines if line.line_no in demand}
    families = await repos.products.families({line.product_code for line in by_line.values()})
    # lines before work orders: the same lock order as scheduling, so the two never deadlock
    await repos.lines.lock(await repos.lines.makers(set(families.values())))
    mine = [
        wo
        for wo in await repos.work_orders.for_order(order.order_id, lock=True)
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
        await _cancel(repos, planning, wo, now)
    await flush_events(uow, gone, causation)
    await _apply(uow, planning, order, resized, new, causation)


async def _apply(
    uow: UnitOfWork,
    planning: Planning,
    order: OrderConfirmed,
    resized: list[WorkOrder],
    new: list[WorkOrder],
    causation: UUID | None,
) -> None:
    repos, now = Repos(uow), uow.clock.now()
    if resized:
        await _reload(repos, planning, resized, now)
    if new:
        await load_and_book(uow, planning, new, causation)
    if resized or new:
        await announce_scheduled(uow, resized + new, order.rush, causation)


async def _cancel(repos: Repos, planning: Planning, wo: WorkOrder, now: datetime) -> None:
    """A planned work order no longer needed: cancelled, its reserved materials back in stock."""
    had_materials = wo.materials_ready
    if wo.cancel("order amended: no longer to be made", planning.today(now)):
        await repos.work_orders.save(wo, now)
        if had_materials:
            await return_materials(repos, wo, now)


async def _reload(repos: Repos, planning: Planning, kept: list[WorkOrder], now: datetime) -> None:
    """Resized work orders are loaded again from the first production day."""
    codes = await repos.lines.makers({wo.family for wo in kept})
    lines = await repos.lines.lines(codes)
    first_day = planning.first_day(now)
    exclude = {wo.work_order_id for wo in kept}
    load = Load.of(lines, await repos.lines.booked(codes, first_day, exclude=exclude))
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
        await repos.work_orders.save(wo, now)
