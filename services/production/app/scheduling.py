"""Scheduling a confirmed order's shortfall, and undoing or changing it.

``order.confirmed`` and the warehouse's ``stock.reserved`` may arrive in either order; the
order is scheduled once both are in. Loading locks the lines it may use (in code order), so
concurrent schedulers, also in two replicas, never overbook a line.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from uuid import UUID

from contracts.common import MaterialLine
from contracts.enums import DelayCause
from contracts.events.production import MaterialRequisitioned, ProductionScheduled
from contracts.events.sales import (
    OrderAmended,
    OrderCancelled,
    OrderConfirmed,
    OrderDeliveryDateChanged,
)
from contracts.events.warehouse import InspectionFailed, StockReserved
from services.production.app.common import NotFound, Planning, Repos, emit, flush_events
from services.production.domain.capacity import Load
from services.production.domain.materials import MaterialNeed, requirement, shortages
from services.production.domain.scheduling import schedule
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
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    if row["confirmation"] is None:
        row["confirmation"] = event.model_dump(mode="json")
        await repos.orders.update(
            event.order_id, now, order_no=event.order_no, confirmation=row["confirmation"]
        )
    await _schedule_when_ready(uow, planning, row, causation)


async def record_reservation(
    uow: UnitOfWork, planning: Planning, event: StockReserved, causation: UUID | None
) -> None:
    """The warehouse's shortfall per line is what production makes (once per order)."""
    if event.lot_no is not None:
        return  # a reservation of our own finished lot after QC: not a new need
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    if row["shortfall"] is None:
        row["shortfall"] = {str(line.line_no): line.shortfall for line in event.lines}
        await repos.orders.update(
            event.order_id, now, order_no=event.order_no, shortfall=row["shortfall"]
        )
    await _schedule_when_ready(uow, planning, row, causation)


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
        WorkOrder(
            work_order_id=uuid.uuid4(),
            work_order_no=f"WO-{order.order_no}-{line.line_no}",
            order_id=order.order_id,
            order_no=order.order_no,
            line_no=line.line_no,
            product_code=line.product_code,
            spec=line.spec,
            family=families[line.product_code],
            quantity=short[line.line_no],
            promised_date=order.promised_date,
            rush=order.rush,
            prepaid=order.prepaid,
        )
        for line in order_lines
    ]
    await _load_and_book(uow, planning, new, causation)
    await emit(
        uow,
        ProductionScheduled(
            order_id=order.order_id,
            order_no=order.order_no,
            work_orders=[wo.as_contract() for wo in new],
            planned_finish=max(wo.planned_finish for wo in new if wo.planned_finish),
            rush=order.rush,
        ),
        order.order_id,
        causation,
    )
    await flush_events(uow, new, causation)


async def _load_and_book(
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
                for need in requirement(await repos.products.bom(wo.product_code), wo.quantity):
                    await repos.materials.add(need.material_code, need.quantity, need.unit, now)
    await flush_events(uow, work_orders, causation)


async def amend_order(
    uow: UnitOfWork, planning: Planning, event: OrderAmended, causation: UUID | None
) -> None:
    """Changed quantities change the work order by the same amount and reload it."""
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    if row["cancelled_at"] is not None:
        return
    # Lines before work orders: the same lock order as scheduling, so the two never deadlock.
    current = await repos.work_orders.for_order(event.order_id)
    await repos.lines.lock(await repos.lines.makers({wo.family for wo in current}))
    by_line = {
        wo.line_no: wo
        for wo in await repos.work_orders.for_order(event.order_id, lock=True)
        if wo.kind == WorkOrderKind.PRODUCTION and wo.status == WorkOrderStatus.PLANNED
    }
    changed: list[WorkOrder] = []
    for change in event.line_changes:
        wo = by_line.get(change.line_no)
        if wo is None or change.new_quantity == change.old_quantity:
            continue
        quantity = wo.quantity + change.new_quantity - change.old_quantity
        if quantity <= 0:
            wo.cancel(f"order amended: line {change.line_no} no longer made", planning.today(now))
            await repos.work_orders.save(wo, now)
            await flush_events(uow, [wo], causation)
            continue
        wo.quantity = quantity
        changed.append(wo)
    if not changed:
        return
    codes = await repos.lines.makers({wo.family for wo in changed})
    await repos.lines.lock(codes)
    lines = await repos.lines.lines(codes)
    first_day = planning.first_day(now)
    exclude = {wo.work_order_id for wo in changed}
    load = Load.of(lines, await repos.lines.booked(codes, first_day, exclude=exclude))
    schedule(
        changed,
        lines,
        load,
        first_day,
        planning.is_business_day,
        planning.horizon_days,
        reason=f"order amended (amendment {event.amendment_no})",
    )
    for wo in changed:
        await repos.work_orders.save(wo, now)
    await emit(
        uow,
        ProductionScheduled(
            order_id=event.order_id,
            order_no=event.order_no,
            work_orders=[wo.as_contract() for wo in changed],
            planned_finish=max(wo.planned_finish for wo in changed if wo.planned_finish),
            rush=any(wo.rush for wo in changed),
        ),
        event.order_id,
        causation,
    )
    await flush_events(uow, changed, causation)


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
    await _load_and_book(
        uow,
        planning,
        [rework],
        causation,
        cause=DelayCause.QUALITY,
        reason=f"lot {event.lot_no} failed inspection ({event.defect}): {event.disposition}",
        check_materials=event.disposition == "scrap",
    )
    await emit(
        uow,
        ProductionScheduled(
            order_id=rework.order_id,
            order_no=rework.order_no,
            work_orders=[rework.as_contract()],
            planned_finish=rework.as_contract().planned_finish,
            rush=rework.rush,
        ),
        rework.order_id,
        causation,
    )
    await flush_events(uow, [rework], causation)


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
