"""Customer returns: held until inspected, then restocked or scrapped."""

from __future__ import annotations

from uuid import UUID

from contracts.events.customer_service import ReturnAuthorized
from contracts.events.warehouse import ReturnReceived
from services.warehouse.app.unit import Work
from services.warehouse.domain.inspection import GoodsReturn, ReturnOutcomeLine
from shared.errors import NotFound


async def note_authorization(work: Work, event: ReturnAuthorized) -> None:
    await work.returns.authorize(event.return_id, event.complaint_id, event.rma_no)


async def receive_return(work: Work, event: ReturnReceived) -> None:
    """Returned goods are booked as received but not into stock: inspection comes first."""
    await work.returns.add(
        GoodsReturn(
            event.return_id,
            event.rma_no,
            event.order_id,
            event.order_no,
            list(event.lines),
            event.condition_notes,
        )
    )


async def inspect_return(
    work: Work,
    return_id: UUID,
    results: list[ReturnOutcomeLine],
    location: str | None = None,
) -> GoodsReturn:
    """QC inspects returned goods (the signed-in inspector, now): each piece restocked at
    ``location`` (by default the restock location) or scrapped."""
    location = location or work.policy.restock_location
    goods = await work.returns.get(return_id)
    if goods is None:
        raise NotFound("return", return_id)
    work.uow.correlation_id = str(goods.order_id or return_id)
    restock = goods.inspect(results, work.actor.name, work.now)
    await work.returns.save(goods)
    await work.emit_all(goods.events)
    for code in sorted({r.product_code for r in restock}):
        await work.stock.ensure_item(code)
    await work.stock.ensure_location(location)
    books = await work.stock.lock_books(r.product_code for r in restock)
    for r in restock:
        books[r.product_code].restock_return(location, r.quantity, reference=goods.rma_no)
    await work.save_books(books.values())
    return goods
