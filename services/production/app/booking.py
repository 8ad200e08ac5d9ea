"""Loading new work orders onto the lines and booking them, with their materials."""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from contracts.common import MaterialLine, OrderLine
from contracts.enums import DelayCause
from contracts.events.production import MaterialRequisitioned, ProductionScheduled
from contracts.events.sales import OrderConfirmed
from services.production.app.common import Planning, Repos, emit, flush_events
from services.production.domain.capacity import Load
from services.production.domain.materials import MaterialNeed, requirement, shortages
from services.production.domain.scheduling import schedule
from services.production.domain.work_order import WorkOrder
from shared.uow import UnitOfWork


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
    uow: UnitOfWork,
    planning: Planning,
    new: list[WorkOrder],
    causation: UUID | None,
    *,
    cause: DelayCause = DelayCause.CAPACITY,
    reason: str = "no capacity before the promised date",
    check_materials: bool = True,
) -> None:
    """Lock the lines, load the new work orders (rush ones ahead), store everything."""
    repos, now = Repos(uow), uow.clock.now()
    codes = await repos.lines.makers({wo.family for wo in new})
    await repos.lines.lock(codes)
    lines = await repos.lines.lines(codes)
    first_day = planning.first_day(now)
    movable = await repos.work_orders.planned_on_lines(codes) if any(w.rush for w in new) else []
    load = Load.of(lines, await repos.lines.booked(codes, first_day))
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
        short = await _take_materials(repos, wo, now) if check_materials else []
        wo.materials_ready = not short
        await repos.work_orders.add(wo, now)
        if short:
            await _requisition(uow, repos, wo, short, causation)
    for wo in moved:
        await repos.work_orders.save(wo, now)
    await flush_events(uow, moved, causation)


async def _take_materials(repos: Repos, wo: WorkOrder, now: datetime) -> list[MaterialNeed]:
    bom = await repos.products.bom(wo.product_code)
    if not bom:
        return []
    needs = requirement(bom, wo.quantity)
    on_hand = await repos.materials.on_hand_locked(n.material_code for n in needs)
    short = shortages(needs, on_hand)
    if not short:
        await repos.materials.take(needs, now)
    return short


async def _requisition(
    uow: UnitOfWork,
    repos: Repos,
    wo: WorkOrder,
    short: list[MaterialNeed],
    causation: UUID | None,
) -> None:
    assert wo.planned_start is not None
    requisition_id = uuid.uuid4()
    number = f"MR-{wo.work_order_no}"
    await repos.requisitions.add(
        requisition_id,
        number,
        wo.work_order_id,
        short,
        wo.planned_start,
        uow.clock.now(),
    )
    await emit(
        uow,
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
        causation,
    )


async def announce_scheduled(
    uow: UnitOfWork, work_orders: list[WorkOrder], rush: bool, causation: UUID | None
) -> None:
    """``production.scheduled`` for an order's new or moved work orders, then their own events."""
    first = work_orders[0]
    await emit(
        uow,
        ProductionScheduled(
            order_id=first.order_id,
            order_no=first.order_no,
            work_orders=[wo.as_contract() for wo in work_orders],
            planned_finish=max(wo.planned_finish for wo in work_orders if wo.planned_finish),
            rush=rush,
        ),
        first.order_id,
        causation,
    )
    await flush_events(uow, work_orders, causation)


async def return_materials(repos: Repos, wo: WorkOrder, now: datetime) -> None:
    """The materials taken for a planned work order that will not be made go back to stock."""
    for need in requirement(await repos.products.bom(wo.product_code), wo.quantity):
        await repos.materials.add(need.material_code, need.quantity, need.unit, now)
