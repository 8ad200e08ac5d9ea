"""Statuses of production's work orders and material requisitions."""

from __future__ import annotations

from enum import StrEnum


class WorkOrderStatus(StrEnum):
    """A work order: planned on a line, started on the shop floor, then completed or cancelled."""

    PLANNED = "planned"
    STARTED = "started"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class WorkOrderKind(StrEnum):
    """What a work order makes: an order line's shortfall, or a lot QC sent back."""

    PRODUCTION = "production"
    REWORK = "rework"


class RequisitionStatus(StrEnum):
    """A material requisition: open until the materials it asked for are received."""

    OPEN = "open"
    RECEIVED = "received"
