"""The order timeline: a read model folded from every event, keyed by correlation id.

Events may arrive twice or out of order, and the timeline must come out the same when it is
rebuilt by replaying the stored events in another order. So every field is folded with an
order-independent rule:

- the stage is the furthest one reached (a cancellation or rejection ends it whatever comes after);
- each stage remembers the earliest instant it was reached;
- dates that can change (promised date, ETA, production slip) keep the value of the latest event
  by ``occurred_at`` (ties broken by event id);
- identity fields (order number, customer, contact) are first-known-wins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from contracts.base import Message
from contracts.events import (
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
    GoodsDelivered,
    GoodsReady,
    GoodsShipped,
    InspectionFailed,
    InspectionPassed,
    OrderAmended,
    OrderApprovalRequested,
    OrderApproved,
    OrderCancelled,
    OrderCompleted,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderDeliveryDateChanged,
    OrderInfoRequested,
    OrderReceived,
    OrderRejected,
    OrderReviewed,
    OrderReviewRequested,
    OrderSigned,
    ProductionCompleted,
    ProductionDelayed,
    ProductionProgressed,
    ProductionScheduled,
    ShipmentDelayed,
    ShipmentException,
    ShipmentUpdated,
    SlaBreached,
    StockReserved,
)
from contracts.status.customer_service import OrderStage

# Stages of an order, in the order they are reached; a rejection or cancellation ends it.
TERMINAL: tuple[str, ...] = (OrderStage.REJECTED.value, OrderStage.CANCELLED.value)
STAGES: tuple[str, ...] = tuple(s.value for s in OrderStage if s.value not in TERMINAL)
_RANK = {stage: i for i, stage in enumerate(STAGES)} | {s: 100 for s in TERMINAL}

_STAGE_OF: dict[type[Message], str] = {
    OrderInfoRequested: "pending_info",
    OrderReceived: "received",
    OrderReviewRequested: "in_review",
    OrderReviewed: "in_review",
    OrderApprovalRequested: "awaiting_approval",
    OrderApproved: "awaiting_approval",
    OrderConfirmationSent: "awaiting_signature",
    OrderSigned: "signed",
    OrderConfirmed: "confirmed",
    StockReserved: "confirmed",
    ProductionScheduled: "in_production",
    ProductionProgressed: "in_production",
    ProductionCompleted: "in_production",
    GoodsReady: "ready_to_ship",
    GoodsShipped: "shipped",
    ShipmentUpdated: "shipped",
    GoodsDelivered: "delivered",
    OrderCompleted: "completed",
    OrderRejected: "rejected",
    OrderCancelled: "cancelled",
}

_ACTOR_FIELDS = (
    "signed_by",
    "approved_by",
    "rejected_by",
    "reviewer",
    "cancelled_by",
    "consented_by",
    "assignee",
    "escalated_to",
    "technician",
    "closed_by",
    "inspector",
    "reported_by",
)


@dataclass(frozen=True)
class Fact:
    """One received event, as the timeline needs it."""

    event_id: UUID
    type: str
    producer: str
    occurred_at: datetime
    correlation_id: str
    message: Message

    @property
    def version_key(self) -> str:
        return f"{self.occurred_at.isoformat()}|{self.event_id}"


@dataclass(frozen=True)
class Entry:
    """One line of an order's history: who did what, when."""

    event_id: UUID
    event_type: str
    occurred_at: datetime
    who: str
    what: str


