"""Events of the sales desk: intake, contract review, approval, confirmation, changes, money."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractModel, Event
from contracts.common import (
    Address,
    Contact,
    Currency,
    LineNo,
    Money,
    OrderLine,
    OrderNo,
    PaymentTerms,
    Quantity,
    Text,
)
from contracts.enums import (
    ApprovalReason,
    Channel,
    CustomerClass,
    Initiator,
    PaymentKind,
    RejectionStage,
    ReviewDepartment,
    ReviewVerdict,
)
from contracts.registry import register


class OrderEvent(Event):
    """Base of the events about one numbered order."""

    order_id: UUID = Field(description="Order identifier (also the envelope's correlation_id).")
    order_no: OrderNo = Field(description="Order number YYYYMM-NNN.")


# --- intake -------------------------------------------------------------------------------


@register
class OrderReceived(OrderEvent):
    """A complete order was accepted and numbered; contract review starts next."""

    message_type = "order.received"
    message_version = 1

    client_reference: str | None = Field(
        default=None, description="The submitting system's own reference, if it gave one."
    )
    customer_id: Text = Field(description="Customer number in the customer master.")
    customer_name: str | None = Field(default=None, description="Customer's name.")
    customer_class: CustomerClass = Field(description="Customer class A, B or C.")
    channel: Channel = Field(description="How the order arrived.")
    contact: Contact = Field(description="Contact person for this order.")
    lines: list[OrderLine] = Field(min_length=1, description="Ordered lines.")
    requested_date: date = Field(description="Delivery date the customer asked for.")
    delivery_address: Address = Field(description="Where the goods go.")
    payment_terms: PaymentTerms = Field(description="Agreed payment terms.")
    rush: bool = Field(default=False, description="Rush order (needs a manager's approval).")
    total_amount: Money = Field(description="Sum of quantity x unit price over all lines.")
    currency: Currency = Field(description="Currency of all amounts on the order.")
    notes: str | None = Field(default=None, description="Free-text remarks from the customer.")
    original_order_id: UUID | None = Field(
        default=None,
        description="For a free replacement order (after-sales exchange): the order it replaces.",
    )


@register
class OrderInfoRequested(Event):
    """An incomplete order is kept as pending_info; the customer must be contacted.

    Policy: the customer is contacted within 1 business day (deadline ``info_request``).
    The order has no number yet.
    """

    message_type = "order.info_requested"
    message_version = 1

    order_id: UUID = Field(description="Identifier of the pending order.")
    client_reference: str | None = Field(
        default=None, description="The submitting system's own reference, if it gave one."
    )
    customer_id: str | None = Field(default=None, description="Customer number, if known.")
    channel: Channel = Field(description="How the order arrived.")
    missing_fields: list[Text] = Field(
        min_length=1,
        description="What is missing or invalid, e.g. 'contact', 'requested_date', "
        "'lines[2].spec'.",
    )
    contact_deadline_at: AwareDatetime = Field(
        description="When the customer must have been contacted at the latest."
    )


# --- contract review and approval -----------------------------------------------------------


@register
class OrderReviewRequested(OrderEvent):
    """The order goes to the reviewing departments; review must finish within 24 h."""

    message_type = "order.review_requested"
    message_version = 1

    departments: list[ReviewDepartment] = Field(
        min_length=1, description="Departments whose verdict is awaited."
    )
    customer_id: Text = Field(description="Customer number.")
    customer_class: CustomerClass = Field(description="Customer class A, B or C.")
    lines: list[OrderLine] = Field(min_length=1, description="Lines to review.")
    requested_date: date = Field(description="Delivery date the customer asked for.")
    rush: bool = Field(default=False, description="Rush order.")
    total_amount: Money = Field(description="Order total.")
    currency: Currency = Field(description="Currency of the order.")
    review_due_at: AwareDatetime = Field(description="When the review must be finished.")
    review_round: int | None = Field(
        default=None,
        ge=1,
        description="Review round: 1 for the first review, one more for each review again "
        "after an amendment. Reviewing departments echo it in order.reviewed.",
    )


class LineAvailability(ContractModel):
    """A reviewing department's answer for one order line."""

    line_no: LineNo = Field(description="Order line.")
    product_code: Text = Field(description="Product code of the line.")
    quantity_requested: Quantity = Field(description="Pieces ordered on the line.")
    quantity_available: int = Field(
        ge=0, description="Pieces on hand (warehouse) or makeable in time (production)."
    )
    earliest_date: date | None = Field(
        default=None, description="Earliest date the whole line can be ready."
    )


