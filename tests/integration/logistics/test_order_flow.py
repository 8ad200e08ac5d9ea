"""ready → booked → shipped → in transit → delivered, with the proof archived."""

from __future__ import annotations

import base64
from datetime import date, timedelta
from uuid import uuid4

from contracts.commands.logistics import RecordScan
from contracts.enums import ShipmentStatus
from contracts.events.logistics import GoodsDelivered, GoodsShipped, ShipmentUpdated
from tests.harness import eventually
from tests.integration.logistics.conftest import goods_ready


async def test_ready_goods_are_booked_shipped_tracked_and_delivered_with_proof(start_logistics):
    lg = await start_logistics()
    event = goods_ready(promised=date(2026, 12, 4))
    order = str(event.order_id)
    await lg.send(event, order)

    shipment = await lg.shipment_of(event.order_id)
    # 12.5 kg to Shanghai by Friday: SF standard (2 days, 52.50) and ZTO economy (3 days,
    # 26.75) both make it; ZTO is cheaper. The reason is on the shipment.
    assert (shipment["carrier"], shipment["service_level"]) == ("ZTO", "economy")
    assert "cheapest of" in shipment["choice_reason"]
    assert shipment["status"] == "booked"
    assert shipment["pickup_date"] == "2026-12-01"
    assert shipment["eta"] == "2026-12-04"
    assert shipment["tracking_no"] == lg.carrier.tracking_no_for("ZTO", uuid_of(shipment))
    [booked] = await lg.spy.wait_for(ShipmentUpdated, correlation_id=order)
    assert booked.status == ShipmentStatus.BOOKED

    lg.clock.advance(timedelta(hours=3))
    assert (await lg.scan(shipment, "picked_up", 1, location="Suzhou plant"))["applied"]
    [shipped] = await lg.spy.wait_for(GoodsShipped, correlation_id=order)
    assert (shipped.carrier, shipped.tracking_no, shipped.eta) == (
        "ZTO",
        shipment["tracking_no"],
        date(2026, 12, 4),
    )
    assert shipped.order_no == event.order_no
    assert shipped.package_count == 1

    lg.clock.advance(timedelta(hours=5))
    await lg.send(
        RecordScan(
            carrier="ZTO",
            tracking_no=shipment["tracking_no"],
            scan_id=f"{shipment['tracking_no']}-2",
            status=ShipmentStatus.IN_TRANSIT,
            location="Shanghai hub",
            at=lg.clock.now(),
        ),
        order,
    )
    updates = await lg.spy.wait_for(ShipmentUpdated, 3, correlation_id=order)
    assert updates[-1].status == ShipmentStatus.IN_TRANSIT
    assert updates[-1].location == "Shanghai hub"

    lg.clock.advance(timedelta(days=2))
    note = b"%PDF-1.4 signed delivery note"
    await lg.scan(
        shipment,
        "delivered",
        3,
        signed_by="Li Lei",
        proof_ref="ZTO-POD-1",
        proof_document_base64=base64.b64encode(note).decode(),
    )
    [delivered] = await lg.spy.wait_for(GoodsDelivered, correlation_id=order)
    assert (delivered.signed_by, delivered.proof_ref) == ("Li Lei", "ZTO-POD-1")
    assert delivered.signed_at == lg.clock.now()

    proof = (await lg.http.get(f"/shipments/{shipment['id']}/proof")).json()
    assert proof["proof_ref"] == "ZTO-POD-1"
    assert proof["signed_by"] == "Li Lei"
    assert proof["has_document"] is True
    document = await lg.http.get(f"/shipments/{shipment['id']}/proof/document")
    assert document.content == note
    assert document.headers["content-type"] == "application/pdf"
    assert document.headers["content-disposition"].startswith("attachment;")
    assert document.headers["x-content-type-options"] == "nosniff"
    history = (await lg.http.get(f"/shipments/{shipment['id']}/tracking")).json()
    assert [h["status"] for h in history] == ["picked_up", "in_transit", "delivered"]
    assert [h["source"] for h in history] == ["webhook", "command", "webhook"]
    final = await lg.shipment(shipment["id"])
    assert final["status"] == "delivered"
    assert final["overdue"] is False


async def test_rush_orders_ship_express(start_logistics):
    lg = await start_logistics()
    event = goods_ready(rush=True, promised=date(2026, 12, 20))
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    assert (shipment["carrier"], shipment["service_level"]) == ("SF", "express")
    assert shipment["choice_reason"].startswith("rush order")


async def test_a_repeated_goods_ready_books_only_once(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    await lg.send(event, str(event.order_id))  # same content, new event id

    async def both_handled() -> bool:
        return lg.handled("goods.ready") == 2

    await eventually(both_handled, timeout=15)
    shipments = (await lg.http.get(f"/orders/{event.order_id}/shipments")).json()
    assert len(shipments) == 1
    assert len(lg.carrier.bookings) == 1


async def test_simulated_carrier_drives_a_shipment_to_delivery(start_logistics):
    lg = await start_logistics(simulator_routes=True)
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    statuses = []
    for _ in range(4):
        lg.clock.advance(timedelta(hours=6))
        response = await lg.next_scan(shipment["id"])
        assert response.status_code == 200, response.text
        statuses.append(response.json()["status"])
    assert statuses == ["picked_up", "in_transit", "out_for_delivery", "delivered"]
    await lg.spy.wait_for(GoodsDelivered, correlation_id=str(event.order_id))
    done = await lg.next_scan(shipment["id"])
    assert done.status_code == 409
    assert done.json()["state"] == "delivered"


def uuid_of(shipment: dict) -> object:
    from uuid import UUID

    return UUID(shipment["id"])


_ = uuid4
