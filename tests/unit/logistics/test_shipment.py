"""The shipment aggregate: events and deadlines it records, without any IO."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from contracts.enums import Deadline, ShipmentExceptionKind, ShipmentStatus
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
from contracts.status.logistics import ShipmentKind as Kind
from contracts.status.logistics import ShipmentState as Status
from services.logistics.domain.errors import IllegalTransition
from services.logistics.domain.shipment import Scan, Shipment
from shared.aggregate import CancelTimer, ScheduleTimer
from shared.errors import Conflict, Invalid

T0 = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
ADDRESS = {"recipient": "Li Lei", "line1": "1 Road", "city": "Shanghai", "country": "CN"}


def shipment(tracking_no: str | None = "SF1", **kw: object) -> Shipment:
    base: dict[str, object] = {
        "id": uuid4(),
        "kind": Kind.OUTBOUND,
        "status": Status.BOOKED,
        "carrier": "SF",
        "service_level": "standard",
        "choice_reason": "cheapest",
        "booking_ref": "BK-1",
        "pickup_date": date(2026, 12, 1),
        "eta": date(2026, 12, 3),
        "original_eta": date(2026, 12, 3),
        "booked_at": T0,
        "cost": Decimal("45.00"),
        "currency": "CNY",
        "total_weight_kg": Decimal("10"),
        "package_count": 2,
        "address": ADDRESS,
        "order_id": uuid4(),
        "order_no": "202612-001",
        "promised_date": date(2026, 12, 4),
        "tracking_no": tracking_no,
    }
    return Shipment(**{**base, **kw})  # type: ignore[arg-type]


def scan(status: ShipmentStatus, at: datetime, n: int = 1, **kw: object) -> Scan:
    base: dict[str, object] = {
        "carrier": "SF",
        "tracking_no": "SF1",
        "scan_id": f"s{n}",
        "status": status,
        "at": at,
    }
    return Scan(**{**base, **kw})  # type: ignore[arg-type]


def of(s: Shipment, kind: type) -> list:
    return [e for e in s.events if isinstance(e, kind)]


def scheduled(s: Shipment) -> dict[str, ScheduleTimer]:
    return {d.key.split(":")[1]: d for d in s.timers if isinstance(d, ScheduleTimer)}


def cleared(s: Shipment) -> set[str]:
    return {d.key.split(":")[1] for d in s.timers if isinstance(d, CancelTimer)}


def test_booking_starts_the_pickup_deadline(policy):
    s = shipment()
    s.on_booked(policy)
    pickup = scheduled(s)["pickup"]
    assert pickup.due_at == policy.pickup_due(s.pickup_date)
    assert isinstance(pickup.message, ShipmentSlaBreached)
    assert pickup.message.subject_id == str(s.id)
    assert of(s, ShipmentUpdated)[0].status == ShipmentStatus.BOOKED


def test_collection_with_a_tracking_number_emits_goods_shipped_once(policy):
    s = shipment()
    assert s.confirm_collection(T0, policy)
    shipped = of(s, GoodsShipped)
    assert len(shipped) == 1
    assert (shipped[0].carrier, shipped[0].tracking_no, shipped[0].eta) == (
        "SF",
        "SF1",
        date(2026, 12, 3),
    )
    assert "pickup" in cleared(s)
    assert "tracking" not in scheduled(s)
    assert scheduled(s)["delivery"].due_at == policy.delivery_due(s.eta)
    assert not s.confirm_collection(T0 + timedelta(hours=1), policy)
    assert len(of(s, GoodsShipped)) == 1


def test_collection_without_tracking_number_starts_the_24h_deadline(policy):
    s = shipment(tracking_no=None)
    s.confirm_collection(T0, policy)
    assert of(s, GoodsShipped) == []
    deadline = scheduled(s)["tracking"]
    assert deadline.due_at == T0 + timedelta(hours=24)
    assert deadline.message.deadline == Deadline.TRACKING_NUMBER
    s.events.clear()
    s.timers.clear()
    s.assign_tracking_number("SF9", T0 + timedelta(hours=3))
    assert of(s, GoodsShipped)[0].tracking_no == "SF9"
    assert "tracking" in cleared(s)


def test_a_tracking_number_before_collection_waits_for_the_pickup(policy):
    s = shipment(tracking_no=None)
    s.assign_tracking_number("SF9", T0)
    assert of(s, GoodsShipped) == []
    s.confirm_collection(T0 + timedelta(hours=1), policy)
    assert len(of(s, GoodsShipped)) == 1


def test_a_later_scan_implies_collection_even_if_the_pickup_scan_is_missing(policy):
    s = shipment()
    assert s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0), policy)
    assert s.status == Status.IN_TRANSIT
    assert s.dispatched_at == T0
    assert len(of(s, GoodsShipped)) == 1
    # the pickup scan arriving late moves the dispatch time back but changes nothing else
    s.events.clear()
    assert not s.apply_scan(scan(ShipmentStatus.PICKED_UP, T0 - timedelta(hours=2), 2), policy)
    assert s.dispatched_at == T0 - timedelta(hours=2)
    assert s.status == Status.IN_TRANSIT
    assert s.events == []


def test_stale_scans_never_move_the_status_backwards(policy):
    s = shipment()
    s.apply_scan(scan(ShipmentStatus.OUT_FOR_DELIVERY, T0 + timedelta(hours=5)), policy)
    assert not s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=2), 2), policy)
    assert s.status == Status.OUT_FOR_DELIVERY
    s.apply_scan(scan(ShipmentStatus.DELIVERED, T0 + timedelta(hours=8), 3, signed_by="Li"), policy)
    assert not s.apply_scan(scan(ShipmentStatus.EXCEPTION, T0 + timedelta(hours=9), 4), policy)
    assert s.status == Status.DELIVERED


def test_exception_scans_emit_shipment_exception_and_later_scans_recover(policy):
    s = shipment()
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0), policy)
    s.events.clear()
    damaged = scan(
        ShipmentStatus.EXCEPTION,
        T0 + timedelta(hours=1),
        2,
        exception_kind=ShipmentExceptionKind.DAMAGE,
        description="crate crushed",
    )
    assert s.apply_scan(damaged, policy)
    [exc] = of(s, ShipmentException)
    assert exc.exception_kind == ShipmentExceptionKind.DAMAGE
    assert s.status == Status.EXCEPTION
    # an older in-transit scan does not clear the exception; a newer one does
    assert not s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(minutes=30), 3), policy)
    assert s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=2), 4), policy)
    assert s.status == Status.IN_TRANSIT


def test_an_eta_past_the_promised_date_emits_one_delay_per_new_date(policy):
    s = shipment()
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0), policy)
    s.events.clear()
    late = date(2026, 12, 7)
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=1), 2, eta=late), policy)
    [delay] = of(s, ShipmentDelayed)
    assert (delay.old_date, delay.new_date) == (date(2026, 12, 3), late)
    assert scheduled(s)["delivery"].due_at == policy.delivery_due(late)
    s.events.clear()
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=2), 3, eta=late), policy)
    assert of(s, ShipmentDelayed) == []
    later = date(2026, 12, 8)
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=3), 4, eta=later), policy)
    assert [d.new_date for d in of(s, ShipmentDelayed)] == [later]


def test_an_eta_within_the_promised_date_is_no_delay(policy):
    s = shipment()
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0, eta=date(2026, 12, 4)), policy)
    assert of(s, ShipmentDelayed) == []
    assert s.eta == date(2026, 12, 4)
    assert of(s, ShipmentUpdated)[-1].eta == date(2026, 12, 4)


def test_an_older_eta_report_does_not_override_a_newer_one(policy):
    s = shipment()
    s.apply_scan(
        scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=5), eta=date(2026, 12, 4)), policy
    )
    s.apply_scan(
        scan(ShipmentStatus.IN_TRANSIT, T0 + timedelta(hours=1), 2, eta=date(2026, 12, 9)), policy
    )
    assert s.eta == date(2026, 12, 4)


def test_delivery_emits_goods_delivered_with_the_proof_and_clears_the_window(policy):
    s = shipment()
    at = T0 + timedelta(days=1)
    s.apply_scan(
        scan(ShipmentStatus.DELIVERED, at, signed_by="Wang", proof_ref="POD-7", description="ok"),
        policy,
    )
    [delivered] = of(s, GoodsDelivered)
    assert (delivered.signed_by, delivered.signed_at, delivered.proof_ref) == ("Wang", at, "POD-7")
    assert s.proof is not None and s.proof.proof_ref == "POD-7"
    assert "delivery" in cleared(s)
    assert len(of(s, GoodsShipped)) == 1  # collection implied by the delivery scan


def test_cancellation_before_dispatch_cancels_the_booking_and_its_deadlines(policy):
    s = shipment()
    assert s.cancel(T0, "order cancelled")
    assert s.status == Status.CANCELLED
    assert {"pickup", "tracking", "delivery"} <= cleared(s)
    assert of(s, ShipmentCancelled)[0].booking_ref == "BK-1"
    assert not s.cancel(T0, "again")  # idempotent
    assert not s.apply_scan(scan(ShipmentStatus.PICKED_UP, T0), policy)


def test_cancellation_after_dispatch_is_refused_with_the_current_status(policy):
    s = shipment()
    s.apply_scan(scan(ShipmentStatus.IN_TRANSIT, T0), policy)
    with pytest.raises(IllegalTransition) as refused:
        s.cancel(T0, "too late")
    assert refused.value.status == Status.IN_TRANSIT
    # a 409 over HTTP naming the status, a dead letter on the bus
    assert isinstance(refused.value, Conflict)
    assert refused.value.state == Status.IN_TRANSIT
    assert s.status == Status.IN_TRANSIT


def test_a_return_pickup_arriving_emits_return_received_not_goods_delivered(policy):
    s = shipment(
        kind=Kind.RETURN_PICKUP,
        return_id=uuid4(),
        rma_no="RMA-1",
        lines=[{"line_no": 1, "product_code": "P-1", "quantity": 2}],
    )
    s.apply_scan(scan(ShipmentStatus.PICKED_UP, T0), policy)
    assert of(s, GoodsShipped) == []
    s.apply_scan(scan(ShipmentStatus.DELIVERED, T0 + timedelta(days=2), 2, signed_by="WH"), policy)
    [received] = of(s, ReturnReceived)
    assert received.rma_no == "RMA-1"
    assert received.lines[0].quantity == 2
    assert of(s, GoodsDelivered) == []


def test_a_pickup_scan_moves_a_booked_shipment_to_picked_up(policy):
    s = shipment()
    assert s.apply_scan(scan(ShipmentStatus.PICKED_UP, T0), policy)
    assert s.status == Status.PICKED_UP
    assert [e.status for e in of(s, ShipmentUpdated)] == [ShipmentStatus.PICKED_UP]
    assert len(of(s, GoodsShipped)) == 1


def test_a_delivery_to_a_customer_needs_who_signed_the_note():
    s = shipment()
    with pytest.raises(Invalid) as refused:
        s.check_scan(scan(ShipmentStatus.DELIVERED, T0, signed_by="  "))
    assert refused.value.field == "signed_by"
    s.check_scan(scan(ShipmentStatus.DELIVERED, T0, signed_by="Wang"))
    s.check_scan(scan(ShipmentStatus.IN_TRANSIT, T0))
    # goods collected from a customer are signed for at our own goods-in: no signatory needed
    shipment(kind=Kind.RETURN_PICKUP).check_scan(scan(ShipmentStatus.DELIVERED, T0))


def test_overdue_only_while_undelivered_past_the_window(policy):
    s = shipment()
    s.confirm_collection(T0, policy)
    assert s.delivery_due_at is not None
    assert not s.overdue(s.delivery_due_at - timedelta(seconds=1))
    assert s.overdue(s.delivery_due_at)
    s.apply_scan(scan(ShipmentStatus.DELIVERED, s.delivery_due_at, 2, signed_by="Wang"), policy)
    assert not s.overdue(s.delivery_due_at + timedelta(days=3))
