"""What the sales HTTP API takes: one model per body, bounded, unknown fields refused.

Nobody names themselves in a body: who entered, amended, approved, signed off or paid is the
signed-in person, and when is the server's time. Names of the customer's people (who signed the
letter, who agreed to a later date) are data about the customer and stay.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from contracts.commands.sales import SubmitOrder, SubmittedLine
from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import Channel, CustomerClass, Initiator, PaymentKind

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^\S+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Reference = Annotated[str, Field(min_length=1, max_length=100)]
Remark = Annotated[str, Field(min_length=1, max_length=2000)]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
PositiveAmount = Annotated[Decimal, Field(gt=0, max_digits=14, decimal_places=2)]
Percentage = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Pieces = Annotated[int, Field(ge=1, le=10_000_000)]


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class ContactIn(Body):
    name: Name
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=200)

    def contract(self) -> Contact:
        return Contact.model_validate(self.model_dump())


class AddressIn(Body):
    recipient: Name
    company: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    line1: Name
    line2: str | None = Field(default=None, max_length=200)
    city: Name
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")

    def contract(self) -> Address:
        return Address.model_validate(self.model_dump())


class TermsIn(Body):
    code: str = Field(min_length=1, max_length=32)
    net_days: int = Field(ge=0, le=3650)
    deposit_percent: Percentage | None = None
    late_fee_percent: Percentage | None = None

    def contract(self) -> PaymentTerms:
        return PaymentTerms.model_validate(self.model_dump())


class LineIn(Body):
    product_code: Code | None = None
    spec: str | None = Field(default=None, max_length=500)
    quantity: Pieces | None = None
    unit_price: Amount | None = Field(
        default=None, description="Agreed price per piece; the price list applies when absent."
    )

    def contract(self) -> SubmittedLine:
        return SubmittedLine.model_validate(self.model_dump())


Lines = Annotated[list[LineIn], Field(max_length=500)]


class OrderIn(Body):
    """An order as the desk takes it; what is missing is asked for (pending_info)."""

    client_reference: Reference = Field(description="Unique per order (idempotency key).")
    channel: Channel
    customer_id: Code | None = None
    customer_name: Name | None = None
    contact: ContactIn | None = None
    lines: Lines = Field(default_factory=list)
    requested_date: date | None = None
    delivery_address: AddressIn | None = None
    payment_terms: TermsIn | None = Field(
        default=None,
        description="Terms for this order; easier ones than the customer's need approval.",
    )
    currency: CurrencyCode | None = None
    rush: bool = False
    notes: str | None = Field(default=None, max_length=2000)

    def command(self) -> SubmitOrder:
        return SubmitOrder.model_validate(self.model_dump())


class InfoIn(Body):
    customer_id: Code | None = None
    contact: ContactIn | None = None
    lines: Lines | None = None
    requested_date: date | None = None
    delivery_address: AddressIn | None = None
    payment_terms: TermsIn | None = None


class ApproveIn(Body):
    notes: str | None = Field(default=None, max_length=2000)


class RejectIn(Body):
    reason: Remark


class SignIn(Body):
    """The signed letter is back. Who recorded it and when is the server's; the customer's own
    statement of who signed and on which day is kept as declared."""

    signatory: Name | None = Field(
        default=None, description="Who signed for the customer, as on the letter."
    )
    signed_on: date | None = Field(
        default=None,
        description="The signing date written on the letter: not in the future, not before"
        " the letter was sent. The promised date still moves from when it is recorded.",
    )
    document_ref: str | None = Field(default=None, max_length=200)


class PaymentIn(Body):
    reference: Reference = Field(description="Bank or receipt reference (idempotency key).")
    payment_kind: PaymentKind
    amount: PositiveAmount
    currency: CurrencyCode
    received_on: date
    invoice_no: str | None = Field(default=None, max_length=32)


class LineChangeIn(Body):
    line_no: int = Field(ge=1, le=500)
    quantity: int = Field(ge=0, le=10_000_000, description="New quantity; 0 drops the line.")


class AmendIn(Body):
    reference: Reference = Field(description="This change's unique reference (idempotency key).")
    initiated_by: Initiator = Field(
        default=Initiator.CUSTOMER, description="Whether the customer or the company asked."
    )
    lines: list[LineChangeIn] = Field(default_factory=list, max_length=500)
    add_lines: Lines = Field(
        default_factory=list, description="New lines (before release); list price when unpriced."
    )
    requested_date: date | None = None
    delivery_address: AddressIn | None = None
    reason: str | None = Field(default=None, max_length=2000)


class CancelIn(Body):
    reason: Remark
    initiated_by: Initiator = Initiator.CUSTOMER


class InvoiceIn(Body):
    amount: PositiveAmount | None = Field(
        default=None, description="Default: all not yet invoiced."
    )
    reference: Reference | None = Field(
        default=None,
        description="The requester's own reference (idempotency key): the same reference "
        "again answers with the invoice it made.",
    )


class DeliveryDateIn(Body):
    new_date: date
    reason: Remark
    consenting_contact: Name | None = Field(
        default=None,
        description="The customer's person who agreed to the new date (their consent).",
    )
    remedy_plan: str | None = Field(
        default=None,
        max_length=2000,
        description="Required with consent for a delay over 3 business days.",
    )


class CustomerIn(Body):
    """A customer as master data asks for it: class, credit limit, deposit rule (the terms'
    deposit_percent) and currency take effect once a second master-data person approves."""

    customer_id: Code
    name: Name
    customer_class: CustomerClass
    credit_limit: Amount
    payment_terms: TermsIn = Field(description="Standard terms, with the deposit rule.")
    currency: CurrencyCode = "CNY"


class ChangeDecisionIn(Body):
    reason: Remark


class PriceEntryIn(Body):
    product_code: Code
    unit_price: Amount
    currency: CurrencyCode = "CNY"
    description: str | None = Field(default=None, max_length=500)


class RateIn(Body):
    rate: Decimal = Field(
        gt=0,
        max_digits=18,
        decimal_places=8,
        description="Units of the base currency for one unit of this currency.",
    )
