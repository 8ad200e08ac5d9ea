"""Contract review (warehouse, production, finance) and the approval decisions."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from contracts.enums import Deadline, Initiator, RejectionStage, ReviewDepartment, ReviewVerdict
from contracts.events.sales import (
    OrderApproved,
    OrderCancelled,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
)
from contracts.events.sla import OrderSlaBreached
from contracts.status.sales import ApprovalStatus, ReviewOutcome
from services.sales.domain.approval import Person, Valuation
from services.sales.domain.approving import Approving
from services.sales.domain.customer import Customer
from services.sales.domain.errors import IllegalTransition
from services.sales.domain.order_state import ALL_DEPARTMENTS, REVIEWING, Review, S
from services.sales.domain.policy import SalesPolicy, money
from shared.aggregate import CancelTimer, ScheduleTimer


class Reviewing(Approving):
    """A review round per contract: departments answer, approvers decide where needed."""

    def _start_review(
        self, customer: Customer, value: Valuation, now: datetime, p: SalesPolicy
    ) -> None:
        """A new review round: warehouse and production answer by event (echoing the round),
        finance answers here. Answers to an earlier round no longer count."""
        assert self.order_no and self.customer_class and self.requested_date
        self.status = S.IN_REVIEW
        self.review_round += 1
        self.reviews = {}
        self.signed_at = self.signed_by = self.signed_on = self.signature_recorded_by = None
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
                review_round=self.review_round,
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
        self.exchange_rate, self.base_total = value.rate, value.to_base(self.total)
        rules = self._approval_rules(customer, value, p)
        self._finance_review(value, now)
        self._ask_for_approval(rules, now, p)

    def _finance_review(self, value: Valuation, now: datetime) -> None:
        """Finance's part of the review: credit exposure and the deposit the terms ask for."""
        assert self.order_no and self.payment_terms and self.base_total is not None
        percent = self.payment_terms.deposit_percent or Decimal(0)
        self.deposit_required = money(self.total * percent / 100)
        headroom = value.credit_limit - value.credit_in_use - self.base_total
        notes = f"credit headroom {money(headroom)} {value.base_currency}" + (
            " (over limit: approval needed)" if headroom < 0 else ""
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
                review_round=self.review_round,
            )
        )

    def record_review(self, review: Review, now: datetime, p: SalesPolicy) -> ReviewOutcome:
        """A department's verdict for the current round decides; an answer for an earlier
        round (the order was amended since), a repeat, or one after the review is over
        changes nothing. An answer without a round is taken as for the current one."""
        if self.status not in REVIEWING:
            return ReviewOutcome.NOT_IN_REVIEW
        if review.review_round is not None and review.review_round != self.review_round:
            return ReviewOutcome.STALE_ROUND
        if review.department in self.reviews:
            return ReviewOutcome.REPEATED
        review.review_round = self.review_round
        if self._takes_earliest_date(review):
            review.verdict = ReviewVerdict.APPROVE
            review.notes = f"as soon as possible: {review.earliest_date} ({review.notes})"
        if review.verdict == ReviewVerdict.REJECT:
            reason = review.notes or f"{review.department.value} cannot accept the order"
            self._turn_down(RejectionStage.REVIEW, review.department, review.reviewer, reason)
            return ReviewOutcome.COUNTED
        self.reviews[review.department] = review
        self._advance(now, p)
        return ReviewOutcome.COUNTED

    def _takes_earliest_date(self, review: Review) -> bool:
        """A department that cannot meet the date but names its earliest one sets the promise
        (the letter promises the latest of the reviews' dates) instead of turning the order
        down, where the company already owes the goods: a free replacement after an exchange
        ("as soon as possible"), and an order released before and now amended, whose new
        letter the customer signs again."""
        owed = self.original_order_id is not None or self.released_at is not None
        return owed and review.verdict == ReviewVerdict.REJECT and review.earliest_date is not None

    def approve(self, person: Person, notes: str | None, now: datetime, p: SalesPolicy) -> None:
        """``person`` approves every rule still open that one of their roles covers at the
        order's amount (the approval matrix); the order goes on once every rule is covered."""
        if self._record_approval(person, notes, now, p):
            assert self.order_no
            self.events.append(
                OrderApproved(
                    order_id=self.order_id,
                    order_no=self.order_no,
                    approved_by=person.name,
                    notes=self._approval_summary(notes),
                )
            )
            self._advance(now, p)

    def reject(self, person: Person, reason: str, p: SalesPolicy) -> None:
        """Someone who could approve one of the open rules turns the order down."""
        self._require("reject", *REVIEWING)
        if self.approval_status != ApprovalStatus.PENDING:
            raise IllegalTransition("reject", self.status.value, "no approval pending")
        self._require_approver_of_any(person, p)
        self._turn_down(RejectionStage.APPROVAL, None, person.name, reason)

    def _turn_down(
        self,
        stage: RejectionStage,
        department: ReviewDepartment | None,
        by: str | None,
        reason: str,
    ) -> None:
        """The order goes no further. One released before (and under review again after an
        amendment) is also cancelled, so every department undoes what it already did."""
        assert self.order_no
        self._close(S.REJECTED, reason)
        self.events.append(
            OrderRejected(
                order_id=self.order_id,
                order_no=self.order_no,
                stage=stage,
                department=department,
                rejected_by=by,
                reason=reason,
            )
        )
        if self.released_at is not None:
            self.events.append(
                OrderCancelled(
                    order_id=self.order_id,
                    order_no=self.order_no,
                    initiated_by=Initiator.COMPANY,
                    reason=f"amended order turned down in {stage.value}: {reason}",
                    cancelled_by=by,
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
