"""Commands to the sales service: orders, changes, cancellation, signature, payments."""

from __future__ import annotations

from datetime import date
from typing import Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from contracts.base import Command, ContractModel
from contracts.common import (
    Address,
    Contact,
    Currency,
    EnteredMoney,
    LineNo,
    OrderNo,
    PaymentTerms,
    Quantity,
    Text,
)
from contracts.enums import Channel, Initiator, PaymentKind
from contracts.registry import register


class OrderReference(Command):
    """Base of commands about an existing order: give its id, its number, or both."""

    order_id: UUID | None = Field(default=None, description="Order identifier.")
    order_no: OrderNo | None = Field(default=None, description="Order number YYYYMM-NNN.")

    @model_validator(mode="after")
    def _needs_a_reference(self) -> Self:
        if self.order_id is None and self.order_no is None:
            raise ValueError("give order_id or order_no")
        return self


class SubmittedLine(ContractModel):
    """An order line as submitted; sales checks completeness, so parts may be missing."""

    product_code: str | None = Field(default=None, description="Product code.")
    spec: str | None = Field(default=None, description="Specification.")
    quantity: Quantity | None = Field(default=None, description="Pieces ordered.")
    unit_price: EnteredMoney | None = Field(
        default=None, description="Agreed price per piece; the price list applies when absent."
    )


@register
class SubmitOrder(Command):
    """Submit a customer order from any channel.

    Missing data does not reject the command: the order is kept as pending_info and
    ``order.info_requested`` follows; complete orders are numbered (``order.received``).
    Submitting the same ``client_reference`` twice from the same producer creates one order.
    """

    message_type = "sales.submit_order"
    message_version = 1

    client_reference: Text = Field(
        description="The sending system's unique reference for this order (idempotency key)."
    )
    channel: Channel = Field(description="How the order reached the company.")
    customer_id: str | None = Field(default=None, description="Customer number.")
    customer_name: str | None = Field(
        default=None, description="Customer name, when the number is unknown to the sender."
    )
    contact: Contact | None = Field(default=None, description="Contact person.")
    lines: list[SubmittedLine] = Field(default_factory=list, description="Ordered lines.")
    requested_date: date | None = Field(default=None, description="Requested delivery date.")
    delivery_address: Address | None = Field(default=None, description="Delivery address.")
    payment_terms: PaymentTerms | None = Field(
        default=None, description="Payment terms; the customer's standard terms when absent."
    )
    currency: Currency | None = Field(default=None, description="Currency of the prices.")
    rush: bool = Field(default=False, description="Rush order.")
    notes: str | None = Field(default=None, description="Free-text remarks.")


class LineQuantityUpdate(ContractModel):
    """A new quantity for one order line (0 removes the line)."""

    line_no: LineNo = Field(description="Order line.")
    quantity: int = Field(ge=0, description="New quantity; 0 drops the line.")


@register
class AmendOrder(OrderReference):
    """Change quantities, the requested date or the delivery address. Absent = unchanged."""

    message_type = "sales.amend_order"
    message_version = 1

    client_reference: Text = Field(
        description="The sending system's unique reference for this change (idempotency key)."
    )
    initiated_by: Initiator = Field(
        default=Initiator.CUSTOMER, description="Who asked for the change."
    )
    lines: list[LineQuantityUpdate] = Field(
        default_factory=list, description="New line quantities."
    )
    requested_date: date | None = Field(default=None, description="New requested date.")
    delivery_address: Address | None = Field(default=None, description="New delivery address.")
    reason: str | None = Field(default=None, description="Why the order changes.")


@register
class CancelOrder(OrderReference):
    """Cancel an order; every department undoes its part."""

    message_type = "sales.cancel_order"
    message_version = 1

    initiated_by: Initiator = Field(
        default=Initiator.CUSTOMER, description="Who asked for the cancellation."
    )
    reason: Text = Field(description="Why the order is cancelled.")
    requested_by: str | None = Field(default=None, description="Person who asked.")


@register
class SignConfirmation(OrderReference):
    """Record the customer's signature on the confirmation letter."""

    message_type = "sales.sign_confirmation"
    message_version = 1

    signed_by: Text = Field(description="Who signed for the customer.")
    signed_at: AwareDatetime = Field(description="When the signed letter was received.")
    document_ref: str | None = Field(default=None, description="Scan or archive reference.")


@register
class RecordPayment(OrderReference):
    """Record money received from the bank or cashier."""

    message_type = "sales.record_payment"
    message_version = 1

    client_reference: Text = Field(
        description="Bank transaction or receipt reference (idempotency key)."
    )
    payment_kind: PaymentKind = Field(description="Deposit or invoice payment.")
    invoice_no: str | None = Field(default=None, description="Invoice paid, if any.")
    amount: EnteredMoney = Field(description="Amount received.")
    currency: Currency = Field(description="Currency received.")
    received_on: date = Field(description="Value date.")
