"""Money use cases: payments, invoices, and what delivery means for them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from contracts.enums import PaymentKind
from contracts.events.sales import PaymentReceived
from services.sales.adapters.repositories import InvoiceRepository, PaymentRepository
from services.sales.app.common import NotFound, flush, load_order, next_number, save
from services.sales.domain.errors import InvalidChange
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order
from services.sales.domain.policy import SalesPolicy
from shared.uow import UnitOfWork


@dataclass
class Payment:
    reference: str
    kind: PaymentKind
    amount: Decimal
    currency: str
    received_on: date
    invoice_no: str | None = None


async def record_payment(
    uow: UnitOfWork,
    p: SalesPolicy,
    ref: UUID | str,
    pay: Payment,
    source: str,
    causation: UUID | None = None,
) -> tuple[Order, bool]:
    """Recorded once per (source, bank reference); set against invoices oldest first."""
    order = await load_order(uow, ref)
    if pay.currency != order.currency:
        raise InvalidChange("currency", f"the order is in {order.currency}")
    if pay.amount <= 0:
        raise InvalidChange("amount", "must be positive")
    now = uow.clock.now()
    payment_id = uuid4()
    invoices = await InvoiceRepository(uow.session).for_order(order.order_id)
    target = [i for i in invoices if i.invoice_no == pay.invoice_no] if pay.invoice_no else invoices
    if pay.invoice_no and not target:
        raise InvalidChange("invoice_no", f"no invoice {pay.invoice_no} on this order")
    fully_paid = order.record_payment(pay.amount, pay.kind == PaymentKind.DEPOSIT, now, p)
    inserted = await PaymentRepository(uow.session).add(
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
            "created_at": now,
        }
    )
    if not inserted:
        return await load_order(uow, order.order_id, lock=False), False
    left = pay.amount
    for inv in target:
        if left <= 0:
            break
        if not inv.paid:
            left = inv.apply_payment(left, p)
            await InvoiceRepository(uow.session).save(inv)
            await flush(uow, str(order.order_id), inv.events, inv.timers, causation)
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
    await save(uow, order, causation)
    return order, True


async def issue_invoice(
    uow: UnitOfWork,
    p: SalesPolicy,
    ref: UUID | str,
    amount: Decimal | None,
    causation: UUID | None = None,
    reference: str | None = None,
) -> Invoice:
    """Invoice the uninvoiced part of the order; money already paid is set against it. A
    request with a reference already invoiced gets that invoice again."""
    order = await load_order(uow, ref)
    repo = InvoiceRepository(uow.session)
    existing = await repo.for_order(order.order_id)
    earlier = next((i for i in existing if reference and i.reference == reference), None)
    if earlier is not None:
        return earlier
    credit = order.paid_total - sum((i.paid_amount for i in existing), Decimal(0))
    now = uow.clock.now()
    invoice_no = await next_number(uow, "INV", now, p)
    inv = Invoice.issue(uuid4(), invoice_no, order, amount, credit, now, p)
    inv.reference = reference
    await repo.add(inv, now)
    await flush(uow, str(order.order_id), inv.events, inv.timers, causation)
    await save(uow, order, causation)
    return inv


async def list_invoices(uow: UnitOfWork, ref: UUID | str) -> list[Invoice]:
    order = await load_order(uow, ref, lock=False)
    return await InvoiceRepository(uow.session).for_order(order.order_id)


async def goods_delivered(
    uow: UnitOfWork, p: SalesPolicy, order_id: UUID, at: datetime, causation: UUID
) -> None:
    """Delivered: invoice what is still uninvoiced (payment after delivery terms); paid
    orders complete."""
    try:
        order = await load_order(uow, order_id)
    except NotFound:
        return
    if not order.mark_delivered(at, uow.clock.now(), p):
        return
    await save(uow, order, causation)
    if order.total > order.invoiced_total:
        await issue_invoice(uow, p, order.order_id, None, causation)
