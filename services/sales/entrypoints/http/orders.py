"""Orders at the desk: intake, completion, the reads, amendments, cancellation, dates."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.status.sales import OrderStatus
from services.sales.app import changes, orders, queries
from services.sales.domain.order import LineChange
from services.sales.entrypoints.http.deps import Desk, OrderReader, work
from services.sales.entrypoints.http.schemas import (
    AmendIn,
    CancelIn,
    DeliveryDateIn,
    InfoIn,
    OrderIn,
)
from services.sales.entrypoints.http.views import OrderView, ReviewAnswerView

router = APIRouter(tags=["orders"])
Ref = Annotated[str, Path(min_length=1, max_length=64, description="Order id or number")]


@router.post("/orders", status_code=201, response_model=OrderView)
async def submit_order(
    body: OrderIn, request: Request, response: Response, actor: Desk
) -> OrderView:
    """The desk enters an order (it is recorded as theirs: they never approve it); the same
    client_reference again returns the same order (200)."""
    async with work(request, actor) as w:
        order, created = await orders.submit_order(w, body.command(), "http")
        view = OrderView.of(order, w.policy.matrix)
    if not created:
        response.status_code = 200
    return view


@router.get("/orders", response_model=list[OrderView])
async def list_orders(
    request: Request,
    actor: OrderReader,
    status: OrderStatus | None = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    created_from: date | None = None,
    created_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> list[OrderView]:
    async with work(request, actor) as w:
        found = await queries.orders(
            w, status, customer_id, created_from, created_to, limit, offset
        )
        return [OrderView.of(o, w.policy.matrix) for o in found]


@router.get("/orders/{ref}", response_model=OrderView)
async def get_order(ref: Ref, request: Request, actor: OrderReader) -> OrderView:
    async with work(request, actor) as w:
        return OrderView.of(await queries.order(w, ref), w.policy.matrix)


@router.get("/orders/{ref}/review-answers", response_model=list[ReviewAnswerView])
async def get_review_answers(
    ref: Ref, request: Request, actor: OrderReader
) -> list[ReviewAnswerView]:
    """Every review answer received for the order, with what it did (``counted``,
    ``stale_round``, ``repeated``, ``not_in_review``)."""
    async with work(request, actor) as w:
        rows = await queries.review_answers(w, ref)
    return [ReviewAnswerView.model_validate(r) for r in rows]


@router.post("/orders/{ref}/info", response_model=OrderView)
async def complete_info(ref: Ref, body: InfoIn, request: Request, actor: Desk) -> OrderView:
    """Supply what was missing; a complete order is numbered and goes to review."""
    info = orders.InfoUpdate(
        customer_id=body.customer_id,
        contact=body.contact.contract() if body.contact else None,
        lines=[ln.contract() for ln in body.lines] if body.lines is not None else None,
        requested_date=body.requested_date,
        delivery_address=body.delivery_address.contract() if body.delivery_address else None,
        payment_terms=body.payment_terms.contract() if body.payment_terms else None,
    )
    async with work(request, actor) as w:
        return OrderView.of(await orders.complete_info(w, ref, info), w.policy.matrix)


@router.post("/orders/{ref}/customer-contacted", response_model=OrderView)
async def customer_contacted(ref: Ref, request: Request, actor: Desk) -> OrderView:
    async with work(request, actor) as w:
        return OrderView.of(await orders.customer_contacted(w, ref), w.policy.matrix)


@router.post("/orders/{ref}/amendments", response_model=OrderView)
async def amend(ref: Ref, body: AmendIn, request: Request, actor: Desk) -> OrderView:
    """Applied once per reference; the person amending may not approve the order after it."""
    change = changes.Amendment(
        body.reference,
        body.initiated_by,
        [LineChange(ln.line_no, ln.quantity) for ln in body.lines],
        body.requested_date,
        body.delivery_address.contract() if body.delivery_address else None,
        body.reason,
        [ln.contract() for ln in body.add_lines],
    )
    async with work(request, actor) as w:
        order, _ = await changes.amend(w, ref, change)
        return OrderView.of(order, w.policy.matrix)


@router.post("/orders/{ref}/cancel", response_model=OrderView)
async def cancel(ref: Ref, body: CancelIn, request: Request, actor: Desk) -> OrderView:
    async with work(request, actor) as w:
        order = await changes.cancel(w, ref, body.initiated_by, body.reason)
        return OrderView.of(order, w.policy.matrix)


@router.post("/orders/{ref}/delivery-date", response_model=OrderView)
async def change_delivery_date(
    ref: Ref, body: DeliveryDateIn, request: Request, actor: Desk
) -> OrderView:
    """A later promised date; over 3 business days it needs the customer's consent and a
    remedy plan."""
    async with work(request, actor) as w:
        order = await changes.change_delivery_date(
            w, ref, body.new_date, body.reason, body.consenting_contact, body.remedy_plan
        )
        return OrderView.of(order, w.policy.matrix)
