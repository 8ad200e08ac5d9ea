"""Use cases of an order's life in the warehouse: review, reserve, amend, cancel, ship."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from contracts.enums import ReviewDepartment, ReviewVerdict
from contracts.events.logistics import GoodsShipped
from contracts.events.sales import (
    LineAvailability,
    OrderAmended,
    OrderCancelled,
    OrderConfirmed,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.status.warehouse import FulfilmentStatus
from services.warehouse.app.unit import Work
from services.warehouse.domain.fulfilment import Fulfilment, StockChange
from services.warehouse.domain.stock import StockBook


async def answer_review(work: Work, event: OrderReviewRequested, local_today: date) -> None:
    """Tell the review what free stock covers now; production quotes the rest."""
    if ReviewDepartment.WAREHOUSE not in event.departments:
        return
    lines, notes = [], []
    # An order reviewed again after an amendment keeps what it already holds: that counts
    # as covering it, with the free stock. Two lines of one product share both.
    holding = await work.fulfilments.get(event.order_id, lock=False)
    free: dict[str, int] = {}
    for line in event.lines:
        if line.product_code not in free:
            levels = await work.stock.levels(line.product_code)
            held = holding.held(line.product_code) if holding else 0
            free[line.product_code] = held + sum(lv["on_hand"] - lv["reserved"] for lv in levels)
        covered = max(min(free[line.product_code], line.quantity), 0)
        free[line.product_code] -= covered
        lines.append(
            LineAvailability(
                line_no=line.line_no,
                product_code=line.product_code,
                quantity_requested=line.quantity,
                quantity_available=covered,
                earliest_date=local_today if covered == line.quantity else None,
            )
        )
        notes.append(
            f"line {line.line_no} {line.product_code}: {covered}/{line.quantity} from stock"
        )
    all_covered = all(x.quantity_available == x.quantity_requested for x in lines)
    await work.emit(
        OrderReviewed(
            order_id=event.order_id,
            order_no=event.order_no,
            department=ReviewDepartment.WAREHOUSE,
            verdict=ReviewVerdict.APPROVE,
            earliest_date=local_today if all_covered else None,
            notes="; ".join(notes),
            lines=lines,
            review_round=event.review_round,
        )
    )


async def reserve_order(work: Work, event: OrderConfirmed) -> None:
    """Reserve what is free for a released order; the shortfall is production's.

    An order known already is a duplicate, one cancelled or amended before its confirmation
    came, or one released again after an amendment: the confirmation then brings in what the
    warehouse missed."""
    confirmation = Fulfilment.open(
        event.order_id,
        event.order_no,
        [(x.line_no, x.product_code, x.quantity) for x in event.lines],
        event.delivery_address,
        event.promised_date,
        event.rush,
        event.amendment_no,
    )
    if await work.fulfilments.claim(confirmation):
        await _reserve_and_report(work, confirmation)
        return
    f = await work.fulfilments.get(event.order_id)
    assert f is not None
    if f.status == FulfilmentStatus.AWAITING_CONFIRMATION:
        f.confirm(confirmation)
        await _reserve_and_report(work, f)
    elif f.is_behind(event.amendment_no):
        await _lock_books_of(work, f, (ln.product_code for ln in confirmation.lines.values()))
        changed = f.reconfirm(confirmation)
        if changed is None:
            await work.fulfilments.save(f)
            return
        releases, put_backs = changed
        why = "order released again after amendment"
        await _give_back_and_reserve(work, f, releases, put_backs, why)


async def _reserve_and_report(work: Work, f: Fulfilment) -> None:
    await reserve_shortfalls(work, f)
    f.record_reservation()
    await work.fulfilments.save(f)
    await work.emit_all(f.events)


async def _lock_books_of(work: Work, f: Fulfilment, more: Iterable[str]) -> None:
    """Every item lock up front, in code order, so two replicas cannot deadlock."""
    await work.stock.lock_books({line.product_code for line in f.lines.values()} | set(more))


async def _give_back_and_reserve(
    work: Work, f: Fulfilment, releases: list[StockChange], put_backs: list[StockChange], why: str
) -> None:
    books = await give_back(work, f, releases, put_backs, why)
    await work.save_books(books.values())
    await _reserve_and_report(work, f)


async def reserve_shortfalls(work: Work, f: Fulfilment) -> None:
    short = [line for line in f.lines.values() if line.shortfall]
    books = await work.stock.lock_books(line.product_code for line in short)
    for line in sorted(short, key=lambda x: x.line_no):
        book = books.get(line.product_code)
        if book is not None:
            f.add_reservation(line.line_no, book.reserve(f.order_id, line.shortfall))
    await work.save_books(books.values())


async def give_back(
    work: Work, f: Fulfilment, releases: list[StockChange], put_backs: list[StockChange], why: str
) -> dict[str, StockBook]:
    books = await work.stock.lock_books(c.product_code for c in releases + put_backs)
    for c in releases:
        books[c.product_code].release(c.location, c.quantity, f.order_id, why)
    for c in put_backs:
        books[c.product_code].put_back(c.location, c.quantity, f.order_id, why)
    return books


async def cancel_order(work: Work, event: OrderCancelled) -> None:
    """Release reservations and put picked, undispatched goods back (``stock.released``)."""
    f = await work.fulfilments.get(event.order_id)
    if f is None:
        if await work.fulfilments.claim(
            Fulfilment.cancelled_before_confirmation(event.order_id, event.order_no)
        ):
            return
        # the confirmation's reservation committed while this waited on its row: undo it
        f = await work.fulfilments.get(event.order_id)
        assert f is not None
    if f.status == FulfilmentStatus.SHIPPED:
        return  # dispatched goods come back as a return, not by cancellation
    releases, put_backs = f.cancel()
    books = await give_back(work, f, releases, put_backs, f"order cancelled: {event.reason}")
    await work.save_books(books.values())
    await work.fulfilments.save(f)
    await work.emit_all(f.events)


async def amend_order(work: Work, event: OrderAmended) -> None:
    """New quantities: release the excess, reserve the extra; a new address is kept.

    One that comes before the order's confirmation is noted (its address, its number) for the
    confirmation to find; changed quantities come again with the confirmation of the order
    released after its review."""
    f = await work.fulfilments.get(event.order_id)
    if f is None:
        early = Fulfilment.amended_before_confirmation(
            event.order_id, event.order_no, event.amendment_no, event.delivery_address
        )
        if await work.fulfilments.claim(early):
            return
        # the confirmation's reservation committed while this waited on its row
        f = await work.fulfilments.get(event.order_id)
        assert f is not None
    if not f.is_behind(event.amendment_no):
        return  # cancelled, or already in a later confirmation
    f.take_amendment(event.amendment_no, event.delivery_address)
    if event.line_changes and f.status != FulfilmentStatus.AWAITING_CONFIRMATION:
        changes = [(c.line_no, c.product_code, c.new_quantity) for c in event.line_changes]
        await _lock_books_of(work, f, (c[1] for c in changes))
        releases, put_backs = f.amend(changes)
        why = f"order amended (#{event.amendment_no})"
        await _give_back_and_reserve(work, f, releases, put_backs, why)
        return
    await work.fulfilments.save(f)


async def mark_shipped(work: Work, event: GoodsShipped) -> None:
    f = await work.fulfilments.get(event.order_id)
    if f is not None:
        f.mark_shipped()
        await work.fulfilments.save(f)