@register
class OrderReviewed(OrderEvent):
    """One department's review verdict (warehouse stock, production date, finance credit)."""

    message_type = "order.reviewed"
    message_version = 1

    department: ReviewDepartment = Field(description="The reviewing department.")
    verdict: ReviewVerdict = Field(description="Approve or reject.")
    earliest_date: date | None = Field(
        default=None, description="Earliest date this department can meet for the whole order."
    )
    notes: str | None = Field(default=None, description="Reviewer's remarks or reject reason.")
    reviewer: str | None = Field(default=None, description="Who reviewed, if a person did.")
    lines: list[LineAvailability] = Field(
        default_factory=list, description="Per-line availability, where the department has it."
    )
    deposit_amount: Money | None = Field(
        default=None, description="Finance: deposit required before release, if any."
    )
    review_round: int | None = Field(
        default=None,
        ge=1,
        description="The review round answered (from order.review_requested). An answer for "
        "an earlier round is recorded but does not decide the order; none = the current round.",
    )


@register
class OrderApprovalRequested(OrderEvent):
    """The order needs a manager's approval (amount over threshold, rush, below list price)."""

    message_type = "order.approval_requested"
    message_version = 1

    reasons: list[ApprovalReason] = Field(min_length=1, description="Why approval is needed.")
    total_amount: Money = Field(description="Order total.")
    currency: Currency = Field(description="Currency of the order.")
    details: str | None = Field(default=None, description="Explanation for the approver.")


@register
class OrderApproved(OrderEvent):
    """A manager approved the order."""

    message_type = "order.approved"
    message_version = 1

    approved_by: Text = Field(description="The approving manager.")
    notes: str | None = Field(default=None, description="Approver's remarks or conditions.")


@register
class OrderRejected(OrderEvent):
    """The order was turned down in review or by the approving manager; it goes no further."""

    message_type = "order.rejected"
    message_version = 1

    stage: RejectionStage = Field(description="Review or approval.")
    department: ReviewDepartment | None = Field(
        default=None, description="The rejecting department, for a review rejection."
    )
    rejected_by: str | None = Field(default=None, description="Who rejected, if a person did.")
    reason: Text = Field(description="Why, in words the customer can be told.")


# --- confirmation ---------------------------------------------------------------------------


@register
class OrderConfirmationSent(OrderEvent):
    """The confirmation letter went out.

    The promised date is what the reviews allow, assuming the customer signs the same day.
    Each business day the signature arrives later moves it one business day; unsigned past
    2 business days the order needs follow-up (deadline ``signature``).
    """

    message_type = "order.confirmation_sent"
    message_version = 1

    promised_date: date = Field(description="Promised delivery date if signed today.")
    signature_due_at: AwareDatetime = Field(description="When the signature is due.")
    sent_via: Channel = Field(description="How the letter was sent.")
    document_ref: str | None = Field(default=None, description="Archived letter reference.")
    total_amount: Money = Field(description="Confirmed order total.")
    currency: Currency = Field(description="Currency of the order.")
    deposit_amount: Money | None = Field(
        default=None, description="Deposit the customer must pay before release, if any."
    )


