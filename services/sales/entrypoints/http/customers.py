"""Customers as master data keeps them, and the changes of their trust waiting for a second
master-data person."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query, Request, Response

from contracts.status.sales import CustomerChangeStatus
from services.sales.app import master_data, queries
from services.sales.domain.customer import Customer
from services.sales.entrypoints.http.deps import ChangeReader, CustomerReader, MasterData, work
from services.sales.entrypoints.http.schemas import ChangeDecisionIn, CustomerIn
from services.sales.entrypoints.http.views import CustomerChangeView, CustomerView

router = APIRouter(tags=["customers"])
CustomerId = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/customers", status_code=201, response_model=CustomerView)
async def put_customer(
    body: CustomerIn, request: Request, response: Response, actor: MasterData
) -> CustomerView:
    """Create (201) or change (200) a customer. Name and payment terms change at once; a
    different class, credit limit, deposit rule or currency waits, as ``pending_change``, for
    a second master-data person (a new customer stands as class C without credit until then)."""
    asked = Customer(
        customer_id=body.customer_id,
        name=body.name,
        customer_class=body.customer_class,
        credit_limit=body.credit_limit,
        payment_terms=body.payment_terms.contract(),
        currency=body.currency,
    )
    async with work(request, actor) as w:
        _, created = await master_data.save_customer(w, asked)
        current, pending = await queries.customer(w, body.customer_id)
    if not created:
        response.status_code = 200
    return CustomerView.of(current, pending)


@router.get("/customers", response_model=list[CustomerView])
async def list_customers(request: Request, actor: CustomerReader) -> list[CustomerView]:
    async with work(request, actor) as w:
        return [CustomerView.of(c, p) for c, p in await queries.customers(w)]


@router.get("/customers/{customer_id}", response_model=CustomerView)
async def get_customer(
    customer_id: CustomerId, request: Request, actor: CustomerReader
) -> CustomerView:
    async with work(request, actor) as w:
        return CustomerView.of(*await queries.customer(w, customer_id))


@router.get("/customer-changes", response_model=list[CustomerChangeView])
async def list_changes(
    request: Request,
    actor: ChangeReader,
    status: CustomerChangeStatus | None = None,
    customer_id: Annotated[str | None, Query(max_length=64)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CustomerChangeView]:
    """Changes of customers' trust, newest first: ``status=pending`` is the second person's
    work list."""
    async with work(request, actor) as w:
        found = await queries.customer_changes(
            w, customer_id, status.value if status else None, limit
        )
    return [CustomerChangeView.of(c) for c in found]


@router.post("/customer-changes/{change_id}/approve", response_model=CustomerView)
async def approve_change(change_id: UUID, request: Request, actor: MasterData) -> CustomerView:
    """A second master-data person approves: the change takes effect now. The one who asked
    for it gets 403 (four eyes)."""
    async with work(request, actor) as w:
        customer = await master_data.approve_change(w, change_id)
    return CustomerView.of(customer, None)


@router.post("/customer-changes/{change_id}/reject", response_model=CustomerChangeView)
async def reject_change(
    change_id: UUID, body: ChangeDecisionIn, request: Request, actor: MasterData
) -> CustomerChangeView:
    """Turned down by another master-data person, or withdrawn by the one who asked."""
    async with work(request, actor) as w:
        return CustomerChangeView.of(await master_data.reject_change(w, change_id, body.reason))
