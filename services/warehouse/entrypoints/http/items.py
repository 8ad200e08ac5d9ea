"""Items, locations and stock: the master data and the ledger's receipts, adjustments, counts."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.warehouse.app import queries
from services.warehouse.app import stock as stock_uc
from services.warehouse.entrypoints.http.deps import Reader, Storekeeper, work
from services.warehouse.entrypoints.http.schemas import (
    AdjustmentIn,
    CountIn,
    ItemCreated,
    ItemDetail,
    ItemIn,
    ItemReservationView,
    ItemView,
    LocationIn,
    LocationView,
    MovementView,
    ReceiptIn,
    StockView,
)

router = APIRouter(tags=["items and stock"])


@router.post("/items", status_code=201, response_model=ItemCreated)
async def create_item(body: ItemIn, request: Request, actor: Storekeeper) -> ItemCreated:
    async with work(request, actor) as w:
        created = await stock_uc.add_item(
            w, body.product_code, body.description, body.reorder_point, body.reorder_quantity
        )
    return ItemCreated(**body.model_dump(), created=created)


@router.get("/items", response_model=list[ItemView])
async def list_items(request: Request, actor: Reader) -> list[ItemView]:
    async with work(request, actor) as w:
        return [ItemView.model_validate(row) for row in await queries.items(w)]


@router.get("/items/{product_code}", response_model=ItemDetail)
async def get_item(product_code: str, request: Request, actor: Reader) -> ItemDetail:
    async with work(request, actor) as w:
        found = await queries.item(w, product_code)
        levels = await queries.stock_levels(w, product_code)
    return ItemDetail(**found, stock=StockView.of(product_code, levels))


@router.post("/locations", status_code=201, response_model=LocationView)
async def create_location(body: LocationIn, request: Request, actor: Storekeeper) -> LocationView:
    async with work(request, actor) as w:
        await stock_uc.add_location(w, body.code, body.name)
    return LocationView(code=body.code, name=body.name)


@router.get("/locations", response_model=list[LocationView])
async def list_locations(request: Request, actor: Reader) -> list[LocationView]:
    async with work(request, actor) as w:
        return [LocationView.model_validate(row) for row in await queries.locations(w)]


@router.get("/stock/{product_code}", response_model=StockView)
async def get_stock(product_code: str, request: Request, actor: Reader) -> StockView:
    async with work(request, actor) as w:
        return StockView.of(product_code, await queries.stock_levels(w, product_code))


@router.get("/stock/{product_code}/movements", response_model=list[MovementView])
async def get_movements(product_code: str, request: Request, actor: Reader) -> list[MovementView]:
    async with work(request, actor) as w:
        return [MovementView.model_validate(m) for m in await queries.movements(w, product_code)]


@router.get("/stock/{product_code}/reservations", response_model=list[ItemReservationView])
async def get_item_reservations(
    product_code: str, request: Request, actor: Reader
) -> list[ItemReservationView]:
    """Which orders hold this item, where, and how much of it is already picked."""
    async with work(request, actor) as w:
        rows = await queries.reservations_of_item(w, product_code)
    return [ItemReservationView.model_validate(r) for r in rows]


@router.post("/stock/receipts", status_code=201, response_model=StockView)
async def receive(body: ReceiptIn, request: Request, actor: Storekeeper) -> StockView:
    async with work(request, actor) as w:
        await stock_uc.receive_stock(
            w, body.product_code, body.location, body.quantity, body.reference
        )
        return StockView.of(body.product_code, await queries.stock_levels(w, body.product_code))


@router.post("/stock/adjustments", status_code=201, response_model=StockView)
async def adjust(body: AdjustmentIn, request: Request, actor: Storekeeper) -> StockView:
    async with work(request, actor) as w:
        await stock_uc.adjust_stock(w, body.product_code, body.location, body.quantity, body.reason)
        return StockView.of(body.product_code, await queries.stock_levels(w, body.product_code))


@router.post("/stock/counts", status_code=201, response_model=StockView)
async def count(body: CountIn, request: Request, actor: Storekeeper) -> StockView:
    async with work(request, actor) as w:
        await stock_uc.count_stock(w, body.product_code, body.location, body.counted)
        return StockView.of(body.product_code, await queries.stock_levels(w, body.product_code))
