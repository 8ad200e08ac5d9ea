"""The shipment: booked with a carrier, collected, tracked, delivered (or cancelled).

A shipment records the events it raises in ``events`` and the deadlines it sets or clears in
``timers``; ``UnitOfWork.collect`` publishes the one and writes the other as durable timers.

Rules (dispatch policy, 发货后24小时内将物流单号反馈客户):
- ``goods.shipped`` goes out when the carrier has collected the goods *and* the tracking number
  is known; collection without a tracking number starts the 24 h tracking-number deadline.
- A booking not collected by the end of its pickup date breaches the pickup deadline.
- Scans may arrive late or out of order: a scan that is older than what is already known, or
  that would move a finished shipment backwards, is kept in the history but changes nothing.
- An ETA beyond the promised date (or the first ETA, without one) emits ``shipment.delayed`` once
  per new date.
- Cancellation is possible until the carrier has collected the goods, refused afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from contracts.base import Message
from contracts.common import Address, LineQuantity
from contracts.enums import Deadline, DelayCause, ShipmentExceptionKind, ShipmentStatus
from contracts.events.logistics import (
    GoodsDelivered,
    GoodsShipped,
    ShipmentCancelled,
    ShipmentDelayed,
    ShipmentException,
    ShipmentUpdated,
)
from contracts.events.sla import ShipmentSlaBreached
from contracts.events.warehouse import ReturnReceived
from contracts.status.logistics import ShipmentKind, ShipmentState
from services.logistics.domain.errors import IllegalTransition
from shared.aggregate import CancelTimer, ScheduleTimer, TimerChange
from shared.errors import Invalid

Status = ShipmentState
Kind = ShipmentKind

TERMINAL = frozenset({Status.DELIVERED, Status.RETURNED_TO_SENDER, Status.CANCELLED})
_RANK = {
    Status.BOOKED: 0,
    Status.PICKED_UP: 1,
    Status.IN_TRANSIT: 2,
    Status.OUT_FOR_DELIVERY: 3,
    Status.DELIVERED: 4,
    Status.RETURNED_TO_SENDER: 4,
}


class Deadlines(Protocol):
    """When each shipment deadline falls, by the configured rules and business calendar."""

    def pickup_due(self, pickup_date: date) -> datetime: ...

    def tracking_due(self, dispatched_at: datetime) -> datetime: ...

    def delivery_due(self, eta: date) -> datetime: ...


@dataclass(frozen=True)
class Scan:
    """One tracking scan as a carrier reports it."""

    carrier: str
    tracking_no: str
    scan_id: str
    status: ShipmentStatus
    at: datetime
    location: str | None = None
    description: str | None = None
    eta: date | None = None
    exception_kind: ShipmentExceptionKind | None = None
    signed_by: str | None = None
    proof_ref: str | None = None


@dataclass(frozen=True)
class Proof:
    """A signed delivery note to archive: who signed it (as the carrier declares) and when the
    carrier scanned the delivery."""

    proof_ref: str
    signed_by: str
    signed_at: datetime
    remarks: str | None


@dataclass
class Shipment:
    id: UUID
    kind: Kind
    status: Status
    carrier: str
    service_level: str
    choice_reason: str
    booking_ref: str
    pickup_date: date
    eta: date
    original_eta: date
    booked_at: datetime
    cost: Decimal
    currency: str
    total_weight_kg: Decimal
    package_count: int
    address: dict[str, Any]
    order_id: UUID | None = None
    order_no: str | None = None
    return_id: UUID | None = None
    rma_no: str | None = None
    complaint_id: UUID | None = None
    lines: list[dict[str, Any]] = field(default_factory=list)
    promised_date: date | None = None
    rush: bool = False
    tracking_no: str | None = None
    tracking_url: str | None = None
    dispatched_at: datetime | None = None
    shipped_notified_at: datetime | None = None
    delivered_at: datetime | None = None
    last_status_at: datetime | None = None
    eta_updated_at: datetime | None = None
    delayed_to: date | None = None
    cancelled_at: datetime | None = None
    delivery_due_at: datetime | None = None
    events: list[Message] = field(default_factory=list, repr=False)
    timers: list[TimerChange] = field(default_factory=list, repr=False)
    proof: Proof | None = field(default=None, repr=False)

    # --- identity -------------------------------------------------------------------------

    @property
    def correlation_id(self) -> str:
        if self.order_id is not None and self.kind == Kind.OUTBOUND:
            return str(self.order_id)
        return str(self.complaint_id or self.return_id or self.id)

    @property
    def dispatched(self) -> bool:
        return self.dispatched_at is not None

    def overdue(self, now: datetime) -> bool:
        """Not delivered by the end of the delivery window (and not cancelled or sent back)."""
        return (
            self.delivered_at is None
            and self.delivery_due_at is not None
            and self.status not in (Status.CANCELLED, Status.RETURNED_TO_SENDER)
            and now >= self.delivery_due_at
        )

    def key(self, deadline: str) -> str:
        return f"logistics:{deadline}:{self.id}"

    # --- booking --------------------------------------------------------------------------

    def on_booked(self, deadlines: Deadlines) -> None:
        """Start the pickup deadline; tell the timeline when the tracking number is known."""
        self._schedule_breach(
            "pickup",
            deadlines.pickup_due(self.pickup_date),
            Deadline.DELIVERY,
            f"pickup: carrier {self.carrier} did not collect booking {self.booking_ref}"
            f" on {self.pickup_date.isoformat()}",
        )
        if self.tracking_no and self.kind == Kind.OUTBOUND:
            self._record(
                ShipmentUpdated(
                    **self._base(),
                    status=ShipmentStatus.BOOKED,
                    scanned_at=self.booked_at,
                    eta=self.eta,
                    description=f"booked with {self.carrier} ({self.choice_reason})",
                )
            )

    # --- collection and the tracking number -----------------------------------------------

    def confirm_collection(self, at: datetime, deadlines: Deadlines) -> bool:
        """The carrier took the goods (a pickup scan, or its confirmation without a number)."""
        if self.status == Status.CANCELLED:
            raise IllegalTransition("a cancelled booking cannot be collected", self.status)
        if self.dispatched_at is not None:
            if at < self.dispatched_at:  # an earlier pickup scan arrived late
                self.dispatched_at = at
            return False
        self.dispatched_at = at
        self.timers.append(CancelTimer(self.key("pickup")))
        if self.status == Status.BOOKED:
            self.status, self.last_status_at = Status.PICKED_UP, at
        self._schedule_delivery_window(deadlines)
        if self.tracking_no:
            self._announce_shipped(at)
        else:
            self._schedule_breach(
                "tracking",
                deadlines.tracking_due(at),
                Deadline.TRACKING_NUMBER,
                f"carrier {self.carrier} collected the goods without a tracking number",
            )
        return True

    def assign_tracking_number(self, tracking_no: str, at: datetime) -> bool:
        if self.tracking_no == tracking_no:
            return False
        if self.tracking_no is not None:
            raise IllegalTransition(
                f"shipment already has tracking number {self.tracking_no}", self.status
            )
        if self.status == Status.CANCELLED:
            raise IllegalTransition("shipment is cancelled", self.status)
        self.tracking_no = tracking_no
        if self.dispatched_at is not None:
            self.timers.append(CancelTimer(self.key("tracking")))
            self._announce_shipped(at)
        return True

    def _announce_shipped(self, at: datetime) -> None:
        if self.shipped_notified_at is not None or self.kind != Kind.OUTBOUND:
            return
        self.shipped_notified_at = at
        self._record(
            GoodsShipped(
                **self._base(),
                service_level=self.service_level,
                eta=self.eta,
                package_count=self.package_count,
                total_weight_kg=self.total_weight_kg,
                delivery_address=Address.model_validate(self.address),
                tracking_url=self.tracking_url,
            )
        )

    # --- tracking scans -------------------------------------------------------------------

    def check_scan(self, scan: Scan) -> None:
        """Goods delivered to a customer need the name of whoever signed the delivery note."""
        if (
            scan.status == ShipmentStatus.DELIVERED
            and self.kind == Kind.OUTBOUND
            and not (scan.signed_by and scan.signed_by.strip())
        ):
            raise Invalid("signed_by", "a delivery scan needs who signed for the goods")

    def apply_scan(self, scan: Scan, deadlines: Deadlines) -> bool:
        """Apply a carrier scan; False when it is stale and only goes into the history."""
        if self.status == Status.CANCELLED:
            return False
        new = Status(scan.status.value)
        moves = self._moves_status(new, scan.at)
        if new not in (Status.BOOKED, Status.EXCEPTION):
            self.confirm_collection(scan.at, deadlines)
        eta_changed = scan.eta is not None and self._update_eta(scan, deadlines)
        if moves:
            self.status, self.last_status_at = new, scan.at
        if not (moves or eta_changed):
            return False
        if self.kind == Kind.OUTBOUND and self.tracking_no:
            self._record(
                ShipmentUpdated(
                    **self._base(),
                    status=ShipmentStatus(self.status.value),
                    location=scan.location,
                    scanned_at=scan.at,
                    eta=self.eta,
                    description=scan.description,
                )
            )
        if moves and new == Status.EXCEPTION:
            self._exception(scan)
        if moves and new == Status.DELIVERED:
            self._deliver(scan)
        if moves and new == Status.RETURNED_TO_SENDER:
            self.timers.append(CancelTimer(self.key("delivery")))
        return True

    def _moves_status(self, new: Status, at: datetime) -> bool:
        if self.status in TERMINAL:
            return False
        newer = self.last_status_at is None or at >= self.last_status_at
        if new == Status.EXCEPTION or self.status == Status.EXCEPTION:
            return newer and new != self.status
        return _RANK[new] > _RANK[self.status]

    def _update_eta(self, scan: Scan, deadlines: Deadlines) -> bool:
        assert scan.eta is not None
        if self.status in TERMINAL or scan.eta == self.eta:
            return False
        if self.eta_updated_at is not None and scan.at < self.eta_updated_at:
            return False
        old, self.eta, self.eta_updated_at = self.eta, scan.eta, scan.at
        if self.dispatched_at is not None:
            self._schedule_delivery_window(deadlines)
        baseline = self.promised_date or self.original_eta
        if scan.eta <= baseline:
            self.delayed_to = None
        elif scan.eta != self.delayed_to:
            self.delayed_to = scan.eta
            if self.kind == Kind.OUTBOUND and self.tracking_no:
                self._record(
                    ShipmentDelayed(
                        **self._base(),
                        old_date=old,
                        new_date=scan.eta,
                        cause=DelayCause.CARRIER,
                        reason=scan.description
                        or f"carrier ETA {scan.eta.isoformat()} is after {baseline.isoformat()}",
                    )
                )
        return True

    def _exception(self, scan: Scan) -> None:
        if self.kind != Kind.OUTBOUND or not self.tracking_no:
            return
        self._record(
            ShipmentException(
                **self._base(),
                exception_kind=scan.exception_kind or ShipmentExceptionKind.OTHER,
                description=scan.description or "carrier reported an exception",
                location=scan.location,
                reported_at=scan.at,
            )
        )

    def _deliver(self, scan: Scan) -> None:
        self.delivered_at = scan.at
        self.timers.append(CancelTimer(self.key("delivery")))
        self.timers.append(CancelTimer(self.key("tracking")))
        signed_by = scan.signed_by or ""
        proof_ref = scan.proof_ref or f"POD-{self.id.hex[:16].upper()}"
        self.proof = Proof(proof_ref, signed_by, scan.at, scan.description)
        if self.kind == Kind.RETURN_PICKUP:
            assert self.return_id is not None and self.rma_no is not None
            self._record(
                ReturnReceived(
                    return_id=self.return_id,
                    rma_no=self.rma_no,
                    order_id=self.order_id,
                    order_no=self.order_no,
                    lines=[LineQuantity.model_validate(line) for line in self.lines],
                    condition_notes=scan.description,
                )
            )
            return
        self._record(
            GoodsDelivered(
                **self._base(),
                signed_by=signed_by,
                signed_at=scan.at,
                proof_ref=proof_ref,
                remarks=scan.description,
            )
        )

    # --- cancellation ---------------------------------------------------------------------

    def cancel(self, at: datetime, reason: str) -> bool:
        """Cancel the booking; refused once the carrier has the goods. False if already done."""
        if self.status == Status.CANCELLED:
            return False
        if self.dispatched_at is not None or self.status != Status.BOOKED:
            raise IllegalTransition(
                f"shipment is {self.status.value}: the carrier already has the goods", self.status
            )
        self.status, self.cancelled_at = Status.CANCELLED, at
        for name in ("pickup", "tracking", "delivery"):
            self.timers.append(CancelTimer(self.key(name)))
        self._record(
            ShipmentCancelled(
                shipment_id=self.id,
                order_id=self.order_id,
                order_no=self.order_no,
                return_id=self.return_id,
                carrier=self.carrier,
                booking_ref=self.booking_ref,
                tracking_no=self.tracking_no,
                reason=reason,
                cancelled_at=at,
            )
        )
        return True

    # --- helpers --------------------------------------------------------------------------

    def _base(self) -> dict[str, Any]:
        return {
            "shipment_id": self.id,
            "order_id": self.order_id,
            "order_no": self.order_no,
            "carrier": self.carrier,
            "tracking_no": self.tracking_no,
        }

    def _record(self, message: Message) -> None:
        self.events.append(message)

    def _schedule_delivery_window(self, deadlines: Deadlines) -> None:
        self.delivery_due_at = deadlines.delivery_due(self.eta)
        self._schedule_breach(
            "delivery",
            self.delivery_due_at,
            Deadline.DELIVERY,
            f"no delivery scan by the end of the window after ETA {self.eta.isoformat()}",
        )

    def _schedule_breach(self, name: str, due_at: datetime, deadline: Deadline, what: str) -> None:
        breach = ShipmentSlaBreached(
            deadline=deadline,
            subject_id=str(self.id),
            subject_no=self.tracking_no or self.booking_ref,
            order_id=self.order_id,
            due_at=due_at,
            breached_at=due_at,
            details=what,
        )
        self.timers.append(ScheduleTimer(self.key(name), due_at, breach))