@dataclass
class Timeline:
    key: str
    kind: str = "order"
    order_id: UUID | None = None
    order_no: str | None = None
    complaint_no: str | None = None
    customer_id: str | None = None
    customer_name: str | None = None
    contact: dict[str, Any] = field(default_factory=dict)
    country: str | None = None
    stage: str | None = None
    stage_at: datetime | None = None
    stage_times: dict[str, datetime] = field(default_factory=dict)
    requested_date: date | None = None
    promised_date: date | None = None
    eta: date | None = None
    production_slip_days: int = 0
    carrier: str | None = None
    tracking_no: str | None = None
    review_requested_at: datetime | None = None
    reviewed_at: datetime | None = None
    delivered_at: datetime | None = None
    delivered_on: date | None = None
    first_event_at: datetime | None = None
    last_event_at: datetime | None = None
    versions: dict[str, str] = field(default_factory=dict)

    @property
    def expected_date(self) -> date | None:
        """The carrier's ETA once shipped; before that the promised date plus production slip."""
        if self.eta is not None:
            return self.eta
        if self.promised_date is None:
            return None
        return self.promised_date + timedelta(days=self.production_slip_days)

    def is_late(self, today: date) -> bool:
        """Past the promised date and not delivered, delivered after it, or expected after it."""
        if self.promised_date is None or self.stage in TERMINAL:
            return False
        if self.delivered_on is not None:
            return self.delivered_on > self.promised_date
        expected = self.expected_date
        return today > self.promised_date or (
            expected is not None and expected > self.promised_date
        )

    def is_at_risk(self, today: date, window_days: int) -> bool:
        """Not shipped yet with the promised date only ``window_days`` away."""
        if self.promised_date is None or self.stage in TERMINAL or self.is_late(today):
            return False
        shipped = _RANK.get(self.stage or "", -1) >= _RANK["shipped"]
        return not shipped and (self.promised_date - today).days <= window_days

    def apply(self, fact: Fact, local_date: date | None = None) -> Entry:
        """Fold one event in; returns the history entry for it.

        ``local_date`` is the delivery's local calendar date (for on-time judgement).
        """
        msg = fact.message
        if self.first_event_at is None or fact.occurred_at < self.first_event_at:
            self.first_event_at = fact.occurred_at
        if self.last_event_at is None or fact.occurred_at > self.last_event_at:
            self.last_event_at = fact.occurred_at
        self._identity(msg)
        self._stage(fact)
        self._dates(fact, local_date)
        return Entry(fact.event_id, fact.type, fact.occurred_at, _who(fact), describe(msg))

    def _identity(self, msg: Message) -> None:
        complaint_no = getattr(msg, "complaint_no", None)
        if self.kind == "complaint" and complaint_no is not None and self.complaint_no is None:
            self.complaint_no = complaint_no
        for name in ("order_no", "customer_id", "customer_name"):
            value = getattr(msg, name, None)
            if value is not None and getattr(self, name) is None:
                setattr(self, name, value)
        order_id = getattr(msg, "order_id", None)
        if self.order_id is None and isinstance(order_id, UUID) and self.kind == "order":
            self.order_id = order_id
        if isinstance(msg, OrderReceived):
            self.contact = self.contact or msg.contact.model_dump(mode="json")
            self.country = self.country or msg.delivery_address.country
            self.requested_date = self.requested_date or msg.requested_date

    def _stage(self, fact: Fact) -> None:
        stage = _STAGE_OF.get(type(fact.message))
        if stage is None or self.kind != "order":
            return
        seen = self.stage_times.get(stage)
        if seen is None or fact.occurred_at < seen:
            self.stage_times[stage] = fact.occurred_at
        current = _RANK.get(self.stage or "", -1)
        if _RANK[stage] > current:
            self.stage, self.stage_at = stage, self.stage_times[stage]
        elif _RANK[stage] == current:
            self.stage_at = self.stage_times[stage]

    def _newer(self, name: str, fact: Fact) -> bool:
        if self.versions.get(name, "") >= fact.version_key:
            return False
        self.versions[name] = fact.version_key
        return True

    def _dates(self, fact: Fact, local_date: date | None) -> None:
        msg = fact.message
        promised = _promised_date(msg)
        if promised is not None and self._newer("promised_date", fact):
            self.promised_date = promised
        if (
            isinstance(msg, OrderAmended)
            and msg.requested_date is not None
            and self._newer("requested_date", fact)
        ):
            self.requested_date = msg.requested_date
        if isinstance(msg, GoodsShipped | ShipmentUpdated | ShipmentDelayed):
            eta = msg.new_date if isinstance(msg, ShipmentDelayed) else msg.eta
            if eta is not None and self._newer("eta", fact):
                self.eta = eta
            if self._newer("tracking", fact):
                self.carrier, self.tracking_no = msg.carrier, msg.tracking_no
        if (
            isinstance(msg, ProductionDelayed)
            and msg.old_date is not None
            and self._newer("production_slip", fact)
        ):
            self.production_slip_days = max(0, (msg.new_date - msg.old_date).days)
        if isinstance(msg, OrderReviewRequested) and (
            self.review_requested_at is None or fact.occurred_at < self.review_requested_at
        ):
            self.review_requested_at = fact.occurred_at
        if isinstance(msg, OrderReviewed) and (
            self.reviewed_at is None or fact.occurred_at > self.reviewed_at
        ):
            self.reviewed_at = fact.occurred_at
        if isinstance(msg, GoodsDelivered) and (
            self.delivered_at is None or msg.signed_at < self.delivered_at
        ):
            self.delivered_at = msg.signed_at
            self.delivered_on = local_date or msg.signed_at.date()