@register
class OrderSigned(OrderEvent):
    """The customer signed the confirmation; the promised date may have moved."""

    message_type = "order.signed"
    message_version = 1

    signed_by: Text = Field(description="Who signed for the customer.")
    signed_at: AwareDatetime = Field(description="When the signature was received.")
    promised_date: date = Field(
        description="Promised date after moving it one business day per business day late."
    )
    document_ref: str | None = Field(default=None, description="Archived signed copy.")


@register
class OrderConfirmed(OrderEvent):
    """The order is released to fulfilment.

    Class A: without waiting for the signature. Class B and C: after signature, and after the
    deposit where their terms need one.
    """

    message_type = "order.confirmed"
    message_version = 1

    customer_id: Text = Field(description="Customer number.")
    customer_class: CustomerClass = Field(description="Customer class A, B or C.")
    promised_date: date = Field(description="Promised delivery date.")
    lines: list[OrderLine] = Field(min_length=1, description="Lines to fulfil.")
    delivery_address: Address = Field(description="Where the goods go.")
    rush: bool = Field(default=False, description="Rush order.")
    released_before_signature: bool = Field(
        default=False, description="Released ahead of the signature (class A)."
    )
    prepaid: bool = Field(
        default=False,
        description="A deposit or full payment was received; paid orders go first when "
        "capacity or material runs short.",
    )
    amendment_no: int = Field(
        default=0,
        ge=0,
        description="How many amendments these lines, date and address include (0: none). A "
        "department that has applied a later amendment keeps it; one that missed an amendment "
        "takes this confirmation's lines.",
    )


# --- delays, changes, cancellation, completion ---------------------------------------------


@register
class OrderDeliveryDateChanged(OrderEvent):
    """The promised date moved; a delay over 3 business days needs the customer's consent."""

    message_type = "order.delivery_date_changed"
    message_version = 1

    old_date: date = Field(description="Previously promised date.")
    new_date: date = Field(description="New promised date.")
    reason: Text = Field(description="Why the date moved.")
    customer_consent: bool = Field(description="The customer agreed to the new date.")
    consented_by: str | None = Field(default=None, description="Who agreed for the customer.")
    remedy_plan: str | None = Field(
        default=None, description="Remedy offered (required for delays over 3 business days)."
    )


class LineQuantityChange(ContractModel):
    """A changed quantity on one order line (0 removes the line)."""

    line_no: LineNo = Field(description="Order line.")
    product_code: Text = Field(description="Product code of the line.")
    old_quantity: int = Field(ge=0, description="Quantity before the amendment.")
    new_quantity: int = Field(ge=0, description="Quantity after the amendment; 0 drops it.")


@register
class OrderAmended(OrderEvent):
    """The order changed; every department that already acted adjusts. Absent = unchanged.

    Changed quantities or a changed date of an order already released are reviewed again (a
    new ``order.review_requested`` round): the order is back in review, then approval where
    needed, a new confirmation letter and the release gate, and is released again with a new
    ``order.confirmed``. Departments keep what they did for it meanwhile. A new address alone
    is not reviewed again.
    """

    message_type = "order.amended"
    message_version = 1

    amendment_no: int = Field(ge=1, description="Running number of amendments to this order.")
    initiated_by: Initiator = Field(description="Who asked for the change.")
    line_changes: list[LineQuantityChange] = Field(
        default_factory=list, description="Changed line quantities."
    )
    requested_date: date | None = Field(default=None, description="New requested date.")
    delivery_address: Address | None = Field(default=None, description="New delivery address.")
    total_amount: Money = Field(description="Order total after the amendment.")
    currency: Currency = Field(description="Currency of the order.")
    reason: str | None = Field(default=None, description="Why the order changed.")


