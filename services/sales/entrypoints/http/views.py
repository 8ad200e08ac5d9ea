"""What the sales HTTP API answers: one typed model per answer, so OpenAPI names every field.

Amounts are decimal strings in JSON (``"1500.00"``), never floats.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import Channel, CustomerClass
from contracts.status.sales import (
    ApprovalRule,
    ApprovalStatus,
    CustomerChangeStatus,
    OrderStatus,
    ReviewOutcome,
)
from services.sales.domain.approval import ApprovalMatrix
from services.sales.domain.customer import Customer, CustomerChange, PriceEntry, Trust
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order


class LineView(BaseModel):
    line_no: int
    product_code: str | None
    spec: str | None
    quantity: int | None
    unit_price: Decimal | None


class ReviewView(BaseModel):
    verdict: str
    earliest_date: date | None
    notes: str | None
    review_round: int | None


class ApprovalStepView(BaseModel):
    """One rule of the approval matrix this order falls under: who may approve it at the
    order's amount, and who did."""

    rule: ApprovalRule
    roles: list[str]
    approved_by: str | None = None
    approved_as: str | None = None
    approved_at: datetime | None = None


class OrderView(BaseModel):
    order_id: UUID
    order_no: str | None
    status: OrderStatus
    client_reference: str
    channel: Channel
    customer_id: str | None
    customer_name: str | None
    customer_class: CustomerClass | None
    contact: Contact | None
    lines: list[LineView]
    requested_date: date | None
    delivery_address: Address | None
    payment_terms: PaymentTerms | None
    currency: str
    rush: bool
    total_amount: Decimal
    base_total: Decimal | None
    exchange_rate: Decimal | None
    missing_fields: list[str]
    reviews: dict[str, ReviewView]
    review_round: int
    approval_status: ApprovalStatus
    approval_reasons: list[ApprovalRule]
    approvals: list[ApprovalStepView]
    entered_by: str | None
    amended_by: list[str]
    promised_date: date | None
    confirmation_sent_at: datetime | None
    signed_at: datetime | None
    signed_by: str | None
    signed_on: date | None
    signature_recorded_by: str | None
    deposit_required: Decimal
    deposit_paid: Decimal
    paid_total: Decimal
    invoiced_total: Decimal
    released_at: datetime | None
    delivered_at: datetime | None
    completed_at: datetime | None
    closed_reason: str | None
    amendment_count: int
    credited_total: Decimal
    proposed_date: date | None
    proposed_reason: str | None
    original_order_id: UUID | None
    created_at: datetime

    @classmethod
    def of(cls, o: Order, matrix: ApprovalMatrix) -> OrderView:
        names = set(cls.model_fields) - {"lines", "reviews", "approvals", "total_amount"}
        return cls(
            **{name: getattr(o, name) for name in names},
            total_amount=o.total,
            lines=[LineView(line_no=no, **vars(ln)) for no, ln in enumerate(o.lines, start=1)],
            reviews={
                d.value: ReviewView(
                    verdict=r.verdict.value,
                    earliest_date=r.earliest_date,
                    notes=r.notes,
                    review_round=r.review_round,
                )
                for d, r in o.reviews.items()
            },
            approvals=[
                ApprovalStepView(
                    rule=step.rule,
                    roles=sorted(step.roles),
                    approved_by=step.approval.by if step.approval else None,
                    approved_as=step.approval.role if step.approval else None,
                    approved_at=step.approval.at if step.approval else None,
                )
                for step in o.approval_steps(matrix)
            ],
        )


class ReviewAnswerView(BaseModel):
    department: str
    review_round: int | None
    verdict: str
    earliest_date: date | None
    notes: str | None
    outcome: ReviewOutcome
    received_at: datetime


class InvoiceView(BaseModel):
    invoice_id: UUID
    invoice_no: str
    order_no: str
    amount: Decimal
    paid_amount: Decimal
    open_amount: Decimal
    currency: str
    issued_on: date
    due_date: date
    reference: str | None

    @classmethod
    def of(cls, i: Invoice) -> InvoiceView:
        fields = {k: v for k, v in vars(i).items() if k in cls.model_fields}
        return cls(**fields, open_amount=i.open_amount)


class CreditNoteView(BaseModel):
    credit_note_id: UUID
    credit_note_no: str
    order_id: UUID
    invoice_id: UUID | None
    amount: Decimal
    currency: str
    reason: str
    decision_ref: str
    complaint_id: UUID | None
    created_at: datetime
    refund_id: UUID | None
    refund_amount: Decimal | None
    refund_status: str | None

    @classmethod
    def of(cls, row: dict[str, Any]) -> CreditNoteView:
        return cls.model_validate(row)


class TrustView(BaseModel):
    customer_class: CustomerClass
    credit_limit: Decimal
    deposit_percent: Decimal | None
    currency: str

    @classmethod
    def of(cls, t: Trust) -> TrustView:
        return cls.model_validate(vars(t))


class CustomerChangeView(BaseModel):
    """A change of a customer's trust: it takes effect only when a second master-data person
    approves it."""

    change_id: UUID
    customer_id: str
    status: CustomerChangeStatus
    before: TrustView
    after: TrustView
    requested_by: str
    requested_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None

    @classmethod
    def of(cls, c: CustomerChange) -> CustomerChangeView:
        fields = {k: v for k, v in vars(c).items() if k not in ("before", "after")}
        return cls(**fields, before=TrustView.of(c.before), after=TrustView.of(c.after))


class CustomerView(BaseModel):
    """The customer as it stands now, and the change of its trust waiting for approval."""

    customer_id: str
    name: str
    customer_class: CustomerClass
    credit_limit: Decimal
    payment_terms: PaymentTerms
    currency: str
    pending_change: CustomerChangeView | None = None

    @classmethod
    def of(cls, c: Customer, pending: CustomerChange | None) -> CustomerView:
        return cls(**vars(c), pending_change=CustomerChangeView.of(pending) if pending else None)


class PriceEntryView(BaseModel):
    product_code: str
    unit_price: Decimal
    currency: str
    description: str | None

    @classmethod
    def of(cls, e: PriceEntry) -> PriceEntryView:
        return cls.model_validate(vars(e))


class ExchangeRateView(BaseModel):
    currency: str
    rate: Decimal
    base_currency: str
    updated_by: str
    updated_at: datetime
