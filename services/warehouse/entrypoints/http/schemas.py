"""What the warehouse's HTTP API takes and answers: one model per body, typed in OpenAPI.

Nobody names themselves in a body: who picked, packed, counted or inspected is the signed-in
person, and when is the server's time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from contracts.common import LineQuantity, Package
from contracts.enums import QcDisposition, ReturnOutcome
from contracts.status.warehouse import (
    FulfilmentStatus,
    InspectionStatus,
    PickListStatus,
    ReturnStatus,
)
from services.warehouse.domain.fulfilment import Fulfilment
from services.warehouse.domain.inspection import GoodsReturn, Inspection

Code = Field(min_length=1, max_length=64, pattern=r"^\S+$")


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class ItemIn(Body):
    product_code: str = Code
    description: str | None = Field(default=None, max_length=500)
    reorder_point: int = Field(default=0, ge=0, le=10_000_000)
    reorder_quantity: int | None = Field(default=None, ge=1, le=10_000_000)


class LocationIn(Body):
    code: str = Code
    name: str | None = Field(default=None, max_length=200)


class ReceiptIn(Body):
    product_code: str = Code
    location: str = Code
    quantity: int = Field(ge=1, le=10_000_000)
    reference: str | None = Field(default=None, max_length=200)


class AdjustmentIn(Body):
    product_code: str = Code
    location: str = Code
    quantity: int = Field(
        ge=-10_000_000, le=10_000_000, description="Signed change of on-hand, e.g. -2 for breakage"
    )
    reason: str = Field(min_length=1, max_length=500)


class CountIn(Body):
    product_code: str = Code
    location: str = Code
    counted: int = Field(ge=0, le=10_000_000)


class PickIn(Body):
    lines: list[LineQuantity] | None = Field(
        default=None, max_length=500, description="Quantities picked; omitted = exactly as listed"
    )


class PackIn(Body):
    packages: list[Package] = Field(min_length=1, max_length=500)


class PassIn(Body):
    location: str | None = Field(default=None, min_length=1, max_length=64)


class FailIn(Body):
    defect: str = Field(min_length=1, max_length=1000)
    defect_code: str | None = Field(default=None, max_length=64)
    disposition: QcDisposition = QcDisposition.REWORK
    quantity_rejected: int | None = Field(default=None, ge=1, le=10_000_000)
    location: str | None = Field(default=None, min_length=1, max_length=64)


class ReturnItemIn(Body):
    line_no: int | None = Field(default=None, ge=1, le=10_000)
    product_code: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=1, le=10_000_000)
    outcome: ReturnOutcome
    reason: str = Field(min_length=1, max_length=1000)


class ReturnInspectionIn(Body):
    location: str | None = Field(default=None, min_length=1, max_length=64)
    items: list[ReturnItemIn] = Field(min_length=1, max_length=500)


class ItemView(BaseModel):
    product_code: str
    description: str | None
    reorder_point: int
    reorder_quantity: int | None
    created_at: datetime | None = None


class ItemCreated(ItemView):
    created: bool = Field(description="False when the item was known already (nothing changed)")


class LocationView(BaseModel):
    code: str
    name: str | None
    created_at: datetime | None = None


class StockLevelView(BaseModel):
    location: str
    on_hand: int
    reserved: int
    available: int


class StockView(BaseModel):
    product_code: str
    locations: list[StockLevelView]
    on_hand: int
    reserved: int
    available: int

    @classmethod
    def of(cls, product_code: str, levels: list[dict[str, Any]]) -> StockView:
        rows = [StockLevelView.model_validate(lv) for lv in levels]
        return cls(
            product_code=product_code,
            locations=rows,
            on_hand=sum(r.on_hand for r in rows),
            reserved=sum(r.reserved for r in rows),
            available=sum(r.available for r in rows),
        )


class ItemDetail(ItemView):
    stock: StockView


class MovementView(BaseModel):
    id: int
    product_code: str
    location: str
    kind: str
    on_hand_delta: int
    reserved_delta: int
    order_id: UUID | None
    reference: str | None
    reason: str | None
    created_at: datetime


class ItemReservationView(BaseModel):
    order_id: UUID
    order_no: str | None
    status: FulfilmentStatus
    line_no: int
    location: str
    quantity_reserved: int
    quantity_picked: int


class PickLineView(BaseModel):
    line_no: int
    product_code: str
    quantity: int


class PickListView(BaseModel):
    pick_list_id: UUID
    location: str
    status: PickListStatus
    lines: list[PickLineView]
    picked_by: str | None
    picked_at: datetime | None


class OpenPickListView(PickListView):
    order_id: UUID
    created_at: datetime


class AllocationView(BaseModel):
    reserved: int
    picked: int


class FulfilmentLineView(BaseModel):
    line_no: int
    product_code: str
    quantity_ordered: int
    quantity_reserved: int
    quantity_picked: int
    shortfall: int
    locations: dict[str, AllocationView]


class FulfilmentView(BaseModel):
    """An order as the warehouse holds it: what is reserved and picked where, its pick lists
    and packages."""

    order_id: UUID
    order_no: str | None
    status: FulfilmentStatus
    fully_reserved: bool
    lines: list[FulfilmentLineView]
    pick_lists: list[PickListView]
    packages: list[Package]

    @classmethod
    def of(cls, f: Fulfilment) -> FulfilmentView:
        return cls(
            order_id=f.order_id,
            order_no=f.order_no,
            status=f.status,
            fully_reserved=f.fully_reserved,
            lines=[
                FulfilmentLineView(
                    line_no=line.line_no,
                    product_code=line.product_code,
                    quantity_ordered=line.ordered,
                    quantity_reserved=sum(a.reserved for a in line.allocations.values()),
                    quantity_picked=sum(a.picked for a in line.allocations.values()),
                    shortfall=line.shortfall,
                    locations={
                        loc: AllocationView(reserved=a.reserved, picked=a.picked)
                        for loc, a in line.allocations.items()
                    },
                )
                for line in sorted(f.lines.values(), key=lambda x: x.line_no)
            ],
            pick_lists=[
                PickListView(
                    pick_list_id=pl.pick_list_id,
                    location=pl.location,
                    status=pl.status,
                    lines=[PickLineView.model_validate(vars(p)) for p in pl.lines],
                    picked_by=pl.picked_by,
                    picked_at=pl.picked_at,
                )
                for pl in f.pick_lists
            ],
            packages=list(f.packages),
        )


class InspectionView(BaseModel):
    inspection_id: UUID
    work_order_id: UUID | None
    order_id: UUID | None
    order_no: str | None
    line_no: int | None
    product_code: str
    lot_no: str
    quantity: int
    status: InspectionStatus
    quantity_rejected: int
    inspector: str | None
    defect: str | None
    decided_at: datetime | None
    created_at: datetime | None = None

    @classmethod
    def of(cls, i: Inspection) -> InspectionView:
        return cls.model_validate({k: v for k, v in vars(i).items() if k != "events"})


class ReturnOutcomeView(BaseModel):
    line_no: int | None
    product_code: str
    quantity: int
    outcome: ReturnOutcome
    reason: str


class ReturnView(BaseModel):
    return_id: UUID
    rma_no: str
    order_id: UUID | None
    order_no: str | None
    lines: list[LineQuantity]
    condition_notes: str | None
    status: ReturnStatus
    complaint_id: UUID | None
    inspector: str | None
    results: list[ReturnOutcomeView]
    inspected_at: datetime | None

    @classmethod
    def of(cls, r: GoodsReturn) -> ReturnView:
        fields = {k: v for k, v in vars(r).items() if k not in ("events", "results")}
        return cls.model_validate({**fields, "results": [vars(x) for x in r.results]})