@register
class OrderCancelled(Event):
    """The order is cancelled: release reservations, cancel work orders and open shipments."""

    message_type = "order.cancelled"
    message_version = 1

    order_id: UUID = Field(description="Order identifier.")
    order_no: OrderNo | None = Field(
        default=None, description="Order number; None for an order cancelled while pending_info."
    )
    initiated_by: Initiator = Field(description="Who asked for the cancellation.")
    reason: Text = Field(description="Why the order was cancelled.")
    cancelled_by: str | None = Field(default=None, description="Who recorded it.")


@register
class OrderCompleted(OrderEvent):
    """Delivered and paid: the order is closed and archived."""

    message_type = "order.completed"
    message_version = 1

    promised_date: date = Field(description="Last promised delivery date.")
    delivered_at: AwareDatetime = Field(description="When the goods were delivered.")
    paid_at: AwareDatetime = Field(description="When the order was fully paid.")
    on_time: bool = Field(description="Delivered on or before the promised date.")


# --- money ----------------------------------------------------------------------------------


@register
class InvoiceIssued(OrderEvent):
    """An invoice was issued (within 3 business days of payment)."""

    message_type = "invoice.issued"
    message_version = 1

    invoice_id: UUID = Field(description="Invoice identifier.")
    invoice_no: Text = Field(description="Invoice number.")
    amount: Money = Field(description="Invoice amount including tax.")
    currency: Currency = Field(description="Invoice currency.")
    issued_on: date = Field(description="Invoice date.")
    due_date: date = Field(description="Payment due date.")


@register
class PaymentReceived(OrderEvent):
    """Money arrived: a deposit before release or payment of an invoice."""

    message_type = "payment.received"
    message_version = 1

    payment_id: UUID = Field(description="Payment identifier.")
    payment_kind: PaymentKind = Field(description="Deposit or invoice payment.")
    invoice_id: UUID | None = Field(default=None, description="The invoice paid, if any.")
    amount: Money = Field(description="Amount received.")
    currency: Currency = Field(description="Currency received.")
    received_on: date = Field(description="Value date of the payment.")
    reference: str | None = Field(default=None, description="Bank or remittance reference.")
    fully_paid: bool = Field(
        default=False, description="The order has nothing left to pay after this payment."
    )


@register
class PaymentReminderSent(OrderEvent):
    """A reminder went out 3 days before the invoice is due."""

    message_type = "payment.reminder_sent"
    message_version = 1

    invoice_id: UUID = Field(description="Invoice reminded about.")
    invoice_no: Text = Field(description="Invoice number.")
    amount_due: Money = Field(description="Amount still open.")
    currency: Currency = Field(description="Invoice currency.")
    due_date: date = Field(description="Payment due date.")


@register
class PaymentOverdue(OrderEvent):
    """The invoice is 15 days overdue: collections start.

    A late fee is charged where the contract sets one.
    """

    message_type = "payment.overdue"
    message_version = 1

    invoice_id: UUID = Field(description="Overdue invoice.")
    invoice_no: Text = Field(description="Invoice number.")
    amount_due: Money = Field(description="Amount still open.")
    currency: Currency = Field(description="Invoice currency.")
    due_date: date = Field(description="Payment due date.")
    days_overdue: int = Field(ge=0, description="Calendar days past the due date.")
    late_fee: Money | None = Field(
        default=None, description="Late fee charged; None when the contract sets none."
    )


@register
class CreditNoteIssued(OrderEvent):
    """A credit note was issued against the order (a return refunded or a price allowance).

    It reduces what is still owed on the invoice; what was already paid beyond that is refunded.
    """

    message_type = "credit_note.issued"
    message_version = 1

    credit_note_no: Text = Field(description="Credit note number.")
    invoice_no: Text | None = Field(
        default=None, description="Invoice credited; None when none was issued yet."
    )
    amount: Money = Field(description="Amount credited.")
    currency: Currency = Field(description="Currency of the credit note.")
    reason: Text = Field(description="Why the credit was granted.")
    refund_amount: Money = Field(
        description="Part of the amount paid back to the customer (0 when nothing was paid)."
    )
