"""Products (family and bill of materials) and the raw materials' free stock."""

from __future__ import annotations

from fastapi import APIRouter, Request

from services.production.app import queries, setup, shop_floor
from services.production.domain.materials import BomItem
from services.production.entrypoints.http.deps import Planner, Reader, work
from services.production.entrypoints.http.schemas import (
    CodeInPath,
    MaterialView,
    ProductIn,
    ProductView,
    ReceiptIn,
    ReceiptView,
    StockIn,
    WorkOrderView,
)

router = APIRouter(tags=["products and materials"])


@router.put("/products/{product_code}", response_model=ProductView)
async def put_product(
    product_code: CodeInPath, body: ProductIn, request: Request, actor: Planner
) -> ProductView:
    """Map a product code to its family, with its bill of materials per piece."""
    bom = [BomItem(i.material_code, i.quantity_per_piece, i.unit) for i in body.bom]
    async with work(request, actor) as w:
        await setup.define_product(w, product_code, body.family, bom)
        return ProductView.of(await queries.product(w, product_code))


@router.get("/products/{product_code}", response_model=ProductView)
async def get_product(product_code: CodeInPath, request: Request, actor: Reader) -> ProductView:
    async with work(request, actor) as w:
        return ProductView.of(await queries.product(w, product_code))


@router.put("/materials/{material_code}", response_model=MaterialView)
async def put_material(
    material_code: CodeInPath, body: StockIn, request: Request, actor: Planner
) -> MaterialView:
    """Set the free stock of a raw material (a stock count)."""
    async with work(request, actor) as w:
        await setup.set_material_stock(w, material_code, body.on_hand, body.unit)
    return MaterialView(material_code=material_code, on_hand=body.on_hand, unit=body.unit)


@router.get("/materials", response_model=list[MaterialView])
async def list_materials(request: Request, actor: Reader) -> list[MaterialView]:
    async with work(request, actor) as w:
        return [MaterialView.model_validate(row) for row in await queries.materials(w)]


@router.post("/material-receipts", response_model=ReceiptView)
async def receive_materials(body: ReceiptIn, request: Request, actor: Planner) -> ReceiptView:
    """Materials arrived at the line; a work order waiting for them can start."""
    materials = [(m.material_code, m.quantity, m.unit) for m in body.materials]
    async with work(request, actor) as w:
        wo = await shop_floor.receive_materials(
            w, body.requisition_id, body.work_order_id, materials
        )
    return ReceiptView(work_order=WorkOrderView.of(wo) if wo else None)
