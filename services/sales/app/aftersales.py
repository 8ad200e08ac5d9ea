"""After-sales money: a refund or price allowance decided in a complaint becomes a credit note
against the invoice and, for money already paid, a refund record; an exchange becomes a free
replacement order that goes through the normal flow, linked to the original. Returned goods are
settled once the warehouse has inspected them (``return.settlement_requested``); every credit
note is announced with ``credit_note.issued``."""

from __future__ import annotations

from decimal import Decimal
from uuid import UUID, uuid4

from contracts.enums import Resolution, Settlement
from contracts.events.customer_service import (
    ComplaintOpened,
    ComplaintResolved,
    ReturnSettlementRequested,
)
from contracts.events.sales import CreditNoteIssued
from services.sales.app.common import load_order, next_number
from services.sales.app.orders import check_and_route
from services.sales.app.unit import Work
from services.sales.domain.aftersales import line_of, returned_value
from services.sales.domain.intake import DraftLine
from services.sales.domain.order import Order
from services.sales.domain.policy import money
from shared.errors import NotFound

# A replacement requested for today was refused by production's review (its earliest finish
# falls after the day the review answers): ask for a week of business days, as a desk would.
REPLACEMENT_LEAD_BUSINESS_DAYS = 5


async def complaint_opened(work: Work, event: ComplaintOpened) -> None:
    if event.order_id is not None:
        await work.aftersales.link_complaint(
            event.complaint_id, event.complaint_no, event.order_id, work.now
        )


async def complaint_resolved(work: Work, event: ComplaintResolved) -> None:
    if event.resolution != Resolution.DISCOUNT or not event.discount_amount:
        return
    order_id = await work.aftersales.order_for_complaint(event.complaint_id)
    if order_id is None:
        return
    await issue_credit(
        work,
        order_id,
        event.discount_amount,
        f"price allowance, complaint {event.complaint_no}",
        f"complaint:{event.complaint_id}",
        event.complaint_id,
    )


async def return_settlement_requested(work: Work, event: ReturnSettlementRequested) -> None:
    """A refund credits the value of the goods the inspection accepted; a replacement sends the
    accepted goods again, free, as a new order linked to the original."""
    if event.order_id is None:
        return
    try:
        original = await load_order(work, event.order_id, lock=False)
    except NotFound:
        return
    if event.settlement == Settlement.REPLACEMENT:
        await _replacement_order(work, original, event)
        return
    await issue_credit(
        work,
        original.order_id,
        money(returned_value(original, event.lines)),
        f"return {event.rma_no}",
        f"return:{event.return_id}",
        event.complaint_id,
    )


async def issue_credit(
    work: Work,
    order_id: UUID,
    amount: Decimal,
    reason: str,
    decision_ref: str,
    complaint_id: UUID | None,
) -> None:
    """Credit against open invoices first; what the customer already paid beyond what is
    still owed goes back as a refund."""
    order = await load_order(work, order_id)
    amount = min(amount, order.total - order.credited_total)
    if amount <= 0:
        return
    now = work.now
    owed = max(Decimal(0), order.total - order.paid_total - order.credited_total)
    credit_id = uuid4()
    invoices = await work.invoices.for_order(order.order_id)
    open_invoices = [i for i in invoices if not i.paid]
    credited = open_invoices or invoices[-1:]
    repo = work.aftersales
    credit_note_no = await next_number(work, "CN")
    added = await repo.add_credit_note(
        {
            "credit_note_id": credit_id,
            "credit_note_no": credit_note_no,
            "order_id": order.order_id,
            "invoice_id": credited[0].invoice_id if credited else None,
            "amount": amount,
            "currency": order.currency,
            "reason": reason,
            "decision_ref": decision_ref,
            "complaint_id": complaint_id,
            "created_at": now,
        }
    )
    if not added:
        return
    left = amount
    for inv in open_invoices:
        left = inv.apply_payment(left, work.policy)
        await work.save_invoice(inv, order.order_id)
    refund_amount = max(Decimal(0), amount - owed)
    if refund_amount > 0:
        await repo.add_refund(
            {
                "refund_id": uuid4(),
                "credit_note_id": credit_id,
                "order_id": order.order_id,
                "amount": refund_amount,
                "currency": order.currency,
                "status": "to_pay",
                "created_at": now,
            }
        )
    order.credited(amount, now)
    await work.save(order)
    if order.order_no is not None:
        await work.uow.emit(
            CreditNoteIssued(
                order_id=order.order_id,
                order_no=order.order_no,
                credit_note_no=credit_note_no,
                invoice_no=credited[0].invoice_no if credited else None,
                amount=amount,
                currency=order.currency,
                reason=reason,
                refund_amount=refund_amount,
            ),
            correlation_id=str(order.order_id),
        )


async def _replacement_order(work: Work, original: Order, event: ReturnSettlementRequested) -> None:
    now, p = work.now, work.policy
    lines = []
    for item in event.lines:
        spec = None
        line_no = line_of(original, item.line_no, item.product_code)
        if line_no is not None:
            spec = original.lines[line_no - 1].spec
        lines.append(DraftLine(item.product_code, spec, item.quantity, Decimal(0)))
    order = Order(
        order_id=uuid4(),
        source="exchange",
        client_reference=str(event.return_id),
        channel=original.channel,
        created_at=now,
        customer_id=original.customer_id,
        customer_name=original.customer_name,
        contact=original.contact,
        lines=lines,
        # "as soon as possible" is a date the reviews can still meet when they answer
        requested_date=p.calendar.add_business_days_to_date(
            p.calendar.local_date(now), REPLACEMENT_LEAD_BUSINESS_DAYS
        ),
        delivery_address=original.delivery_address,
        payment_terms=original.payment_terms,
        currency=original.currency,
        notes=f"free replacement for {original.order_no} ({event.rma_no})",
        original_order_id=original.order_id,
        entered_by=work.actor.name,
    )
    if await work.orders.add(order, now):
        await check_and_route(work, order, False)
