"""Complaint use cases: open, assign, note, escalate, resolve, approve or refuse an allowance.

Who acts is the unit of work's actor (the signed-in person, or the sending system), and when is
the server's time; nobody names themselves in a request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID, uuid4

from contracts.common import Address, LineQuantity
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    Severity,
    SurveyTrigger,
)
from contracts.events import ComplaintSlaBreached, ReturnAuthorized
from contracts.status.customer_service import ComplaintStatus
from services.customer_service.app.surveys import send_survey
from services.customer_service.app.unit import Work
from services.customer_service.domain.complaints import (
    Complaint,
    Proposal,
    format_complaint_no,
)
from shared.errors import Invalid, NotFound


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


async def open_complaint(work: Work, new: NewComplaint) -> Complaint:
    """Number it (YYYYMM-Tnnn), start both SLA clocks; one complaint per client reference."""
    if new.client_reference is not None:
        existing = await work.complaints.by_client_reference(new.client_reference)
        if existing is not None:
            work.about(existing.complaint_id)
            return existing
    period = work.policy.period(work.now)
    seq = await work.numbers.next("complaint", period)
    complaint = Complaint.open(
        complaint_id=uuid4(),
        complaint_no=format_complaint_no(period, seq),
        opened_at=work.now,
        rules=work.policy.complaints,
        calendar=work.calendar,
        **vars(new),
    )
    work.about(complaint.complaint_id)
    await work.complaints.add(complaint)
    await work.collect(complaint)
    return complaint


async def load(work: Work, complaint_id: UUID) -> Complaint:
    """The complaint, locked for the change this unit makes."""
    complaint = await work.complaints.get(complaint_id, for_update=True)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    work.about(complaint_id)
    return complaint


async def save(work: Work, complaint: Complaint) -> Complaint:
    await work.complaints.save(complaint)
    await work.collect(complaint)
    return complaint


async def assign_complaint(
    work: Work, complaint_id: UUID, department: ResponsibleDepartment | None, assignee: str | None
) -> Complaint:
    complaint = await load(work, complaint_id)
    complaint.assign(work.now, department, assignee, work.actor.name)
    return await save(work, complaint)


async def add_note(work: Work, complaint_id: UUID, note: str) -> Complaint:
    """A finding or a step taken, written by the signed-in person (QC's findings on a quality
    complaint among them)."""
    complaint = await load(work, complaint_id)
    await work.complaints.add_note(complaint_id, work.actor.name, note, work.now)
    return complaint


async def escalate_complaint(work: Work, complaint_id: UUID, reason: str) -> Complaint:
    """On dispute (departments disagree on the settlement, or the customer contests)."""
    complaint = await load(work, complaint_id)
    complaint.escalate(reason, list(work.policy.escalation_chain))
    return await save(work, complaint)


async def on_breach(work: Work, breach: ComplaintSlaBreached) -> None:
    """A missed complaint deadline goes to a manager (unless it was settled meanwhile)."""
    complaint = await work.complaints.get(UUID(breach.subject_id), for_update=True)
    if complaint is None or complaint.status == ComplaintStatus.RESOLVED:
        return
    complaint.escalate(f"{breach.deadline} deadline missed", list(work.policy.escalation_chain))
    await save(work, complaint)


async def resolve_complaint(
    work: Work,
    complaint_id: UUID,
    proposal: Proposal,
    return_details: ReturnDetails | None = None,
) -> Complaint:
    """Settle it as the signed-in person; a discount beyond their limit waits for approval.
    A return or exchange authorises a pickup; a survey follows the settlement."""
    complaint = await load(work, complaint_id)
    was = complaint.status
    complaint.resolve(work.now, proposal, work.actor.name, work.actor.roles, work.policy.allowances)
    if complaint.needs_return and return_details is None:
        # Checked after resolve() so an illegal transition reports the status first.
        raise Invalid("return_lines", "a return or exchange needs return_lines and pickup_address")
    await save(work, complaint)
    if was == ComplaintStatus.ASSIGNED and complaint.status == ComplaintStatus.RESOLVED:
        await _after_settlement(work, complaint, return_details)
    return complaint


async def approve_allowance(work: Work, complaint_id: UUID) -> Complaint:
    """A second person with the authority grants the proposed allowance; the complaint is
    settled and sales turns the discount into a credit note."""
    complaint = await load(work, complaint_id)
    was = complaint.status
    complaint.approve_allowance(work.now, work.actor.name, work.actor.roles, work.policy.allowances)
    await save(work, complaint)
    if was == ComplaintStatus.AWAITING_APPROVAL:
        await _after_settlement(work, complaint, None)
    return complaint


async def refuse_allowance(work: Work, complaint_id: UUID, reason: str) -> Complaint:
    """The allowance is not granted; the complaint waits for another settlement, with the
    refusal in its notes."""
    complaint = await load(work, complaint_id)
    note = complaint.refuse_allowance(reason)
    await work.complaints.add_note(complaint_id, work.actor.name, note, work.now)
    return await save(work, complaint)


async def _after_settlement(
    work: Work, complaint: Complaint, return_details: ReturnDetails | None
) -> None:
    if complaint.needs_return and return_details is not None:
        await _authorize_return(work, complaint, return_details)
    await send_survey(
        work,
        SurveyTrigger.COMPLAINT_RESOLUTION,
        str(complaint.complaint_id),
        complaint.customer_id,
        str(complaint.complaint_id),
        order_id=complaint.order_id,
        order_no=complaint.order_no,
        complaint_id=complaint.complaint_id,
        complaint_no=complaint.complaint_no,
    )


async def _authorize_return(work: Work, complaint: Complaint, details: ReturnDetails) -> None:
    return_id = uuid4()
    rma_no = f"RMA-{complaint.complaint_no}"
    exchange = complaint.resolution == Resolution.EXCHANGE
    await work.returns.add(
        return_id=return_id,
        rma_no=rma_no,
        complaint_id=complaint.complaint_id,
        complaint_no=complaint.complaint_no,
        order_id=complaint.order_id,
        order_no=complaint.order_no,
        exchange=exchange,
        lines=[line.model_dump(mode="json") for line in details.lines],
        status="authorized",
        authorized_at=work.now,
    )
    await work.uow.emit(
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
