"""Money use cases: payments, invoices, and what delivery means for them. Only finance records
money (``domain.authority``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from contracts.enums import PaymentKind
from contracts.events.sales import PaymentReceived
from services.sales.app.common import acting_on, load_order, next_number
from services.sales.app.unit import Work
from services.sales.domain.authority import require_finance
from services.sales.domain.errors import InvalidChange
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order
from shared.errors import Conflict, NotFound

RECEIVED_WITHIN_DAYS = 366
"""How far back a payment's value date may lie: a bank statement of the past year."""


@dataclass
class Payment:
    reference: str
    kind: PaymentKind
    amount: Decimal
    currency: str
    received_on: date
    invoice_no: str | None = None


async def _recorded_before(work: Work, order: Order, pay: Payment, source: str) -> bool:
    """True when this sender already recorded this bank reference with the same content; the
    same reference with other content is refused, naming what differs."""
    earlier = await work.payments.by_reference(source, pay.reference)
    if earlier is None:
        return False
    invoice_id = None
    if pay.invoice_no:
        found = await work.invoices.for_order(order.order_id)
        invoice_id = next((i.invoice_id for i in found if i.invoice_no == pay.invoice_no), None)
    asked = {
        "order_id": order.order_id,
        "payment_kind": pay.kind.value,
        "amount": pay.amount,
        "currency": pay.currency,
        "received_on": pay.received_on,
        "invoice_id": invoice_id,
    }
    differs = sorted(k for k, v in asked.items() if earlier[k] != v)
    if differs:
        raise Conflict(
            f"payment reference {pay.reference} was recorded {earlier['created_at']:%Y-%m-%d}"
            f" with a different {', '.join(differs)}",
            field="reference",
            state="reference_used",
        )
    return True


async def record_payment(
    work: Work, ref: UUID | str, pay: Payment, source: str
) -> tuple[Order, bool]:
    """Recorded once per (source, bank reference); set against invoices oldest first. A
    deposit releases a class B/C order, so nobody but finance records one."""
    actor = work.actor
    require_finance(actor.kind, actor.name, actor.roles, work.policy.payment_systems)
    order = await acting_on(work, ref)
    if await _recorded_before(work, order, pay, source):
        # a repeat is answered as the first was, whatever the order's state by now
        return await load_order(work, order.order_id, lock=False), False
    if pay.currency != order.currency:
        raise InvalidChange("currency", f"the order is in {order.currency}")
    if pay.amount <= 0:
        raise InvalidChange("amount", "must be positive")
    today = work.policy.calendar.local_date(work.now)
    if not today - timedelta(days=RECEIVED_WITHIN_DAYS) <= pay.received_on <= today:
        raise InvalidChange(
            "received_on", f"must be today or within the {RECEIVED_WITHIN_DAYS} days before"
        )
    payment_id = uuid4()
    invoices = await work.invoices.for_order(order.order_id)
    target = [i for i in invoices if i.invoice_no == pay.invoice_no] if pay.invoice_no else invoices
    if pay.invoice_no and not target:
        raise InvalidChange("invoice_no", f"no invoice {pay.invoice_no} on this order")
    fully_paid = order.record_payment(
        pay.amount, pay.kind == PaymentKind.DEPOSIT, work.now, work.policy, pay.received_on
    )
    inserted = await work.payments.add(
        {
            "payment_id": payment_id,
            "source": source,
            "reference": pay.reference,
            "order_id": order.order_id,
            "payment_kind": pay.kind.value,
            "amount": pay.amount,
            "currency": pay.currency,
            "received_on": pay.received_on,
            "invoice_id": target[0].invoice_id if pay.invoice_no else None,
            "created_at": work.now,
        }
    )
    if not inserted:
        return await load_order(work, order.order_id, lock=False), False
    left = pay.amount
    for inv in target:
        if left <= 0:
            break
        if not inv.paid:
            left = inv.apply_payment(left, work.policy)
            await work.save_invoice(inv, order.order_id)
    assert order.order_no
    order.events.insert(
        0,
        PaymentReceived(
            order_id=order.order_id,
            order_no=order.order_no,
            payment_id=payment_id,
            payment_kind=pay.kind,
            invoice_id=target[0].invoice_id if pay.invoice_no else None,
            amount=pay.amount,
            currency=pay.currency,
            received_on=pay.received_on,
            reference=pay.reference,
            fully_paid=fully_paid,
        ),
    )
    await work.save(order)
    return order, True


async def issue_invoice(
    work: Work, ref: UUID | str, amount: Decimal | None, reference: str | None = None
) -> Invoice:
    """Invoice the uninvoiced part of the order; money already paid is set against it. A
    request with a reference already invoiced gets that invoice again."""
    order = await acting_on(work, ref)
    existing = await work.invoices.for_order(order.order_id)
    earlier = next((i for i in existing if reference and i.reference == reference), None)
    if earlier is not None:
        return earlier
    credit = order.paid_total - sum((i.paid_amount for i in existing), Decimal(0))
    invoice_no = await next_number(work, "INV")
    inv = Invoice.issue(uuid4(), invoice_no, order, amount, credit, work.now, work.policy)
    inv.reference = reference
    await work.invoices.add(inv, work.now)
    await work.uow.collect(inv, correlation_id=str(order.order_id))
    await work.save(order)
    return inv


async def goods_delivered(work: Work, order_id: UUID, at: datetime) -> None:
    """Delivered: invoice what is still uninvoiced (payment after delivery terms); paid
    orders complete."""
    try:
        order = await load_order(work, order_id)
    except NotFound:
        return
    if not order.mark_delivered(at, work.now, work.policy):
        return
    await work.save(order)
    if order.total > order.invoiced_total:
        await issue_invoice(work, order.order_id, None)
