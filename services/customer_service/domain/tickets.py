"""After-sales service tickets and spare-part orders.

A ticket (repair, replacement, return) is dispatched to a technician, who records the work; the
result goes to the customer only after customer service has reviewed the work record. Spare-part
orders keep their urgency: STOCK must be installed within 1 month of arrival, RUSH and VOR
within 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.base import Message
from contracts.common import Address
from contracts.enums import ServiceOutcome, ServiceTicketKind, SparePartUrgency
from contracts.events import (
    ServiceTicketClosed,
    ServiceTicketDispatched,
    ServiceTicketOpened,
)
from contracts.events.customer_service import WorkRecord
from services.customer_service.domain.errors import IllegalTransition
from shared.calendar import BusinessCalendar, DeadlineRule


def format_ticket_no(period: str, seq: int) -> str:
    return f"{period}-S{seq:03d}"


@dataclass
class ServiceTicket:
    ticket_id: UUID
    ticket_no: str
    kind: ServiceTicketKind
    customer_id: str
    product_code: str
    site_address: dict[str, Any]
    description: str
    opened_at: datetime
    complaint_id: UUID | None = None
    complaint_no: str | None = None
    order_id: UUID | None = None
    order_no: str | None = None
    serial_no: str | None = None
    due_at: datetime | None = None
    status: str = "opened"
    technician: str | None = None
    scheduled_for: datetime | None = None
    work_record: dict[str, Any] | None = None
    outcome: ServiceOutcome | None = None
    reviewed_by: str | None = None
    review_notes: str | None = None
    closed_at: datetime | None = None
    events: list[Message] = field(default_factory=list)

    @classmethod
    def open(cls, **fields: Any) -> ServiceTicket:
        ticket = cls(**fields)
        ticket.events.append(
            ServiceTicketOpened(
                ticket_id=ticket.ticket_id,
                ticket_no=ticket.ticket_no,
                ticket_kind=ticket.kind,
                customer_id=ticket.customer_id,
                complaint_id=ticket.complaint_id,
                complaint_no=ticket.complaint_no,
                order_id=ticket.order_id,
                order_no=ticket.order_no,
                product_code=ticket.product_code,
                serial_no=ticket.serial_no,
                site_address=Address.model_validate(ticket.site_address),
                description=ticket.description,
                due_at=ticket.due_at,
            )
        )
        return ticket

    def dispatch(self, technician: str, scheduled_for: datetime, notes: str | None) -> None:
        if self.status not in ("opened", "dispatched"):
            raise IllegalTransition("service ticket", self.status, "dispatch")
        self.technician, self.scheduled_for, self.status = technician, scheduled_for, "dispatched"
        self.events.append(
            ServiceTicketDispatched(
                ticket_id=self.ticket_id,
                ticket_no=self.ticket_no,
                technician=technician,
                scheduled_for=scheduled_for,
                notes=notes,
            )
        )

    def record_work(self, record: WorkRecord, outcome: ServiceOutcome) -> None:
        """The technician's record; it waits for review before the customer sees it."""
        if self.status != "dispatched":
            raise IllegalTransition("service ticket", self.status, "record work on")
        self.work_record = record.model_dump(mode="json")
        self.outcome, self.status = outcome, "work_recorded"

    def review(self, reviewer: str, approved: bool, notes: str | None, now: datetime) -> None:
        """Approve (close, result to the customer) or send back to the technician."""
        if self.status != "work_recorded" or self.work_record is None or self.outcome is None:
            raise IllegalTransition("service ticket", self.status, "review")
        self.reviewed_by, self.review_notes = reviewer, notes
        if not approved:
            self.status = "dispatched"
            return
        self.status, self.closed_at = "closed", now
        self.events.append(
            ServiceTicketClosed(
                ticket_id=self.ticket_id,
                ticket_no=self.ticket_no,
                outcome=self.outcome,
                work_record=WorkRecord.model_validate(self.work_record),
                closed_by=reviewer,
            )
        )


@dataclass(frozen=True)
class SparePartRules:
    stock: DeadlineRule
    rush: DeadlineRule

    def install_due(
        self, urgency: SparePartUrgency, arrived_at: datetime, calendar: BusinessCalendar
    ) -> datetime:
        """STOCK: 1 month after arrival; RUSH and VOR: 7 days after arrival."""
        rule = self.stock if urgency == SparePartUrgency.STOCK else self.rush
        return rule.due(arrived_at, calendar)

    def install_due_date(
        self, urgency: SparePartUrgency, arrives_on: date, calendar: BusinessCalendar
    ) -> date:
        start = datetime.combine(arrives_on, datetime.min.time(), tzinfo=calendar.tz)
        return calendar.local_date(self.install_due(urgency, start, calendar))
