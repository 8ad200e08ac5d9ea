"""Contract review: quote the earliest finish of what the warehouse cannot cover.

Production waits for the warehouse's own review verdict (its stock per line) when the warehouse
reviews the order too; either may arrive first. If the warehouse has not answered within
``warehouse_wait`` of the request, production quotes the full quantity so the review can finish
within its 24 h.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from contracts.enums import ReviewDepartment, ReviewVerdict
from contracts.events.sales import LineAvailability, OrderReviewed, OrderReviewRequested
from services.production.app.common import Planning, Repos, emit
from services.production.domain.capacity import Load
from services.production.domain.review import LineToReview, review_order
from services.production.domain.work_order import WorkOrderStatus
from shared.calendar import DeadlineRule
from shared.uow import UnitOfWork


async def request_review(
    uow: UnitOfWork, planning: Planning, event: OrderReviewRequested, causation: UUID | None
) -> None:
    if ReviewDepartment.PRODUCTION not in event.departments:
        return
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    previous = row["review_request"]
    if previous is not None and _same_instant(previous["review_due_at"], event.review_due_at):
        return  # the same review asked again
    request = {**event.model_dump(mode="json"), "received_at": now.isoformat()}
    await repos.orders.update(
        event.order_id, now, order_no=event.order_no, review_request=request, reviewed_at=None
    )
    waiting = ReviewDepartment.WAREHOUSE in event.departments and row["warehouse_review"] is None
    if not waiting:
        await _answer(uow, planning, event, row["warehouse_review"], causation)


async def record_warehouse_review(
    uow: UnitOfWork, planning: Planning, event: OrderReviewed, causation: UUID | None
) -> None:
    if event.department != ReviewDepartment.WAREHOUSE:
        return
    repos, now = Repos(uow), uow.clock.now()
    row = await repos.orders.lock(event.order_id, now)
    warehouse = event.model_dump(mode="json")
    await repos.orders.update(event.order_id, now, warehouse_review=warehouse)
    if row["review_request"] is not None and row["reviewed_at"] is None:
        request = OrderReviewRequested.model_validate(row["review_request"])
        await _answer(uow, planning, request, warehouse, causation)


async def answer_overdue_reviews(uow: UnitOfWork, planning: Planning, wait: DeadlineRule) -> int:
    """Quote the full quantity for reviews whose warehouse answer is overdue."""
    repos, now, answered = Repos(uow), uow.clock.now(), 0
    for order_id in await repos.orders.waiting_reviews():
        row = await repos.orders.lock(order_id, now)
        request = row["review_request"]
        if request is None or row["reviewed_at"] is not None:
            continue
        if wait.due(datetime.fromisoformat(request["received_at"]), planning.calendar) > now:
            continue
        event = OrderReviewRequested.model_validate(request)
        await _answer(uow, planning, event, None, None)
        answered += 1
    return answered


async def _answer(
    uow: UnitOfWork,
    planning: Planning,
    request: OrderReviewRequested,
    warehouse: dict[str, Any] | None,
    causation: UUID | None,
) -> None:
    repos, now = Repos(uow), uow.clock.now()
    available = {
        line["line_no"]: line["quantity_available"] for line in (warehouse or {}).get("lines", [])
    }
    to_review = [
        LineToReview(line.line_no, line.product_code, line.quantity, available.get(line.line_no, 0))
        for line in request.lines
    ]
    families = await repos.products.families({line.product_code for line in request.lines})
    codes = await repos.lines.makers(set(families.values()))
    lines = await repos.lines.lines(codes)
    first_day = planning.first_day(now)
    booked = await repos.lines.booked(codes, first_day)
    if request.rush:
        # A rush order is quoted as it would be scheduled: ahead of normal work not started.
        movable = {
            wo.work_order_id
            for wo in await repos.work_orders.search(None, WorkOrderStatus.PLANNED, None)
            if not wo.rush and wo.planned_start is not None and wo.planned_start >= first_day
        }
        booked = await repos.lines.booked(codes, first_day, exclude=movable)
    answer = review_order(
        to_review,
        families,
        lines,
        Load.of(lines, booked),
        planning.today(now),
        first_day,
        request.requested_date,
        planning.is_business_day,
        planning.horizon_days,
    )
    reviewed = OrderReviewed(
        order_id=request.order_id,
        order_no=request.order_no,
        department=ReviewDepartment.PRODUCTION,
        verdict=ReviewVerdict.APPROVE if answer.approve else ReviewVerdict.REJECT,
        earliest_date=answer.earliest_date,
        notes=answer.notes,
        lines=[
            LineAvailability(
                line_no=line.line_no,
                product_code=line.product_code,
                quantity_requested=line.quantity,
                quantity_available=line.makeable,
                earliest_date=line.earliest_date,
            )
            for line in answer.lines
        ],
    )
    await emit(uow, reviewed, request.order_id, causation)
    await repos.orders.update(request.order_id, now, reviewed_at=now)


def _same_instant(stored: str, at: datetime) -> bool:
    return datetime.fromisoformat(stored) == at
