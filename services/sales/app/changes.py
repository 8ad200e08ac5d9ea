"""Changes of an order: amendments, cancellation, delays and agreed date changes, shipment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from contracts.commands.sales import SubmittedLine
from contracts.common import Address
from contracts.enums import Initiator
from contracts.status.sales import OrderStatus
from services.sales.app.common import acting_on, customer_of, list_prices, load_order, valuation
from services.sales.app.orders import draft_lines
from services.sales.app.unit import Work
from services.sales.domain.order import LineChange, Order
from shared.errors import NotFound


@dataclass
class Amendment:
    reference: str
    initiated_by: Initiator
    lines: list[LineChange]
    requested_date: date | None
    delivery_address: Address | None
    reason: str | None
    add_lines: list[SubmittedLine] = field(default_factory=list)


async def amend(work: Work, ref: UUID | str, change: Amendment) -> tuple[Order, bool]:
    """Applied once per change reference; a repeat returns the order unchanged. Whoever amends
    is recorded: they may not approve the order after it."""
    order = await acting_on(work, ref)
    if not await work.orders.record_amendment(
        order.order_id, change.reference, order.amendment_count + 1, work.now
    ):
        return order, False
    customer = await customer_of(work, order)
    added = draft_lines(change.add_lines)
    prices = await list_prices(
        work, [ln.product_code for ln in added if ln.product_code], order.currency
    )
    for ln in added:
        if ln.unit_price is None and ln.product_code in prices:
            ln.unit_price = prices[ln.product_code].unit_price
    order.list_prices.update({c: e.unit_price for c, e in prices.items()})
    order.amend(
        change.lines,
        change.requested_date,
        change.delivery_address,
        change.initiated_by,
        change.reason,
        customer,
        await valuation(work, order, customer),
        work.now,
        work.policy,
        added,
        by=work.actor.name,
    )
    await work.save(order)
    return order, True


async def cancel(
    work: Work,
    ref: UUID | str,
    initiated_by: Initiator,
    reason: str,
    on_behalf_of: str | None = None,
) -> Order:
    """``on_behalf_of``: the person a departmental system names; else the signed-in person."""
    order = await acting_on(work, ref)
    order.cancel(initiated_by, reason, on_behalf_of or work.actor.name)
    await work.save(order)
    return order


async def cancel_on_command(
    work: Work, ref: UUID | str, initiated_by: Initiator, reason: str, on_behalf_of: str | None
) -> None:
    """A cancellation command for an order already cancelled changes nothing."""
    order = await load_order(work, ref, lock=False)
    if order.status != OrderStatus.CANCELLED:
        await cancel(work, order.order_id, initiated_by, reason, on_behalf_of)


async def goods_shipped(work: Work, order_id: UUID, at: datetime) -> None:
    try:
        order = await load_order(work, order_id)
    except NotFound:
        return
    if order.mark_shipped(at):
        await work.save(order)


async def delay_reported(work: Work, order_id: UUID, new_date: date, reason: str) -> None:
    try:
        order = await load_order(work, order_id)
    except NotFound:
        return
    if order.delay_reported(new_date, reason, work.policy):
        await work.save(order)


async def change_delivery_date(
    work: Work,
    ref: UUID | str,
    new_date: date,
    reason: str,
    consenting_contact: str | None,
    remedy_plan: str | None,
) -> Order:
    """``consenting_contact``: the customer's person who agreed, as they named themselves; who
    recorded it is the signed-in person (the audit trail)."""
    order = await acting_on(work, ref)
    order.change_delivery_date(new_date, reason, consenting_contact, remedy_plan, work.policy)
    await work.save(order)
    return order
