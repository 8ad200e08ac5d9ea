"""Item master, locations, receipts, adjustments and counts."""

from __future__ import annotations

from services.warehouse.app.unit import NotFound, Work
from services.warehouse.domain.stock import StockBook


async def _book(work: Work, product_code: str, location: str) -> StockBook:
    book = await work.stock.lock_book(product_code)
    if book is None:
        raise NotFound(f"item {product_code}")
    if not await work.stock.location_exists(location):
        raise NotFound(f"location {location}")
    return book


async def receive_stock(
    work: Work, product_code: str, location: str, quantity: int, reference: str | None
) -> StockBook:
    book = await _book(work, product_code, location)
    book.receive(location, quantity, reference=reference)
    await work.save_books([book])
    return book


async def adjust_stock(
    work: Work, product_code: str, location: str, delta: int, reason: str, by: str | None
) -> StockBook:
    book = await _book(work, product_code, location)
    book.adjust(location, delta, reason, reference=by)
    await work.save_books([book])
    return book


async def count_stock(
    work: Work, product_code: str, location: str, counted: int, counted_by: str
) -> StockBook:
    book = await _book(work, product_code, location)
    book.count(location, counted, counted_by)
    await work.save_books([book])
    return book
