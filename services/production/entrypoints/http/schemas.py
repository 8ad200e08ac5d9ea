"""What production's HTTP API takes and answers: one model per body, typed in OpenAPI.

Nobody names themselves in a body: who reported progress is the signed-in person, and when is
the server's time.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from contracts.status.production import WorkOrderKind, WorkOrderStatus
from services.production.app.queries import ScheduleDay
from services.production.domain.capacity import Line
from services.production.domain.work_order import WorkOrder

Code = Field(min_length=1, max_length=64)
CodeInPath = Annotated[str, Path(min_length=1, max_length=64)]
Unit = Field(min_length=1, max_length=16)
Pieces = Field(gt=0, le=1_000_000)


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class CapacityIn(Body):
    family: str = Code
    pieces_per_day: int = Pieces


class LineIn(Body):
    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    capacities: list[CapacityIn] = Field(default_factory=list, max_length=100)


class RateIn(Body):
    pieces_per_day: int = Pieces


class DowntimeIn(Body):
    day: date
    reason: str | None = Field(default=None, max_length=500)


class BomItemIn(Body):
    material_code: str = Code
    quantity_per_piece: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    unit: str = Unit


class ProductIn(Body):
    family: str = Code
    bom: list[BomItemIn] = Field(default_factory=list, max_length=200)


class StockIn(Body):
    on_hand: Decimal = Field(ge=0, max_digits=14, decimal_places=4)
    unit: str = Unit


class MaterialIn(Body):
    material_code: str = Code
    quantity: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    unit: str = Unit


class ReceiptIn(Body):
    """Materials arrived at the line, for a requisition or a work order (one of them)."""

    requisition_id: UUID | None = None
    work_order_id: UUID | None = None
    materials: list[MaterialIn] = Field(min_length=1, max_length=200)


class ProgressIn(Body):
    """Cumulative figures from the shop floor; who reports is the signed-in person."""

    started: bool = True
    quantity_done: int = Field(default=0, ge=0, le=10_000_000)
    quantity_scrapped: int = Field(default=0, ge=0, le=10_000_000)
    complete: bool = False
    lot_no: str | None = Field(
        default=None, min_length=1, max_length=64, description="Required when complete is true"
    )


class DowntimeView(BaseModel):
    day: date
    reason: str | None


class LineSummary(BaseModel):
    code: str
    capacities: dict[str, int] = Field(description="Pieces per business day, per family")

    @classmethod
    def of(cls, line: Line) -> LineSummary:
        return cls(code=line.code, capacities=dict(line.rates))


class LineView(LineSummary):
    downtime: list[DowntimeView]

    @classmethod
    def with_downtime(cls, line: Line, downtime: list[dict[str, Any]]) -> LineView:
        days = [DowntimeView.model_validate(d) for d in downtime]
        return cls(code=line.code, capacities=dict(line.rates), downtime=days)


class BomItemView(BaseModel):
    material_code: str
    quantity_per_piece: Decimal
    unit: str


class ProductView(BaseModel):
    product_code: str
    family: str
    bom: list[BomItemView]

    @classmethod
    def of(cls, found: dict[str, Any]) -> ProductView:
        bom = [BomItemView.model_validate(vars(item)) for item in found["bom"]]
        return cls(product_code=found["product_code"], family=found["family"], bom=bom)


class MaterialView(BaseModel):
    material_code: str
    on_hand: Decimal
    unit: str
    updated_at: datetime | None = None


class SlotView(BaseModel):
    line_code: str
    day: date
    quantity: int


class WorkOrderView(BaseModel):
    work_order_id: UUID
    work_order_no: str
    order_id: UUID
    order_no: str
    line_no: int
    product_code: str
    spec: str
    family: str
    quantity: int
    kind: WorkOrderKind
    parent_id: UUID | None
    status: WorkOrderStatus
    rush: bool
    promised_date: date
    line_code: str | None
    planned_start: date | None
    planned_finish: date | None
    quantity_done: int
    quantity_scrapped: int
    lot_no: str | None
    materials_ready: bool
    slots: list[SlotView]

    @classmethod
    def of(cls, wo: WorkOrder) -> WorkOrderView:
        data = {name: getattr(wo, name) for name in cls.model_fields if name != "slots"}
        slots = [SlotView(line_code=s.line_code, day=s.day, quantity=s.quantity) for s in wo.slots]
        return cls(**data, slots=slots)


class ReceiptView(BaseModel):
    work_order: WorkOrderView | None = Field(
        description="The work order supplied (materials_ready once nothing is short), if any"
    )


class ScheduledWorkView(BaseModel):
    work_order_id: UUID
    work_order_no: str
    order_no: str
    product_code: str
    quantity: int
    rush: bool
    status: WorkOrderStatus


class ScheduleDayView(BaseModel):
    line_code: str
    day: date
    used: float = Field(description="Share of the line's day taken: 0 free, 1 full")
    work_orders: list[ScheduledWorkView]

    @classmethod
    def of(cls, d: ScheduleDay) -> ScheduleDayView:
        work = [ScheduledWorkView.model_validate(row) for row in d.work_orders]
        return cls(line_code=d.line_code, day=d.day, used=float(d.used), work_orders=work)


class DelayCheckView(BaseModel):
    delayed: int = Field(description="Work orders that reported a new delay")
