"""Review answer, reservation with shortfall, duplicates, amendment and cancellation."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

from contracts.common import OrderLine
from contracts.enums import (
    CustomerClass,
    Initiator,
    ReviewDepartment,
    ReviewVerdict,
    StockReleaseReason,
)
from contracts.events.sales import (
    LineQuantityChange,
    OrderAmended,
    OrderCancelled,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.events.warehouse import StockReleased, StockReserved
from services.warehouse.app import orders
from tests.harness import eventually, until_blocked
from tests.integration.warehouse.support import (
    assert_ledger_matches_levels,
    confirmed,
    confirmed_and_reserved,
    consumed,
    order_no,
    order_view,
    publish,
    stock_item,
    stock_of,
)


async def test_review_answers_with_what_stock_covers_now(warehouse, code):
    other = code + "-B"
    await stock_item(warehouse, code, ("A1", 3))
    await stock_item(warehouse, other, ("A1", 9))
    order_id = uuid.uuid4()
    request = OrderReviewRequested(
        order_id=order_id,
        order_no=order_no(),
        departments=[ReviewDepartment.WAREHOUSE, ReviewDepartment.PRODUCTION],
        customer_id="C-1",
        customer_class=CustomerClass.B,
        lines=[
            OrderLine(line_no=1, product_code=code, spec="s", quantity=5, unit_price=Decimal(1)),
            OrderLine(line_no=2, product_code=other, spec="s", quantity=4, unit_price=Decimal(1)),
            OrderLine(line_no=3, product_code=other, spec="s", quantity=7, unit_price=Decimal(1)),
        ],
        requested_date=date(2027, 4, 1),
        total_amount=Decimal(9),
        currency="CNY",
        review_due_at=warehouse.clock.now(),
        review_round=3,
    )
    await publish(warehouse, request, str(order_id))
    [review] = await warehouse.spy.wait_for(OrderReviewed, correlation_id=str(order_id))
    assert review.department == ReviewDepartment.WAREHOUSE
    assert review.review_round == 3, "the answer names the round it answers"
    assert review.verdict == ReviewVerdict.APPROVE
    # line 3 gets only what line 2 left of the same product
    assert [(x.line_no, x.quantity_available) for x in review.lines] == [(1, 3), (2, 4), (3, 5)]
    assert review.earliest_date is None  # line 1 is short: production must quote
    assert [x.earliest_date is not None for x in review.lines] == [False, True, False]
    # a review reserves nothing
    assert (await stock_of(warehouse, code))["reserved"] == 0


async def test_review_again_after_release_counts_what_the_order_already_holds(warehouse, code):
    event = await confirmed_and_reserved(warehouse, code, 6, 4)
    # amended from 4 to 7: reviewed again; its own 4 plus the 2 still free cover 6
    request = OrderReviewRequested(
        order_id=event.order_id,
        order_no=event.order_no,
        departments=[ReviewDepartment.WAREHOUSE, ReviewDepartment.PRODUCTION],
        customer_id="C-1",
        customer_class=CustomerClass.B,
        lines=[
            OrderLine(line_no=1, product_code=code, spec="s", quantity=7, unit_price=Decimal(1))
        ],
        requested_date=date(2027, 4, 1),
        total_amount=Decimal(7),
        currency="CNY",
        review_due_at=warehouse.clock.now(),
        review_round=2,
    )
    await publish(warehouse, request, str(event.order_id))
    [review] = await warehouse.spy.wait_for(OrderReviewed, correlation_id=str(event.order_id))
    assert [(x.line_no, x.quantity_available) for x in review.lines] == [(1, 6)]
    assert (await stock_of(warehouse, code))["reserved"] == 4, "a review reserves nothing"


async def test_confirmed_order_reserves_what_is_free_and_reports_the_shortfall(warehouse, code):
    await stock_item(warehouse, code, ("A1", 2), ("B1", 1))
    event = confirmed((code, 5))
    await publish(warehouse, event, str(event.order_id))
    [reserved] = await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    [line] = reserved.lines
    assert (line.quantity_ordered, line.quantity_reserved, line.shortfall) == (5, 3, 2)
    assert not reserved.fully_reserved
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (3, 3, 0)
    view = await order_view(warehouse, event.order_id)
    assert view is not None and view["status"] == "reserving" and view["pick_lists"] == []
    await assert_ledger_matches_levels(warehouse, code)


async def test_the_same_confirmation_delivered_twice_reserves_once(warehouse, code):
    await stock_item(warehouse, code, ("A1", 10))
    event = confirmed((code, 4))
    before = consumed(warehouse, "order.confirmed")
    first_id = uuid.uuid4()
    for _ in range(2):  # the same envelope twice, and the same order under new event ids
        await publish(warehouse, event, str(event.order_id), event_id=first_id)
        await publish(warehouse, event, str(event.order_id), event_id=uuid.uuid4())

    async def all_handled() -> bool:
        return consumed(warehouse, "order.confirmed") - before >= 4

    await eventually(all_handled)
    assert (await stock_of(warehouse, code))["reserved"] == 4
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    assert len(warehouse.spy.of(StockReserved, correlation_id=str(event.order_id))) == 1


async def test_cancellation_releases_the_reservation(warehouse, code):
    event = await confirmed_and_reserved(warehouse, code, 6, 4)
    cancel = OrderCancelled(
        order_id=event.order_id,
        order_no=event.order_no,
        initiated_by=Initiator.CUSTOMER,
        reason="changed mind",
    )
    await publish(warehouse, cancel, str(event.order_id))
    [released] = await warehouse.spy.wait_for(StockReleased, correlation_id=str(event.order_id))
    assert released.reason == StockReleaseReason.ORDER_CANCELLED
    assert [(x.line_no, x.quantity) for x in released.lines] == [(1, 4)]
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"]) == (6, 0)
    view = await order_view(warehouse, event.order_id)
    assert view is not None and view["status"] == "cancelled"
    await assert_ledger_matches_levels(warehouse, code)


async def test_cancellation_arriving_before_the_confirmation_blocks_the_reservation(
    warehouse, code
):
    await stock_item(warehouse, code, ("A1", 6))
    event = confirmed((code, 2))
    cancel = OrderCancelled(
        order_id=event.order_id, order_no=event.order_no, initiated_by=Initiator.COMPANY, reason="x"
    )
    await publish(warehouse, cancel, str(event.order_id))

    async def tombstone() -> bool:
        view = await order_view(warehouse, event.order_id)
        return view is not None and view["status"] == "cancelled"

    await eventually(tombstone)
    await publish(warehouse, event, str(event.order_id))
    # a later order for the same item is handled after the late confirmation (same queue)
    marker = confirmed((code, 1))
    await publish(warehouse, marker, str(marker.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(marker.order_id))
    assert warehouse.spy.of(StockReserved, correlation_id=str(event.order_id)) == []
    assert (await stock_of(warehouse, code))["reserved"] == 1


async def test_amendment_releases_the_excess_and_reserves_the_extra(warehouse, code):
    other = code + "-B"
    await stock_item(warehouse, code, ("A1", 10))
    await stock_item(warehouse, other, ("A1", 10))
    event = confirmed((code, 6), (other, 2))
    await publish(warehouse, event, str(event.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    amended = OrderAmended(
        order_id=event.order_id,
        order_no=event.order_no,
        amendment_no=1,
        initiated_by=Initiator.CUSTOMER,
        line_changes=[
            LineQuantityChange(line_no=1, product_code=code, old_quantity=6, new_quantity=2),
            LineQuantityChange(line_no=2, product_code=other, old_quantity=2, new_quantity=5),
        ],
        total_amount=Decimal(70),
        currency="CNY",
    )
    await publish(warehouse, amended, str(event.order_id))
    [released] = await warehouse.spy.wait_for(StockReleased, correlation_id=str(event.order_id))
    assert released.reason == StockReleaseReason.ORDER_AMENDED
    assert [(x.line_no, x.quantity) for x in released.lines] == [(1, 4)]
    reserved = await warehouse.spy.wait_for(StockReserved, 2, correlation_id=str(event.order_id))
    assert [(x.quantity_reserved, x.shortfall) for x in reserved[-1].lines] == [(2, 0), (5, 0)]
    assert (await stock_of(warehouse, code))["reserved"] == 2
    assert (await stock_of(warehouse, other))["reserved"] == 5
    view = await order_view(warehouse, event.order_id)
    assert view is not None
    open_lists = [pl for pl in view["pick_lists"] if pl["status"] == "open"]
    assert [[(p["line_no"], p["quantity"]) for p in pl["lines"]] for pl in open_lists] == [
        [(1, 2), (2, 5)]
    ]


async def test_a_cancellation_racing_the_confirmation_still_releases_the_stock(warehouse, code):
    """The confirmation's transaction has reserved but not committed when the cancellation's
    begins: the cancellation finds no order yet, waits on the row being inserted, and must then
    undo the reservation that committed meanwhile."""
    await stock_item(warehouse, code, ("A1", 6))
    event = confirmed((code, 4))
    cancel = OrderCancelled(
        order_id=event.order_id,
        order_no=event.order_no,
        initiated_by=Initiator.CUSTOMER,
        reason="changed mind",
    )
    runtime, ref = warehouse.runtime, str(event.order_id)

    async def cancelling() -> None:
        async with runtime.new_uow(correlation_id=ref) as uow:
            await orders.cancel_order(runtime.contexts(uow), cancel)
            await uow.commit()

    async with runtime.new_uow(correlation_id=ref) as uow:
        await orders.reserve_order(runtime.contexts(uow), event)
        racing = asyncio.create_task(cancelling())

        await until_blocked(runtime, "query LIKE 'INSERT INTO fulfilment %'")
        await uow.commit()
    await asyncio.wait_for(racing, 15)
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"]) == (6, 0)
    view = await order_view(warehouse, event.order_id)
    assert view is not None and view["status"] == "cancelled"
    await assert_ledger_matches_levels(warehouse, code)
