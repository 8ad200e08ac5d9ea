"""An order in the warehouse: its reservations, pick lists, picking and packing."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request

from services.warehouse.app import picking, queries
from services.warehouse.entrypoints.http.deps import Reader, Storekeeper, work
from services.warehouse.entrypoints.http.schemas import (
    FulfilmentView,
    OpenPickListView,
    PackIn,
    PickIn,
)

router = APIRouter(tags=["reservations, picking and packing"])


@router.get("/orders/{order_id}/reservations", response_model=FulfilmentView)
async def get_reservations(order_id: UUID, request: Request, actor: Reader) -> FulfilmentView:
    async with work(request, actor) as w:
        return FulfilmentView.of(await queries.fulfilment(w, order_id))


@router.get("/pick-lists", response_model=list[OpenPickListView])
async def open_pick_lists(request: Request, actor: Reader) -> list[OpenPickListView]:
    async with work(request, actor) as w:
        return [OpenPickListView.model_validate(r) for r in await queries.open_pick_lists(w)]


@router.post("/pick-lists/{pick_list_id}/confirm", response_model=FulfilmentView)
async def confirm_pick(
    pick_list_id: UUID, body: PickIn, request: Request, actor: Storekeeper
) -> FulfilmentView:
    """The signed-in storekeeper took the goods off the shelf; the same person confirming the
    same list again (its answer lost) changes nothing."""
    lines = (
        None
        if body.lines is None
        else [(x.line_no, x.product_code, x.quantity) for x in body.lines]
    )
    async with work(request, actor) as w:
        return FulfilmentView.of(await picking.confirm_pick_list(w, pick_list_id, lines))


@router.post("/orders/{order_id}/pack", response_model=FulfilmentView)
async def pack(
    order_id: UUID, body: PackIn, request: Request, actor: Storekeeper
) -> FulfilmentView:
    """Packages made and checked against the order; then the goods are ready to ship."""
    async with work(request, actor) as w:
        return FulfilmentView.of(await picking.pack(w, order_id, body.packages))
