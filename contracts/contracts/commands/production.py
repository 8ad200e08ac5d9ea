"""Commands to the production service from shop-floor and ERP systems."""

from __future__ import annotations

from typing import Self
from uuid import UUID

from pydantic import AwareDatetime, Field, model_validator

from contracts.base import Command
from contracts.common import Count, MaterialLine, Text
from contracts.registry import register


@register
class ReportProgress(Command):
    """Report progress on a work order; quantities are cumulative, so a repeat is harmless.

    ``complete=True`` finishes the work order (``production.completed``) and needs a lot number.
    """

    message_type = "production.report_progress"
    message_version = 1

    work_order_id: UUID = Field(description="Work order reported on.")
    started: bool = Field(default=True, description="Work has started.")
    quantity_done: Count = Field(description="Good pieces made so far (cumulative).")
    quantity_scrapped: Count = Field(default=0, description="Pieces scrapped so far.")
    complete: bool = Field(default=False, description="The work order is finished.")
    lot_no: str | None = Field(default=None, description="Lot number (required on completion).")
    reported_by: Text = Field(description="Who reports.")
    reported_at: AwareDatetime = Field(description="When the figures were taken.")

    @model_validator(mode="after")
    def _completion_needs_a_lot(self) -> Self:
        if self.complete and not self.lot_no:
            raise ValueError("lot_no is required when complete is true")
        return self


@register
class ReceiveMaterials(Command):
    """Record materials delivered to the line for a requisition or work order."""

    message_type = "production.receive_materials"
    message_version = 1

    requisition_id: UUID | None = Field(default=None, description="Requisition fulfilled.")
    work_order_id: UUID | None = Field(default=None, description="Work order supplied.")
    materials: list[MaterialLine] = Field(min_length=1, description="Materials received.")
    delivery_note_ref: str | None = Field(default=None, description="Delivery note number.")
    received_by: Text = Field(description="Who received them.")
    received_at: AwareDatetime = Field(description="When they arrived.")
