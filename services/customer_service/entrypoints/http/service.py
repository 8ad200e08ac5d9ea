"""After-sales service: tickets dispatched to a technician, their work records reviewed before
the customer hears the result, and spare parts with their install-by deadlines."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from contracts.status.customer_service import ServiceTicketStatus
from services.customer_service.app import queries, tickets
from services.customer_service.entrypoints.http.deps import Desk, Reader, ServiceReader, work
from services.customer_service.entrypoints.http.schemas import (
    DispatchIn,
    ReviewIn,
    SparePartIn,
    TicketIn,
    WorkRecordIn,
)
from services.customer_service.entrypoints.http.views import SparePartView, TicketView

router = APIRouter(tags=["after-sales service"])


@router.post("/service-tickets", status_code=201, response_model=TicketView)
async def open_ticket(body: TicketIn, request: Request, actor: Desk) -> TicketView:
    data = body.model_dump(exclude={"site_address"})
    new = tickets.NewTicket(**data, site_address=body.site_address.model_dump())
    async with work(request, actor) as w:
        return TicketView.of(await tickets.open_ticket(w, new))


@router.get("/service-tickets", response_model=list[TicketView])
async def list_tickets(
    request: Request, actor: ServiceReader, status: ServiceTicketStatus | None = None
) -> list[TicketView]:
    """Service tickets, newest first, with their due time (the SLA clock)."""
    async with work(request, actor) as w:
        found = await queries.tickets(w, status.value if status else None)
    return [TicketView.of(t) for t in found]


@router.get("/service-tickets/{ticket_id}", response_model=TicketView)
async def get_ticket(ticket_id: UUID, request: Request, actor: ServiceReader) -> TicketView:
    async with work(request, actor) as w:
        return TicketView.of(await queries.ticket(w, ticket_id))


@router.post("/service-tickets/{ticket_id}/dispatch", response_model=TicketView)
async def dispatch(ticket_id: UUID, body: DispatchIn, request: Request, actor: Desk) -> TicketView:
    async with work(request, actor) as w:
        done = await tickets.dispatch_ticket(
            w, ticket_id, body.technician, body.scheduled_for, body.notes
        )
    return TicketView.of(done)


@router.post("/service-tickets/{ticket_id}/work-record", response_model=TicketView)
async def work_record(
    ticket_id: UUID, body: WorkRecordIn, request: Request, actor: Desk
) -> TicketView:
    """The technician's record, entered by the signed-in person; it waits for review."""
    async with work(request, actor) as w:
        done = await tickets.record_work(w, ticket_id, body.record.contract(), body.outcome)
    return TicketView.of(done)


@router.post("/service-tickets/{ticket_id}/review", response_model=TicketView)
async def review(ticket_id: UUID, body: ReviewIn, request: Request, actor: Desk) -> TicketView:
    """Reviewed by the signed-in person, never the one who entered the record (000 售后订单管理
    制度 三 4); approved, the result goes to the customer and a survey follows."""
    async with work(request, actor) as w:
        return TicketView.of(await tickets.review_ticket(w, ticket_id, body.approved, body.notes))


@router.post("/spare-parts", status_code=201, response_model=SparePartView)
async def order_part(body: SparePartIn, request: Request, actor: Desk) -> SparePartView:
    async with work(request, actor) as w:
        part = await tickets.order_spare_part(
            w, body.part_code, body.quantity, body.urgency, body.expected_arrival, body.ticket_id
        )
    return SparePartView.of(part)


@router.get("/spare-parts/{part_order_id}", response_model=SparePartView)
async def get_part(part_order_id: UUID, request: Request, actor: Reader) -> SparePartView:
    async with work(request, actor) as w:
        return SparePartView.of(await queries.spare_part(w, part_order_id))


@router.post("/spare-parts/{part_order_id}/arrived", response_model=SparePartView)
async def part_arrived(part_order_id: UUID, request: Request, actor: Desk) -> SparePartView:
    """The install-by clock starts now: STOCK 1 month, RUSH and VOR 7 days."""
    async with work(request, actor) as w:
        return SparePartView.of(await tickets.spare_part_arrived(w, part_order_id))


@router.post("/spare-parts/{part_order_id}/installed", response_model=SparePartView)
async def part_installed(part_order_id: UUID, request: Request, actor: Desk) -> SparePartView:
    async with work(request, actor) as w:
        return SparePartView.of(await tickets.spare_part_installed(w, part_order_id))
