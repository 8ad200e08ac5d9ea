"""Complaints: numbering, responsible department, SLAs, assignment, escalation, resolution.

Policy (客户投诉处理): a complaint is assigned to the responsible department by category within
2 h, investigated, and settled within 10 days (domestic) or 15 days (foreign) of receipt
(return, exchange, discount, repair or explanation). When the departments disagree on the
settlement, or a deadline is missed, it goes up to a manager. A discount beyond what the
resolving person may grant waits for a second person with the authority (``allowances``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from contracts.enums import (
    Channel,
    ComplaintCategory,
    Deadline,
    Resolution,
    ResponsibleDepartment,
    Severity,
)
from contracts.events import (
    ComplaintAssigned,
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
    ComplaintSlaBreached,
)
from contracts.status.customer_service import ComplaintStatus
from services.customer_service.domain.allowances import AllowancePolicy
from services.customer_service.domain.errors import IllegalTransition
from shared.aggregate import Aggregate
from shared.calendar import BusinessCalendar, DeadlineRule
from shared.errors import Forbidden, Invalid

DEPARTMENT_BY_CATEGORY: dict[ComplaintCategory, ResponsibleDepartment] = {
    ComplaintCategory.QUALITY: ResponsibleDepartment.PRODUCTION,
    ComplaintCategory.LOGISTICS: ResponsibleDepartment.LOGISTICS,
    ComplaintCategory.SERVICE: ResponsibleDepartment.CUSTOMER_SERVICE,
    ComplaintCategory.ORDER_ERROR: ResponsibleDepartment.SALES,
    ComplaintCategory.OTHER: ResponsibleDepartment.CUSTOMER_SERVICE,
}


def format_complaint_no(period: str, seq: int) -> str:
    """``YYYYMM-Tnnn``: per month, from 001; grows past 999 rather than wrapping."""
    return f"{period}-T{seq:03d}"


@dataclass(frozen=True)
class ComplaintRules:
    assignment: DeadlineRule
    resolution_domestic: DeadlineRule
    resolution_foreign: DeadlineRule

    def assignment_due(self, opened_at: datetime, calendar: BusinessCalendar) -> datetime:
        return self.assignment.due(opened_at, calendar)

    def resolution_due(
        self, opened_at: datetime, domestic: bool, calendar: BusinessCalendar
    ) -> datetime:
        rule = self.resolution_domestic if domestic else self.resolution_foreign
        return rule.due(opened_at, calendar)


@dataclass(frozen=True)
class Proposal:
    """How a person settles a complaint; a discount gives money back (an allowance)."""

    resolution: Resolution
    summary: str
    root_cause: str | None = None
    discount_amount: Decimal | None = None
    currency: str | None = None

    def check(self) -> None:
        """A discount says how much, in which currency; nothing else gives money back."""
        if self.resolution == Resolution.DISCOUNT:
            if self.discount_amount is None or self.discount_amount <= 0:
                raise Invalid("discount_amount", "a discount needs an amount greater than 0")
            if self.currency is None:
                raise Invalid("currency", "a discount needs the currency of its amount")
        elif self.discount_amount is not None:
            raise Invalid("discount_amount", f"a {self.resolution} gives no money back")

    @property
    def allowance(self) -> tuple[Decimal, str] | None:
        """The money the settlement gives back, with its currency."""
        if self.discount_amount is None or self.currency is None:
            return None
        return self.discount_amount, self.currency


def timer_key(complaint_id: UUID, deadline: Deadline) -> str:
    return f"complaint:{complaint_id}:{deadline}"


@dataclass
class Complaint(Aggregate):
    complaint_id: UUID
    complaint_no: str
    customer_id: str
    channel: Channel
    category: ComplaintCategory
    severity: Severity
    description: str
    opened_at: datetime
    assignment_due_at: datetime
    resolution_due_at: datetime
    domestic: bool = True
    order_id: UUID | None = None
    order_no: str | None = None
    shipment_id: UUID | None = None
    tracking_no: str | None = None
    line_nos: list[int] = field(default_factory=list)
    expected_outcome: Resolution | None = None
    contact: dict[str, Any] | None = None
    client_reference: str | None = None
    status: str = ComplaintStatus.OPEN
    department: ResponsibleDepartment | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    assigned_by: str | None = None
    escalation_level: int = 0
    escalated_to: str | None = None
    resolution: Resolution | None = None
    summary: str | None = None
    root_cause: str | None = None
    discount_amount: Decimal | None = None
    currency: str | None = None
    resolved_by: str | None = None
    approval_roles: list[str] | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    resolved_at: datetime | None = None
    within_sla: bool | None = None

    @classmethod
    def open(
        cls,
        *,
        complaint_id: UUID,
        complaint_no: str,
        opened_at: datetime,
        rules: ComplaintRules,
        calendar: BusinessCalendar,
        **details: Any,
    ) -> Complaint:
        """Number it and start both SLA clocks (assignment, resolution)."""
        domestic = bool(details.get("domestic", True))
        complaint = cls(
            complaint_id=complaint_id,
            complaint_no=complaint_no,
            opened_at=opened_at,
            assignment_due_at=rules.assignment_due(opened_at, calendar),
            resolution_due_at=rules.resolution_due(opened_at, domestic, calendar),
            **details,
        )
        complaint.events.append(
            ComplaintOpened(
                complaint_id=complaint_id,
                complaint_no=complaint_no,
                customer_id=complaint.customer_id,
                channel=complaint.channel,
                category=complaint.category,
                severity=complaint.severity,
                description=complaint.description,
                order_id=complaint.order_id,
                order_no=complaint.order_no,
                shipment_id=complaint.shipment_id,
                tracking_no=complaint.tracking_no,
                line_nos=complaint.line_nos,
                expected_outcome=complaint.expected_outcome,
                domestic=domestic,
                assignment_due_at=complaint.assignment_due_at,
                resolution_due_at=complaint.resolution_due_at,
            )
        )
        for deadline in (Deadline.COMPLAINT_ASSIGNMENT, Deadline.COMPLAINT_RESOLUTION):
            breach = complaint.breach(deadline)
            complaint.schedule(timer_key(complaint_id, deadline), breach.due_at, breach)
        return complaint

    @property
    def correlation_id(self) -> str:
        return str(self.complaint_id)

    @property
    def responsible_department(self) -> ResponsibleDepartment:
        return DEPARTMENT_BY_CATEGORY[self.category]

    def breach(self, deadline: Deadline) -> ComplaintSlaBreached:
        assignment = deadline == Deadline.COMPLAINT_ASSIGNMENT
        due = self.assignment_due_at if assignment else self.resolution_due_at
        return ComplaintSlaBreached(
            deadline=deadline,
            subject_id=str(self.complaint_id),
            subject_no=self.complaint_no,
            order_id=self.order_id,
            due_at=due,
            breached_at=due,
            details="not assigned" if assignment else "not resolved",
        )

    def assign(
        self,
        now: datetime,
        department: ResponsibleDepartment | None,
        assignee: str | None,
        by: str,
    ) -> None:
        """Hand the complaint to a department (by category unless one is named); may reassign."""
        if self.status not in (ComplaintStatus.OPEN, ComplaintStatus.ASSIGNED):
            raise IllegalTransition("complaint", self.status, "assign")
        self.department = department or self.responsible_department
        self.assignee = assignee
        self.assigned_by = by
        if self.assigned_at is None:
            self.assigned_at = now
        self.status = ComplaintStatus.ASSIGNED
        self.cancel(timer_key(self.complaint_id, Deadline.COMPLAINT_ASSIGNMENT))
        self.events.append(
            ComplaintAssigned(
                complaint_id=self.complaint_id,
                complaint_no=self.complaint_no,
                department=self.department,
                assignee=assignee,
            )
        )

    def escalate(self, reason: str, chain: list[str]) -> None:
        """Up one level: first to the service manager, then higher (the chain's last stays)."""
        if self.status == ComplaintStatus.RESOLVED:
            raise IllegalTransition("complaint", self.status, "escalate")
        self.escalation_level += 1
        self.escalated_to = chain[min(self.escalation_level, len(chain)) - 1]
        self.events.append(
            ComplaintEscalated(
                complaint_id=self.complaint_id,
                complaint_no=self.complaint_no,
                level=self.escalation_level,
                escalated_to=self.escalated_to,
                reason=reason,
            )
        )

    def resolve(
        self,
        now: datetime,
        proposal: Proposal,
        by: str,
        roles: Iterable[str],
        allowances: AllowancePolicy,
    ) -> None:
        """Settle an assigned complaint. A discount beyond what ``by`` may grant waits for a
        second person's approval (``approve_allowance``); anything else is settled now, within
        the SLA when by the resolution deadline. The same person sending the same settlement
        again (its answer lost on the way) changes nothing; anyone else is refused."""
        settled = (ComplaintStatus.RESOLVED, ComplaintStatus.AWAITING_APPROVAL)
        if self.status in settled and (self.proposal, self.resolved_by) == (proposal, by):
            return
        if self.status != ComplaintStatus.ASSIGNED:
            raise IllegalTransition("complaint", self.status, "resolve")
        proposal.check()
        self.resolution, self.summary = proposal.resolution, proposal.summary
        self.root_cause = proposal.root_cause
        self.discount_amount, self.currency = proposal.discount_amount, proposal.currency
        self.resolved_by = by
        allowance = proposal.allowance
        if allowance is not None and not allowances.may_grant(roles, *allowance):
            self.status = ComplaintStatus.AWAITING_APPROVAL
            self.approval_roles = allowances.approvers(*allowance)
            return
        self._settle(now)

    def approve_allowance(
        self, now: datetime, by: str, roles: Iterable[str], allowances: AllowancePolicy
    ) -> None:
        """A second person with the authority grants the proposed allowance: the complaint is
        settled now. Never the person who proposed it (four eyes); the same approver again
        changes nothing."""
        if self.status == ComplaintStatus.RESOLVED and self.approved_by == by:
            return
        allowance = self.proposal.allowance if self.proposal else None
        if self.status != ComplaintStatus.AWAITING_APPROVAL or allowance is None:
            raise IllegalTransition("complaint", self.status, "approve the allowance of")
        if by == self.resolved_by:
            raise Forbidden(
                f"{by} proposed this allowance; another person approves it (four eyes)"
                " / 折让须由提出人以外的人批准"
            )
        if not allowances.may_grant(roles, *allowance):
            needed = allowances.approvers(*allowance)
            amount, currency = allowance
            raise Forbidden(
                f"an allowance of {amount} {currency} needs one of the roles: {', '.join(needed)}"
                f" / {amount} {currency} 的折让须由以下角色批准: {', '.join(needed)}",
                roles=needed,
            )
        self.approved_by, self.approved_at = by, now
        self._settle(now)

    def refuse_allowance(self, reason: str) -> str:
        """The proposed allowance is not granted: the complaint is open for another settlement.
        Returns what was refused, for the complaint's notes."""
        allowance = self.proposal.allowance if self.proposal else None
        if self.status != ComplaintStatus.AWAITING_APPROVAL or allowance is None:
            raise IllegalTransition("complaint", self.status, "refuse the allowance of")
        amount, currency = allowance
        note = f"allowance of {amount} {currency} proposed by {self.resolved_by} refused: {reason}"
        self.status = ComplaintStatus.ASSIGNED
        self.resolution = self.summary = self.root_cause = None
        self.discount_amount = self.currency = self.resolved_by = None
        self.approval_roles = None
        return note

    @property
    def proposal(self) -> Proposal | None:
        if self.resolution is None or self.summary is None:
            return None
        return Proposal(
            self.resolution, self.summary, self.root_cause, self.discount_amount, self.currency
        )

    def _settle(self, now: datetime) -> None:
        assert self.resolution is not None and self.summary is not None
        self.status = ComplaintStatus.RESOLVED
        self.resolved_at = now
        self.within_sla = now <= self.resolution_due_at
        self.cancel(timer_key(self.complaint_id, Deadline.COMPLAINT_RESOLUTION))
        self.events.append(
            ComplaintResolved(
                complaint_id=self.complaint_id,
                complaint_no=self.complaint_no,
                resolution=self.resolution,
                summary=self.summary,
                root_cause=self.root_cause,
                discount_amount=self.discount_amount,
                currency=self.currency,
                within_sla=self.within_sla,
            )
        )

    @property
    def needs_return(self) -> bool:
        return self.resolution in (Resolution.RETURN, Resolution.EXCHANGE)
