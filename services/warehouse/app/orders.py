"""Use cases of an order's life in the warehouse: review, reserve, amend, cancel, ship."""

from __future__ import annotations

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
from services.warehouse.app.unit import Work
from services.warehouse.domain.fulfilment import Fulfilment, FulfilmentStatus, StockChange
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
    """Reserve what is free for a released order; the shortfall is production's."""
    f = Fulfilment.open(
        event.order_id,
        event.order_no,
        [(x.line_no, x.product_code, x.quantity) for x in event.lines],
        event.delivery_address,
        event.promised_date,
        event.rush,
    )
    if not await work.fulfilments.claim(f):
        return  # already reserving, or cancelled before the confirmation arrived
    await reserve_shortfalls(work, f)
    f.record_reservation()
    await work.fulfilments.save(f)
    await work.emit_all(f.events)


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
    """New quantities: release the excess, reserve the extra; a new address is kept."""
    f = await work.fulfilments.get(event.order_id)
    if f is None or f.status == FulfilmentStatus.CANCELLED:
        return
    if event.delivery_address is not None:
        f.delivery_address = event.delivery_address
    if event.line_changes:
        changes = [(c.line_no, c.product_code, c.new_quantity) for c in event.line_changes]
        # take every item lock up front, in code order, so two replicas cannot deadlock
        await work.stock.lock_books(
            {line.product_code for line in f.lines.values()} | {c[1] for c in changes}
        )
        releases, put_backs = f.amend(changes)
        books = await give_back(
            work, f, releases, put_backs, f"order amended (#{event.amendment_no})"
        )
        await work.save_books(books.values())
        await reserve_shortfalls(work, f)
        f.record_reservation()
    await work.fulfilments.save(f)
    await work.emit_all(f.events)


async def mark_shipped(work: Work, event: GoodsShipped) -> None:
    f = await work.fulfilments.get(event.order_id)
    if f is not None:
        f.mark_shipped()
        await work.fulfilments.save(f)
