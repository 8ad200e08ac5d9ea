"""After-sales service tickets and spare-part orders."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from contracts.enums import (
    Deadline,
    ServiceOutcome,
    ServiceTicketKind,
    SparePartUrgency,
    SurveyTrigger,
)
from contracts.events import ServiceTicketSlaBreached, SparePartOrdered
from contracts.events.customer_service import WorkRecord
from services.customer_service.adapters.repositories import (
    SparePartRepository,
    TicketRepository,
    next_number,
)
from services.customer_service.app.deps import Deps, NotFound, emit_all
from services.customer_service.app.notify import tell
from services.customer_service.app.surveys import send_survey
from services.customer_service.domain.errors import IllegalTransition
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.tickets import ServiceTicket, format_ticket_no
from shared import timers
from shared.uow import UnitOfWork


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


def _visit_key(ticket_id: UUID) -> str:
    return f"ticket:{ticket_id}:visit"


async def open_ticket(uow: UnitOfWork, deps: Deps, new: NewTicket) -> ServiceTicket:
    async with uow:
        now = uow.clock.now()
        period = deps.period(now)
        seq = await next_number(uow.session, "ticket", period)
        ticket = ServiceTicket.open(
            ticket_id=uuid4(), ticket_no=format_ticket_no(period, seq), opened_at=now, **vars(new)
        )
        await TicketRepository(uow.session).add(ticket)
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
            await timers.schedule(
                uow.session,
                _visit_key(ticket.ticket_id),
                ticket.due_at,
                breach,
                str(ticket.ticket_id),
            )
        await emit_all(uow, ticket.events, str(ticket.ticket_id))
        await uow.commit()
        return ticket


async def _load(repo: TicketRepository, ticket_id: UUID) -> ServiceTicket:
    ticket = await repo.get(ticket_id, for_update=True)
    if ticket is None:
        raise NotFound(f"service ticket {ticket_id}")
    return ticket


async def dispatch_ticket(
    uow: UnitOfWork, ticket_id: UUID, technician: str, scheduled_for: datetime, notes: str | None
) -> ServiceTicket:
    async with uow:
        repo = TicketRepository(uow.session)
        ticket = await _load(repo, ticket_id)
        ticket.dispatch(technician, scheduled_for, notes)
        await repo.save(ticket)
        await emit_all(uow, ticket.events, str(ticket_id))
        await uow.commit()
        return ticket


async def record_work(
    uow: UnitOfWork, ticket_id: UUID, record: WorkRecord, outcome: ServiceOutcome
) -> ServiceTicket:
    async with uow:
        repo = TicketRepository(uow.session)
        ticket = await _load(repo, ticket_id)
        ticket.record_work(record, outcome)
        await repo.save(ticket)
        await uow.commit()
        return ticket


async def review_ticket(
    uow: UnitOfWork, deps: Deps, ticket_id: UUID, reviewer: str, approved: bool, notes: str | None
) -> ServiceTicket:
    """Customer service reviews the work record; only then the result goes to the customer."""
    async with uow:
        repo = TicketRepository(uow.session)
        ticket = await _load(repo, ticket_id)
        now = uow.clock.now()
        ticket.review(reviewer, approved, notes, now)
        await repo.save(ticket)
        if ticket.status == "closed":
            await timers.cancel(uow.session, _visit_key(ticket_id), now)
            subject = str(ticket.order_id or ticket_id)
            await tell(
                uow,
                deps,
                Notice(
                    f"{ticket_id}:service_result",
                    subject,
                    f"service_result:{ticket.ticket_no}",
                    "Service completed",
                    f"Service ticket {ticket.ticket_no} is done: {ticket.outcome}.",
                    ticket.order_no,
                    ticket.customer_id,
                ),
            )
            await send_survey(
                uow,
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
        await emit_all(uow, ticket.events, str(ticket_id))
        await uow.commit()
        return ticket


def _install_key(part_order_id: UUID) -> str:
    return f"spare_part:{part_order_id}:install"


async def order_spare_part(
    uow: UnitOfWork,
    deps: Deps,
    part_code: str,
    quantity: int,
    urgency: SparePartUrgency,
    expected_arrival: date,
    ticket_id: UUID | None,
) -> dict[str, Any]:
    """The urgency class goes with the order; the install-by day assumes the expected arrival."""
    async with uow:
        ticket_no = None
        if ticket_id is not None:
            ticket = await TicketRepository(uow.session).get(ticket_id)
            if ticket is None:
                raise NotFound(f"service ticket {ticket_id}")
            ticket_no = ticket.ticket_no
        part_order_id = uuid4()
        due = deps.spare_part_rules.install_due_date(urgency, expected_arrival, deps.calendar)
        values = {
            "part_order_id": part_order_id,
            "ticket_id": ticket_id,
            "ticket_no": ticket_no,
            "part_code": part_code,
            "quantity": quantity,
            "urgency": urgency,
            "status": "ordered",
            "ordered_at": uow.clock.now(),
            "expected_arrival": expected_arrival,
            "install_due_date": due,
        }
        await SparePartRepository(uow.session).add(**values)
        await uow.emit(
            SparePartOrdered(
                part_order_id=part_order_id,
                ticket_id=ticket_id,
                ticket_no=ticket_no,
                part_code=part_code,
                quantity=quantity,
                urgency=urgency,
                install_due_date=due,
            ),
            correlation_id=str(ticket_id or part_order_id),
        )
        await uow.commit()
        return values


async def spare_part_arrived(uow: UnitOfWork, deps: Deps, part_order_id: UUID) -> dict[str, Any]:
    """The installation clock starts at arrival: STOCK 1 month, RUSH/VOR 7 days."""
    async with uow:
        repo = SparePartRepository(uow.session)
        part = await repo.get(part_order_id, for_update=True)
        if part is None:
            raise NotFound(f"spare-part order {part_order_id}")
        if part["status"] != "ordered":
            raise IllegalTransition("spare-part order", part["status"], "receive")
        now = uow.clock.now()
        due_at = deps.spare_part_rules.install_due(part["urgency"], now, deps.calendar)
        await repo.update(
            part_order_id,
            status="arrived",
            arrived_at=now,
            install_due_at=due_at,
            install_due_date=deps.calendar.local_date(due_at),
        )
        breach = ServiceTicketSlaBreached(
            deadline=Deadline.SPARE_PART_INSTALLATION,
            subject_id=str(part["ticket_id"] or part_order_id),
            subject_no=part["ticket_no"],
            due_at=due_at,
            breached_at=due_at,
            details=f"{part['urgency']} part {part['part_code']} not installed",
        )
        await timers.schedule(
            uow.session,
            _install_key(part_order_id),
            due_at,
            breach,
            str(part["ticket_id"] or part_order_id),
        )
        await uow.commit()
        return {
            **part,
            "status": "arrived",
            "arrived_at": now,
            "install_due_at": due_at,
            "install_due_date": deps.calendar.local_date(due_at),
        }


async def spare_part_installed(uow: UnitOfWork, part_order_id: UUID) -> dict[str, Any]:
    async with uow:
        repo = SparePartRepository(uow.session)
        part = await repo.get(part_order_id, for_update=True)
        if part is None:
            raise NotFound(f"spare-part order {part_order_id}")
        if part["status"] != "arrived":
            raise IllegalTransition("spare-part order", part["status"], "install")
        now = uow.clock.now()
        await repo.update(part_order_id, status="installed", installed_at=now)
        await timers.cancel(uow.session, _install_key(part_order_id), now)
        await uow.commit()
        return {**part, "status": "installed", "installed_at": now}
