"""Production's HTTP API: lines and capacity, products, materials, the planner's schedule view,
work orders and shop-floor reporting."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import BaseModel, Field

from services.production.app import setup, shop_floor
from services.production.app.common import NotFound, Planning, Repos
from services.production.domain.materials import BomItem
from services.production.domain.work_order import IllegalTransition, WorkOrder
from shared.runtime import ServiceRuntime

router = APIRouter(tags=["production"])


class Capacity(BaseModel):
    family: str = Field(min_length=1)
    pieces_per_day: int = Field(gt=0)


class LineIn(BaseModel):
    code: str = Field(min_length=1)
    name: str = Field(min_length=1)
    capacities: list[Capacity] = Field(default_factory=list)


class RateIn(BaseModel):
    pieces_per_day: int = Field(gt=0)


class DowntimeIn(BaseModel):
    day: date
    reason: str | None = None


class BomItemIn(BaseModel):
    material_code: str = Field(min_length=1)
    quantity_per_piece: Decimal = Field(gt=0)
    unit: str = Field(min_length=1)


class ProductIn(BaseModel):
    family: str = Field(min_length=1)
    bom: list[BomItemIn] = Field(default_factory=list)


class StockIn(BaseModel):
    on_hand: Decimal = Field(ge=0)
    unit: str = Field(min_length=1)


class MaterialIn(BaseModel):
    material_code: str = Field(min_length=1)
    quantity: Decimal = Field(gt=0)
    unit: str = Field(min_length=1)


class ReceiptIn(BaseModel):
    requisition_id: UUID | None = None
    work_order_id: UUID | None = None
    materials: list[MaterialIn] = Field(min_length=1)


class ProgressIn(BaseModel):
    started: bool = True
    quantity_done: int = Field(default=0, ge=0)
    quantity_scrapped: int = Field(default=0, ge=0)
    complete: bool = False
    lot_no: str | None = None
    reported_by: str | None = None


class SlotOut(BaseModel):
    line_code: str
    day: date
    quantity: int


class WorkOrderOut(BaseModel):
    work_order_id: UUID
    work_order_no: str
    order_id: UUID
    order_no: str
    line_no: int
    product_code: str
    spec: str
    family: str
    quantity: int
    kind: str
    parent_id: UUID | None
    status: str
    rush: bool
    promised_date: date
    line_code: str | None
    planned_start: date | None
    planned_finish: date | None
    quantity_done: int
    quantity_scrapped: int
    lot_no: str | None
    materials_ready: bool
    slots: list[SlotOut]

    @classmethod
    def of(cls, wo: WorkOrder) -> WorkOrderOut:
        data = {name: getattr(wo, name) for name in cls.model_fields if name != "slots"}
        slots = [SlotOut(line_code=s.line_code, day=s.day, quantity=s.quantity) for s in wo.slots]
        return cls(**data, slots=slots)


def _runtime(request: Request) -> ServiceRuntime:
    runtime: ServiceRuntime = request.app.state.runtime
    return runtime


def _planning(request: Request) -> Planning:
    planning: Planning = request.app.state.runtime.planning
    return planning


@router.post("/lines", status_code=status.HTTP_201_CREATED)
async def create_line(body: LineIn, request: Request) -> dict[str, Any]:
    """Create or update a line with its capacity (pieces per business day) per family."""
    async with _runtime(request).new_uow() as uow:
        rates = {c.family: c.pieces_per_day for c in body.capacities}
        await setup.define_line(uow, body.code, body.name, rates)
        await uow.commit()
    return await get_line(body.code, request)


@router.get("/lines")
async def list_lines(request: Request) -> list[dict[str, Any]]:
    async with _runtime(request).new_uow() as uow:
        lines = await Repos(uow).lines.lines()
    return [{"code": line.code, "capacities": line.rates} for line in lines]


@router.get("/lines/{code}")
async def get_line(code: str, request: Request) -> dict[str, Any]:
    async with _runtime(request).new_uow() as uow:
        repos = Repos(uow)
        found = await repos.lines.lines([code])
        if not found:
            raise HTTPException(404, f"line {code} not found")
        downtime = await repos.lines.downtime_rows(code)
    return {"code": code, "capacities": found[0].rates, "downtime": downtime}


@router.put("/lines/{code}/capacities/{family}")
async def set_capacity(code: str, family: str, body: RateIn, request: Request) -> dict[str, Any]:
    async with _runtime(request).new_uow() as uow:
        try:
            await setup.set_line_rate(uow, code, family, body.pieces_per_day)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        await uow.commit()
    return await get_line(code, request)


@router.post("/lines/{code}/downtime", status_code=status.HTTP_201_CREATED)
async def add_downtime(code: str, body: DowntimeIn, request: Request) -> dict[str, Any]:
    async with _runtime(request).new_uow() as uow:
        try:
            await setup.add_downtime(uow, code, body.day, body.reason)
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        await uow.commit()
    return await get_line(code, request)


@router.put("/products/{product_code}")
async def put_product(product_code: str, body: ProductIn, request: Request) -> dict[str, Any]:
    """Map a product code to its family, with its bill of materials per piece."""
    bom = [BomItem(i.material_code, i.quantity_per_piece, i.unit) for i in body.bom]
    async with _runtime(request).new_uow() as uow:
        await setup.define_product(uow, product_code, body.family, bom)
        await uow.commit()
    return {"product_code": product_code, **body.model_dump(mode="json")}


@router.get("/products/{product_code}")
async def get_product(product_code: str, request: Request) -> dict[str, Any]:
    async with _runtime(request).new_uow() as uow:
        found = await Repos(uow).products.get(product_code)
    if found is None:
        raise HTTPException(404, f"product {product_code} not found")
    return found


@router.put("/materials/{material_code}")
async def put_material(material_code: str, body: StockIn, request: Request) -> dict[str, Any]:
    """Set the free stock of a raw material (a stock count)."""
    async with _runtime(request).new_uow() as uow:
        await setup.set_material_stock(uow, material_code, body.on_hand, body.unit)
        await uow.commit()
    return {"material_code": material_code, **body.model_dump(mode="json")}


@router.get("/materials")
async def list_materials(request: Request) -> list[dict[str, Any]]:
    async with _runtime(request).new_uow() as uow:
        return await Repos(uow).materials.all()


@router.post("/material-receipts")
async def receive_materials(body: ReceiptIn, request: Request) -> dict[str, Any]:
    """Materials arrived at the line; a work order waiting for them can start."""
    if body.requisition_id is None and body.work_order_id is None:
        raise HTTPException(422, "requisition_id or work_order_id is required")
    async with _runtime(request).new_uow() as uow:
        try:
            wo = await shop_floor.receive_materials(
                uow,
                body.requisition_id,
                body.work_order_id,
                [(m.material_code, m.quantity, m.unit) for m in body.materials],
            )
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        await uow.commit()
    return {"work_order": WorkOrderOut.of(wo).model_dump(mode="json") if wo else None}


@router.get("/schedule")
async def schedule_view(
    request: Request,
    line: str | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> list[dict[str, Any]]:
    """The planner's view: per line and day, the share of capacity used and the work on it."""
    runtime = _runtime(request)
    start = day_from or _planning(request).today(runtime.clock.now())
    end = day_to or start + timedelta(days=30)
    async with runtime.new_uow() as uow:
        repos = Repos(uow)
        rows = await repos.lines.schedule_view(line, start, end)
        rates = {
            ln.code: ln.rates for ln in await repos.lines.lines({r["line_code"] for r in rows})
        }
    days: dict[tuple[str, date], dict[str, Any]] = {}
    for row in rows:
        key = (row["line_code"], row["day"])
        entry = days.setdefault(
            key, {"line_code": key[0], "day": key[1], "used": Fraction(0), "work_orders": []}
        )
        rate = rates[row["line_code"]].get(row["family"])
        if rate:
            entry["used"] += Fraction(row["quantity"], rate)
        entry["work_orders"].append(
            {
                k: row[k]
                for k in (
                    "work_order_id",
                    "work_order_no",
                    "order_no",
                    "product_code",
                    "quantity",
                    "rush",
                    "status",
                )
            }
        )
    return [{**e, "used": float(e["used"])} for e in days.values()]


