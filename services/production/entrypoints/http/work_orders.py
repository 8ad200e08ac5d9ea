"""The planner's schedule, work orders, and the shop floor's reports on them."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request

from contracts.status.production import WorkOrderStatus
from services.production.app import queries, shop_floor
from services.production.entrypoints.http.deps import Planner, Reader, ShopFloor, work
from services.production.entrypoints.http.schemas import (
    DelayCheckView,
    ProgressIn,
    ScheduleDayView,
    WorkOrderView,
)

router = APIRouter(tags=["schedule and work orders"])

LineCode = Annotated[str | None, Query(min_length=1, max_length=64)]


@router.get("/schedule", response_model=list[ScheduleDayView])
async def schedule_view(
    request: Request,
    actor: Reader,
    line: LineCode = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> list[ScheduleDayView]:
    """The planner's view: per line and day, the share of capacity used and the work on it
    (from today for 30 days unless asked otherwise)."""
    async with work(request, actor) as w:
        days = await queries.schedule(w, line, day_from, day_to)
    return [ScheduleDayView.of(d) for d in days]


@router.get("/work-orders", response_model=list[WorkOrderView])
async def list_work_orders(
    request: Request,
    actor: Reader,
    order_id: UUID | None = None,
    status: WorkOrderStatus | None = None,
    line: LineCode = None,
) -> list[WorkOrderView]:
    async with work(request, actor) as w:
        found = await queries.work_orders(w, order_id, status, line)
    return [WorkOrderView.of(wo) for wo in found]


@router.get("/work-orders/{work_order_id}", response_model=WorkOrderView)
async def get_work_order(work_order_id: UUID, request: Request, actor: Reader) -> WorkOrderView:
    async with work(request, actor) as w:
        return WorkOrderView.of(await queries.work_order(w, work_order_id))


@router.post("/work-orders/{work_order_id}/progress", response_model=WorkOrderView)
async def report_progress(
    work_order_id: UUID, body: ProgressIn, request: Request, actor: ShopFloor
) -> WorkOrderView:
    """Shop-floor report: start, cumulative good and scrapped pieces, completion with a lot.
    The reporter is the signed-in person."""
    async with work(request, actor) as w:
        wo = await shop_floor.report_progress(
            w,
            work_order_id,
            started=body.started,
            quantity_done=body.quantity_done,
            quantity_scrapped=body.quantity_scrapped,
            complete=body.complete,
            lot_no=body.lot_no,
            reported_by=w.actor.name,
        )
    return WorkOrderView.of(wo)


@router.post("/delay-checks", response_model=DelayCheckView)
async def run_delay_check(request: Request, actor: Planner) -> DelayCheckView:
    """Check open work orders against their plan now (also runs periodically)."""
    async with work(request, actor) as w:
        return DelayCheckView(delayed=await shop_floor.check_delays(w))
