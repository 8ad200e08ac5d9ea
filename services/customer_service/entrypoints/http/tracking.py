"""Order tracking: an order's timeline, orders late or at risk, the customer notices, and the
operator's rebuild of the timelines from the stored events."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from contracts.status.customer_service import OrderStage
from services.customer_service.app import queries, timeline
from services.customer_service.entrypoints.http.deps import NoticeReader, Operator, Tracker, work
from services.customer_service.entrypoints.http.views import (
    NoticeView,
    OrderSearchView,
    RebuildView,
    TimelineView,
)

router = APIRouter(tags=["tracking"])


@router.get("/orders/{order_no}/timeline", response_model=TimelineView)
async def order_timeline(order_no: str, request: Request, actor: Tracker) -> TimelineView:
    """Current stage, promised vs expected date and full history of one order."""
    async with work(request, actor) as w:
        return TimelineView.of(await queries.timeline_by_order_no(w, order_no))


@router.get("/timelines/{key}", response_model=TimelineView)
async def timeline_by_key(key: str, request: Request, actor: Tracker) -> TimelineView:
    """A timeline by correlation id (order id or complaint id)."""
    async with work(request, actor) as w:
        return TimelineView.of(await queries.timeline_by_key(w, key))


@router.get("/orders", response_model=list[OrderSearchView])
async def search_orders(
    request: Request,
    actor: Tracker,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    stage: OrderStage | None = None,
    late_or_at_risk: bool = False,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[OrderSearchView]:
    """Orders by customer, by stage, or those late or at risk."""
    async with work(request, actor) as w:
        found = await queries.search_orders(
            w, customer_id, stage.value if stage else None, late_or_at_risk, limit
        )
    return [OrderSearchView.of(o) for o in found]


@router.post("/timelines/rebuild", response_model=RebuildView)
async def rebuild_timelines(request: Request, actor: Operator) -> RebuildView:
    """Fold every stored event again from scratch; says whether the result is identical.
    Writers wait while it runs."""
    async with work(request, actor) as w:
        rebuilt = await timeline.rebuild(w)
    return RebuildView.model_validate(rebuilt)


@router.get("/notices", response_model=list[NoticeView])
async def list_notices(
    request: Request,
    actor: NoticeReader,
    subject_id: Annotated[str | None, Query(max_length=100)] = None,
) -> list[NoticeView]:
    """What the customer was told, oldest first, with whether it went out."""
    async with work(request, actor) as w:
        return [NoticeView.of(n) for n in await queries.notices(w, subject_id)]
