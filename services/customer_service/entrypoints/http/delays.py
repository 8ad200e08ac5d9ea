"""Delays and returns: remedy plans waiting for the customer's consent, and the return cases
complaints authorised."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from contracts.status.customer_service import RemedyPlanStatus, ReturnCaseStatus
from services.customer_service.app import delays, queries
from services.customer_service.entrypoints.http.deps import DelayDesk, DelayReader, Reader, work
from services.customer_service.entrypoints.http.schemas import ConsentIn, ProposeIn
from services.customer_service.entrypoints.http.views import RemedyPlanView, ReturnCaseView

router = APIRouter(tags=["delays and returns"])


@router.get("/remedy-plans", response_model=list[RemedyPlanView])
async def list_plans(
    request: Request,
    actor: DelayReader,
    order_id: UUID | None = None,
    status: RemedyPlanStatus | None = None,
) -> list[RemedyPlanView]:
    async with work(request, actor) as w:
        found = await queries.remedy_plans(w, order_id, status.value if status else None)
    return [RemedyPlanView.of(p) for p in found]


@router.get("/remedy-plans/{plan_id}", response_model=RemedyPlanView)
async def get_plan(plan_id: UUID, request: Request, actor: DelayReader) -> RemedyPlanView:
    async with work(request, actor) as w:
        return RemedyPlanView.of(await queries.remedy_plan(w, plan_id))


@router.post("/remedy-plans/{plan_id}/plan", response_model=RemedyPlanView)
async def propose(
    plan_id: UUID, body: ProposeIn, request: Request, actor: DelayDesk
) -> RemedyPlanView:
    """The remedy offered for the delay, filled in by the signed-in person."""
    async with work(request, actor) as w:
        return RemedyPlanView.of(await delays.propose_remedy(w, plan_id, body.remedy))


@router.post("/remedy-plans/{plan_id}/consent", response_model=RemedyPlanView)
async def consent(
    plan_id: UUID, body: ConsentIn, request: Request, actor: DelayDesk
) -> RemedyPlanView:
    """The customer's answer, recorded by the signed-in person now; the name the customer gave
    is kept as declared. Consent moves the promised date (order.delivery_date_changed)."""
    async with work(request, actor) as w:
        plan = await delays.record_answer(w, plan_id, body.consented, body.customer_name)
    return RemedyPlanView.of(plan)


@router.get("/returns", response_model=list[ReturnCaseView])
async def list_returns(
    request: Request, actor: Reader, status: ReturnCaseStatus | None = None
) -> list[ReturnCaseView]:
    """Return cases, oldest first (``settlement_requested``: inspected, settlement asked of
    sales)."""
    async with work(request, actor) as w:
        found = await queries.returns(w, status.value if status else None)
    return [ReturnCaseView.of(r) for r in found]


@router.get("/returns/{return_id}", response_model=ReturnCaseView)
async def get_return(return_id: UUID, request: Request, actor: Reader) -> ReturnCaseView:
    async with work(request, actor) as w:
        return ReturnCaseView.of(await queries.return_case(w, return_id))
