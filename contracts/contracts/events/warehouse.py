"""Events of the warehouse: reservations, inbound inspection, packing, returns, reordering."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import Field

from contracts.base import ContractModel, Event
from contracts.common import (
    Address,
    Count,
    LineNo,
    LineQuantity,
    OrderNo,
    Package,
    Quantity,
    Text,
)
from contracts.enums import QcDisposition, ReturnOutcome, StockReleaseReason
from contracts.registry import register


class ReservedLine(ContractModel):
    """Reservation state of one order line."""

    line_no: LineNo = Field(description="Order line.")
    product_code: Text = Field(description="Product code.")
    quantity_ordered: Quantity = Field(description="Pieces ordered.")
    quantity_reserved: Count = Field(description="Pieces now reserved for the order (total).")
    shortfall: Count = Field(description="Pieces still missing (ordered - reserved).")


class ShortfallChange(ContractModel):
    """How much more (or, negative, less) of one line production is to make."""

    line_no: LineNo = Field(description="Order line.")
    product_code: Text = Field(description="Product code.")
    change: int = Field(description="Pieces added to (or taken off) what production makes.")


@register
class StockReserved(Event):
    """Stock was reserved for an order; when nothing is short, picking can start."""

    message_type = "stock.reserved"
    message_version = 1

    order_id: UUID = Field(description="Order reserved for.")
    order_no: OrderNo = Field(description="Order number.")
    lines: list[ReservedLine] = Field(min_length=1, description="Per-line reservation state.")
    fully_reserved: bool = Field(description="Every line is reserved in full.")
    lot_no: str | None = Field(
        default=None, description="Production lot reserved, when the reservation follows QC."
    )
    shortfall_changes: list[ShortfallChange] | None = Field(
        default=None,
        description="How this report moves what production is to make, per line, since the "
        "warehouse's previous report for the order: the whole shortfall at the first report, "
        "then what amendments added or took off (lines amended to nothing included). Lots "
        "production delivered are not changes. Absent from a lot's reservation and from "
        "producers older than this field.",
    )


@register
class StockReleased(Event):
    """Reserved stock went back to free stock."""

    message_type = "stock.released"
    message_version = 1

    order_id: UUID = Field(description="Order the stock was reserved for.")
    order_no: OrderNo = Field(description="Order number.")
    lines: list[LineQuantity] = Field(min_length=1, description="Quantities released.")
    reason: StockReleaseReason = Field(description="Why the stock was released.")


class InspectionEvent(Event):
    """Base of inbound inspection results for finished goods from production."""

    inspection_id: UUID = Field(description="Inspection identifier.")
    work_order_id: UUID | None = Field(default=None, description="Work order inspected.")
    order_id: UUID | None = Field(default=None, description="Order the goods are for.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    product_code: Text = Field(description="Product inspected.")
    lot_no: Text = Field(description="Production lot inspected.")
    inspector: str | None = Field(default=None, description="Who inspected.")


@register
class InspectionPassed(InspectionEvent):
    """Finished goods passed inbound QC and go into stock."""

    message_type = "inspection.passed"
    message_version = 1

    quantity: Quantity = Field(description="Pieces accepted.")


@register
class InspectionFailed(InspectionEvent):
    """Finished goods failed inbound QC and go back to production for rework (or scrap)."""

    message_type = "inspection.failed"
    message_version = 1

    quantity_inspected: Quantity = Field(description="Pieces inspected.")
    quantity_rejected: Quantity = Field(description="Pieces rejected.")
    defect_code: str | None = Field(default=None, description="Defect code, if classified.")
    defect: Text = Field(description="What is wrong with the goods.")
    disposition: QcDisposition = Field(description="Rework or scrap.")


@register
class GoodsReady(Event):
    """The whole order is picked and packed; logistics can book a carrier."""

    message_type = "goods.ready"
    message_version = 1

    order_id: UUID = Field(description="Order packed.")
    order_no: OrderNo = Field(description="Order number.")
    packages: list[Package] = Field(min_length=1, description="Packages ready for pickup.")
    total_weight_kg: Decimal = Field(gt=0, description="Sum of package weights in kg.")
    delivery_address: Address = Field(description="Where the goods go.")
    promised_date: date | None = Field(
        default=None, description="Promised delivery date, for carrier choice."
    )
    rush: bool = Field(default=False, description="Rush order: choose a fast carrier.")


@register
class StockBelowReorderPoint(Event):
    """Free stock of an item fell below its reorder point."""

    message_type = "stock.below_reorder_point"
    message_version = 1

    product_code: Text = Field(description="Item.")
    location: str | None = Field(default=None, description="Warehouse or location.")
    on_hand: Count = Field(description="Pieces on hand.")
    reserved: Count = Field(description="Pieces reserved for orders.")
    available: int = Field(description="On hand minus reserved (may be negative).")
    reorder_point: Count = Field(description="Reorder point of the item.")
    suggested_quantity: Quantity | None = Field(
        default=None, description="Suggested replenishment quantity."
    )


class ReturnEvent(Event):
    """Base of the events about returned goods."""

    return_id: UUID = Field(description="Return identifier.")
    rma_no: Text = Field(description="Return authorisation number.")
    order_id: UUID | None = Field(default=None, description="Original order.")
    order_no: OrderNo | None = Field(default=None, description="Original order number.")


@register
class ReturnReceived(ReturnEvent):
    """Returned goods arrived at the warehouse; they wait for inspection."""

    message_type = "return.received"
    message_version = 1

    lines: list[LineQuantity] = Field(min_length=1, description="What came back.")
    condition_notes: str | None = Field(default=None, description="Visible condition on arrival.")


class InspectedReturnLine(ContractModel):
    """Inspection result for returned goods of one order line."""

    line_no: LineNo | None = Field(default=None, description="Original order line, if known.")
    product_code: Text = Field(description="Product returned.")
    quantity: Quantity = Field(description="Pieces with this outcome.")
    outcome: ReturnOutcome = Field(description="Back into stock or scrapped.")
    reason: Text = Field(description="Why (inspection finding).")


@register
class ReturnInspected(ReturnEvent):
    """Returned goods were inspected and restocked or scrapped."""

    message_type = "return.inspected"
    message_version = 1

    complaint_id: UUID | None = Field(default=None, description="Complaint behind the return.")
    items: list[InspectedReturnLine] = Field(min_length=1, description="Inspection results.")
    inspector: str | None = Field(default=None, description="Who inspected.")
