"""Statuses of the customer service's timelines, complaints, remedy plans, returns, service
tickets and spare-part orders."""

from __future__ import annotations

from enum import StrEnum


class OrderStage(StrEnum):
    """How far an order has come, as its timeline folds the events (the furthest stage reached;
    a rejection or cancellation ends it)."""

    PENDING_INFO = "pending_info"
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_SIGNATURE = "awaiting_signature"
    SIGNED = "signed"
    CONFIRMED = "confirmed"
    IN_PRODUCTION = "in_production"
    READY_TO_SHIP = "ready_to_ship"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class TimelineKind(StrEnum):
    """What a timeline follows: an order, a complaint, or anything else correlated."""

    ORDER = "order"
    COMPLAINT = "complaint"
    OTHER = "other"


class ComplaintStatus(StrEnum):
    OPEN = "open"
    ASSIGNED = "assigned"
    AWAITING_APPROVAL = "awaiting_approval"
    """A settlement giving money back beyond the resolving person's band waits for a second
    person with the authority (the customer-service supervisor, or the vice-president)."""
    RESOLVED = "resolved"


class RemedyPlanStatus(StrEnum):
    """A delay's remedy plan: filled in by a person, then the customer's consent."""

    OPEN = "open"
    PROPOSED = "proposed"
    DECLINED = "declined"
    CONSENTED = "consented"
    CANCELLED = "cancelled"


class ReturnCaseStatus(StrEnum):
    """Goods coming back after a complaint: authorised, received, inspected and settled."""

    AUTHORIZED = "authorized"
    RECEIVED = "received"
    SETTLEMENT_REQUESTED = "settlement_requested"


class ServiceTicketStatus(StrEnum):
    """An after-sales job: the technician's record waits for review before the customer
    hears the result."""

    OPENED = "opened"
    DISPATCHED = "dispatched"
    WORK_RECORDED = "work_recorded"
    CLOSED = "closed"


class SparePartStatus(StrEnum):
    ORDERED = "ordered"
    ARRIVED = "arrived"
    INSTALLED = "installed"
