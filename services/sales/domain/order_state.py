"""The order's state: statuses, what is recorded per order, and what every rule reads.

The order aggregate is built in layers, each a module of its own: this state, then release
(confirmation, signature, the gate), review (contract review, approval), amendments
(changes, cancellation), settlement (delivery, money), delays; ``order.Order`` adds intake on
top. A layer uses only what is below it. Nothing here does IO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from contracts.base import Message
from contracts.common import Address, Contact, OrderLine, PaymentTerms
from contracts.enums import Channel, CustomerClass, ReviewDepartment, ReviewVerdict
from contracts.status.sales import ApprovalRule, ApprovalStatus, OrderStatus
from services.sales.domain.approval import Approval
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.intake import DraftLine
from services.sales.domain.policy import money
from shared.aggregate import CancelTimer, TimerChange

S = OrderStatus
REVIEWING = (S.IN_REVIEW, S.AWAITING_APPROVAL)
WAITING_FOR_RELEASE = (S.AWAITING_SIGNATURE, S.AWAITING_DEPOSIT)
BEFORE_SHIPMENT = (S.PENDING_INFO, *REVIEWING, *WAITING_FOR_RELEASE, S.RELEASED)
NUMBERED_OPEN = (*REVIEWING, *WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED, S.DELIVERED)
ALL_DEPARTMENTS = (
    ReviewDepartment.WAREHOUSE,
    ReviewDepartment.PRODUCTION,
    ReviewDepartment.FINANCE,
)


@dataclass
class Review:
    department: ReviewDepartment
    verdict: ReviewVerdict
    reviewed_at: datetime
    earliest_date: date | None = None
    notes: str | None = None
    reviewer: str | None = None
    review_round: int | None = None


@dataclass
class LineChange:
    """An amendment of one line: a new quantity (0 drops it)."""

    line_no: int
    quantity: int


@dataclass
class OrderState:
    order_id: UUID
    source: str
    client_reference: str
    channel: Channel
    created_at: datetime
    customer_id: str | None = None
    customer_name: str | None = None
    customer_class: CustomerClass | None = None
    contact: Contact | None = None
    lines: list[DraftLine] = field(default_factory=list)
    list_prices: dict[str, Decimal] = field(default_factory=dict)
    requested_date: date | None = None
    delivery_address: Address | None = None
    payment_terms: PaymentTerms | None = None
    currency: str = "CNY"
    rush: bool = False
    notes: str | None = None
    original_order_id: UUID | None = None
    status: OrderStatus = S.NEW
    order_no: str | None = None
    missing_fields: list[str] = field(default_factory=list)
    reviews: dict[ReviewDepartment, Review] = field(default_factory=dict)
    approval_status: ApprovalStatus = ApprovalStatus.NOT_NEEDED
    approval_reasons: list[ApprovalRule] = field(default_factory=list)
    approvals: dict[ApprovalRule, Approval] = field(default_factory=dict)
    approved_by: str | None = None
    entered_by: str | None = None
    """Who entered the order (a person, or the system that sent it): never its approver."""
    amended_by: list[str] = field(default_factory=list)
    """Everyone who amended it: none of them approves it either."""
    base_total: Decimal | None = None
    """The total in the base currency at the last review (thresholds and bands)."""
    exchange_rate: Decimal | None = None
    promised_date: date | None = None
    confirmation_sent_at: datetime | None = None
    signed_at: datetime | None = None
    """When the server recorded the signature: the promised-date shift counts from it."""
    signed_by: str | None = None
    """Who signed for the customer, as the letter says."""
    signed_on: date | None = None
    """The signing date the customer declared (bounded by the letter and today)."""
    signature_recorded_by: str | None = None
    deposit_required: Decimal = Decimal("0")
    deposit_paid: Decimal = Decimal("0")
    paid_total: Decimal = Decimal("0")
    paid_at: datetime | None = None
    invoiced_total: Decimal = Decimal("0")
    invoice_due_at: datetime | None = None
    released_at: datetime | None = None
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None
    delivered_on: date | None = None
    completed_at: datetime | None = None
    closed_reason: str | None = None
    amendment_count: int = 0
    credited_total: Decimal = Decimal("0")
    proposed_date: date | None = None
    proposed_reason: str | None = None
    review_round: int = 0
    events: list[Message] = field(default_factory=list, repr=False, compare=False)
    timers: list[TimerChange] = field(default_factory=list, repr=False, compare=False)

    # --- derived ------------------------------------------------------------------------

    @property
    def total(self) -> Decimal:
        return money(
            sum(
                (Decimal(ln.quantity or 0) * (ln.unit_price or Decimal(0)) for ln in self.lines),
                Decimal(0),
            )
        )

    @property
    def settled(self) -> bool:
        """Nothing left to pay: payments and credit notes cover the total."""
        return self.paid_total + self.credited_total >= self.total

    def contract_lines(self) -> list[OrderLine]:
        return [
            OrderLine(
                line_no=no,
                product_code=ln.product_code or "",
                spec=ln.spec or "",
                quantity=ln.quantity or 1,
                unit_price=ln.unit_price or Decimal(0),
            )
            for no, ln in enumerate(self.lines, start=1)
            if ln.quantity != 0
        ]

    @property
    def hands(self) -> frozenset[str]:
        """The people (or systems) who entered or amended the order."""
        return frozenset(x for x in (self.entered_by, *self.amended_by) if x)

    def _key(self, name: str) -> str:
        return f"order:{self.order_id}:{name}"

    def _require(self, action: str, *allowed: OrderStatus) -> None:
        if self.status not in allowed:
            raise IllegalTransition(action, self.status.value)

    def _close(self, status: OrderStatus, reason: str) -> None:
        self.status = status
        self.closed_reason = reason
        for name in ("info_request", "review", "approval", "signature", "invoice"):
            self.timers.append(CancelTimer(self._key(name)))
