"""HTTP API of the sales desk: customers, price list, orders and their money.

Bad input: 422 naming the field (pydantic). An action the order's status does not allow:
409 with the current status. Unknown order: 404.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar, cast

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, Field

from contracts.commands.sales import SubmitOrder, SubmittedLine
from contracts.common import Address, Contact, Currency, Money, PaymentTerms, Text
from contracts.enums import CustomerClass, Initiator, PaymentKind
from services.sales.adapters.repositories import (
    CustomerRepository,
    OrderRepository,
    PriceListRepository,
)
from services.sales.app import aftersales, money, orders
from services.sales.app.common import NotFound
from services.sales.app.policy import policy_from
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.errors import IllegalTransition, InvalidChange
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import LineChange, Order
from services.sales.domain.policy import SalesPolicy
from services.sales.settings import SalesSettings
from shared.runtime import ServiceRuntime
from shared.uow import UnitOfWork

router = APIRouter(tags=["sales"])
T = TypeVar("T")


def _runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


def _policy(request: Request) -> SalesPolicy:
    runtime = _runtime(request)
    return policy_from(cast(SalesSettings, runtime.settings), runtime.calendar)


async def _run(request: Request, use_case: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """One transaction; domain refusals become 404 / 409 / 422."""
    async with _runtime(request).new_uow() as uow:
        try:
            result = await use_case(uow)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except IllegalTransition as exc:
            raise HTTPException(
                409, {"message": str(exc), "status": exc.status, "action": exc.action}
            ) from exc
        except InvalidChange as exc:
            raise HTTPException(
                422, [{"loc": ["body", *exc.field.split(".")], "msg": str(exc)}]
            ) from exc
        await uow.commit()
        return result


# --- views -------------------------------------------------------------------------------


def order_view(o: Order) -> dict[str, Any]:
    return {
        "order_id": str(o.order_id),
        "order_no": o.order_no,
        "status": o.status.value,
        "client_reference": o.client_reference,
        "channel": o.channel.value,
        "customer_id": o.customer_id,
        "customer_name": o.customer_name,
        "customer_class": o.customer_class.value if o.customer_class else None,
        "contact": o.contact.model_dump(mode="json") if o.contact else None,
        "lines": [
            {
                "line_no": no,
                "product_code": ln.product_code,
                "spec": ln.spec,
                "quantity": ln.quantity,
                "unit_price": str(ln.unit_price) if ln.unit_price is not None else None,
            }
            for no, ln in enumerate(o.lines, start=1)
        ],
        "requested_date": o.requested_date,
        "delivery_address": o.delivery_address.model_dump(mode="json")
        if o.delivery_address
        else None,
        "payment_terms": o.payment_terms.model_dump(mode="json") if o.payment_terms else None,
        "currency": o.currency,
        "rush": o.rush,
        "total_amount": str(o.total),
        "missing_fields": o.missing_fields,
        "reviews": {
            d.value: {
                "verdict": r.verdict.value,
                "earliest_date": r.earliest_date,
                "notes": r.notes,
                "review_round": r.review_round,
            }
            for d, r in o.reviews.items()
        },
        "review_round": o.review_round,
        "approval_status": o.approval_status.value,
        "approval_reasons": [r.value for r in o.approval_reasons],
        "promised_date": o.promised_date,
        "confirmation_sent_at": o.confirmation_sent_at,
        "signed_at": o.signed_at,
        "deposit_required": str(o.deposit_required),
        "deposit_paid": str(o.deposit_paid),
        "paid_total": str(o.paid_total),
        "invoiced_total": str(o.invoiced_total),
        "released_at": o.released_at,
        "delivered_at": o.delivered_at,
        "completed_at": o.completed_at,
        "closed_reason": o.closed_reason,
        "amendment_count": o.amendment_count,
        "credited_total": str(o.credited_total),
        "proposed_date": o.proposed_date,
        "proposed_reason": o.proposed_reason,
        "original_order_id": str(o.original_order_id) if o.original_order_id else None,
        "created_at": o.created_at,
    }


def invoice_view(i: Invoice) -> dict[str, Any]:
    return {
        "invoice_id": str(i.invoice_id),
        "invoice_no": i.invoice_no,
        "order_no": i.order_no,
        "amount": str(i.amount),
        "paid_amount": str(i.paid_amount),
        "open_amount": str(i.open_amount),
        "currency": i.currency,
        "issued_on": i.issued_on,
        "due_date": i.due_date,
        "reference": i.reference,
    }


# --- master data -------------------------------------------------------------------------


class CustomerIn(BaseModel):
    customer_id: Text
    name: Text
    customer_class: CustomerClass
    credit_limit: Money
    payment_terms: PaymentTerms = Field(description="Standard terms, with the deposit rule.")
    currency: Currency = "CNY"


def _customer_view(c: Customer) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "name": c.name,
        "customer_class": c.customer_class.value,
        "credit_limit": str(c.credit_limit),
        "payment_terms": c.payment_terms.model_dump(mode="json"),
        "currency": c.currency,
    }


@router.post("/customers", status_code=201)
async def put_customer(body: CustomerIn, request: Request) -> dict[str, Any]:
    customer = Customer(
        **body.model_dump(exclude={"payment_terms"}), payment_terms=body.payment_terms
    )

    async def use_case(uow: UnitOfWork) -> None:
        await CustomerRepository(uow.session).upsert(customer, uow.clock.now())

    await _run(request, use_case)
    return _customer_view(customer)


@router.get("/customers")
async def list_customers(request: Request) -> list[dict[str, Any]]:
    async def use_case(uow: UnitOfWork) -> list[Customer]:
        return await CustomerRepository(uow.session).all()

    return [_customer_view(c) for c in await _run(request, use_case)]


@router.get("/customers/{customer_id}")
async def get_customer(customer_id: str, request: Request) -> dict[str, Any]:
    async def use_case(uow: UnitOfWork) -> Customer:
        found = await CustomerRepository(uow.session).get(customer_id)
        if found is None:
            raise NotFound("customer", customer_id)
        return found

    return _customer_view(await _run(request, use_case))


class PriceEntryIn(BaseModel):
    product_code: Text
    unit_price: Money
    currency: Currency = "CNY"
    description: str | None = None


@router.post("/price-list", status_code=201)
async def put_price(body: PriceEntryIn, request: Request) -> dict[str, Any]:
    entry = PriceEntry(**body.model_dump())

    async def use_case(uow: UnitOfWork) -> None:
        await PriceListRepository(uow.session).upsert(entry, uow.clock.now())

    await _run(request, use_case)
    return body.model_dump(mode="json")


@router.get("/price-list")
async def list_prices(request: Request) -> list[dict[str, Any]]:
    async def use_case(uow: UnitOfWork) -> list[PriceEntry]:
        return await PriceListRepository(uow.session).entries()

    return [
        {
            "product_code": e.product_code,
            "unit_price": str(e.unit_price),
            "currency": e.currency,
            "description": e.description,
        }
        for e in await _run(request, use_case)
    ]


# --- orders ------------------------------------------------------------------------------


@router.post("/orders", status_code=201)
async def submit_order(body: SubmitOrder, request: Request, response: Response) -> dict[str, Any]:
    """Submit an order; the same client_reference again returns the same order (200)."""
    policy = _policy(request)
    currency = cast(SalesSettings, _runtime(request).settings).default_currency
    order, created = await _run(
        request, lambda uow: orders.submit_order(uow, policy, body, "http", currency)
    )
    if not created:
        response.status_code = 200
    return order_view(order)


@router.get("/orders")
async def list_orders(
    request: Request,
    status: str | None = None,
    customer_id: str | None = None,
    created_from: date | None = None,
    created_to: date | None = None,
    limit: int = Query(default=100, ge=1, le=500),
    offset: int = Query(default=0, ge=0),
) -> list[dict[str, Any]]:
    async def use_case(uow: UnitOfWork) -> list[Order]:
        return await OrderRepository(uow.session).list(
            status, customer_id, created_from, created_to, limit, offset
        )

    return [order_view(o) for o in await _run(request, use_case)]


@router.get("/orders/{ref}")
async def get_order(ref: str, request: Request) -> dict[str, Any]:
    return order_view(await _run(request, lambda uow: orders.load_order(uow, ref, lock=False)))


@router.get("/orders/{ref}/review-answers")
async def get_review_answers(ref: str, request: Request) -> list[dict[str, Any]]:
    """Every review answer received for the order, with what it did (``counted``,
    ``stale_round``, ``repeated``, ``not_in_review``)."""
    return await _run(request, lambda uow: orders.review_answers(uow, ref))


class InfoIn(BaseModel):
    customer_id: str | None = None
    contact: Contact | None = None
    lines: list[SubmittedLine] | None = None
    requested_date: date | None = None
    delivery_address: Address | None = None
    payment_terms: PaymentTerms | None = None


@router.post("/orders/{ref}/info")
async def complete_info(ref: str, body: InfoIn, request: Request) -> dict[str, Any]:
    """Supply what was missing; a complete order is numbered and goes to review."""
    info = orders.InfoUpdate(**dict(body))
    policy = _policy(request)
    return order_view(await _run(request, lambda uow: orders.complete_info(uow, policy, ref, info)))


@router.post("/orders/{ref}/customer-contacted")
async def customer_contacted(ref: str, request: Request) -> dict[str, Any]:
    return order_view(await _run(request, lambda uow: orders.customer_contacted(uow, ref)))


class ApproveIn(BaseModel):
    approved_by: Text
    notes: str | None = None


@router.post("/orders/{ref}/approve")
async def approve(ref: str, body: ApproveIn, request: Request) -> dict[str, Any]:
    policy = _policy(request)
    return order_view(
        await _run(
            request, lambda uow: orders.approve(uow, policy, ref, body.approved_by, body.notes)
        )
    )


class RejectIn(BaseModel):
    rejected_by: Text
    reason: Text


@router.post("/orders/{ref}/reject")
async def reject(ref: str, body: RejectIn, request: Request) -> dict[str, Any]:
    return order_view(
        await _run(request, lambda uow: orders.reject(uow, ref, body.rejected_by, body.reason))
    )


class SignIn(BaseModel):
    signed_by: Text
    signed_at: AwareDatetime | None = Field(default=None, description="Default: now.")
    document_ref: str | None = None


@router.post("/orders/{ref}/signature")
async def sign(ref: str, body: SignIn, request: Request) -> dict[str, Any]:
    policy = _policy(request)
    return order_view(
        await _run(
            request,
            lambda uow: orders.sign(
                uow, policy, ref, body.signed_by, body.signed_at, body.document_ref
            ),
        )
    )


class PaymentIn(BaseModel):
    reference: Text = Field(description="Bank or receipt reference (idempotency key).")
    payment_kind: PaymentKind
    amount: Money = Field(gt=0)
    currency: Currency
    received_on: date
    invoice_no: str | None = None


@router.post("/orders/{ref}/payments")
async def record_payment(ref: str, body: PaymentIn, request: Request) -> dict[str, Any]:
    pay = money.Payment(
        body.reference,
        body.payment_kind,
        body.amount,
        body.currency,
        body.received_on,
        body.invoice_no,
    )
    policy = _policy(request)
    order, _ = await _run(request, lambda uow: money.record_payment(uow, policy, ref, pay, "http"))
    return order_view(order)


class LineChangeIn(BaseModel):
    line_no: int = Field(ge=1)
    quantity: int = Field(ge=0, description="New quantity; 0 drops the line.")


class AmendIn(BaseModel):
    reference: Text = Field(description="This change's unique reference (idempotency key).")
    initiated_by: Initiator = Initiator.CUSTOMER
    lines: list[LineChangeIn] = Field(default_factory=list)
    add_lines: list[SubmittedLine] = Field(
        default_factory=list, description="New lines (before release); list price when unpriced."
    )
    requested_date: date | None = None
    delivery_address: Address | None = None
    reason: str | None = None


@router.post("/orders/{ref}/amendments")
async def amend(ref: str, body: AmendIn, request: Request) -> dict[str, Any]:
    change = orders.Amendment(
        body.reference,
        body.initiated_by,
        [LineChange(ln.line_no, ln.quantity) for ln in body.lines],
        body.requested_date,
        body.delivery_address,
        body.reason,
        body.add_lines,
    )
    policy = _policy(request)
    order, _ = await _run(request, lambda uow: orders.amend(uow, policy, ref, change))
    return order_view(order)


class CancelIn(BaseModel):
    reason: Text
    initiated_by: Initiator = Initiator.CUSTOMER
    cancelled_by: str | None = None


@router.post("/orders/{ref}/cancel")
async def cancel(ref: str, body: CancelIn, request: Request) -> dict[str, Any]:
    return order_view(
        await _run(
            request,
            lambda uow: orders.cancel(uow, ref, body.initiated_by, body.reason, body.cancelled_by),
        )
    )


class InvoiceIn(BaseModel):
    amount: Money | None = Field(default=None, description="Default: all not yet invoiced.")
    reference: Text | None = Field(
        default=None,
        description="The requester's own reference (idempotency key): the same reference "
        "again answers with the invoice it made.",
    )


@router.post("/orders/{ref}/invoices", status_code=201)
async def issue_invoice(ref: str, body: InvoiceIn, request: Request) -> dict[str, Any]:
    policy = _policy(request)
    return invoice_view(
        await _run(
            request,
            lambda uow: money.issue_invoice(
                uow, policy, ref, body.amount, reference=body.reference
            ),
        )
    )


@router.get("/orders/{ref}/invoices")
async def list_invoices(ref: str, request: Request) -> list[dict[str, Any]]:
    return [invoice_view(i) for i in await _run(request, lambda uow: money.list_invoices(uow, ref))]


class DeliveryDateIn(BaseModel):
    new_date: date
    reason: Text
    consented_by: str | None = Field(default=None, description="Who agreed for the customer.")
    remedy_plan: str | None = Field(
        default=None, description="Required with consent for a delay over 3 business days."
    )


@router.post("/orders/{ref}/delivery-date")
async def change_delivery_date(ref: str, body: DeliveryDateIn, request: Request) -> dict[str, Any]:
    policy = _policy(request)
    return order_view(
        await _run(
            request,
            lambda uow: orders.change_delivery_date(
                uow, policy, ref, body.new_date, body.reason, body.consented_by, body.remedy_plan
            ),
        )
    )


@router.get("/orders/{ref}/credit-notes")
async def list_credit_notes(ref: str, request: Request) -> list[dict[str, Any]]:
    rows = await _run(request, lambda uow: aftersales.credits(uow, ref))
    return [{k: str(v) if v is not None else None for k, v in r.items()} for r in rows]