def _promised_date(msg: Message) -> date | None:
    if isinstance(msg, OrderConfirmationSent | OrderSigned | OrderConfirmed | OrderCompleted):
        return msg.promised_date
    if isinstance(msg, OrderDeliveryDateChanged):
        return msg.new_date
    return None


def _who(fact: Fact) -> str:
    msg = fact.message
    for name in _ACTOR_FIELDS:
        value = getattr(msg, name, None)
        if isinstance(value, str) and value:
            return f"{fact.producer}: {value}"
    department = getattr(msg, "department", None)
    if department is not None:
        return f"{fact.producer}: {department}"
    return fact.producer


def describe(msg: Message) -> str:
    """A one-line, human description of an event for the history."""
    match msg:
        case OrderReceived():
            return f"Order {msg.order_no} received via {msg.channel}"
        case OrderInfoRequested():
            return "Information needed: " + ", ".join(msg.missing_fields)
        case OrderReviewed():
            return f"Review by {msg.department}: {msg.verdict}"
        case OrderConfirmationSent():
            return f"Confirmation sent, promised {msg.promised_date} if signed today"
        case OrderSigned():
            return f"Confirmation signed, promised {msg.promised_date}"
        case OrderConfirmed():
            return f"Order confirmed, promised {msg.promised_date}"
        case OrderRejected():
            return f"Order rejected at {msg.stage}: {msg.reason}"
        case OrderCancelled():
            return f"Order cancelled: {msg.reason}"
        case OrderDeliveryDateChanged():
            return f"Delivery date changed {msg.old_date} -> {msg.new_date}: {msg.reason}"
        case ProductionScheduled():
            return f"Production scheduled, planned finish {msg.planned_finish}"
        case ProductionDelayed() | ShipmentDelayed():
            return f"Delayed to {msg.new_date}: {msg.reason}"
        case GoodsShipped():
            return f"Shipped with {msg.carrier}, tracking {msg.tracking_no}, ETA {msg.eta}"
        case ShipmentException():
            return f"Shipment exception ({msg.exception_kind}): {msg.description}"
        case GoodsDelivered():
            return f"Delivered, signed by {msg.signed_by}"
        case InspectionFailed():
            return f"Inbound inspection failed: {msg.defect}"
        case InspectionPassed():
            return f"Inbound inspection passed ({msg.quantity} pcs)"
        case ComplaintOpened():
            return f"Complaint {msg.complaint_no} opened ({msg.category})"
        case ComplaintEscalated():
            return f"Complaint {msg.complaint_no} escalated to {msg.escalated_to}: {msg.reason}"
        case ComplaintResolved():
            return f"Complaint {msg.complaint_no} resolved: {msg.resolution}"
        case SlaBreached():
            return f"Deadline '{msg.deadline}' breached (due {msg.due_at.isoformat()})"
    return type(msg).message_type
