"""Use cases of the order's life at the sales desk. Each runs inside an open unit of work;
the caller (HTTP route or message consumer) commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import structlog

from contracts.commands.sales import SubmitOrder, SubmittedLine
from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import Initiator, ReviewDepartment, ReviewVerdict
from contracts.events.sales import OrderReviewed
from services.sales.adapters.repositories import (
    CustomerRepository,
    OrderRepository,
    PriceListRepository,
    ReviewAnswerRepository,
)
from services.sales.app.common import NotFound, load_order, next_number, save
from services.sales.domain.customer import Customer
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import LineChange, Order, Review, ReviewOutcome
from services.sales.domain.policy import SalesPolicy
from shared.uow import UnitOfWork

log = structlog.get_logger("orderflow.sales")


def _draft_lines(lines: list[SubmittedLine]) -> list[DraftLine]:
    return [DraftLine(ln.product_code, ln.spec, ln.quantity, ln.unit_price) for ln in lines]


async def submit_order(
    uow: UnitOfWork, p: SalesPolicy, cmd: SubmitOrder, source: str, default_currency: str
) -> tuple[Order, bool]:
    """Intake from any channel; the same (source, client_reference) is always the same order."""
    orders = OrderRepository(uow.session)
    existing = await orders.by_reference(source, cmd.client_reference)
    if existing is not None:
        return existing, False
    now = uow.clock.now()
    order = Order(
        order_id=uuid4(),
        source=source,
        client_reference=cmd.client_reference,
        channel=cmd.channel,
        created_at=now,
        customer_id=cmd.customer_id,
        customer_name=cmd.customer_name,
        contact=cmd.contact,
        lines=_draft_lines(cmd.lines),
        requested_date=cmd.requested_date,
        delivery_address=cmd.delivery_address,
        payment_terms=cmd.payment_terms,
        currency=cmd.currency or default_currency,
        rush=cmd.rush,
        notes=cmd.notes,
    )
    # Insert first: a concurrent twin waits on the unique key, then finds this order.
    if not await orders.add(order, now):
        existing = await orders.by_reference(source, cmd.client_reference)
        assert existing is not None
        return existing, False
    await check_and_route(uow, p, order, None, cmd.currency is None)
    return order, True


async def check_and_route(
    uow: UnitOfWork, p: SalesPolicy, order: Order, causation: UUID | None, currency_open: bool
) -> None:
    customers = CustomerRepository(uow.session)
    customer = await customers.get(order.customer_id)
    if customer is not None and currency_open:
        order.currency = customer.currency
    codes = [ln.product_code for ln in order.lines if ln.product_code]
    prices = await PriceListRepository(uow.session).for_codes(codes)
    now = uow.clock.now()
    if order.check_completeness(customer, prices, p.calendar.local_date(now)):
        assert customer is not None
        order_no = await next_number(uow, "", now, p)
        exposure = await customers.exposure(customer.customer_id, order.order_id)
        order.accept(order_no, customer, exposure, now, p)
    else:
        order.hold_for_info(now, p)
    await save(uow, order, causation)


@dataclass
class InfoUpdate:
    """What the customer supplied after being asked; absent = unchanged. Lines replace all."""

    customer_id: str | None = None
    contact: Contact | None = None
    lines: list[SubmittedLine] | None = None
    requested_date: date | None = None
    delivery_address: Address | None = None
    payment_terms: PaymentTerms | None = None


async def complete_info(
    uow: UnitOfWork, p: SalesPolicy, ref: UUID | str, info: InfoUpdate
) -> Order:
    order = await load_order(uow, ref)
    if order.status.value != "pending_info":
        raise IllegalTransition("complete information", order.status.value)
    for name in ("customer_id", "contact", "requested_date", "delivery_address", "payment_terms"):
        value = getattr(info, name)
        if value is not None:
            setattr(order, name, value)
    if info.lines is not None:
        order.lines = _draft_lines(info.lines)
    await check_and_route(uow, p, order, None, False)
    return order


async def customer_contacted(uow: UnitOfWork, ref: UUID | str) -> Order:
    order = await load_order(uow, ref)
    order.customer_contacted()
    await save(uow, order, None)
    return order


async def record_review(
    uow: UnitOfWork, p: SalesPolicy, event: OrderReviewed, causation: UUID | None
) -> ReviewOutcome | None:
    """A department's verdict. Every answer to a known order is recorded; only one for the
    current round that the department has not given yet decides (see ``Order.record_review``)."""
    if event.department == ReviewDepartment.FINANCE:
        return None  # finance reviews inside sales: this is its own answer coming back
    try:
        order = await load_order(uow, event.order_id)
    except NotFound:
        return None
    review = Review(
        event.department,
        ReviewVerdict(event.verdict),
        uow.clock.now(),
        event.earliest_date,
        event.notes,
        event.reviewer,
        event.review_round,
    )
    outcome = order.record_review(review, uow.clock.now(), p)
    await ReviewAnswerRepository(uow.session).add(order.order_id, review, outcome.value)
    if outcome == ReviewOutcome.COUNTED:
        await save(uow, order, causation)
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


async def review_answers(uow: UnitOfWork, ref: UUID | str) -> list[dict[str, Any]]:
    order = await load_order(uow, ref, lock=False)
    rows = await ReviewAnswerRepository(uow.session).for_order(order.order_id)
    return [
        {
            "department": r["department"],
            "review_round": r["review_round"],
            "verdict": r["verdict"],
            "earliest_date": r["earliest_date"],
            "notes": r["notes"],
            "outcome": r["outcome"],
            "received_at": r["received_at"],
        }
        for r in rows
    ]


async def approve(
    uow: UnitOfWork, p: SalesPolicy, ref: UUID | str, by: str, notes: str | None
) -> Order:
    order = await load_order(uow, ref)
    order.approve(by, notes, uow.clock.now(), p)
    await save(uow, order, None)
    return order


async def reject(uow: UnitOfWork, ref: UUID | str, by: str, reason: str) -> Order:
    order = await load_order(uow, ref)
    order.reject(by, reason)
    await save(uow, order, None)
    return order


async def sign(
    uow: UnitOfWork,
    p: SalesPolicy,
    ref: UUID | str,
    signed_by: str,
    signed_at: datetime | None,
    document_ref: str | None,
    causation: UUID | None = None,
) -> Order:
    order = await load_order(uow, ref)
    order.sign(signed_by, signed_at or uow.clock.now(), document_ref, p)
    await save(uow, order, causation)
    return order


@dataclass
class Amendment:
    reference: str
    initiated_by: Initiator
    lines: list[LineChange]
    requested_date: date | None
    delivery_address: Address | None
    reason: str | None
    add_lines: list[SubmittedLine] = field(default_factory=list)


async def amend(
    uow: UnitOfWork,
    p: SalesPolicy,
    ref: UUID | str,
    change: Amendment,
    causation: UUID | None = None,
) -> tuple[Order, bool]:
    """Applied once per change reference; a repeat returns the order unchanged."""
    order = await load_order(uow, ref)
    orders = OrderRepository(uow.session)
    now = uow.clock.now()
    if not await orders.record_amendment(
        order.order_id, change.reference, order.amendment_count + 1, now
    ):
        return order, False
    customer = await _customer(uow, order)
    exposure = await CustomerRepository(uow.session).exposure(customer.customer_id, order.order_id)
    added = _draft_lines(change.add_lines)
    codes = [ln.product_code for ln in added if ln.product_code]
    prices = await PriceListRepository(uow.session).for_codes(codes)
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
        exposure,
        now,
        p,
        added,
    )
    await save(uow, order, causation)
    return order, True


async def _customer(uow: UnitOfWork, order: Order) -> Customer:
    customer = await CustomerRepository(uow.session).get(order.customer_id)
    if customer is None:
        raise NotFound("customer", order.customer_id)
    return customer


async def cancel(
    uow: UnitOfWork,
    ref: UUID | str,
    initiated_by: Initiator,
    reason: str,
    cancelled_by: str | None,
    causation: UUID | None = None,
) -> Order:
    order = await load_order(uow, ref)
    order.cancel(initiated_by, reason, cancelled_by)
    await save(uow, order, causation)
    return order


async def goods_shipped(uow: UnitOfWork, order_id: UUID, at: datetime, causation: UUID) -> None:
    try:
        order = await load_order(uow, order_id)
    except NotFound:
        return
    if order.mark_shipped(at):
        await save(uow, order, causation)


async def delay_reported(
    uow: UnitOfWork, p: SalesPolicy, order_id: UUID, new_date: date, reason: str, causation: UUID
) -> None:
    try:
        order = await load_order(uow, order_id)
    except NotFound:
        return
    if order.delay_reported(new_date, reason, p):
        await save(uow, order, causation)


async def change_delivery_date(
    uow: UnitOfWork,
    p: SalesPolicy,
    ref: UUID | str,
    new_date: date,
    reason: str,
    consented_by: str | None,
    remedy_plan: str | None,
) -> Order:
    order = await load_order(uow, ref)
    order.change_delivery_date(new_date, reason, consented_by, remedy_plan, p)
    await save(uow, order, None)
    return order
