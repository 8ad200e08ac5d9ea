"""Complaint use cases: open, assign, note, escalate, resolve; SLA timers kept alongside."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from contracts.common import Address, LineQuantity
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Deadline,
    Resolution,
    ResponsibleDepartment,
    Severity,
    SurveyTrigger,
)
from contracts.events import ComplaintSlaBreached, ReturnAuthorized
from services.customer_service.adapters.repositories import (
    ComplaintRepository,
    ReturnRepository,
    next_number,
)
from services.customer_service.app.deps import Deps, NotFound, emit_all
from services.customer_service.app.surveys import send_survey
from services.customer_service.domain.complaints import Complaint, format_complaint_no
from shared import timers
from shared.uow import UnitOfWork


@dataclass
class NewComplaint:
    customer_id: str
    channel: Channel
    category: ComplaintCategory
    description: str
    severity: Severity = Severity.MEDIUM
    order_id: UUID | None = None
    order_no: str | None = None
    shipment_id: UUID | None = None
    tracking_no: str | None = None
    line_nos: list[int] = field(default_factory=list)
    expected_outcome: Resolution | None = None
    domestic: bool = True
    contact: dict[str, Any] | None = None
    client_reference: str | None = None


@dataclass
class ReturnDetails:
    lines: list[LineQuantity]
    pickup_address: Address
    reason: str | None = None


def _timer_key(complaint_id: UUID, deadline: Deadline) -> str:
    return f"complaint:{complaint_id}:{deadline}"


def _breach(c: Complaint, deadline: Deadline) -> ComplaintSlaBreached:
    due = c.assignment_due_at if deadline == Deadline.COMPLAINT_ASSIGNMENT else c.resolution_due_at
    return ComplaintSlaBreached(
        deadline=deadline,
        subject_id=str(c.complaint_id),
        subject_no=c.complaint_no,
        order_id=c.order_id,
        due_at=due,
        breached_at=due,
        details="not assigned" if deadline == Deadline.COMPLAINT_ASSIGNMENT else "not resolved",
    )


async def open_complaint(uow: UnitOfWork, deps: Deps, new: NewComplaint) -> Complaint:
    async with uow:
        complaint = await open_complaint_in(uow, deps, new)
        await uow.commit()
        return complaint


async def open_complaint_in(uow: UnitOfWork, deps: Deps, new: NewComplaint) -> Complaint:
    """Number it (YYYYMM-Tnnn), start both SLA clocks; one complaint per client reference."""
    repo = ComplaintRepository(uow.session)
    if new.client_reference is not None:
        existing = await repo.by_client_reference(new.client_reference)
        if existing is not None:
            return existing
    now = uow.clock.now()
    period = deps.period(now)
    seq = await next_number(uow.session, "complaint", period)
    complaint = Complaint.open(
        complaint_id=uuid4(),
        complaint_no=format_complaint_no(period, seq),
        opened_at=now,
        rules=deps.complaint_rules,
        calendar=deps.calendar,
        **vars(new),
    )
    await repo.add(complaint)
    for deadline in (Deadline.COMPLAINT_ASSIGNMENT, Deadline.COMPLAINT_RESOLUTION):
        breach = _breach(complaint, deadline)
        await timers.schedule(
            uow.session,
            _timer_key(complaint.complaint_id, deadline),
            breach.due_at,
            breach,
            str(complaint.complaint_id),
        )
    await emit_all(uow, complaint.events, str(complaint.complaint_id))
    return complaint


async def _load(repo: ComplaintRepository, complaint_id: UUID) -> Complaint:
    complaint = await repo.get(complaint_id, for_update=True)
    if complaint is None:
        raise NotFound(f"complaint {complaint_id}")
    return complaint


async def assign_complaint(
    uow: UnitOfWork,
    complaint_id: UUID,
    department: ResponsibleDepartment | None,
    assignee: str | None,
) -> Complaint:
    async with uow:
        repo = ComplaintRepository(uow.session)
        complaint = await _load(repo, complaint_id)
        complaint.assign(uow.clock.now(), department, assignee)
        await timers.cancel(
            uow.session, _timer_key(complaint_id, Deadline.COMPLAINT_ASSIGNMENT), uow.clock.now()
        )
        await repo.save(complaint)
        await emit_all(uow, complaint.events, str(complaint_id))
        await uow.commit()
        return complaint


async def add_note(uow: UnitOfWork, complaint_id: UUID, author: str, note: str) -> None:
    async with uow:
        repo = ComplaintRepository(uow.session)
        await _load(repo, complaint_id)
        await repo.add_note(complaint_id, author, note, uow.clock.now())
        await uow.commit()


async def escalate_complaint(
    uow: UnitOfWork, deps: Deps, complaint_id: UUID, reason: str
) -> Complaint:
    """On dispute (departments disagree on the settlement, or the customer contests)."""
    async with uow:
        complaint = await escalate_in(uow, deps, complaint_id, reason)
        await uow.commit()
        return complaint


async def escalate_in(uow: UnitOfWork, deps: Deps, complaint_id: UUID, reason: str) -> Complaint:
    repo = ComplaintRepository(uow.session)
    complaint = await _load(repo, complaint_id)
    complaint.escalate(reason, deps.settings.escalation_chain)
    await repo.save(complaint)
    await emit_all(uow, complaint.events, str(complaint_id))
    return complaint


async def on_breach(uow: UnitOfWork, deps: Deps, breach: ComplaintSlaBreached) -> None:
    """A missed complaint deadline goes to a manager (unless it was settled meanwhile)."""
    repo = ComplaintRepository(uow.session)
    complaint = await repo.get(UUID(breach.subject_id), for_update=True)
    if complaint is None or complaint.status == "resolved":
        return
    await escalate_in(uow, deps, complaint.complaint_id, f"{breach.deadline} deadline missed")


async def resolve_complaint(
    uow: UnitOfWork,
    deps: Deps,
    complaint_id: UUID,
    resolution: Resolution,
    summary: str,
    root_cause: str | None = None,
    discount_amount: Decimal | None = None,
    currency: str | None = None,
    return_details: ReturnDetails | None = None,
) -> Complaint:
    """Settle it; a return or exchange authorises a pickup; a survey follows."""
    async with uow:
        repo = ComplaintRepository(uow.session)
        complaint = await _load(repo, complaint_id)
        now = uow.clock.now()
        complaint.resolve(now, resolution, summary, root_cause, discount_amount, currency)
        if complaint.needs_return and return_details is None:
            # Checked after resolve() so an illegal transition reports the status first.
            raise ValueError("return_details (lines, pickup_address) are required")
        await timers.cancel(
            uow.session, _timer_key(complaint_id, Deadline.COMPLAINT_RESOLUTION), now
        )
        await repo.save(complaint)
        await emit_all(uow, complaint.events, str(complaint_id))
        if complaint.needs_return and return_details is not None:
            await _authorize_return(uow, complaint, return_details)
        await send_survey(
            uow,
            SurveyTrigger.COMPLAINT_RESOLUTION,
            str(complaint_id),
            complaint.customer_id,
            str(complaint_id),
            order_id=complaint.order_id,
            order_no=complaint.order_no,
            complaint_id=complaint_id,
            complaint_no=complaint.complaint_no,
        )
        await uow.commit()
        return complaint


async def _authorize_return(uow: UnitOfWork, complaint: Complaint, details: ReturnDetails) -> None:
    return_id = uuid4()
    rma_no = f"RMA-{complaint.complaint_no}"
    exchange = complaint.resolution == Resolution.EXCHANGE
    await ReturnRepository(uow.session).add(
        return_id=return_id,
        rma_no=rma_no,
        complaint_id=complaint.complaint_id,
        complaint_no=complaint.complaint_no,
        order_id=complaint.order_id,
        order_no=complaint.order_no,
        exchange=exchange,
        lines=[line.model_dump(mode="json") for line in details.lines],
        status="authorized",
        authorized_at=uow.clock.now(),
    )
    await uow.emit(
        ReturnAuthorized(
            return_id=return_id,
            rma_no=rma_no,
            complaint_id=complaint.complaint_id,
            complaint_no=complaint.complaint_no,
            order_id=complaint.order_id,
            order_no=complaint.order_no,
            lines=details.lines,
            pickup_address=details.pickup_address,
            exchange=exchange,
            reason=details.reason or complaint.summary or complaint.description,
        ),
        correlation_id=str(complaint.complaint_id),
    )
