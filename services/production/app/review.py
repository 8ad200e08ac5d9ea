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
from contracts.status.production import WorkOrderStatus
from services.production.app.unit import Work
from services.production.domain.capacity import Load
from services.production.domain.review import LineToReview, review_order
from shared.calendar import DeadlineRule


async def request_review(work: Work, event: OrderReviewRequested) -> None:
    if ReviewDepartment.PRODUCTION not in event.departments:
        return
    now = work.now
    row = await work.orders.lock(event.order_id, now)
    previous = row["review_request"]
    if (
        previous is not None
        and previous.get("review_round") == event.review_round
        and _same_instant(previous["review_due_at"], event.review_due_at)
    ):
        return  # the same review asked again
    if previous is not None and _round(previous) > (event.review_round or 0):
        return  # a request of an earlier round, arriving late
    request = {**event.model_dump(mode="json"), "received_at": now.isoformat()}
    await work.orders.update(
        event.order_id, now, order_no=event.order_no, review_request=request, reviewed_at=None
    )
    warehouse = row["warehouse_review"]
    waiting = ReviewDepartment.WAREHOUSE in event.departments and not _same_round(warehouse, event)
    if not waiting:
        await _answer(work, event, warehouse)


async def record_warehouse_review(work: Work, event: OrderReviewed) -> None:
    if event.department != ReviewDepartment.WAREHOUSE:
        return
    now = work.now
    row = await work.orders.lock(event.order_id, now)
    stored = row["warehouse_review"]
    if stored is not None and _round(stored) > (event.review_round or 0):
        return  # an answer to an earlier round, arriving late
    warehouse = event.model_dump(mode="json")
    await work.orders.update(event.order_id, now, warehouse_review=warehouse)
    if row["review_request"] is not None and row["reviewed_at"] is None:
        request = OrderReviewRequested.model_validate(row["review_request"])
        if _same_round(warehouse, request):
            await _answer(work, request, warehouse)


async def answer_overdue_reviews(work: Work, wait: DeadlineRule) -> int:
    """Quote the full quantity for reviews whose warehouse answer is overdue."""
    now, answered = work.now, 0
    for order_id in await work.orders.waiting_reviews():
        row = await work.orders.lock(order_id, now)
        request = row["review_request"]
        if request is None or row["reviewed_at"] is not None:
            continue
        if wait.due(datetime.fromisoformat(request["received_at"]), work.planning.calendar) > now:
            continue
        event = OrderReviewRequested.model_validate(request)
        await _answer(work, event, None)
        answered += 1
    return answered


async def _answer(
    work: Work, request: OrderReviewRequested, warehouse: dict[str, Any] | None
) -> None:
    planning, now = work.planning, work.now
    available = {
        line["line_no"]: line["quantity_available"] for line in (warehouse or {}).get("lines", [])
    }
    to_review = [
        LineToReview(line.line_no, line.product_code, line.quantity, available.get(line.line_no, 0))
        for line in request.lines
    ]
    families = await work.products.families({line.product_code for line in request.lines})
    codes = await work.lines.makers(set(families.values()))
    lines = await work.lines.lines(codes)
    first_day = planning.first_day(now)
    # Reviewed again after an amendment: the order's own planned work is what gets
    # rescheduled for the new quantities, so its booking is not load against it.
    own = {
        wo.work_order_id
        for wo in await work.work_orders.for_order(request.order_id)
        if wo.status == WorkOrderStatus.PLANNED
    }
    movable: set[UUID] = set()
    if request.rush:
        # A rush order is quoted as it would be scheduled: ahead of normal work not started.
        movable = {
            wo.work_order_id
            for wo in await work.work_orders.search(None, WorkOrderStatus.PLANNED, None)
            if not wo.rush and wo.planned_start is not None and wo.planned_start >= first_day
        }
    booked = await work.lines.booked(codes, first_day, exclude=own | movable)
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
        review_round=request.review_round,
    )
    await work.emit(reviewed, request.order_id)
    await work.orders.update(request.order_id, now, reviewed_at=now)


def _same_instant(stored: str, at: datetime) -> bool:
    return datetime.fromisoformat(stored) == at


def _round(stored: dict[str, Any]) -> int:
    return int(stored.get("review_round") or 0)


def _same_round(warehouse: dict[str, Any] | None, request: OrderReviewRequested) -> bool:
    """The warehouse's stock answer belongs to this review round (an answer to an earlier
    round counts stock for lines that have changed since)."""
    return warehouse is not None and warehouse.get("review_round") == request.review_round
