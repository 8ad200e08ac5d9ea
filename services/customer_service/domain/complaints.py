"""Complaints: numbering, responsible department, SLAs, assignment, escalation, resolution.

Policy (客户投诉处理): a complaint is assigned to the responsible department by category within
2 h, investigated, and settled within 10 days (domestic) or 15 days (foreign) of receipt
(return, exchange, discount, repair or explanation). When the departments disagree on the
settlement, or a deadline is missed, it goes up to a manager.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from contracts.base import Message
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    Severity,
)
from contracts.events import (
    ComplaintAssigned,
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
)
from services.customer_service.domain.errors import IllegalTransition
from shared.calendar import BusinessCalendar, DeadlineRule

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


@dataclass
class Complaint:
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
    status: str = "open"
    department: ResponsibleDepartment | None = None
    assignee: str | None = None
    assigned_at: datetime | None = None
    escalation_level: int = 0
    escalated_to: str | None = None
    resolution: Resolution | None = None
    summary: str | None = None
    root_cause: str | None = None
    discount_amount: Decimal | None = None
    currency: str | None = None
    resolved_at: datetime | None = None
    within_sla: bool | None = None
    events: list[Message] = field(default_factory=list)

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
        return complaint

    @property
    def responsible_department(self) -> ResponsibleDepartment:
        return DEPARTMENT_BY_CATEGORY[self.category]

    def assign(
        self, now: datetime, department: ResponsibleDepartment | None, assignee: str | None
    ) -> None:
        """Hand the complaint to a department (by category unless one is named); may reassign."""
        if self.status not in ("open", "assigned"):
            raise IllegalTransition("complaint", self.status, "assign")
        self.department = department or self.responsible_department
        self.assignee = assignee
        if self.assigned_at is None:
            self.assigned_at = now
        self.status = "assigned"
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
        if self.status == "resolved":
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
        resolution: Resolution,
        summary: str,
        root_cause: str | None = None,
        discount_amount: Decimal | None = None,
        currency: str | None = None,
    ) -> None:
        """Settle an assigned complaint; within SLA when settled by the resolution deadline.
        The same settlement again (its answer lost on the way) changes nothing."""
        if self.status == "resolved" and (self.resolution, self.summary) == (resolution, summary):
            return
        if self.status != "assigned":
            raise IllegalTransition("complaint", self.status, "resolve")
        if resolution == Resolution.DISCOUNT and discount_amount is None:
            raise ValueError("discount_amount is required for a discount")
        self.status = "resolved"
        self.resolution, self.summary, self.root_cause = resolution, summary, root_cause
        self.discount_amount, self.currency = discount_amount, currency
        self.resolved_at = now
        self.within_sla = now <= self.resolution_due_at
        self.events.append(
            ComplaintResolved(
                complaint_id=self.complaint_id,
                complaint_no=self.complaint_no,
                resolution=resolution,
                summary=summary,
                root_cause=root_cause,
                discount_amount=discount_amount,
                currency=currency,
                within_sla=self.within_sla,
            )
        )

    @property
    def needs_return(self) -> bool:
        return self.resolution in (Resolution.RETURN, Resolution.EXCHANGE)
