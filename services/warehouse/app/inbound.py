"""Inbound QC of finished goods from production."""

from __future__ import annotations

import uuid
from uuid import UUID

from contracts.enums import QcDisposition
from contracts.events.production import ProductionCompleted
from services.warehouse.app.unit import Work
from services.warehouse.domain.fulfilment import Fulfilment
from services.warehouse.domain.inspection import Inspection
from services.warehouse.domain.stock import MovementKind
from shared.errors import NotFound


def inspection_id_for(work_order_id: UUID, lot_no: str) -> UUID:
    """One inspection per produced lot: the same completion reported twice is one inspection."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"orderflow:inspection:{work_order_id}:{lot_no}")


async def open_inspection(work: Work, event: ProductionCompleted) -> None:
    await work.inspections.add(
        Inspection(
            inspection_id_for(event.work_order_id, event.lot_no),
            event.work_order_id,
            event.order_id,
            event.order_no,
            event.line_no,
            event.product_code,
            event.lot_no,
            event.quantity,
        )
    )


async def decide_inspection(
    work: Work,
    inspection_id: UUID,
    location: str | None = None,
    *,
    defect: str | None = None,
    disposition: QcDisposition = QcDisposition.REWORK,
    quantity_rejected: int | None = None,
    defect_code: str | None = None,
) -> Inspection:
    """The signed-in inspector passes (``defect`` None) or fails the lot; accepted pieces go
    into stock at ``location`` (by default the inbound location) and are reserved for the order
    they were made for, up to its shortfall."""
    inspector, location = work.actor.name, location or work.policy.inbound_location
    peek = await work.inspections.get(inspection_id, lock=False)
    if peek is None:
        raise NotFound("inspection", inspection_id)
    work.uow.correlation_id = str(peek.order_id or inspection_id)
    f = await work.fulfilments.get(peek.order_id) if peek.order_id else None
    insp = await work.inspections.get(inspection_id)
    assert insp is not None
    if defect is None:
        accepted = insp.pass_(inspector, work.now)
    else:
        accepted = insp.fail(
            inspector, work.now, defect, disposition, quantity_rejected, defect_code
        )
    await work.inspections.save(insp)
    await work.emit_all(insp.events)
    if accepted:
        await _stock_and_reserve(work, insp, accepted, location, f)
    return insp


async def _stock_and_reserve(
    work: Work, insp: Inspection, accepted: int, location: str, f: Fulfilment | None
) -> None:
    await work.stock.ensure_item(insp.product_code)
    await work.stock.ensure_location(location)
    book = await work.stock.lock_book(insp.product_code)
    assert book is not None
    book.receive(
        location, accepted, kind=MovementKind.INBOUND, reference=insp.lot_no, order_id=insp.order_id
    )
    line = f.lines.get(insp.line_no) if f is not None and insp.line_no is not None else None
    if f is not None and line is not None and f.accepts_reservations and line.shortfall:
        granted = book.reserve(f.order_id, min(accepted, line.shortfall), only_location=location)
        f.add_reservation(line.line_no, granted)
        f.record_reservation(lot_no=insp.lot_no)
        await work.fulfilments.save(f)
        await work.emit_all(f.events)
    await work.save_books([book])
