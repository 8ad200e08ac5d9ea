"""Return pickups: booked on return.authorized; their arrival is return.received."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

from contracts.common import Address, LineQuantity
from contracts.events.customer_service import ReturnAuthorized
from contracts.events.logistics import GoodsDelivered, GoodsShipped
from contracts.events.warehouse import ReturnReceived
from tests.harness import eventually


async def test_an_authorised_return_is_picked_up_and_its_arrival_reported(start_logistics):
    lg = await start_logistics(simulator_routes=True)
    complaint_id, return_id = uuid4(), uuid4()
    authorised = ReturnAuthorized(
        return_id=return_id,
        rma_no="RMA-202612-001",
        complaint_id=complaint_id,
        order_id=uuid4(),
        order_no="202611-042",
        lines=[LineQuantity(line_no=1, product_code="VALVE-20", quantity=3)],
        pickup_address=Address(recipient="Zhang", line1="5 Park Rd", city="Wuhan"),
        reason="leaking seal",
    )
    correlation = str(complaint_id)
    await lg.send(authorised, correlation)
    await lg.send(authorised, correlation)  # a repeat books nothing more

    async def booked() -> bool:
        return lg.handled("return.authorized") == 2

    await eventually(booked, timeout=15)
    [pickup] = (await lg.http.get("/shipments", params={"status": "booked"})).json()
    assert pickup["kind"] == "return_pickup"
    assert pickup["rma_no"] == "RMA-202612-001"
    assert pickup["tracking_no"]

    for _ in range(4):
        lg.clock.advance(timedelta(hours=8))
        response = await lg.next_scan(pickup["id"], signed_by="Goods-in")
        assert response.status_code == 200, response.text
    [received] = await lg.spy.wait_for(ReturnReceived, correlation_id=correlation)
    assert received.return_id == return_id
    assert received.rma_no == "RMA-202612-001"
    assert [(line.product_code, line.quantity) for line in received.lines] == [("VALVE-20", 3)]
    # a return pickup is not a customer delivery
    assert lg.spy.of(GoodsShipped) == [] and lg.spy.of(GoodsDelivered) == []
    assert (await lg.shipment(pickup["id"]))["status"] == "delivered"
