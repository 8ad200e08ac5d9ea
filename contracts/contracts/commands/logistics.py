"""Commands to the logistics service from carrier portals."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import AwareDatetime, Field

from contracts.base import Command
from contracts.common import Text
from contracts.enums import ShipmentExceptionKind, ShipmentStatus
from contracts.registry import register


@register
class RecordScan(Command):
    """A carrier tracking scan. ``scan_id`` is unique per carrier, so repeats are dropped."""

    message_type = "logistics.record_scan"
    message_version = 1

    carrier: Text = Field(description="Carrier code.")
    tracking_no: Text = Field(description="Carrier's tracking number.")
    reference_field: ClassVar[str | None] = "scan_id"

    scan_id: Text = Field(description="Carrier's unique id of this scan (deduplication).")
    status: ShipmentStatus = Field(description="Status the scan reports.")
    location: str | None = Field(default=None, description="Where the scan happened.")
    at: AwareDatetime = Field(description="When the scan happened.")
    description: str | None = Field(default=None, description="Carrier's text.")
    eta: date | None = Field(default=None, description="Carrier's current expected delivery day.")
    exception_kind: ShipmentExceptionKind | None = Field(
        default=None, description="Kind of problem, for status 'exception'."
    )
    signed_by: str | None = Field(default=None, description="Signatory, for status 'delivered'.")
    proof_ref: str | None = Field(
        default=None, description="Proof-of-delivery reference, for status 'delivered'."
    )
