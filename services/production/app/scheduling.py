"""Scheduling a confirmed order's shortfall, and undoing or changing it.

``order.confirmed`` and the warehouse's ``stock.reserved`` may arrive in either order; the
order is scheduled once both are in. Loading locks the lines it may use (in code order), so
concurrent schedulers, also in two replicas, never overbook a line.
"""

from __future__ import annotations

import uuid
from uuid import UUID

from contracts.enums import DelayCause
from contracts.events.sales import (
    OrderCancelled,
    OrderConfirmed,
    OrderDeliveryDateChanged,
)
from contracts.events.warehouse import InspectionFailed, StockReserved
from services.production.app.booking import (
    announce_scheduled,
    load_and_book,
    return_materials,
    work_order_for,
)
from services.production.app.common import NotFound, Planning, Repos, flush_events
from services.production.app.demand import follow_demand
from services.production.domain.work_order import (
    WorkOrder,
    WorkOrderKind,
    WorkOrderStatus,
)
from shared.errors import PermanentError
from shared.uow import UnitOfWork


async def record_confirmation(
    uow: UnitOfWork, planning: Planning, event: OrderConfirmed, causation: UUID | None
) -> None:
    """The latest confirmation is kept (by the amendments it includes): a line an amendment
    added is made once production knows its spec."""
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    known = row["confirmation"]
    if known is not None and event.amendment_no <= known.get("amendment_no", 0):
        return
    row["confirmation"] = event.model_dump(mode="json")
    await repos.orders.update(
        event.order_id, now, order_no=event.order_no, confirmation=row["confirmation"]
    )
    if known is not None and row["scheduled_at"] and not row["cancelled_at"]:
        await follow_demand(uow, planning, row, causation)
        return
    await _schedule_when_ready(uow, planning, row, causation)


async def record_reservation(
    uow: UnitOfWork, planning: Planning, event: StockReserved, causation: UUID | None
) -> None:
    """What the warehouse cannot cover is what production makes: the whole shortfall at its
    first report, then what amendments add or take off. Each report's changes are counted once
    (the inbox), in any order: the sum is what is to be made."""
    if event.lot_no is not None:
        return  # a reservation of our own finished lot after QC: not a new need
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    demand = _demand_after(row["shortfall"], event)
    if demand == row["shortfall"]:
        return
    row["shortfall"] = demand
    await repos.orders.update(event.order_id, now, order_no=event.order_no, shortfall=demand)
    if row["scheduled_at"] and not row["cancelled_at"]:
        await follow_demand(uow, planning, row, causation)
        return
    await _schedule_when_ready(uow, planning, row, causation)


def _demand_after(demand: dict[str, int] | None, event: StockReserved) -> dict[str, int]:
    if event.shortfall_changes is None:  # a producer older than the field: its first report
        if demand is not None:
            return demand
        return {str(line.line_no): line.shortfall for line in event.lines}
    after = dict(demand or {})
    for change in event.shortfall_changes:
        key = str(change.line_no)
        after[key] = after.get(key, 0) + change.change
    return after


async def _schedule_when_ready(
    uow: UnitOfWork, planning: Planning, row: dict, causation: UUID | None
) -> None:
    if row["scheduled_at"] or row["cancelled_at"]:
        return
    if row["confirmation"] is None or row["shortfall"] is None:
        return
    repos, now = Repos(uow), uow.clock.now()
    order = OrderConfirmed.model_validate(row["confirmation"])
    short = {int(k): v for k, v in row["shortfall"].items() if v > 0}
    await repos.orders.update(order.order_id, now, scheduled_at=now)
    if not short:
        return
    order_lines = [line for line in order.lines if line.line_no in short]
    families = await repos.products.families({line.product_code for line in order_lines})
    unknown = sorted({line.product_code for line in order_lines} - set(families))
    if unknown:
        raise PermanentError(f"no product family for {', '.join(unknown)}: cannot schedule")
    new = [
        work_order_for(order, line, short[line.line_no], families[line.product_code])
        for line in order_lines
    ]
    await load_and_book(uow, planning, new, causation)
    await announce_scheduled(uow, new, order.rush, causation)


async def cancel_order(
    uow: UnitOfWork, planning: Planning, event: OrderCancelled, causation: UUID | None
) -> None:
    """Cancel the order's work orders and free their capacity; started work is reported."""
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    if row["cancelled_at"] is not None:
        return
    await repos.orders.update(event.order_id, now, cancelled_at=now)
    today = planning.today(now)
    work_orders = await repos.work_orders.for_order(event.order_id, lock=True)
    for wo in work_orders:
        was_planned = wo.status == WorkOrderStatus.PLANNED
        if wo.cancel(f"order cancelled: {event.reason}", today):
            await repos.work_orders.save(wo, now)
            if was_planned and wo.materials_ready:
                await return_materials(repos, wo, now)
    await flush_events(uow, work_orders, causation)


async def rework_failed_lot(
    uow: UnitOfWork, planning: Planning, event: InspectionFailed, causation: UUID | None
) -> None:
    """A lot that failed inbound QC comes back: a rework (or remake) work order is scheduled."""
    if event.work_order_id is None:
        raise PermanentError("inspection.failed without work_order_id: cannot find the lot")
    repos = Repos(uow)
    parent = await repos.work_orders.get(event.work_order_id)
    if parent is None:
        raise NotFound(f"work order {event.work_order_id} not found")
    number = f"{parent.work_order_no}-R{str(event.inspection_id)[:8]}"
    if any(wo.work_order_no == number for wo in await repos.work_orders.for_order(parent.order_id)):
        return  # this inspection was already sent back
    rework = WorkOrder(
        work_order_id=uuid.uuid4(),
        work_order_no=number,
        order_id=parent.order_id,
        order_no=parent.order_no,
        line_no=parent.line_no,
        product_code=parent.product_code,
        spec=parent.spec,
        family=parent.family,
        quantity=event.quantity_rejected,
        promised_date=parent.promised_date,
        rush=parent.rush,
        prepaid=parent.prepaid,
        kind=WorkOrderKind.REWORK,
        parent_id=parent.work_order_id,
    )
    await load_and_book(
        uow,
        planning,
        [rework],
        causation,
        cause=DelayCause.QUALITY,
        reason=f"lot {event.lot_no} failed inspection ({event.defect}): {event.disposition}",
        check_materials=event.disposition == "scrap",
    )
    await announce_scheduled(uow, [rework], rework.rush, causation)


async def change_promised_date(
    uow: UnitOfWork, event: OrderDeliveryDateChanged, causation: UUID | None
) -> None:
    """The customer agreed a new date: open work orders are measured against it from now on."""
    repos, now = Repos(uow), uow.clock.now()
    changed = []
    for wo in await repos.work_orders.for_order(event.order_id, lock=True):
        if wo.open and wo.promised_date != event.new_date:
            wo.promise(event.new_date)
            await repos.work_orders.save(wo, now)
            changed.append(wo)
    await flush_events(uow, changed, causation)
