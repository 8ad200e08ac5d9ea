"""Statuses of the warehouse's fulfilments, pick lists, inspections and returns."""

from __future__ import annotations

from enum import StrEnum


class FulfilmentStatus(StrEnum):
    """An order in the warehouse: reserving, then picking, picked, ready to ship, shipped."""

    AWAITING_CONFIRMATION = "awaiting_confirmation"
    """An amendment came before the order's confirmation (events may arrive out of order)."""
    RESERVING = "reserving"
    PICKING = "picking"
    PICKED = "picked"
    READY = "ready"
    SHIPPED = "shipped"
    CANCELLED = "cancelled"


class PickListStatus(StrEnum):
    OPEN = "open"
    PICKED = "picked"
    VOID = "void"


class InspectionStatus(StrEnum):
    """Inbound QC of a produced lot."""

    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


class ReturnStatus(StrEnum):
    """Returned goods: held until inspected, then restocked or scrapped."""

    RECEIVED = "received"
    INSPECTED = "inspected"
