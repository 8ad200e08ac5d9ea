"""After-sales service tickets and spare-part orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from contracts.enums import ServiceOutcome, ServiceTicketKind, SparePartUrgency, SurveyTrigger
from contracts.events.customer_service import WorkRecord
from contracts.status.customer_service import ServiceTicketStatus
from services.customer_service.app.notify import tell
from services.customer_service.app.surveys import send_survey
from services.customer_service.app.unit import Work
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.tickets import (
    ServiceTicket,
    SparePartOrder,
    format_ticket_no,
)
from shared.errors import NotFound


@dataclass
class NewTicket:
    kind: ServiceTicketKind
    customer_id: str
    product_code: str
    site_address: dict[str, Any]
    description: str
    complaint_id: UUID | None = None
    complaint_no: str | None = None
    order_id: UUID | None = None
    order_no: str | None = None
    serial_no: str | None = None
    due_at: datetime | None = None


async def open_ticket(work: Work, new: NewTicket) -> ServiceTicket:
    period = work.policy.period(work.now)
    seq = await work.numbers.next("ticket", period)
    ticket = ServiceTicket.open(
        ticket_id=uuid4(), ticket_no=format_ticket_no(period, seq), opened_at=work.now, **vars(new)
    )
    work.about(ticket.ticket_id)
    await work.tickets.add(ticket)
    await work.collect(ticket)
    return ticket


async def _load(work: Work, ticket_id: UUID) -> ServiceTicket:
    ticket = await work.tickets.get(ticket_id, for_update=True)
    if ticket is None:
        raise NotFound("service ticket", ticket_id)
    work.about(ticket_id)
    return ticket


async def _save(work: Work, ticket: ServiceTicket) -> ServiceTicket:
    await work.tickets.save(ticket)
    await work.collect(ticket)
    return ticket


async def dispatch_ticket(
    work: Work, ticket_id: UUID, technician: str, scheduled_for: datetime, notes: str | None
) -> ServiceTicket:
    ticket = await _load(work, ticket_id)
    ticket.dispatch(technician, scheduled_for, notes)
    return await _save(work, ticket)


async def record_work(
    work: Work, ticket_id: UUID, record: WorkRecord, outcome: ServiceOutcome
) -> ServiceTicket:
    """The technician's record, entered by the signed-in person."""
    ticket = await _load(work, ticket_id)
    ticket.record_work(record, outcome, work.actor.name)
    return await _save(work, ticket)


async def review_ticket(
    work: Work, ticket_id: UUID, approved: bool, notes: str | None
) -> ServiceTicket:
    """Customer service reviews the work record (the signed-in person, not the one who entered
    it); only then the result goes to the customer, and a survey follows."""
    ticket = await _load(work, ticket_id)
    ticket.review(work.actor.name, approved, notes, work.now)
    await _save(work, ticket)
    if ticket.status == ServiceTicketStatus.CLOSED:
        await tell(
            work,
            Notice(
                f"{ticket_id}:service_result",
                str(ticket.order_id or ticket_id),
                f"service_result:{ticket.ticket_no}",
                "Service completed",
                f"Service ticket {ticket.ticket_no} is done: {ticket.outcome}.",
                ticket.order_no,
                ticket.customer_id,
            ),
        )
        await send_survey(
            work,
            SurveyTrigger.SERVICE_TICKET,
            str(ticket_id),
            ticket.customer_id,
            str(ticket_id),
            order_id=ticket.order_id,
            order_no=ticket.order_no,
            complaint_id=ticket.complaint_id,
            complaint_no=ticket.complaint_no,
            ticket_id=ticket_id,
        )
    return ticket


async def order_spare_part(
    work: Work,
    part_code: str,
    quantity: int,
    urgency: SparePartUrgency,
    expected_arrival: date,
    ticket_id: UUID | None,
) -> SparePartOrder:
    """The urgency class goes with the order; the install-by day assumes the expected arrival."""
    ticket_no = None
    if ticket_id is not None:
        ticket = await work.tickets.get(ticket_id)
        if ticket is None:
            raise NotFound("service ticket", ticket_id)
        ticket_no = ticket.ticket_no
    rules, calendar = work.policy.spare_parts, work.calendar
    part = SparePartOrder.order(
        part_order_id=uuid4(),
        ticket_id=ticket_id,
        ticket_no=ticket_no,
        part_code=part_code,
        quantity=quantity,
        urgency=urgency,
        ordered_at=work.now,
        expected_arrival=expected_arrival,
        install_due_date=rules.install_due_date(urgency, expected_arrival, calendar),
    )
    work.about(part.correlation_id)
    await work.spare_parts.add(part)
    await work.collect(part)
    return part


async def _part(work: Work, part_order_id: UUID) -> SparePartOrder:
    part = await work.spare_parts.get(part_order_id, for_update=True)
    if part is None:
        raise NotFound("spare-part order", part_order_id)
    work.about(part.correlation_id)
    return part


async def spare_part_arrived(work: Work, part_order_id: UUID) -> SparePartOrder:
    """The installation clock starts at arrival: STOCK 1 month, RUSH/VOR 7 days."""
    part = await _part(work, part_order_id)
    part.arrive(work.now, work.policy.spare_parts, work.calendar)
    await work.spare_parts.save(part)
    await work.collect(part)
    return part


async def spare_part_installed(work: Work, part_order_id: UUID) -> SparePartOrder:
    part = await _part(work, part_order_id)
    part.install(work.now)
    await work.spare_parts.save(part)
    await work.collect(part)
    return part