@router.get("/work-orders")
async def list_work_orders(
    request: Request,
    order_id: UUID | None = None,
    status_: Annotated[str | None, Query(alias="status")] = None,
    line: str | None = None,
) -> list[WorkOrderOut]:
    async with _runtime(request).new_uow() as uow:
        found = await Repos(uow).work_orders.search(order_id, status_, line)
    return [WorkOrderOut.of(wo) for wo in found]


@router.get("/work-orders/{work_order_id}")
async def get_work_order(work_order_id: UUID, request: Request) -> WorkOrderOut:
    async with _runtime(request).new_uow() as uow:
        wo = await Repos(uow).work_orders.get(work_order_id)
    if wo is None:
        raise HTTPException(404, f"work order {work_order_id} not found")
    return WorkOrderOut.of(wo)


@router.post("/work-orders/{work_order_id}/progress")
async def report_progress(work_order_id: UUID, body: ProgressIn, request: Request) -> WorkOrderOut:
    """Shop-floor report: start, cumulative good and scrapped pieces, completion with a lot."""
    if body.complete and not body.lot_no:
        raise HTTPException(422, "lot_no is required when complete is true")
    async with _runtime(request).new_uow() as uow:
        try:
            wo = await shop_floor.report_progress(
                uow,
                _planning(request),
                work_order_id,
                started=body.started,
                quantity_done=body.quantity_done,
                quantity_scrapped=body.quantity_scrapped,
                complete=body.complete,
                lot_no=body.lot_no,
                reported_by=body.reported_by,
                causation=None,
            )
        except NotFound as exc:
            raise HTTPException(404, str(exc)) from exc
        except IllegalTransition as exc:
            raise HTTPException(409, {"status": exc.status, "detail": str(exc)}) from exc
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from exc
        await uow.commit()
    return WorkOrderOut.of(wo)


@router.post("/delay-checks")
async def run_delay_check(request: Request) -> dict[str, int]:
    """Check open work orders against their plan now (also runs periodically)."""
    async with _runtime(request).new_uow() as uow:
        delayed = await shop_floor.check_delays(uow, _planning(request))
        await uow.commit()
    return {"delayed": delayed}
