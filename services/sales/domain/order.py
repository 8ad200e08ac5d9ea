"""The order aggregate: intake, contract review, approval, confirmation, release, changes.

Methods check the current status, change state, and record what happened in ``events``
(contract messages to publish) and ``timers`` (deadlines to set or stop). Nothing here does IO.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from contracts.base import Event
from contracts.common import Address, Contact, OrderLine, PaymentTerms
from contracts.enums import (
    ApprovalReason,
    Channel,
    CustomerClass,
    Deadline,
    Initiator,
    RejectionStage,
    ReviewDepartment,
    ReviewVerdict,
)
from contracts.events.sales import (
    LineQuantityChange,
    OrderAmended,
    OrderApprovalRequested,
    OrderApproved,
    OrderCancelled,
    OrderCompleted,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderDeliveryDateChanged,
    OrderInfoRequested,
    OrderReceived,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
    OrderSigned,
)
from contracts.events.sla import OrderSlaBreached, PaymentSlaBreached
from services.sales.domain.customer import Customer, PriceEntry
from services.sales.domain.errors import IllegalTransition, InvalidChange
from services.sales.domain.intake import Draft, DraftLine, find_missing, is_vague_spec
from services.sales.domain.policy import (
    CancelTimer,
    SalesPolicy,
    ScheduleTimer,
    TimerChange,
    money,
)


class OrderStatus(StrEnum):
    NEW = "new"
    PENDING_INFO = "pending_info"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_SIGNATURE = "awaiting_signature"
    AWAITING_DEPOSIT = "awaiting_deposit"
    RELEASED = "released"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


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


class ApprovalStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    APPROVED = "approved"


@dataclass
class Review:
    department: ReviewDepartment
    verdict: ReviewVerdict
    reviewed_at: datetime
    earliest_date: date | None = None
    notes: str | None = None
    reviewer: str | None = None


@dataclass
class LineChange:
    """An amendment of one line: a new quantity (0 drops it)."""

    line_no: int
    quantity: int


@dataclass
class Order:
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
    approval_reasons: list[ApprovalReason] = field(default_factory=list)
    approved_by: str | None = None
    promised_date: date | None = None
    confirmation_sent_at: datetime | None = None
    signed_at: datetime | None = None
    signed_by: str | None = None
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
    events: list[Event] = field(default_factory=list, repr=False, compare=False)
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

    def _key(self, name: str) -> str:
        return f"order:{self.order_id}:{name}"

    def _require(self, action: str, *allowed: OrderStatus) -> None:
        if self.status not in allowed:
            raise IllegalTransition(action, self.status.value)

    # --- intake -------------------------------------------------------------------------

    def check_completeness(
        self, customer: Customer | None, prices: dict[str, PriceEntry], today: date
    ) -> bool:
        """Fill prices and terms from the master data; return whether the order is complete."""
        draft = Draft(
            self.customer_id,
            self.contact,
            self.lines,
            self.requested_date,
            self.delivery_address,
            self.payment_terms,
        )
        self.missing_fields = find_missing(draft, customer, prices, today)
        if customer is not None:
            self.customer_class = customer.customer_class
            self.customer_name = self.customer_name or customer.name
            if self.payment_terms is None:
                self.payment_terms = customer.payment_terms
        self.list_prices = {
            code: entry.unit_price for code, entry in prices.items() if entry is not None
        }
        for line in self.lines:
            if line.unit_price is None and line.product_code in prices:
                line.unit_price = prices[line.product_code].unit_price
        return not self.missing_fields

    def hold_for_info(self, now: datetime, policy: SalesPolicy) -> None:
        """Incomplete: keep it and contact the customer within 1 business day."""
        self._require("hold for information", S.NEW, S.PENDING_INFO)
        first = self.status == S.NEW
        self.status = S.PENDING_INFO
        if not first:
            return
        due = policy.info_request.due(now, policy.calendar)
        self.events.append(
            OrderInfoRequested(
                order_id=self.order_id,
                client_reference=self.client_reference,
                customer_id=self.customer_id,
                channel=self.channel,
                missing_fields=self.missing_fields,
                contact_deadline_at=due,
            )
        )
        self.timers.append(
            ScheduleTimer(
                self._key("info_request"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.INFO_REQUEST,
                    subject_id=str(self.order_id),
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="customer not contacted about: " + ", ".join(self.missing_fields),
                ),
            )
        )

    def customer_contacted(self) -> None:
        self._require("record the customer contact", S.PENDING_INFO)
        self.timers.append(CancelTimer(self._key("info_request")))

    def accept(
        self, order_no: str, customer: Customer, exposure: Decimal, now: datetime, p: SalesPolicy
    ) -> None:
        """Complete: numbered, received, and sent to contract review."""
        self._require("accept", S.NEW, S.PENDING_INFO)
        if self.missing_fields:
            raise IllegalTransition("accept", self.status.value, "information missing")
        self.order_no = order_no
        self.timers.append(CancelTimer(self._key("info_request")))
        assert self.customer_class and self.contact and self.requested_date
        assert self.delivery_address and self.payment_terms
        self.events.append(
            OrderReceived(
                order_id=self.order_id,
                order_no=order_no,
                client_reference=self.client_reference,
                customer_id=customer.customer_id,
                customer_name=self.customer_name,
                customer_class=self.customer_class,
                channel=self.channel,
                contact=self.contact,
                lines=self.contract_lines(),
                requested_date=self.requested_date,
                delivery_address=self.delivery_address,
                payment_terms=self.payment_terms,
                rush=self.rush,
                total_amount=self.total,
                currency=self.currency,
                notes=self.notes,
                original_order_id=self.original_order_id,
            )
        )
        self._start_review(customer, exposure, now, p)

    # --- contract review and approval ----------------------------------------------------

    def _start_review(
        self, customer: Customer, exposure: Decimal, now: datetime, p: SalesPolicy
    ) -> None:
        """A review round: warehouse and production answer by event, finance answers here."""
        assert self.order_no and self.customer_class and self.requested_date
        self.status = S.IN_REVIEW
        self.reviews = {}
        self.signed_at = self.signed_by = None
        self.confirmation_sent_at = None
        due = p.review.due(now, p.calendar)
        self.events.append(
            OrderReviewRequested(
                order_id=self.order_id,
                order_no=self.order_no,
                departments=list(ALL_DEPARTMENTS),
                customer_id=customer.customer_id,
                customer_class=self.customer_class,
                lines=self.contract_lines(),
                requested_date=self.requested_date,
                rush=self.rush,
                total_amount=self.total,
                currency=self.currency,
                review_due_at=due,
            )
        )
        self.timers.append(
            ScheduleTimer(
                self._key("review"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.REVIEW,
                    subject_id=str(self.order_id),
                    subject_no=self.order_no,
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="contract review not finished",
                ),
            )
        )
        reasons = self._approval_reasons(customer, exposure, p)
        self._finance_review(customer, exposure, now)
        if reasons and not (
            self.approval_status == ApprovalStatus.APPROVED
            and set(reasons) <= set(self.approval_reasons)
        ):
            self.approval_status = ApprovalStatus.PENDING
            self.approval_reasons = reasons
            self.events.append(
                OrderApprovalRequested(
                    order_id=self.order_id,
                    order_no=self.order_no,
                    reasons=reasons,
                    total_amount=self.total,
                    currency=self.currency,
                    details=f"total {self.total} {self.currency}, class {self.customer_class}",
                )
            )
        elif not reasons:
            self.approval_status = ApprovalStatus.NOT_NEEDED
            self.approval_reasons = []

    def _approval_reasons(
        self, customer: Customer, exposure: Decimal, p: SalesPolicy
    ) -> list[ApprovalReason]:
        """Manager's approval: over the amount threshold, rush, below list price, over credit."""
        reasons = []
        if self.total > p.approval_threshold:
            reasons.append(ApprovalReason.OVER_AMOUNT_THRESHOLD)
        if self.rush:
            reasons.append(ApprovalReason.RUSH)
        if self.original_order_id is None and any(
            ln.unit_price is not None
            and ln.product_code in self.list_prices
            and ln.unit_price < self.list_prices[ln.product_code]
            for ln in self.lines
        ):
            reasons.append(ApprovalReason.BELOW_LIST_PRICE)
        if exposure + self.total > customer.credit_limit:
            reasons.append(ApprovalReason.CREDIT_LIMIT)
        return reasons

    def _finance_review(self, customer: Customer, exposure: Decimal, now: datetime) -> None:
        """Finance's part of the review: credit exposure and the deposit the terms ask for."""
        assert self.order_no and self.payment_terms
        percent = self.payment_terms.deposit_percent or Decimal(0)
        self.deposit_required = money(self.total * percent / 100)
        headroom = customer.credit_limit - exposure - self.total
        notes = f"credit headroom {money(headroom)} {self.currency}" + (
            " (over limit: manager approval needed)" if headroom < 0 else ""
        )
        self.reviews[ReviewDepartment.FINANCE] = Review(
            ReviewDepartment.FINANCE, ReviewVerdict.APPROVE, now, notes=notes
        )
        self.events.append(
            OrderReviewed(
                order_id=self.order_id,
                order_no=self.order_no,
                department=ReviewDepartment.FINANCE,
                verdict=ReviewVerdict.APPROVE,
                notes=notes,
                deposit_amount=self.deposit_required or None,
            )
        )

    def record_review(self, review: Review, now: datetime, p: SalesPolicy) -> bool:
        """A department's verdict; late or repeated verdicts change nothing (returns False)."""
        if self.status not in REVIEWING or review.department in self.reviews:
            return False
        assert self.order_no
        if review.verdict == ReviewVerdict.REJECT:
            reason = review.notes or f"{review.department.value} cannot accept the order"
            self._close(S.REJECTED, reason)
            self.events.append(
                OrderRejected(
                    order_id=self.order_id,
                    order_no=self.order_no,
                    stage=RejectionStage.REVIEW,
                    department=review.department,
                    rejected_by=review.reviewer,
                    reason=reason,
                )
            )
            return True
        self.reviews[review.department] = review
        self._advance(now, p)
        return True

    def approve(self, approved_by: str, notes: str | None, now: datetime, p: SalesPolicy) -> None:
        self._require("approve", *REVIEWING)
        if self.approval_status != ApprovalStatus.PENDING:
            raise IllegalTransition("approve", self.status.value, "no approval pending")
        assert self.order_no
        self.approval_status = ApprovalStatus.APPROVED
        self.approved_by = approved_by
        self.events.append(
            OrderApproved(
                order_id=self.order_id, order_no=self.order_no, approved_by=approved_by, notes=notes
            )
        )
        self._advance(now, p)

    def reject(self, rejected_by: str, reason: str) -> None:
        self._require("reject", *REVIEWING)
        if self.approval_status != ApprovalStatus.PENDING:
            raise IllegalTransition("reject", self.status.value, "no approval pending")
        assert self.order_no
        self._close(S.REJECTED, reason)
        self.events.append(
            OrderRejected(
                order_id=self.order_id,
                order_no=self.order_no,
                stage=RejectionStage.APPROVAL,
                rejected_by=rejected_by,
                reason=reason,
            )
        )

    def _advance(self, now: datetime, p: SalesPolicy) -> None:
        if set(self.reviews) >= set(ALL_DEPARTMENTS):
            self.timers.append(CancelTimer(self._key("review")))
        else:
            self.status = S.IN_REVIEW
            return
        if self.approval_status == ApprovalStatus.PENDING:
            self.status = S.AWAITING_APPROVAL
            return
        self._send_confirmation(now, p)

    # --- confirmation, signature, release ---------------------------------------------

    def _send_confirmation(self, now: datetime, p: SalesPolicy) -> None:
        """The letter promises what the reviews allow, assuming signature the same day."""
        assert self.order_no and self.requested_date
        dates = [r.earliest_date for r in self.reviews.values() if r.earliest_date]
        self.promised_date = max([self.requested_date, *dates])
        self.confirmation_sent_at = now
        self.status = S.AWAITING_SIGNATURE
        due = p.signature.due(now, p.calendar)
        self.events.append(
            OrderConfirmationSent(
                order_id=self.order_id,
                order_no=self.order_no,
                promised_date=self.promised_date,
                signature_due_at=due,
                sent_via=self.channel,
                total_amount=self.total,
                currency=self.currency,
                deposit_amount=self.deposit_required or None,
            )
        )
        self.timers.append(
            ScheduleTimer(
                self._key("signature"),
                due,
                OrderSlaBreached(
                    deadline=Deadline.SIGNATURE,
                    subject_id=str(self.order_id),
                    subject_no=self.order_no,
                    order_id=self.order_id,
                    due_at=due,
                    breached_at=due,
                    details="confirmation letter not signed: follow up with the customer",
                ),
            )
        )
        self._try_release(now)

    def sign(self, signed_by: str, signed_at: datetime, doc: str | None, p: SalesPolicy) -> None:
        """Policy: each business day the signature arrives after the day the letter went out
        moves the promised date one business day later (not for an order already released)."""
        if self.signed_at is not None:
            raise IllegalTransition("sign", self.status.value, "already signed")
        self._require("sign", *WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED, S.DELIVERED)
        assert self.order_no and self.promised_date and self.confirmation_sent_at
        if self.status == S.AWAITING_SIGNATURE:
            cal = p.calendar
            late = cal.business_days_between(
                cal.local_date(self.confirmation_sent_at), cal.local_date(signed_at)
            )
            self.promised_date = cal.add_business_days_to_date(self.promised_date, late)
        self.signed_at, self.signed_by = signed_at, signed_by
        self.timers.append(CancelTimer(self._key("signature")))
        self.events.append(
            OrderSigned(
                order_id=self.order_id,
                order_no=self.order_no,
                signed_by=signed_by,
                signed_at=signed_at,
                promised_date=self.promised_date,
                document_ref=doc,
            )
        )
        self._try_release(signed_at)

    def _try_release(self, now: datetime) -> None:
        """The release gate: A at once; B and C after signature and any deposit due."""
        if self.status not in WAITING_FOR_RELEASE:
            return
        if self.customer_class != CustomerClass.A:
            if self.signed_at is None:
                self.status = S.AWAITING_SIGNATURE
                return
            if self.deposit_paid < self.deposit_required:
                self.status = S.AWAITING_DEPOSIT
                return
        assert self.order_no and self.customer_id and self.customer_class
        assert self.promised_date and self.delivery_address
        self.status = S.RELEASED
        self.released_at = now
        self.events.append(
            OrderConfirmed(
                order_id=self.order_id,
                order_no=self.order_no,
                customer_id=self.customer_id,
                customer_class=self.customer_class,
                promised_date=self.promised_date,
                lines=self.contract_lines(),
                delivery_address=self.delivery_address,
                rush=self.rush,
                released_before_signature=self.signed_at is None,
                prepaid=self.paid_total > 0,
            )
        )

    # --- changes and cancellation ------------------------------------------------------

    def amend(
        self,
        changes: list[LineChange],
        requested_date: date | None,
        address: Address | None,
        initiated_by: Initiator,
        reason: str | None,
        customer: Customer,
        exposure: Decimal,
        now: datetime,
        p: SalesPolicy,
        added: list[DraftLine] | None = None,
    ) -> None:
        """Before shipment only. More goods or an earlier date is a new contract: re-reviewed,
        re-confirmed, and the release gate (signature, deposit) applies again. New lines
        (priced by the caller) only before release."""
        self._require("amend", *REVIEWING, *WAITING_FOR_RELEASE, S.RELEASED)
        assert self.order_no and self.requested_date
        line_changes: list[LineQuantityChange] = []
        more = False
        for change in changes:
            if not 1 <= change.line_no <= len(self.lines):
                raise InvalidChange(f"lines[{change.line_no}]", "no such line")
            line = self.lines[change.line_no - 1]
            old = line.quantity or 0
            if change.quantity == old:
                continue
            more = more or change.quantity > old
            line_changes.append(
                LineQuantityChange(
                    line_no=change.line_no,
                    product_code=line.product_code or "",
                    old_quantity=old,
                    new_quantity=change.quantity,
                )
            )
        new_quantities = {c.line_no: c.new_quantity for c in line_changes}
        added = added or []
        if added and self.status == S.RELEASED:
            raise InvalidChange("add_lines", "the order is released: order extra goods separately")
        for i, new in enumerate(added, start=1):
            if not (new.product_code and new.spec and new.quantity and new.unit_price is not None):
                raise InvalidChange(f"add_lines[{i}]", "needs product code, spec, quantity, price")
            if is_vague_spec(new.spec):
                raise InvalidChange(f"add_lines[{i}].spec", "not a specification")
            line_changes.append(
                LineQuantityChange(
                    line_no=len(self.lines) + i,
                    product_code=new.product_code,
                    old_quantity=0,
                    new_quantity=new.quantity,
                )
            )
        more = more or bool(added)
        if not added and all(
            new_quantities.get(no, ln.quantity) == 0 for no, ln in enumerate(self.lines, 1)
        ):
            raise InvalidChange("lines", "an order keeps at least one line; cancel it instead")
        earlier = requested_date is not None and requested_date < self.requested_date
        if requested_date is not None and requested_date < p.calendar.local_date(now):
            raise InvalidChange("requested_date", "in the past")
        if not line_changes and requested_date in (None, self.requested_date) and address is None:
            raise InvalidChange("amendment", "changes nothing")
        for no, qty in new_quantities.items():
            # a dropped line stays with quantity 0 so the other lines keep their numbers
            self.lines[no - 1].quantity = qty
        self.lines.extend(added)
        if requested_date is not None:
            self.requested_date = requested_date
        if address is not None:
            self.delivery_address = address
        self.amendment_count += 1
        self.events.append(
            OrderAmended(
                order_id=self.order_id,
                order_no=self.order_no,
                amendment_no=self.amendment_count,
                initiated_by=initiated_by,
                line_changes=line_changes,
                requested_date=requested_date,
                delivery_address=address,
                total_amount=self.total,
                currency=self.currency,
                reason=reason,
            )
        )
        if self.status != S.RELEASED and (more or earlier):
            self.timers.append(CancelTimer(self._key("signature")))
            self._start_review(customer, exposure, now, p)
        elif self.status != S.RELEASED:
            percent = (self.payment_terms.deposit_percent if self.payment_terms else None) or 0
            self.deposit_required = money(self.total * Decimal(percent) / 100)
            self._try_release(now)

    def cancel(self, initiated_by: Initiator, reason: str, cancelled_by: str | None) -> None:
        """Before dispatch; after it a return is the way (after-sales)."""
        self._require("cancel", *BEFORE_SHIPMENT)
        self._close(S.CANCELLED, reason)
        self.events.append(
            OrderCancelled(
                order_id=self.order_id,
                order_no=self.order_no,
                initiated_by=initiated_by,
                reason=reason,
                cancelled_by=cancelled_by,
            )
        )

    def _close(self, status: OrderStatus, reason: str) -> None:
        self.status = status
        self.closed_reason = reason
        for name in ("info_request", "review", "signature", "invoice"):
            self.timers.append(CancelTimer(self._key(name)))

    # --- fulfilment and money ------------------------------------------------------------

    def mark_shipped(self, at: datetime) -> bool:
        if self.status in (S.RELEASED,):
            self.status, self.shipped_at = S.SHIPPED, at
            return True
        return False

    def mark_delivered(self, at: datetime, now: datetime, p: SalesPolicy) -> bool:
        if self.status not in (S.RELEASED, S.SHIPPED):
            return False
        self.shipped_at = self.shipped_at or at
        self.status, self.delivered_at = S.DELIVERED, at
        self.delivered_on = p.calendar.local_date(at)
        self._try_complete(now)
        return True

    def record_payment(
        self, amount: Decimal, is_deposit: bool, now: datetime, p: SalesPolicy
    ) -> bool:
        """Money in; returns whether the order is now fully paid. Starts the invoice deadline
        (3 business days) when more was paid than invoiced."""
        self._require("record a payment", *NUMBERED_OPEN)
        self.paid_total = money(self.paid_total + amount)
        if is_deposit:
            self.deposit_paid = money(self.deposit_paid + amount)
        if self.settled and self.paid_at is None:
            self.paid_at = now
        if self.paid_total > self.invoiced_total and self.invoice_due_at is None:
            due = p.invoice.due(now, p.calendar)
            self.invoice_due_at = due
            self.timers.append(
                ScheduleTimer(
                    self._key("invoice"),
                    due,
                    PaymentSlaBreached(
                        deadline=Deadline.INVOICE,
                        subject_id=str(self.order_id),
                        subject_no=self.order_no,
                        order_id=self.order_id,
                        due_at=due,
                        breached_at=due,
                        details="payment received but no invoice issued",
                    ),
                )
            )
        self._try_release(now)
        self._try_complete(now)
        return self.settled

    def invoiced(self, amount: Decimal) -> None:
        self._require("invoice", *NUMBERED_OPEN, S.COMPLETED)
        self.invoiced_total = money(self.invoiced_total + amount)
        if self.invoice_due_at is not None and self.invoiced_total >= self.paid_total:
            self.invoice_due_at = None
            self.timers.append(CancelTimer(self._key("invoice")))

    def credited(self, amount: Decimal, now: datetime) -> None:
        """A credit note (refund or price allowance after a complaint) lowers what is owed."""
        self._require("credit", *NUMBERED_OPEN, S.COMPLETED)
        self.credited_total = money(self.credited_total + amount)
        if self.settled and self.paid_at is None:
            self.paid_at = now
        self._try_complete(now)

    # --- delays ----------------------------------------------------------------------------

    def delay_reported(self, new_date: date, reason: str, p: SalesPolicy) -> bool:
        """A department will miss the promised date. Up to 3 business days late the date
        moves at once; beyond that the customer must agree to a remedy plan first."""
        if self.status not in (*WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED):
            return False
        if self.promised_date is None or new_date <= self.promised_date:
            return False
        late = p.calendar.business_days_between(self.promised_date, new_date)
        if late > p.delay_needs_consent_over_business_days:
            self.proposed_date, self.proposed_reason = new_date, reason
            return True
        self._move_date(new_date, reason, False, None, None)
        return True

    def change_delivery_date(
        self,
        new_date: date,
        reason: str,
        consented_by: str | None,
        remedy_plan: str | None,
        p: SalesPolicy,
    ) -> None:
        self._require("change the delivery date", *WAITING_FOR_RELEASE, S.RELEASED, S.SHIPPED)
        assert self.promised_date
        late = p.calendar.business_days_between(self.promised_date, new_date)
        if late > p.delay_needs_consent_over_business_days and not (consented_by and remedy_plan):
            raise InvalidChange(
                "remedy_plan",
                "a delay over 3 business days needs a remedy plan and the customer's consent",
            )
        self._move_date(new_date, reason, consented_by is not None, consented_by, remedy_plan)

    def _move_date(
        self,
        new_date: date,
        reason: str,
        consent: bool,
        consented_by: str | None,
        remedy_plan: str | None,
    ) -> None:
        assert self.order_no and self.promised_date
        self.events.append(
            OrderDeliveryDateChanged(
                order_id=self.order_id,
                order_no=self.order_no,
                old_date=self.promised_date,
                new_date=new_date,
                reason=reason,
                customer_consent=consent,
                consented_by=consented_by,
                remedy_plan=remedy_plan,
            )
        )
        self.promised_date = new_date
        self.proposed_date = self.proposed_reason = None

    def _try_complete(self, now: datetime) -> None:
        if self.status != S.DELIVERED or not self.settled:
            return
        if self.paid_at is None:  # nothing was ever owed: a free replacement
            self.paid_at = now
        assert self.order_no and self.promised_date and self.delivered_at and self.paid_at
        assert self.delivered_on
        self.status, self.completed_at = S.COMPLETED, now
        self.events.append(
            OrderCompleted(
                order_id=self.order_id,
                order_no=self.order_no,
                promised_date=self.promised_date,
                delivered_at=self.delivered_at,
                paid_at=self.paid_at,
                on_time=self.delivered_on <= self.promised_date,
            )
        )
