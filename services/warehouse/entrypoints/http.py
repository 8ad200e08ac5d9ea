"""HTTP API for warehouse staff and other systems: items, stock, orders, picking, QC, returns."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Request
from pydantic import AwareDatetime, BaseModel, Field

from contracts.common import LineQuantity, Package
from contracts.enums import QcDisposition, ReturnOutcome
from services.warehouse.app import inbound, picking, returns
from services.warehouse.app import stock as stock_uc
from services.warehouse.app.unit import NotFound, Work
from services.warehouse.domain.errors import IllegalTransition, QcCheckFailed, WarehouseError
from services.warehouse.domain.fulfilment import Fulfilment
from services.warehouse.domain.inspection import Inspection, ReturnOutcomeLine
from services.warehouse.settings import WarehouseSettings
from shared.runtime import ServiceRuntime

Code = Field(min_length=1, max_length=64, pattern=r"^\S+$")


class ItemIn(BaseModel):
    product_code: str = Code
    description: str | None = None
    reorder_point: int = Field(default=0, ge=0)
    reorder_quantity: int | None = Field(default=None, ge=1)


class LocationIn(BaseModel):
    code: str = Code
    name: str | None = None


class ReceiptIn(BaseModel):
    product_code: str = Code
    location: str = Code
    quantity: int = Field(ge=1)
    reference: str | None = None


class AdjustmentIn(BaseModel):
    product_code: str = Code
    location: str = Code
    quantity: int = Field(description="Signed change of on-hand, e.g. -2 for breakage")
    reason: str = Field(min_length=1)
    adjusted_by: str | None = None


class CountIn(BaseModel):
    product_code: str = Code
    location: str = Code
    counted: int = Field(ge=0)
    counted_by: str = Field(min_length=1)


class PickIn(BaseModel):
    picked_by: str = Field(min_length=1)
    picked_at: AwareDatetime | None = None
    lines: list[LineQuantity] | None = Field(
        default=None, description="Quantities picked; omitted = exactly as listed"
    )


class PackIn(BaseModel):
    packed_by: str = Field(min_length=1)
    packages: list[Package] = Field(min_length=1)


class PassIn(BaseModel):
    inspector: str = Field(min_length=1)
    location: str | None = None


class FailIn(BaseModel):
    inspector: str = Field(min_length=1)
    defect: str = Field(min_length=1)
    defect_code: str | None = None
    disposition: QcDisposition = QcDisposition.REWORK
    quantity_rejected: int | None = Field(default=None, ge=1)
    location: str | None = None


class ReturnItemIn(BaseModel):
    line_no: int | None = Field(default=None, ge=1)
    product_code: str = Field(min_length=1)
    quantity: int = Field(ge=1)
    outcome: ReturnOutcome
    reason: str = Field(min_length=1)


class ReturnInspectionIn(BaseModel):
    inspector: str = Field(min_length=1)
    location: str | None = None
    items: list[ReturnItemIn] = Field(min_length=1)


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def _settings(request: Request) -> WarehouseSettings:
    settings = _runtime(request).settings
    assert isinstance(settings, WarehouseSettings)
    return settings


@asynccontextmanager
async def unit(request: Request, correlation_id: str) -> AsyncIterator[Work]:
    """One transaction per request; rule breaks become 404 / 409 with the current status."""
    try:
        async with _runtime(request).new_uow() as uow:
            yield Work.correlated(uow, correlation_id)
            await uow.commit()
    except NotFound as exc:
        raise HTTPException(404, str(exc)) from exc
    except IllegalTransition as exc:
        raise HTTPException(409, {"detail": str(exc), "status": exc.status}) from exc
    except QcCheckFailed as exc:
        raise HTTPException(409, {"detail": "QC check failed", "problems": exc.problems}) from exc
    except WarehouseError as exc:
        raise HTTPException(409, str(exc)) from exc


async def _stock_view(work: Work, product_code: str) -> dict[str, Any]:
    levels = await work.stock.levels(product_code)
    for lv in levels:
        lv["available"] = lv["on_hand"] - lv["reserved"]
    return {
        "product_code": product_code,
        "locations": levels,
        "on_hand": sum(lv["on_hand"] for lv in levels),
        "reserved": sum(lv["reserved"] for lv in levels),
        "available": sum(lv["available"] for lv in levels),
    }


def _order_view(f: Fulfilment) -> dict[str, Any]:
    return {
        "order_id": f.order_id,
        "order_no": f.order_no,
        "status": f.status.value,
        "fully_reserved": f.fully_reserved,
        "lines": [
            {
                "line_no": line.line_no,
                "product_code": line.product_code,
                "quantity_ordered": line.ordered,
                "quantity_reserved": sum(a.reserved for a in line.allocations.values()),
                "quantity_picked": sum(a.picked for a in line.allocations.values()),
                "shortfall": line.shortfall,
                "locations": {
                    loc: {"reserved": a.reserved, "picked": a.picked}
                    for loc, a in line.allocations.items()
                },
            }
            for line in sorted(f.lines.values(), key=lambda x: x.line_no)
        ],
        "pick_lists": [
            {
                "pick_list_id": pl.pick_list_id,
                "location": pl.location,
                "status": pl.status.value,
                "lines": [vars(p) for p in pl.lines],
                "picked_by": pl.picked_by,
                "picked_at": pl.picked_at,
            }
            for pl in f.pick_lists
        ],
        "packages": [p.model_dump(mode="json") for p in f.packages],
    }


def _inspection_view(i: Inspection) -> dict[str, Any]:
    return {k: v for k, v in vars(i).items() if k != "events"}


def routers() -> list[APIRouter]:
    items = APIRouter(tags=["items and stock"])

    @items.post("/items", status_code=201)
    async def create_item(body: ItemIn, request: Request) -> dict[str, Any]:
        async with unit(request, f"item:{body.product_code}") as work:
            created = await work.stock.add_item(
                body.product_code, body.description, body.reorder_point, body.reorder_quantity
            )
        return {**body.model_dump(), "created": created}

    @items.get("/items")
    async def list_items(request: Request) -> list[dict[str, Any]]:
        async with unit(request, "read") as work:
            return await work.stock.list_items()

    @items.get("/items/{product_code}")
    async def get_item(product_code: str, request: Request) -> dict[str, Any]:
        async with unit(request, "read") as work:
            found = await work.stock.get_item(product_code)
            if found is None:
                raise NotFound(f"item {product_code}")
            return {**found, "stock": await _stock_view(work, product_code)}

    @items.post("/locations", status_code=201)
    async def create_location(body: LocationIn, request: Request) -> dict[str, Any]:
        async with unit(request, f"location:{body.code}") as work:
            await work.stock.add_location(body.code, body.name)
        return body.model_dump()

    @items.get("/locations")
    async def list_locations(request: Request) -> list[dict[str, Any]]:
        async with unit(request, "read") as work:
            return await work.stock.list_locations()

    @items.get("/stock/{product_code}")
    async def get_stock(product_code: str, request: Request) -> dict[str, Any]:
        async with unit(request, "read") as work:
            return await _stock_view(work, product_code)

    @items.get("/stock/{product_code}/movements")
    async def get_movements(product_code: str, request: Request) -> list[dict[str, Any]]:
        async with unit(request, "read") as work:
            return await work.stock.movements(product_code)

    @items.get("/stock/{product_code}/reservations")
    async def get_item_reservations(product_code: str, request: Request) -> list[dict[str, Any]]:
        """Which orders hold this item, where, and how much of it is already picked."""
        async with unit(request, "read") as work:
            return await work.fulfilments.reservations_of(product_code)

    @items.post("/stock/receipts", status_code=201)
    async def receive(body: ReceiptIn, request: Request) -> dict[str, Any]:
        async with unit(request, f"item:{body.product_code}") as work:
            await stock_uc.receive_stock(
                work, body.product_code, body.location, body.quantity, body.reference
            )
            return await _stock_view(work, body.product_code)

    @items.post("/stock/adjustments", status_code=201)
    async def adjust(body: AdjustmentIn, request: Request) -> dict[str, Any]:
        async with unit(request, f"item:{body.product_code}") as work:
            await stock_uc.adjust_stock(
                work, body.product_code, body.location, body.quantity, body.reason, body.adjusted_by
            )
            return await _stock_view(work, body.product_code)

    @items.post("/stock/counts", status_code=201)
    async def count(body: CountIn, request: Request) -> dict[str, Any]:
        async with unit(request, f"item:{body.product_code}") as work:
            await stock_uc.count_stock(
                work, body.product_code, body.location, body.counted, body.counted_by
            )
            return await _stock_view(work, body.product_code)

    fulfil = APIRouter(tags=["reservations, picking and packing"])

    @fulfil.get("/orders/{order_id}/reservations")
    async def get_reservations(order_id: UUID, request: Request) -> dict[str, Any]:
        async with unit(request, str(order_id)) as work:
            f = await work.fulfilments.get(order_id, lock=False)
            if f is None:
                raise NotFound(f"order {order_id}")
            return _order_view(f)

    @fulfil.get("/pick-lists")
    async def open_pick_lists(request: Request) -> list[dict[str, Any]]:
        async with unit(request, "read") as work:
            return await work.fulfilments.open_pick_lists()

    @fulfil.post("/pick-lists/{pick_list_id}/confirm")
    async def confirm_pick(pick_list_id: UUID, body: PickIn, request: Request) -> dict[str, Any]:
        async with unit(request, "pick") as work:
            order_id = await work.fulfilments.order_id_of_pick_list(pick_list_id)
            if order_id is None:
                raise NotFound(f"pick list {pick_list_id}")
            work = Work.correlated(work.uow, str(order_id))
            f = await picking.resolve_order(work, order_id)
            lines = (
                [(x.line_no, x.product_code, x.quantity) for x in body.lines]
                if body.lines is not None
                else None
            )
            await picking.confirm_pick(
                work, f, pick_list_id, lines, body.picked_by, body.picked_at or work.now
            )
            return _order_view(f)

    @fulfil.post("/orders/{order_id}/pack")
    async def pack(order_id: UUID, body: PackIn, request: Request) -> dict[str, Any]:
        async with unit(request, str(order_id)) as work:
            f = await picking.resolve_order(work, order_id)
            await picking.pack_order(work, f, body.packages)
            return _order_view(f)

    qc = APIRouter(tags=["inspections and returns"])

    @qc.get("/inspections")
    async def list_inspections(request: Request, status: str | None = None) -> list[dict[str, Any]]:
        async with unit(request, "read") as work:
            return await work.inspections.list(status)

    @qc.get("/inspections/{inspection_id}")
    async def get_inspection(inspection_id: UUID, request: Request) -> dict[str, Any]:
        async with unit(request, "read") as work:
            found = await work.inspections.get(inspection_id, lock=False)
            if found is None:
                raise NotFound(f"inspection {inspection_id}")
            return _inspection_view(found)

    @qc.post("/inspections/{inspection_id}/pass")
    async def pass_inspection(
        inspection_id: UUID, body: PassIn, request: Request
    ) -> dict[str, Any]:
        location = body.location or _settings(request).inbound_location
        async with unit(request, await _correlation_of(request, inspection_id)) as work:
            done = await inbound.decide_inspection(work, inspection_id, body.inspector, location)
            return _inspection_view(done)

    @qc.post("/inspections/{inspection_id}/fail")
    async def fail_inspection(
        inspection_id: UUID, body: FailIn, request: Request
    ) -> dict[str, Any]:
        location = body.location or _settings(request).inbound_location
        async with unit(request, await _correlation_of(request, inspection_id)) as work:
            done = await inbound.decide_inspection(
                work,
                inspection_id,
                body.inspector,
                location,
                defect=body.defect,
                disposition=body.disposition,
                quantity_rejected=body.quantity_rejected,
                defect_code=body.defect_code,
            )
            return _inspection_view(done)

    @qc.get("/returns/{return_id}")
    async def get_return(return_id: UUID, request: Request) -> dict[str, Any]:
        async with unit(request, "read") as work:
            found = await work.returns.get(return_id, lock=False)
            if found is None:
                raise NotFound(f"return {return_id}")
            return {k: v for k, v in vars(found).items() if k != "events"}

    @qc.post("/returns/{return_id}/inspect")
    async def inspect_return(
        return_id: UUID, body: ReturnInspectionIn, request: Request
    ) -> dict[str, Any]:
        location = body.location or _settings(request).restock_location
        async with unit(request, str(return_id)) as work:
            found = await work.returns.get(return_id, lock=False)
            if found is not None and found.order_id is not None:
                work = Work.correlated(work.uow, str(found.order_id))
            results = [
                ReturnOutcomeLine(x.line_no, x.product_code, x.quantity, x.outcome, x.reason)
                for x in body.items
            ]
            done = await returns.inspect_return(work, return_id, results, body.inspector, location)
            return {k: v for k, v in vars(done).items() if k != "events"}

    return [items, fulfil, qc]


async def _correlation_of(request: Request, inspection_id: UUID) -> str:
    """Inspection events belong to the order the goods were made for."""
    async with unit(request, "read") as work:
        found = await work.inspections.get(inspection_id, lock=False)
    if found is not None and found.order_id is not None:
        return str(found.order_id)
    return str(inspection_id)
