"""An amendment that comes before the order's confirmation is not lost: events may arrive out
of order (a redelivery after a crash), and the amendment's handler may run while the
confirmation's transaction is still open."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from uuid import UUID

from contracts.common import Address
from contracts.enums import Initiator
from contracts.events.sales import LineQuantityChange, OrderAmended, OrderConfirmed
from contracts.events.warehouse import StockReserved
from services.warehouse.app import orders
from services.warehouse.domain.fulfilment import Fulfilment
from tests.harness import eventually, until_blocked
from tests.integration.warehouse.conftest import Warehouse
from tests.integration.warehouse.support import (
    assert_ledger_matches_levels,
    confirmed,
    order_view,
    publish,
    stock_item,
    stock_of,
)

SITE = Address(recipient="Site Office", line1="88 Port Ave", city="Ningbo")


def amended(event: OrderConfirmed, old: int, new: int, address: Address | None = None):
    line = event.lines[0]
    return OrderAmended(
        order_id=event.order_id,
        order_no=event.order_no,
        amendment_no=1,
        initiated_by=Initiator.CUSTOMER,
        line_changes=[
            LineQuantityChange(
                line_no=1, product_code=line.product_code, old_quantity=old, new_quantity=new
            )
        ],
        delivery_address=address,
        total_amount=Decimal(10 * new),
        currency="CNY",
    )


def released_again(event: OrderConfirmed, quantity: int) -> OrderConfirmed:
    line = event.lines[0].model_copy(update={"quantity": quantity})
    return event.model_copy(update={"lines": [line], "amendment_no": 1})


async def fulfilment(w: Warehouse, order_id: UUID) -> Fulfilment:
    async with w.runtime.new_uow() as uow:
        f = await w.runtime.contexts(uow).fulfilments.get(order_id, lock=False)
    assert f is not None
    return f


async def test_an_amendment_before_the_confirmation_is_applied_when_it_comes(warehouse, code):
    await stock_item(warehouse, code, ("A1", 10))
    first = confirmed((code, 1))
    ref = str(first.order_id)
    await publish(warehouse, amended(first, 1, 4, SITE), ref)

    async def noted() -> bool:
        view = await order_view(warehouse, first.order_id)
        return view is not None and view["status"] == "awaiting_confirmation"

    await eventually(noted)
    await publish(warehouse, first, ref)
    [reserved] = await warehouse.spy.wait_for(StockReserved, correlation_id=ref)
    assert [x.quantity_reserved for x in reserved.lines] == [1]
    assert (await fulfilment(warehouse, first.order_id)).delivery_address == SITE
    # released again after the amendment's review: the quantities it missed come with it
    await publish(warehouse, released_again(first, 4), ref)
    again = await warehouse.spy.wait_for(StockReserved, 2, correlation_id=ref)
    assert [(x.quantity_reserved, x.shortfall) for x in again[-1].lines] == [(4, 0)]
    assert again[-1].fully_reserved
    assert (await stock_of(warehouse, code))["reserved"] == 4
    await assert_ledger_matches_levels(warehouse, code)


async def test_an_amendment_racing_the_confirmation_still_changes_the_reservation(warehouse, code):
    """The confirmation's transaction has reserved but not committed when the amendment's
    begins: the amendment finds no order, waits on the row being inserted, and must then
    apply itself to the reservation that committed meanwhile."""
    await stock_item(warehouse, code, ("A1", 10))
    first = confirmed((code, 1))
    ref, runtime = str(first.order_id), warehouse.runtime

    async def amending() -> None:
        async with runtime.new_uow(correlation_id=ref) as uow:
            await orders.amend_order(runtime.contexts(uow), amended(first, 1, 4))
            await uow.commit()

    async with runtime.new_uow(correlation_id=ref) as uow:
        await orders.reserve_order(runtime.contexts(uow), first)
        racing = asyncio.create_task(amending())
        await until_blocked(runtime, "query LIKE 'INSERT INTO fulfilment %'")
        await uow.commit()
    await asyncio.wait_for(racing, 15)
    assert (await stock_of(warehouse, code))["reserved"] == 4
    f = await fulfilment(warehouse, first.order_id)
    assert f.fully_reserved and f.amendment_no == 1
    # the confirmation of the order released again changes nothing more
    async with runtime.new_uow(correlation_id=ref) as uow:
        await orders.reserve_order(runtime.contexts(uow), released_again(first, 4))
        await uow.commit()
    assert (await stock_of(warehouse, code))["reserved"] == 4
    await assert_ledger_matches_levels(warehouse, code)


async def test_a_stale_amendment_after_a_later_confirmation_changes_nothing(warehouse, code):
    await stock_item(warehouse, code, ("A1", 10))
    first = confirmed((code, 1))
    ref, runtime = str(first.order_id), warehouse.runtime
    for step in (
        lambda w: orders.reserve_order(w, released_again(first, 3)),
        lambda w: orders.amend_order(w, amended(first, 1, 4)),
    ):
        async with runtime.new_uow(correlation_id=ref) as uow:
            await step(runtime.contexts(uow))
            await uow.commit()
    assert (await stock_of(warehouse, code))["reserved"] == 3
