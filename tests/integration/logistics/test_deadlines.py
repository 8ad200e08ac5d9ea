"""Deadlines as durable timers: tracking number within 24 h of dispatch, pickup by the pickup
date, a delivery scan within the window after the ETA. Each breach is an event."""

from __future__ import annotations

from datetime import datetime, timedelta

from contracts.enums import Deadline
from contracts.events.logistics import GoodsShipped
from contracts.events.sla import ShipmentSlaBreached
from services.logistics.adapters.carriers import SimulatedCarrier
from tests.integration.logistics.conftest import goods_ready


async def test_a_tracking_number_later_than_24h_after_dispatch_breaches(start_logistics):
    lg = await start_logistics(SimulatedCarrier(tracking_at_booking=False))
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    assert shipment["tracking_no"] is None
    lg.clock.advance(timedelta(hours=2))
    collected = await lg.http.post(f"/shipments/{shipment['id']}/collection", json={})
    assert collected.status_code == 200, collected.text
    dispatched_at = lg.clock.now()

    lg.clock.advance(timedelta(hours=23, minutes=59))
    assert await lg.runtime.scanner.fire_due() == 0
    lg.clock.advance(timedelta(minutes=2))
    assert await lg.runtime.scanner.fire_due() == 1
    [breach] = await lg.spy.wait_for(ShipmentSlaBreached, correlation_id=order)
    assert breach.deadline == Deadline.TRACKING_NUMBER
    assert breach.subject_id == shipment["id"]
    assert breach.due_at == dispatched_at + timedelta(hours=24)
    assert lg.spy.of(GoodsShipped, order) == []

    # the number still reaches the customer, late
    late = await lg.http.post(
        f"/shipments/{shipment['id']}/tracking-number", json={"tracking_no": "ZTO123"}
    )
    assert late.status_code == 200
    [shipped] = await lg.spy.wait_for(GoodsShipped, correlation_id=order)
    assert shipped.tracking_no == "ZTO123"


async def test_a_tracking_number_within_24h_cancels_the_deadline(start_logistics):
    lg = await start_logistics(SimulatedCarrier(tracking_at_booking=False))
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    await lg.http.post(f"/shipments/{shipment['id']}/collection", json={})
    lg.clock.advance(timedelta(hours=20))
    await lg.http.post(
        f"/shipments/{shipment['id']}/tracking-number", json={"tracking_no": "ZTO777"}
    )
    await lg.spy.wait_for(GoodsShipped, correlation_id=order)
    lg.clock.advance(timedelta(hours=5))
    assert await lg.runtime.scanner.fire_due() == 0


async def test_a_booking_not_collected_by_its_pickup_date_breaches(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    assert shipment["pickup_date"] == "2026-12-01"
    # end of 2026-12-01 in Shanghai is 16:00 UTC; the clock starts at 02:00 UTC
    lg.clock.advance(timedelta(hours=13, minutes=59))
    assert await lg.runtime.scanner.fire_due() == 0
    lg.clock.advance(timedelta(minutes=2))
    assert await lg.runtime.scanner.fire_due() == 1
    [breach] = await lg.spy.wait_for(ShipmentSlaBreached, correlation_id=order)
    assert breach.deadline == Deadline.DELIVERY
    assert breach.details is not None and breach.details.startswith("pickup")
    assert breach.due_at == datetime.fromisoformat("2026-12-01T16:00:00+00:00")


async def test_a_collected_booking_does_not_breach_the_pickup_deadline(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    await lg.scan(shipment, "picked_up", 1)
    lg.clock.advance(timedelta(hours=15))
    assert await lg.runtime.scanner.fire_due() == 0


async def test_no_delivery_scan_after_the_window_flags_the_shipment(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    await lg.scan(shipment, "picked_up", 1)
    current = await lg.shipment(shipment["id"])
    assert current["eta"] == "2026-12-04"  # a Friday: the window ends with Monday
    due = datetime.fromisoformat(current["delivery_due_at"])
    assert due == datetime.fromisoformat("2026-12-07T15:59:59+00:00")
    lg.clock.set(due - timedelta(seconds=1))
    assert await lg.runtime.scanner.fire_due() == 0
    assert (await lg.shipment(shipment["id"]))["overdue"] is False
    lg.clock.set(due)
    assert await lg.runtime.scanner.fire_due() == 1
    [breach] = await lg.spy.wait_for(ShipmentSlaBreached, correlation_id=order)
    assert breach.deadline == Deadline.DELIVERY
    assert "no delivery scan" in (breach.details or "")
    assert (await lg.shipment(shipment["id"]))["overdue"] is True
    flagged = (await lg.http.get("/shipments", params={"status": "picked_up"})).json()
    assert [s["overdue"] for s in flagged] == [True]
