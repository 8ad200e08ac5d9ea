"""Scans from the webhook and the command queue: deduplicated, out-of-order safe; exceptions and
delays become events."""

from __future__ import annotations

from datetime import date, timedelta

from contracts.commands.logistics import RecordScan
from contracts.enums import ShipmentExceptionKind, ShipmentStatus
from contracts.events.logistics import ShipmentDelayed, ShipmentException, ShipmentUpdated
from tests.harness import eventually
from tests.integration.logistics.conftest import CARRIER, goods_ready


def record_scan(shipment: dict, n: int, status: ShipmentStatus, at, **kw) -> RecordScan:
    return RecordScan(
        carrier=shipment["carrier"],
        tracking_no=shipment["tracking_no"],
        scan_id=f"{shipment['tracking_no']}-{n}",
        status=status,
        at=at,
        **kw,
    )


async def test_duplicate_scans_from_queue_and_webhook_change_nothing(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    at = lg.clock.now() + timedelta(hours=2)
    pickup = record_scan(shipment, 1, ShipmentStatus.PICKED_UP, at)
    # the same scan three times over the queue (new envelope each time) and once by webhook
    for _ in range(3):
        await lg.send(pickup, order)

    async def handled() -> bool:
        return lg.handled("commands") == 3

    await eventually(handled, timeout=15)
    again = await lg.scan(shipment, "picked_up", 1)
    assert again["duplicate"] is True
    history = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert len(history) == 1
    updates = await lg.spy.wait_for(ShipmentUpdated, 2, correlation_id=order)
    await lg.scan(shipment, "in_transit", 2)  # a later, distinct scan: the spy has caught up
    await lg.spy.wait_for(ShipmentUpdated, 3, correlation_id=order)
    updates = lg.spy.of(ShipmentUpdated, order)
    assert [u.status for u in updates] == ["booked", "picked_up", "in_transit"]


async def test_scans_arriving_out_of_order_never_move_the_shipment_backwards(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    t = lg.clock.now()
    out = await lg.scan(shipment, "out_for_delivery", 3, at=(t + timedelta(hours=20)).isoformat())
    assert out["applied"] is True
    stale = await lg.scan(shipment, "in_transit", 2, at=(t + timedelta(hours=8)).isoformat())
    assert (stale["applied"], stale["status"]) == (False, "out_for_delivery")
    late_pickup = await lg.scan(shipment, "picked_up", 1, at=(t + timedelta(hours=2)).isoformat())
    assert late_pickup["applied"] is False
    current = await lg.shipment(shipment["id"])
    assert current["status"] == "out_for_delivery"
    # the dispatch time is the real pickup, even though its scan came last
    assert current["dispatched_at"].startswith("2026-12-01T04:00")
    history = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert [(h["status"], h["applied"]) for h in history] == [
        ("picked_up", False),
        ("in_transit", False),
        ("out_for_delivery", True),
    ]
    await lg.spy.wait_for(ShipmentUpdated, 2, correlation_id=order)
    assert [u.status for u in lg.spy.of(ShipmentUpdated, order)] == [
        "booked",
        "out_for_delivery",
    ]


async def test_exception_scans_emit_shipment_exception(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    await lg.scan(shipment, "in_transit", 1)
    lg.clock.advance(timedelta(hours=4))
    await lg.send(
        record_scan(
            shipment,
            2,
            ShipmentStatus.EXCEPTION,
            lg.clock.now(),
            exception_kind=ShipmentExceptionKind.ADDRESS,
            description="consignee address not found",
            location="Pudong depot",
        ),
        order,
    )
    [problem] = await lg.spy.wait_for(ShipmentException, correlation_id=order)
    assert problem.exception_kind == ShipmentExceptionKind.ADDRESS
    assert problem.description == "consignee address not found"
    assert problem.location == "Pudong depot"
    assert problem.reported_at == lg.clock.now()
    assert (await lg.shipment(shipment["id"]))["status"] == "exception"


async def test_an_eta_past_the_promised_date_emits_a_delay_once_per_change(start_logistics):
    lg = await start_logistics()
    event = goods_ready(promised=date(2026, 12, 4))
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    assert shipment["eta"] == "2026-12-04"
    steps = [("2026-12-07", 1), ("2026-12-07", 2), ("2026-12-08", 3), ("2026-12-04", 4)]
    for eta, n in steps:
        lg.clock.advance(timedelta(hours=1))
        await lg.scan(shipment, "in_transit", n, eta=eta, description="sorting backlog")
    lg.clock.advance(timedelta(hours=1))
    await lg.scan(shipment, "in_transit", 5, eta="2026-12-07")  # late again after recovering
    delays = await lg.spy.wait_for(ShipmentDelayed, 3, correlation_id=order)
    await lg.spy.wait_for(ShipmentUpdated, 5, correlation_id=order)
    assert [(d.old_date, d.new_date) for d in delays] == [
        (date(2026, 12, 4), date(2026, 12, 7)),
        (date(2026, 12, 7), date(2026, 12, 8)),
        (date(2026, 12, 4), date(2026, 12, 7)),
    ]
    assert delays[0].cause == "carrier"
    assert delays[0].reason == "sorting backlog"
    assert (await lg.shipment(shipment["id"]))["eta"] == "2026-12-07"


async def test_scans_for_unknown_shipments_are_refused(start_logistics):
    lg = await start_logistics()
    response = await lg.http.post(
        "/carrier-webhook/scans",
        auth=CARRIER,
        json={
            "carrier": "SF",
            "tracking_no": "NOPE",
            "scan_id": "x",
            "status": "in_transit",
            "at": lg.clock.now().isoformat(),
        },
    )
    assert response.status_code == 404


async def test_a_delivery_scan_without_signatory_is_rejected_naming_the_field(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    body = {
        "carrier": shipment["carrier"],
        "tracking_no": shipment["tracking_no"],
        "scan_id": "d1",
        "status": "delivered",
        "at": lg.clock.now().isoformat(),
    }
    response = await lg.http.post("/carrier-webhook/scans", json=body, auth=CARRIER)
    assert response.status_code == 422
    assert response.json()["field"] == "signed_by"
    bad_time = await lg.http.post(
        "/carrier-webhook/scans", json={**body, "at": "tomorrow"}, auth=CARRIER
    )
    assert bad_time.status_code == 422
    assert bad_time.json()["field"] == "at"
    assert (await lg.shipment(shipment["id"]))["status"] == "booked"
