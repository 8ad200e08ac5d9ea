"""Events of production planning: work orders, progress, delays, completion, materials."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import Field

from contracts.base import ContractModel, Event
from contracts.common import Count, LineNo, MaterialLine, OrderNo, Quantity, Text
from contracts.enums import DelayCause
from contracts.registry import register


class WorkOrder(ContractModel):
    """One production order for (part of) an order line."""

    work_order_id: UUID = Field(description="Work order identifier.")
    work_order_no: Text = Field(description="Work order number shown on the shop floor.")
    line_no: LineNo = Field(description="Order line the work order makes.")
    product_code: Text = Field(description="Product to make.")
    spec: Text = Field(description="Specification to make it to.")
    quantity: Quantity = Field(description="Pieces to make.")
    production_line: Text = Field(description="Production line or work centre.")
    planned_start: date = Field(description="Planned start day.")
    planned_finish: date = Field(description="Planned finish day.")


class WorkOrderEvent(Event):
    """Base of the events about one work order."""

    work_order_id: UUID = Field(description="Work order identifier.")
    order_id: UUID = Field(description="Order the work order is for.")
    order_no: OrderNo = Field(description="Order number.")


@register
class ProductionScheduled(Event):
    """Work orders were scheduled (finite capacity) for what the warehouse could not reserve."""

    message_type = "production.scheduled"
    message_version = 1

    order_id: UUID = Field(description="Order the work orders are for.")
    order_no: OrderNo = Field(description="Order number.")
    work_orders: list[WorkOrder] = Field(min_length=1, description="Scheduled work orders.")
    planned_finish: date = Field(description="Day the last work order is planned to finish.")
    rush: bool = Field(default=False, description="Scheduled ahead of others as a rush order.")


@register
class ProductionProgressed(WorkOrderEvent):
    """Progress was reported on a work order (cumulative quantities)."""

    message_type = "production.progressed"
    message_version = 1

    quantity_planned: Quantity = Field(description="Pieces the work order must make.")
    quantity_done: Count = Field(description="Good pieces made so far.")
    quantity_scrapped: Count = Field(default=0, description="Pieces scrapped so far.")
    started: bool = Field(default=True, description="Work on the order has started.")
    reported_by: str | None = Field(default=None, description="Who reported the progress.")


@register
class ProductionCompleted(WorkOrderEvent):
    """A work order finished; its goods go to inbound inspection in the warehouse."""

    message_type = "production.completed"
    message_version = 1

    work_order_no: Text = Field(description="Work order number.")
    line_no: LineNo = Field(description="Order line the goods are for.")
    product_code: Text = Field(description="Product made.")
    quantity: Quantity = Field(description="Good pieces handed to inspection.")
    quantity_scrapped: Count = Field(default=0, description="Pieces scrapped in production.")
    lot_no: Text = Field(description="Production lot number, for traceability.")


@register
class ProductionCancelled(WorkOrderEvent):
    """A work order was cancelled (order cancelled or amended down)."""

    message_type = "production.cancelled"
    message_version = 1

    reason: Text = Field(description="Why the work order was cancelled.")
    quantity_done: Count = Field(
        default=0, description="Pieces already made; they go to stock as free goods."
    )


@register
class ProductionDelayed(Event):
    """Production will miss its planned finish (``*.delayed``)."""

    message_type = "production.delayed"
    message_version = 1

    order_id: UUID = Field(description="Order affected.")
    order_no: OrderNo = Field(description="Order number.")
    work_order_id: UUID | None = Field(default=None, description="Work order that is late.")
    old_date: date | None = Field(default=None, description="Previously planned finish.")
    new_date: date = Field(description="New planned finish.")
    cause: DelayCause = Field(description="Kind of cause.")
    reason: Text = Field(description="What happened, in words.")


@register
class MaterialRequisitioned(Event):
    """Materials were requested for a work order."""

    message_type = "material.requisitioned"
    message_version = 1

    requisition_id: UUID = Field(description="Requisition identifier.")
    requisition_no: Text = Field(description="Requisition number.")
    work_order_id: UUID = Field(description="Work order the materials are for.")
    order_id: UUID | None = Field(default=None, description="Order behind the work order.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    materials: list[MaterialLine] = Field(min_length=1, description="Materials requested.")
    needed_by: date = Field(description="Day the materials must be at the line.")
