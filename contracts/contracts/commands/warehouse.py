"""Commands to the warehouse service from scanners and the warehouse system."""

from __future__ import annotations

from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.commands.sales import OrderReference
from contracts.common import LineQuantity, Package, Text
from contracts.registry import register


@register
class ConfirmPick(OrderReference):
    """Picking of an order (or part of it) is done."""

    message_type = "warehouse.confirm_pick"
    message_version = 1

    pick_list_id: UUID | None = Field(default=None, description="Pick list worked through.")
    lines: list[LineQuantity] = Field(min_length=1, description="Quantities picked.")
    picked_by: Text = Field(description="Who picked.")
    picked_at: AwareDatetime = Field(description="When picking finished.")


@register
class ConfirmPack(OrderReference):
    """Packing of an order is done; the packages are labelled."""

    message_type = "warehouse.confirm_pack"
    message_version = 1

    packages: list[Package] = Field(min_length=1, description="Packages made.")
    packed_by: Text = Field(description="Who packed.")
    packed_at: AwareDatetime = Field(description="When packing finished.")
