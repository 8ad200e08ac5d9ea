"""Intake and contract review. Each use case runs inside an open unit of work; the caller
(HTTP route or message consumer) commits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID, uuid4

import structlog

from contracts.commands.sales import SubmitOrder, SubmittedLine
from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import ReviewDepartment, ReviewVerdict
from contracts.events.sales import OrderReviewed
from contracts.status.sales import OrderStatus, ReviewOutcome
from services.sales.app.common import (
    acting_on,
    list_prices,
    load_order,
    next_number,
    valuation,
)
from services.sales.app.unit import Work
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import Order, Review
from shared.errors import NotFound

log = structlog.get_logger("orderflow.sales")


def draft_lines(lines: list[SubmittedLine]) -> list[DraftLine]:
    return [DraftLine(ln.product_code, ln.spec, ln.quantity, ln.unit_price) for ln in lines]


async def submit_order(work: Work, cmd: SubmitOrder, source: str) -> tuple[Order, bool]:
    """Intake from any channel; the same (source, client_reference) is always the same order.
    Whoever enters it (the signed-in person, or the sending system) is recorded: they never
    approve it."""
    existing = await work.orders.by_reference(source, cmd.client_reference)
    if existing is not None:
        return existing, False
    order = Order(
        order_id=uuid4(),
        source=source,
        client_reference=cmd.client_reference,
        channel=cmd.channel,
        created_at=work.now,
        customer_id=cmd.customer_id,
        customer_name=cmd.customer_name,
        contact=cmd.contact,
        lines=draft_lines(cmd.lines),
        requested_date=cmd.requested_date,
        delivery_address=cmd.delivery_address,
        payment_terms=cmd.payment_terms,
        currency=cmd.currency or work.default_currency,
        rush=cmd.rush,
        notes=cmd.notes,
        entered_by=work.actor.name,
    )
    # Insert first: a concurrent twin waits on the unique key, then finds this order.
    if not await work.orders.add(order, work.now):
        existing = await work.orders.by_reference(source, cmd.client_reference)
        assert existing is not None
        return existing, False
    work.uow.correlation_id = work.uow.correlation_id or str(order.order_id)
    await check_and_route(work, order, cmd.currency is None)
    return order, True


async def check_and_route(work: Work, order: Order, currency_open: bool) -> None:
    """Complete: numbered and sent to review; else held and the customer asked. An order in
    a currency without an exchange rate is refused (nothing is stored)."""
    customer = await work.customers.get(order.customer_id)
    if customer is not None and currency_open:
        order.currency = customer.currency
    codes = [ln.product_code for ln in order.lines if ln.product_code]
    prices = await list_prices(work, codes, order.currency)
    p = work.policy
    if order.check_completeness(customer, prices, p.calendar.local_date(work.now)):
        assert customer is not None
        order_no = await next_number(work, "")
        value = await valuation(work, order, customer)
        order.accept(order_no, customer, value, work.now, p)
    else:
        order.hold_for_info(work.now, p)
    await work.save(order)


@dataclass
class InfoUpdate:
    """What the customer supplied after being asked; absent = unchanged. Lines replace all."""

    customer_id: str | None = None
    contact: Contact | None = None
    lines: list[SubmittedLine] | None = None
    requested_date: date | None = None
    delivery_address: Address | None = None
    payment_terms: PaymentTerms | None = None


async def complete_info(work: Work, ref: UUID | str, info: InfoUpdate) -> Order:
    order = await acting_on(work, ref)
    if order.status != OrderStatus.PENDING_INFO:
        raise IllegalTransition("complete information", order.status.value)
    for name in ("customer_id", "contact", "requested_date", "delivery_address", "payment_terms"):
        value = getattr(info, name)
        if value is not None:
            setattr(order, name, value)
    if info.lines is not None:
        order.lines = draft_lines(info.lines)
    await check_and_route(work, order, False)
    return order


async def customer_contacted(work: Work, ref: UUID | str) -> Order:
    order = await acting_on(work, ref)
    order.customer_contacted()
    await work.save(order)
    return order


async def record_review(work: Work, event: OrderReviewed) -> ReviewOutcome | None:
    """A department's verdict. Every answer to a known order is recorded; only one for the
    current round that the department has not given yet decides (see ``Order.record_review``)."""
    if event.department == ReviewDepartment.FINANCE:
        return None  # finance reviews inside sales: this is its own answer coming back
    try:
        order = await load_order(work, event.order_id)
    except NotFound:
        return None
    review = Review(
        event.department,
        ReviewVerdict(event.verdict),
        work.now,
        event.earliest_date,
        event.notes,
        event.reviewer,
        event.review_round,
    )
    outcome = order.record_review(review, work.now, work.policy)
    await work.review_answers.add(order.order_id, review, outcome.value)
    if outcome == ReviewOutcome.COUNTED:
        await work.save(order)
    else:
        log.info(
            "review answer not counted",
            order_no=order.order_no,
            department=review.department.value,
            review_round=review.review_round,
            current_round=order.review_round,
            outcome=outcome.value,
        )
    return outcome
