"""An order's money: payments and invoices (finance), credit notes."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.sales.app import money, queries
from services.sales.entrypoints.http.deps import Finance, MoneyReader, work
from services.sales.entrypoints.http.orders import Ref
from services.sales.entrypoints.http.schemas import InvoiceIn, PaymentIn
from services.sales.entrypoints.http.views import CreditNoteView, InvoiceView, OrderView

router = APIRouter(tags=["money"])


@router.post("/orders/{ref}/payments", response_model=OrderView)
async def record_payment(ref: Ref, body: PaymentIn, request: Request, actor: Finance) -> OrderView:
    """Finance records money received (a deposit releases a class B/C order); once per bank
    reference."""
    pay = money.Payment(
        body.reference,
        body.payment_kind,
        body.amount,
        body.currency,
        body.received_on,
        body.invoice_no,
    )
    async with work(request, actor) as w:
        order, _ = await money.record_payment(w, ref, pay, "http")
        return OrderView.of(order, w.policy.matrix)


@router.post("/orders/{ref}/invoices", status_code=201, response_model=InvoiceView)
async def issue_invoice(ref: Ref, body: InvoiceIn, request: Request, actor: Finance) -> InvoiceView:
    async with work(request, actor) as w:
        return InvoiceView.of(
            await money.issue_invoice(w, ref, body.amount, reference=body.reference)
        )


@router.get("/orders/{ref}/invoices", response_model=list[InvoiceView])
async def list_invoices(ref: Ref, request: Request, actor: MoneyReader) -> list[InvoiceView]:
    async with work(request, actor) as w:
        return [InvoiceView.of(i) for i in await queries.invoices(w, ref)]


@router.get("/orders/{ref}/credit-notes", response_model=list[CreditNoteView])
async def list_credit_notes(ref: Ref, request: Request, actor: MoneyReader) -> list[CreditNoteView]:
    async with work(request, actor) as w:
        return [CreditNoteView.of(r) for r in await queries.credit_notes(w, ref)]
