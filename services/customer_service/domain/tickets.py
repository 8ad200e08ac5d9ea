"""After-sales service tickets and spare-part orders.

A ticket (repair, replacement, return) is dispatched to a technician, who records the work; the
result goes to the customer only after customer service has reviewed the work record (000 售后订单
管理制度 三 3-4), so the person who reviews it is not the one who entered it. Spare-part orders
keep their urgency: STOCK must be installed within 1 month of arrival, RUSH and VOR within 7 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from contracts.common import Address
from contracts.enums import Deadline, ServiceOutcome, ServiceTicketKind, SparePartUrgency
from contracts.events import (
    ServiceTicketClosed,
    ServiceTicketDispatched,
    ServiceTicketOpened,
    ServiceTicketSlaBreached,
    SparePartOrdered,
)
from contracts.events.customer_service import WorkRecord
from contracts.status.customer_service import ServiceTicketStatus, SparePartStatus
from services.customer_service.domain.errors import IllegalTransition
from shared.aggregate import Aggregate
from shared.calendar import BusinessCalendar, DeadlineRule
from shared.errors import Forbidden


def format_ticket_no(period: str, seq: int) -> str:
    return f"{period}-S{seq:03d}"


@dataclass
class ServiceTicket(Aggregate):
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
    status: str = ServiceTicketStatus.OPENED
    technician: str | None = None
    scheduled_for: datetime | None = None
    work_record: dict[str, Any] | None = None
    outcome: ServiceOutcome | None = None
    recorded_by: str | None = None
    reviewed_by: str | None = None
    review_notes: str | None = None
    closed_at: datetime | None = None

    @classmethod
    def open(cls, **fields: Any) -> ServiceTicket:
        """A new job; with a due time, the visit is watched by a deadline."""
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
        if ticket.due_at is not None:
            breach = ServiceTicketSlaBreached(
                deadline=Deadline.SERVICE_VISIT,
                subject_id=str(ticket.ticket_id),
                subject_no=ticket.ticket_no,
                order_id=ticket.order_id,
                due_at=ticket.due_at,
                breached_at=ticket.due_at,
                details="service not completed",
            )
            ticket.schedule(ticket.visit_key, ticket.due_at, breach)
        return ticket

    @property
    def correlation_id(self) -> str:
        return str(self.ticket_id)

    @property
    def visit_key(self) -> str:
        return f"ticket:{self.ticket_id}:visit"

    def dispatch(self, technician: str, scheduled_for: datetime, notes: str | None) -> None:
        if self.status not in (ServiceTicketStatus.OPENED, ServiceTicketStatus.DISPATCHED):
            raise IllegalTransition("service ticket", self.status, "dispatch")
        self.technician, self.scheduled_for = technician, scheduled_for
        self.status = ServiceTicketStatus.DISPATCHED
        self.events.append(
            ServiceTicketDispatched(
                ticket_id=self.ticket_id,
                ticket_no=self.ticket_no,
                technician=technician,
                scheduled_for=scheduled_for,
                notes=notes,
            )
        )

    def record_work(self, record: WorkRecord, outcome: ServiceOutcome, by: str) -> None:
        """The technician's record, entered by ``by``; it waits for review before the customer
        sees it."""
        if self.status != ServiceTicketStatus.DISPATCHED:
            raise IllegalTransition("service ticket", self.status, "record work on")
        self.work_record = record.model_dump(mode="json")
        self.outcome, self.status = outcome, ServiceTicketStatus.WORK_RECORDED
        self.recorded_by = by

    def review(self, reviewer: str, approved: bool, notes: str | None, now: datetime) -> None:
        """Approve (close, result to the customer) or send back to the technician. A review
        is a second look: never by the person who entered the record."""
        if (
            self.status != ServiceTicketStatus.WORK_RECORDED
            or self.work_record is None
            or self.outcome is None
        ):
            raise IllegalTransition("service ticket", self.status, "review")
        if reviewer == self.recorded_by:
            raise Forbidden(
                f"{reviewer} entered this work record; another person reviews it"
                " / 处理记录须由录入人以外的人审核"
            )
        self.reviewed_by, self.review_notes = reviewer, notes
        if not approved:
            self.status = ServiceTicketStatus.DISPATCHED
            return
        self.status, self.closed_at = ServiceTicketStatus.CLOSED, now
        self.cancel(self.visit_key)
        self.events.append(
            ServiceTicketClosed(
                ticket_id=self.ticket_id,
                ticket_no=self.ticket_no,
                outcome=self.outcome,
                work_record=WorkRecord.model_validate(self.work_record),
                closed_by=reviewer,
            )
        )


@dataclass
class SparePartOrder(Aggregate):
    """A spare part ordered for a job; its install-by deadline starts when it arrives."""

    part_order_id: UUID
    part_code: str
    quantity: int
    urgency: SparePartUrgency
    ordered_at: datetime
    expected_arrival: date
    install_due_date: date
    ticket_id: UUID | None = None
    ticket_no: str | None = None
    status: str = SparePartStatus.ORDERED
    arrived_at: datetime | None = None
    install_due_at: datetime | None = None
    installed_at: datetime | None = None

    @classmethod
    def order(cls, **fields: Any) -> SparePartOrder:
        part = cls(**fields)
        part.events.append(
            SparePartOrdered(
                part_order_id=part.part_order_id,
                ticket_id=part.ticket_id,
                ticket_no=part.ticket_no,
                part_code=part.part_code,
                quantity=part.quantity,
                urgency=part.urgency,
                install_due_date=part.install_due_date,
            )
        )
        return part

    @property
    def correlation_id(self) -> str:
        return str(self.ticket_id or self.part_order_id)

    @property
    def install_key(self) -> str:
        return f"spare_part:{self.part_order_id}:install"

    def arrive(self, now: datetime, rules: SparePartRules, calendar: BusinessCalendar) -> None:
        """The installation clock starts at arrival: STOCK 1 month, RUSH/VOR 7 days."""
        if self.status != SparePartStatus.ORDERED:
            raise IllegalTransition("spare-part order", self.status, "receive")
        due_at = rules.install_due(self.urgency, now, calendar)
        self.status, self.arrived_at = SparePartStatus.ARRIVED, now
        self.install_due_at, self.install_due_date = due_at, calendar.local_date(due_at)
        breach = ServiceTicketSlaBreached(
            deadline=Deadline.SPARE_PART_INSTALLATION,
            subject_id=self.correlation_id,
            subject_no=self.ticket_no,
            due_at=due_at,
            breached_at=due_at,
            details=f"{self.urgency} part {self.part_code} not installed",
        )
        self.schedule(self.install_key, due_at, breach)

    def install(self, now: datetime) -> None:
        if self.status != SparePartStatus.ARRIVED:
            raise IllegalTransition("spare-part order", self.status, "install")
        self.status, self.installed_at = SparePartStatus.INSTALLED, now
        self.cancel(self.install_key)


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
