"""Item master, locations, receipts, adjustments and counts."""

from __future__ import annotations

from services.warehouse.app.unit import Work
from services.warehouse.domain.stock import StockBook
from shared.errors import Conflict, NotFound


async def add_item(
    work: Work,
    product_code: str,
    description: str | None,
    reorder_point: int,
    reorder_quantity: int | None,
) -> bool:
    """True when the item is new; an item known already keeps what it had."""
    work.uow.correlation_id = f"item:{product_code}"
    return await work.stock.add_item(product_code, description, reorder_point, reorder_quantity)


async def add_location(work: Work, code: str, name: str | None) -> None:
    work.uow.correlation_id = f"location:{code}"
    await work.stock.add_location(code, name)


async def _book(work: Work, product_code: str, location: str) -> StockBook:
    work.uow.correlation_id = f"item:{product_code}"
    book = await work.stock.lock_book(product_code)
    if book is None:
        raise NotFound("item", product_code)
    if not await work.stock.location_exists(location):
        raise NotFound("location", location)
    return book


async def receive_stock(
    work: Work, product_code: str, location: str, quantity: int, reference: str | None
) -> StockBook:
    """A receipt with a reference (the delivery note, an opening-stock line) is booked once:
    the same receipt again changes nothing; the reference on another receipt is refused."""
    book = await _book(work, product_code, location)
    if reference is not None:
        earlier = await work.stock.receipt(product_code, reference)
        if earlier == (location, quantity):
            return book
        if earlier is not None:
            raise Conflict(
                f"receipt {reference} of {product_code} was booked as {earlier[1]} at"
                f" {earlier[0]}; nothing was changed",
                field="reference",
                state="reference_used",
            )
    book.receive(location, quantity, reference=reference)
    await work.save_books([book])
    return book


async def adjust_stock(
    work: Work, product_code: str, location: str, delta: int, reason: str
) -> StockBook:
    """Breakage, loss, a find: booked against the signed-in person."""
    book = await _book(work, product_code, location)
    book.adjust(location, delta, reason, reference=work.actor.name)
    await work.save_books([book])
    return book


async def count_stock(work: Work, product_code: str, location: str, counted: int) -> StockBook:
    """A count by the signed-in person sets on-hand to what is on the shelf."""
    book = await _book(work, product_code, location)
    book.count(location, counted, work.actor.name)
    await work.save_books([book])
    return book
