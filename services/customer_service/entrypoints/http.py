"""HTTP API: tracking, complaints, remedy plans, returns, tickets, spare parts, surveys, KPIs."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import AwareDatetime, BaseModel, Field

from contracts.common import Address, Contact, LineQuantity
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    ServiceOutcome,
    ServiceTicketKind,
    Severity,
    SparePartUrgency,
)
from contracts.events.customer_service import WorkRecord
from services.customer_service.app import complaints, delays, kpis, queries, surveys, tickets
from services.customer_service.app.complaints import NewComplaint, ReturnDetails
from services.customer_service.app.deps import Deps, NotFound
from services.customer_service.app.timeline import rebuild
from services.customer_service.domain.errors import IllegalTransition
from shared.runtime import ServiceRuntime

T = TypeVar("T")


def _runtime(request: Request) -> ServiceRuntime:
    return request.app.state.runtime


def _deps(request: Request) -> Deps:
    return request.app.state.runtime.deps


async def _call(awaitable: Awaitable[T]) -> T:
    """Domain errors to HTTP: unknown 404, illegal transition 409 with the status, bad 422."""
    try:
        return await awaitable
    except NotFound as exc:
        raise HTTPException(404, detail=f"not found: {exc}") from exc
    except IllegalTransition as exc:
        raise HTTPException(
            409, detail={"error": str(exc), "status": exc.status, "action": exc.action}
        ) from exc
    except ValueError as exc:
        raise HTTPException(422, detail=str(exc)) from exc


# --- tracking -------------------------------------------------------------------------------

tracking = APIRouter(tags=["tracking"])


@tracking.get("/orders/{order_no}/timeline")
async def order_timeline(order_no: str, request: Request) -> dict[str, Any]:
    """Current stage, promised vs expected date and full history of one order."""
    return await _call(queries.timeline_by_order_no(_runtime(request).new_uow(), order_no))


@tracking.get("/timelines/{key}")
async def timeline(key: str, request: Request) -> dict[str, Any]:
    """A timeline by correlation id (order id or complaint id)."""
    return await _call(queries.timeline_by_key(_runtime(request).new_uow(), key))


@tracking.get("/orders")
async def search_orders(
    request: Request,
    customer_id: str | None = None,
    stage: str | None = None,
    late_or_at_risk: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    """Orders by customer, by stage, or those late or at risk."""
    runtime = _runtime(request)
    return await queries.search_orders(
        runtime.new_uow(), _deps(request), customer_id, stage, late_or_at_risk, limit
    )


@tracking.post("/timelines/rebuild")
async def rebuild_timelines(request: Request) -> dict[str, Any]:
    """Fold every stored event again from scratch; says whether the result is identical."""
    runtime = _runtime(request)
    uow = runtime.new_uow()
    async with uow:
        result = await rebuild(uow, _deps(request).calendar)
        await uow.commit()
    return result


@tracking.get("/notices")
async def list_notices(request: Request, subject_id: str | None = None) -> list[dict[str, Any]]:
    return await queries.notices(_runtime(request).new_uow(), subject_id)


# --- complaints -----------------------------------------------------------------------------

complaint_router = APIRouter(prefix="/complaints", tags=["complaints"])


class ComplaintIn(BaseModel):
    customer_id: str = Field(min_length=1)
    channel: Channel
    category: ComplaintCategory
    description: str = Field(min_length=1)
    severity: Severity = Severity.MEDIUM
    contact: Contact | None = None
    order_id: UUID | None = None
    order_no: str | None = Field(default=None, pattern=r"^\d{6}-\d{3,}$")
    shipment_id: UUID | None = None
    tracking_no: str | None = None
    line_nos: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    expected_outcome: Resolution | None = None
    domestic: bool = True
    client_reference: str | None = None


class AssignIn(BaseModel):
    department: ResponsibleDepartment | None = None
    assignee: str | None = None


class NoteIn(BaseModel):
    author: str = Field(min_length=1)
    note: str = Field(min_length=1)


class EscalateIn(BaseModel):
    reason: str = Field(min_length=1)


class ResolveIn(BaseModel):
    resolution: Resolution
    summary: str = Field(min_length=1)
    root_cause: str | None = None
    discount_amount: Decimal | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    return_lines: list[LineQuantity] = Field(default_factory=list)
    pickup_address: Address | None = None


@complaint_router.post("", status_code=201)
async def open_complaint(body: ComplaintIn, request: Request) -> dict[str, Any]:
    data = body.model_dump()
    data["contact"] = body.contact.model_dump(mode="json") if body.contact else None
    new = NewComplaint(**data)
    complaint = await _call(
        complaints.open_complaint(_runtime(request).new_uow(), _deps(request), new)
    )
    return await queries.complaint(_runtime(request).new_uow(), complaint.complaint_id)


@complaint_router.get("")
async def list_complaints(
    request: Request, status: str | None = None, category: ComplaintCategory | None = None
) -> list[Any]:
    return await queries.complaints(_runtime(request).new_uow(), status, category)


@complaint_router.get("/{complaint_id}")
async def get_complaint(complaint_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.complaint(_runtime(request).new_uow(), complaint_id))


@complaint_router.post("/{complaint_id}/assign")
async def assign(complaint_id: UUID, body: AssignIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(complaints.assign_complaint(uow, complaint_id, body.department, body.assignee))
    return await queries.complaint(_runtime(request).new_uow(), complaint_id)


@complaint_router.post("/{complaint_id}/notes", status_code=201)
async def add_note(complaint_id: UUID, body: NoteIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(complaints.add_note(uow, complaint_id, body.author, body.note))
    return await queries.complaint(_runtime(request).new_uow(), complaint_id)


@complaint_router.post("/{complaint_id}/escalate")
async def escalate(complaint_id: UUID, body: EscalateIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(complaints.escalate_complaint(uow, _deps(request), complaint_id, body.reason))
    return await queries.complaint(_runtime(request).new_uow(), complaint_id)


@complaint_router.post("/{complaint_id}/resolve")
async def resolve(complaint_id: UUID, body: ResolveIn, request: Request) -> dict[str, Any]:
    details = None
    if body.return_lines and body.pickup_address is not None:
        details = ReturnDetails(body.return_lines, body.pickup_address)
    uow = _runtime(request).new_uow()
    await _call(
        complaints.resolve_complaint(
            uow,
            _deps(request),
            complaint_id,
            body.resolution,
            body.summary,
            body.root_cause,
            body.discount_amount,
            body.currency,
            details,
        )
    )
    return await queries.complaint(_runtime(request).new_uow(), complaint_id)


# --- delays, returns ------------------------------------------------------------------------

remedy_router = APIRouter(prefix="/remedy-plans", tags=["delays"])


class ProposeIn(BaseModel):
    remedy: str = Field(min_length=1)
    filled_by: str = Field(min_length=1)


class ConsentIn(BaseModel):
    consented: bool
    by: str = Field(min_length=1)


@remedy_router.get("")
async def list_plans(
    request: Request, order_id: UUID | None = None, status: str | None = None
) -> list[Any]:
    return await queries.remedy_plans(_runtime(request).new_uow(), order_id, status)


@remedy_router.get("/{plan_id}")
async def get_plan(plan_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.remedy_plan(_runtime(request).new_uow(), plan_id))


@remedy_router.post("/{plan_id}/plan")
async def propose(plan_id: UUID, body: ProposeIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(delays.propose_remedy(uow, plan_id, body.remedy, body.filled_by))
    return await queries.remedy_plan(_runtime(request).new_uow(), plan_id)


@remedy_router.post("/{plan_id}/consent")
async def consent(plan_id: UUID, body: ConsentIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(delays.record_consent(uow, plan_id, body.consented, body.by))
    return await queries.remedy_plan(_runtime(request).new_uow(), plan_id)


returns_router = APIRouter(prefix="/returns", tags=["returns"])


@returns_router.get("")
async def list_returns(request: Request, status: str | None = None) -> list[dict[str, Any]]:
    return await queries.returns(_runtime(request).new_uow(), status)


@returns_router.get("/{return_id}")
async def get_return(return_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.return_case(_runtime(request).new_uow(), return_id))


# --- after-sales service --------------------------------------------------------------------

service_router = APIRouter(tags=["after-sales"])


class TicketIn(BaseModel):
    kind: ServiceTicketKind
    customer_id: str = Field(min_length=1)
    product_code: str = Field(min_length=1)
    site_address: Address
    description: str = Field(min_length=1)
    complaint_id: UUID | None = None
    complaint_no: str | None = Field(default=None, pattern=r"^\d{6}-T\d{3,}$")
    order_id: UUID | None = None
    order_no: str | None = Field(default=None, pattern=r"^\d{6}-\d{3,}$")
    serial_no: str | None = None
    due_at: AwareDatetime | None = None


class DispatchIn(BaseModel):
    technician: str = Field(min_length=1)
    scheduled_for: AwareDatetime
    notes: str | None = None


class WorkRecordIn(BaseModel):
    outcome: ServiceOutcome
    record: WorkRecord


class ReviewIn(BaseModel):
    reviewer: str = Field(min_length=1)
    approved: bool
    notes: str | None = None


class SparePartIn(BaseModel):
    part_code: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    urgency: SparePartUrgency
    expected_arrival: date
    ticket_id: UUID | None = None


@service_router.post("/service-tickets", status_code=201)
async def open_ticket(body: TicketIn, request: Request) -> dict[str, Any]:
    data = body.model_dump()
    data["site_address"] = body.site_address.model_dump(mode="json")
    uow = _runtime(request).new_uow()
    ticket = await _call(tickets.open_ticket(uow, _deps(request), tickets.NewTicket(**data)))
    return await queries.ticket(_runtime(request).new_uow(), ticket.ticket_id)


@service_router.get("/service-tickets")
async def list_tickets(request: Request, status: str | None = None) -> list[dict[str, Any]]:
    """Service tickets, newest first, with their due time (the SLA clock)."""
    return await queries.tickets(_runtime(request).new_uow(), status)


@service_router.get("/service-tickets/{ticket_id}")
async def get_ticket(ticket_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.ticket(_runtime(request).new_uow(), ticket_id))


@service_router.post("/service-tickets/{ticket_id}/dispatch")
async def dispatch(ticket_id: UUID, body: DispatchIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(
        tickets.dispatch_ticket(uow, ticket_id, body.technician, body.scheduled_for, body.notes)
    )
    return await queries.ticket(_runtime(request).new_uow(), ticket_id)


@service_router.post("/service-tickets/{ticket_id}/work-record")
async def work_record(ticket_id: UUID, body: WorkRecordIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(tickets.record_work(uow, ticket_id, body.record, body.outcome))
    return await queries.ticket(_runtime(request).new_uow(), ticket_id)


@service_router.post("/service-tickets/{ticket_id}/review")
async def review(ticket_id: UUID, body: ReviewIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(
        tickets.review_ticket(
            uow, _deps(request), ticket_id, body.reviewer, body.approved, body.notes
        )
    )
    return await queries.ticket(_runtime(request).new_uow(), ticket_id)


@service_router.post("/spare-parts", status_code=201)
async def order_part(body: SparePartIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    return await _call(
        tickets.order_spare_part(
            uow,
            _deps(request),
            body.part_code,
            body.quantity,
            body.urgency,
            body.expected_arrival,
            body.ticket_id,
        )
    )


@service_router.get("/spare-parts/{part_order_id}")
async def get_part(part_order_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.spare_part(_runtime(request).new_uow(), part_order_id))


@service_router.post("/spare-parts/{part_order_id}/arrived")
async def part_arrived(part_order_id: UUID, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    return await _call(tickets.spare_part_arrived(uow, _deps(request), part_order_id))


@service_router.post("/spare-parts/{part_order_id}/installed")
async def part_installed(part_order_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(tickets.spare_part_installed(_runtime(request).new_uow(), part_order_id))


# --- surveys and KPIs -----------------------------------------------------------------------

survey_router = APIRouter(prefix="/surveys", tags=["surveys"])


class AnswerIn(BaseModel):
    score: int = Field(ge=1, le=5)
    recommend_score: int | None = Field(default=None, ge=0, le=10)
    comment: str | None = None


@survey_router.get("/{survey_id}")
async def get_survey(survey_id: UUID, request: Request) -> dict[str, Any]:
    return await _call(queries.survey(_runtime(request).new_uow(), survey_id))


@survey_router.get("")
async def find_survey(
    request: Request,
    trigger: Literal["delivery", "complaint_resolution", "service_ticket"],
    subject: str,
) -> dict[str, Any]:
    """The survey that followed a delivery (order id), resolution (complaint id) or ticket."""
    return await _call(queries.surveys_for(_runtime(request).new_uow(), trigger, subject))


@survey_router.post("/{survey_id}/answer")
async def answer(survey_id: UUID, body: AnswerIn, request: Request) -> dict[str, Any]:
    uow = _runtime(request).new_uow()
    await _call(
        surveys.answer_survey(uow, survey_id, body.score, body.recommend_score, body.comment)
    )
    return await queries.survey(_runtime(request).new_uow(), survey_id)


kpi_router = APIRouter(tags=["kpis"])


@kpi_router.get("/kpis")
async def get_kpis(
    request: Request, period: Annotated[str, Query(pattern=r"^\d{4}-(\d{2}|Q[1-4])$")]
) -> dict[str, Any]:
    """On-time rate, cycle times, review time, complaint SLAs, satisfaction for a period."""
    return await _call(kpis.kpis(_runtime(request).new_uow(), _deps(request), period))


@kpi_router.get("/reports/after-sales", response_model=None)
async def after_sales(
    request: Request,
    quarter: Annotated[str, Query(pattern=r"^\d{4}-Q[1-4]$")],
    format: Literal["json", "csv"] = "json",
) -> dict[str, Any] | Response:
    summary = await _call(
        kpis.after_sales_summary(_runtime(request).new_uow(), _deps(request), quarter)
    )
    if format == "csv":
        return Response(kpis.to_csv(summary), media_type="text/csv")
    return summary


def routers() -> list[APIRouter]:
    return [
        tracking,
        complaint_router,
        remedy_router,
        returns_router,
        service_router,
        survey_router,
        kpi_router,
    ]


__all__ = ["routers"]
