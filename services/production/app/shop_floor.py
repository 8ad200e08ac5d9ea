"""Shop-floor reporting (start, quantities, completion), material receipts, delay checks."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID

from services.production.app.unit import Work
from services.production.domain.materials import requirement, shortages
from services.production.domain.work_order import WorkOrder
from shared.errors import Invalid, NotFound


async def report_progress(
    work: Work,
    work_order_id: UUID,
    *,
    started: bool,
    quantity_done: int,
    quantity_scrapped: int,
    complete: bool,
    lot_no: str | None,
    reported_by: str,
) -> WorkOrder:
    """``reported_by``: the signed-in person, or whom a shop-floor system reports for.

    Refused: an unknown work order (NotFound), a state that forbids it (IllegalTransition), a
    completion without a lot number (Invalid)."""
    wo = await work.work_orders.get(work_order_id, lock=True)
    if wo is None:
        raise NotFound("work order", work_order_id)
    work.uow.correlation_id = str(wo.order_id)
    wo.report(
        started=started,
        quantity_done=quantity_done,
        quantity_scrapped=quantity_scrapped,
        complete=complete,
        lot_no=lot_no,
        reported_by=reported_by,
        today=work.today,
    )
    if wo.open and wo.line_code is not None:
        (line,) = await work.lines.lines([wo.line_code])
        wo.check_behind_plan(work.today, line, work.planning.is_business_day)
    await work.work_orders.save(wo, work.now)
    await work.collect([wo])
    return wo


async def receive_materials(
    work: Work,
    requisition_id: UUID | None,
    work_order_id: UUID | None,
    materials: list[tuple[str, Decimal, str]],
) -> WorkOrder | None:
    """Put received materials into stock; a work order waiting for them is unblocked."""
    if work_order_id is None and requisition_id is None:
        raise Invalid("requisition_id", "name the requisition or the work order supplied")
    if work_order_id is None and requisition_id is not None:
        requisition = await work.requisitions.get(requisition_id)
        if requisition is None:
            raise NotFound("requisition", requisition_id)
        work_order_id = requisition["work_order_id"]
    wo = await work.work_orders.get(work_order_id, lock=True) if work_order_id else None
    if wo is not None:
        work.uow.correlation_id = str(wo.order_id)
    for code, quantity, unit in materials:
        await work.materials.add(code, quantity, unit, work.now)
    if wo is None or not wo.open or wo.materials_ready:
        return wo
    needs = requirement(await work.products.bom(wo.product_code), wo.quantity)
    on_hand = await work.materials.on_hand_locked(n.material_code for n in needs)
    if shortages(needs, on_hand):
        return wo  # still short: the requisition stays open
    await work.materials.take(needs, work.now)
    wo.materials_ready = True
    await work.requisitions.close_for_work_order(wo.work_order_id, work.now)
    await work.work_orders.save(wo, work.now)
    return wo


async def check_delays(work: Work) -> int:
    """Open work orders that fell behind their plan report a delay (once per new date)."""
    planned = [
        (wo.line_code, wo)
        for wo in await work.work_orders.open_orders(lock=True)
        if wo.line_code is not None
    ]
    lines = {line.code: line for line in await work.lines.lines({c for c, _ in planned})}
    delayed = 0
    for code, wo in planned:
        wo.check_behind_plan(work.today, lines[code], work.planning.is_business_day)
        if wo.events:
            delayed += 1
            await work.work_orders.save(wo, work.now)
            await work.collect([wo])
    return delayed
