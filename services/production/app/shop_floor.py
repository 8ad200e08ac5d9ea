"""Shop-floor reporting (start, quantities, completion), material receipts, delay checks."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from services.production.app.common import NotFound, Planning, Repos, flush_events
from services.production.domain.materials import requirement, shortages
from services.production.domain.work_order import WorkOrder, WorkOrderStatus
from shared.uow import UnitOfWork


async def report_progress(
    uow: UnitOfWork,
    planning: Planning,
    work_order_id: UUID,
    *,
    started: bool,
    quantity_done: int,
    quantity_scrapped: int,
    complete: bool,
    lot_no: str | None,
    reported_by: str | None,
    causation: UUID | None,
) -> WorkOrder:
    """Raises NotFound, IllegalTransition (state forbids it) or ValueError (bad figures)."""
    repos, now = Repos(uow), uow.clock.now()
    wo = await repos.work_orders.get(work_order_id, lock=True)
    if wo is None:
        raise NotFound(f"work order {work_order_id} not found")
    today = planning.today(now)
    wo.report(
        started=started,
        quantity_done=quantity_done,
        quantity_scrapped=quantity_scrapped,
        complete=complete,
        lot_no=lot_no,
        reported_by=reported_by,
        today=today,
    )
    if wo.open and wo.line_code is not None:
        (line,) = await repos.lines.lines([wo.line_code])
        wo.check_behind_plan(today, line, planning.is_business_day)
    await repos.work_orders.save(wo, now)
    await flush_events(uow, [wo], causation)
    return wo


async def receive_materials(
    uow: UnitOfWork,
    requisition_id: UUID | None,
    work_order_id: UUID | None,
    materials: list[tuple[str, Decimal, str]],
) -> WorkOrder | None:
    """Put received materials into stock; a work order waiting for them is unblocked."""
    repos, now = Repos(uow), uow.clock.now()
    if work_order_id is None and requisition_id is not None:
        requisition = await repos.requisitions.get(requisition_id)
        if requisition is None:
            raise NotFound(f"requisition {requisition_id} not found")
        work_order_id = requisition["work_order_id"]
    wo = await repos.work_orders.get(work_order_id, lock=True) if work_order_id else None
    for code, quantity, unit in materials:
        await repos.materials.add(code, quantity, unit, now)
    if wo is None or not wo.open or wo.materials_ready:
        return wo
    needs = requirement(await repos.products.bom(wo.product_code), wo.quantity)
    on_hand = await repos.materials.on_hand_locked(n.material_code for n in needs)
    if shortages(needs, on_hand):
        return wo  # still short: the requisition stays open
    await repos.materials.take(needs, now)
    wo.materials_ready = True
    await repos.requisitions.close_for_work_order(wo.work_order_id, now)
    await repos.work_orders.save(wo, now)
    return wo


async def check_delays(uow: UnitOfWork, planning: Planning) -> int:
    """Open work orders that fell behind their plan report a delay (once per new date)."""
    repos, now = Repos(uow), uow.clock.now()
    today = planning.today(now)
    planned = [
        (wo.line_code, wo)
        for wo in await repos.work_orders.open_orders(lock=True)
        if wo.line_code is not None
    ]
    lines = {line.code: line for line in await repos.lines.lines({c for c, _ in planned})}
    delayed = 0
    for code, wo in planned:
        wo.check_behind_plan(today, lines[code], planning.is_business_day)
        if wo.events:
            delayed += 1
            await repos.work_orders.save(wo, now)
            await flush_events(uow, [wo], None)
    return delayed


__all__ = ["WorkOrderStatus", "check_delays", "receive_materials", "report_progress"]
