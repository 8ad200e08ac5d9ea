"""Loading new work orders onto the lines and booking them, with their materials."""

from __future__ import annotations

import uuid

from contracts.common import MaterialLine, OrderLine
from contracts.enums import DelayCause
from contracts.events.production import MaterialRequisitioned, ProductionScheduled
from contracts.events.sales import OrderConfirmed
from services.production.app.unit import Work
from services.production.domain.capacity import Load
from services.production.domain.materials import MaterialNeed, requirement, shortages
from services.production.domain.scheduling import schedule
from services.production.domain.work_order import WorkOrder


def work_order_for(
    order: OrderConfirmed, line: OrderLine, quantity: int, family: str, nth: int = 1
) -> WorkOrder:
    suffix = f"-{nth}" if nth > 1 else ""
    return WorkOrder(
        work_order_id=uuid.uuid4(),
        work_order_no=f"WO-{order.order_no}-{line.line_no}{suffix}",
        order_id=order.order_id,
        order_no=order.order_no,
        line_no=line.line_no,
        product_code=line.product_code,
        spec=line.spec,
        family=family,
        quantity=quantity,
        promised_date=order.promised_date,
        rush=order.rush,
        prepaid=order.prepaid,
    )


async def load_and_book(
    work: Work,
    new: list[WorkOrder],
    *,
    cause: DelayCause = DelayCause.CAPACITY,
    reason: str = "no capacity before the promised date",
    check_materials: bool = True,
) -> None:
    """Lock the lines, load the new work orders (rush ones ahead), store everything."""
    planning, now = work.planning, work.now
    codes = await work.lines.makers({wo.family for wo in new})
    await work.lines.lock(codes)
    lines = await work.lines.lines(codes)
    first_day = planning.first_day(now)
    movable = await work.work_orders.planned_on_lines(codes) if any(w.rush for w in new) else []
    load = Load.of(lines, await work.lines.booked(codes, first_day))
    moved = schedule(
        new,
        lines,
        load,
        first_day,
        planning.is_business_day,
        planning.horizon_days,
        movable,
        cause=cause,
        reason=reason,
    )
    for wo in new:
        short = await _take_materials(work, wo) if check_materials else []
        wo.materials_ready = not short
        await work.work_orders.add(wo, now)
        if short:
            await _requisition(work, wo, short)
    for wo in moved:
        await work.work_orders.save(wo, now)
    await work.collect(moved)


async def _take_materials(work: Work, wo: WorkOrder) -> list[MaterialNeed]:
    bom = await work.products.bom(wo.product_code)
    if not bom:
        return []
    needs = requirement(bom, wo.quantity)
    on_hand = await work.materials.on_hand_locked(n.material_code for n in needs)
    short = shortages(needs, on_hand)
    if not short:
        await work.materials.take(needs, work.now)
    return short


async def _requisition(work: Work, wo: WorkOrder, short: list[MaterialNeed]) -> None:
    assert wo.planned_start is not None
    requisition_id = uuid.uuid4()
    number = f"MR-{wo.work_order_no}"
    await work.requisitions.add(
        requisition_id, number, wo.work_order_id, short, wo.planned_start, work.now
    )
    await work.emit(
        MaterialRequisitioned(
            requisition_id=requisition_id,
            requisition_no=number,
            work_order_id=wo.work_order_id,
            order_id=wo.order_id,
            order_no=wo.order_no,
            materials=[
                MaterialLine(material_code=m.material_code, quantity=m.quantity, unit=m.unit)
                for m in short
            ],
            needed_by=wo.planned_start,
        ),
        wo.order_id,
    )


async def announce_scheduled(work: Work, work_orders: list[WorkOrder], rush: bool) -> None:
    """``production.scheduled`` for an order's new or moved work orders, then their own events."""
    first = work_orders[0]
    await work.emit(
        ProductionScheduled(
            order_id=first.order_id,
            order_no=first.order_no,
            work_orders=[wo.as_contract() for wo in work_orders],
            planned_finish=max(wo.planned_finish for wo in work_orders if wo.planned_finish),
            rush=rush,
        ),
        first.order_id,
    )
    await work.collect(work_orders)


async def return_materials(work: Work, wo: WorkOrder) -> None:
    """The materials taken for a planned work order that will not be made go back to stock."""
    for need in requirement(await work.products.bom(wo.product_code), wo.quantity):
        await work.materials.add(need.material_code, need.quantity, need.unit, work.now)
