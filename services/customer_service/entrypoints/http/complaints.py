"""Complaints: opened by the desk, assigned, investigated, escalated, settled; a settlement that
gives money back beyond the resolving person's limit waits for a second person's approval."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from contracts.enums import ComplaintCategory
from contracts.status.customer_service import ComplaintStatus
from services.customer_service.app import complaints, queries
from services.customer_service.app.complaints import NewComplaint, ReturnDetails
from services.customer_service.app.unit import Work
from services.customer_service.domain.complaints import Complaint, Proposal
from services.customer_service.entrypoints.http.deps import (
    Approver,
    ComplaintReader,
    Desk,
    Intake,
    Investigator,
    Resolver,
    work,
)
from services.customer_service.entrypoints.http.schemas import (
    AssignIn,
    ComplaintIn,
    EscalateIn,
    NoteIn,
    RefuseIn,
    ResolveIn,
)
from services.customer_service.entrypoints.http.views import ComplaintDetail, ComplaintView

router = APIRouter(prefix="/complaints", tags=["complaints"])


async def _detail(w: Work, complaint: Complaint) -> ComplaintDetail:
    notes = await queries.notes(w, complaint.complaint_id)
    return ComplaintDetail.of(complaint, notes=notes)


@router.post("", status_code=201, response_model=ComplaintDetail)
async def open_complaint(body: ComplaintIn, request: Request, actor: Intake) -> ComplaintDetail:
    """Registered and numbered (YYYYMM-Tnnn); both SLA clocks start. The same client reference
    again answers the complaint it opened."""
    data = body.model_dump(exclude={"contact"})
    new = NewComplaint(**data, contact=body.contact.model_dump() if body.contact else None)
    async with work(request, actor) as w:
        return await _detail(w, await complaints.open_complaint(w, new))


@router.get("", response_model=list[ComplaintView])
async def list_complaints(
    request: Request,
    actor: ComplaintReader,
    status: ComplaintStatus | None = None,
    category: ComplaintCategory | None = None,
) -> list[ComplaintView]:
    """Complaints, by status (``awaiting_approval``: allowances waiting for an approver) and
    category."""
    async with work(request, actor) as w:
        found = await queries.complaints(
            w, status.value if status else None, category.value if category else None
        )
    return [ComplaintView.of(c) for c in found]


@router.get("/{complaint_id}", response_model=ComplaintDetail)
async def get_complaint(
    complaint_id: UUID, request: Request, actor: ComplaintReader
) -> ComplaintDetail:
    async with work(request, actor) as w:
        return await _detail(w, await queries.complaint(w, complaint_id))


@router.post("/{complaint_id}/assign", response_model=ComplaintDetail)
async def assign(
    complaint_id: UUID, body: AssignIn, request: Request, actor: Desk
) -> ComplaintDetail:
    """To the department responsible for the category, unless one is named; assigned by the
    signed-in person."""
    async with work(request, actor) as w:
        done = await complaints.assign_complaint(w, complaint_id, body.department, body.assignee)
        return await _detail(w, done)


@router.post("/{complaint_id}/notes", status_code=201, response_model=ComplaintDetail)
async def add_note(
    complaint_id: UUID, body: NoteIn, request: Request, actor: Investigator
) -> ComplaintDetail:
    """A finding or a step taken, by the signed-in person (QC records its findings here)."""
    async with work(request, actor) as w:
        return await _detail(w, await complaints.add_note(w, complaint_id, body.note))


@router.post("/{complaint_id}/escalate", response_model=ComplaintDetail)
async def escalate(
    complaint_id: UUID, body: EscalateIn, request: Request, actor: Desk
) -> ComplaintDetail:
    """A dispute: up one level (the customer-service supervisor, then the vice-president)."""
    async with work(request, actor) as w:
        return await _detail(w, await complaints.escalate_complaint(w, complaint_id, body.reason))


@router.post("/{complaint_id}/resolve", response_model=ComplaintDetail)
async def resolve(
    complaint_id: UUID, body: ResolveIn, request: Request, actor: Resolver
) -> ComplaintDetail:
    """Settled by the signed-in person. A discount beyond their limit is recorded as
    ``awaiting_approval`` and nothing is announced until a person with the authority approves
    it. A return or exchange needs ``return_lines`` and ``pickup_address``."""
    proposal = Proposal(
        body.resolution, body.summary, body.root_cause, body.discount_amount, body.currency
    )
    details = None
    if body.return_lines and body.pickup_address is not None:
        lines = [line.contract() for line in body.return_lines]
        details = ReturnDetails(lines, body.pickup_address.contract())
    async with work(request, actor) as w:
        done = await complaints.resolve_complaint(w, complaint_id, proposal, details)
        return await _detail(w, done)


@router.post("/{complaint_id}/allowance/approve", response_model=ComplaintDetail)
async def approve_allowance(
    complaint_id: UUID, request: Request, actor: Approver
) -> ComplaintDetail:
    """The proposed allowance is granted by the signed-in person, whose limit must cover it and
    who is not the person who proposed it; the complaint is settled now."""
    async with work(request, actor) as w:
        return await _detail(w, await complaints.approve_allowance(w, complaint_id))


@router.post("/{complaint_id}/allowance/refuse", response_model=ComplaintDetail)
async def refuse_allowance(
    complaint_id: UUID, body: RefuseIn, request: Request, actor: Approver
) -> ComplaintDetail:
    """The proposed allowance is not granted: the complaint is back to ``assigned`` for another
    settlement, the refusal in its notes."""
    async with work(request, actor) as w:
        return await _detail(w, await complaints.refuse_allowance(w, complaint_id, body.reason))
