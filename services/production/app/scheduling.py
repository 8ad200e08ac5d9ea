"""Scheduling a confirmed order's shortfall, and undoing or changing it.

``order.confirmed`` and the warehouse's ``stock.reserved`` may arrive in either order; the
order is scheduled once both are in. Loading locks the lines it may use (in code order), so
concurrent schedulers, also in two replicas, never overbook a line.
"""

from __future__ import annotations

import uuid
from typing import Any

from contracts.enums import DelayCause
from contracts.events.sales import (
    OrderCancelled,
    OrderConfirmed,
    OrderDeliveryDateChanged,
)
from contracts.events.warehouse import InspectionFailed, StockReserved
from contracts.status.production import WorkOrderKind, WorkOrderStatus
from services.production.app.booking import (
    announce_scheduled,
    load_and_book,
    return_materials,
    work_order_for,
)
from services.production.app.demand import follow_demand
from services.production.app.unit import Work
from services.production.domain.errors import CannotSchedule
from services.production.domain.work_order import WorkOrder
from shared.errors import Invalid, NotFound


async def record_confirmation(work: Work, event: OrderConfirmed) -> None:
    """The latest confirmation is kept (by the amendments it includes): a line an amendment
    added is made once production knows its spec."""
    now = work.now
    row = await work.orders.lock(event.order_id, now)
    known = row["confirmation"]
    if known is not None and event.amendment_no <= known.get("amendment_no", 0):
        return
    row["confirmation"] = event.model_dump(mode="json")
    await work.orders.update(
        event.order_id, now, order_no=event.order_no, confirmation=row["confirmation"]
    )
    if known is not None and row["scheduled_at"] and not row["cancelled_at"]:
        await follow_demand(work, row)
        return
    await _schedule_when_ready(work, row)


async def record_reservation(work: Work, event: StockReserved) -> None:
    """What the warehouse cannot cover is what production makes: the whole shortfall at its
    first report, then what amendments add or take off. Each report's changes are counted once
    (the inbox), in any order: the sum is what is to be made."""
    if event.lot_no is not None:
        return  # a reservation of our own finished lot after QC: not a new need
    now = work.now
    row = await work.orders.lock(event.order_id, now)
    demand = _demand_after(row["shortfall"], event)
    if demand == row["shortfall"]:
        return
    row["shortfall"] = demand
    await work.orders.update(event.order_id, now, order_no=event.order_no, shortfall=demand)
    if row["scheduled_at"] and not row["cancelled_at"]:
        await follow_demand(work, row)
        return
    await _schedule_when_ready(work, row)


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


async def _schedule_when_ready(work: Work, row: dict[str, Any]) -> None:
    if row["scheduled_at"] or row["cancelled_at"]:
        return
    if row["confirmation"] is None or row["shortfall"] is None:
        return
    order = OrderConfirmed.model_validate(row["confirmation"])
    short = {int(k): v for k, v in row["shortfall"].items() if v > 0}
    await work.orders.update(order.order_id, work.now, scheduled_at=work.now)
    if not short:
        return
    order_lines = [line for line in order.lines if line.line_no in short]
    families = await work.products.families({line.product_code for line in order_lines})
    unknown = sorted({line.product_code for line in order_lines} - set(families))
    if unknown:
        raise CannotSchedule(f"no product family for {', '.join(unknown)}: cannot schedule")
    new = [
        work_order_for(order, line, short[line.line_no], families[line.product_code])
        for line in order_lines
    ]
    await load_and_book(work, new)
    await announce_scheduled(work, new, order.rush)


async def cancel_order(work: Work, event: OrderCancelled) -> None:
    """Cancel the order's work orders and free their capacity; started work is reported."""
    now = work.now
    row = await work.orders.lock(event.order_id, now)
    if row["cancelled_at"] is not None:
        return
    await work.orders.update(event.order_id, now, cancelled_at=now)
    work_orders = await work.work_orders.for_order(event.order_id, lock=True)
    for wo in work_orders:
        was_planned = wo.status == WorkOrderStatus.PLANNED
        if wo.cancel(f"order cancelled: {event.reason}", work.today):
            await work.work_orders.save(wo, now)
            if was_planned and wo.materials_ready:
                await return_materials(work, wo)
    await work.collect(work_orders)


async def rework_failed_lot(work: Work, event: InspectionFailed) -> None:
    """A lot that failed inbound QC comes back: a rework (or remake) work order is scheduled."""
    if event.work_order_id is None:
        raise Invalid("work_order_id", "inspection.failed without it: cannot find the lot")
    parent = await work.work_orders.get(event.work_order_id)
    if parent is None:
        raise NotFound("work order", event.work_order_id)
    number = f"{parent.work_order_no}-R{str(event.inspection_id)[:8]}"
    if any(wo.work_order_no == number for wo in await work.work_orders.for_order(parent.order_id)):
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
        work,
        [rework],
        cause=DelayCause.QUALITY,
        reason=f"lot {event.lot_no} failed inspection ({event.defect}): {event.disposition}",
        check_materials=event.disposition == "scrap",
    )
    await announce_scheduled(work, [rework], rework.rush)


async def change_promised_date(work: Work, event: OrderDeliveryDateChanged) -> None:
    """The customer agreed a new date: open work orders are measured against it from now on."""
    changed = []
    for wo in await work.work_orders.for_order(event.order_id, lock=True):
        if wo.open and wo.promised_date != event.new_date:
            wo.promise(event.new_date)
            await work.work_orders.save(wo, work.now)
            changed.append(wo)
    await work.collect(changed)
