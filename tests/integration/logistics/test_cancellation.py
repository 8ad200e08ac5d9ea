"""Cancellation before dispatch cancels the booking; after dispatch it is refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from contracts.enums import Initiator
from contracts.events.logistics import (
    GoodsShipped,
    ShipmentCancellationRefused,
    ShipmentCancelled,
)
from contracts.events.sales import OrderCancelled
from services.logistics.app import booking
from tests.harness import eventually, until_blocked
from tests.integration.logistics.conftest import goods_ready


def cancelled(order_id) -> OrderCancelled:
    return OrderCancelled(order_id=order_id, initiated_by=Initiator.CUSTOMER, reason="changed mind")


async def test_order_cancelled_before_dispatch_cancels_the_booking(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    await lg.send(cancelled(event.order_id), order)
    [done] = await lg.spy.wait_for(ShipmentCancelled, correlation_id=order)
    assert done.booking_ref == shipment["booking_ref"]
    assert lg.carrier.cancelled == [shipment["booking_ref"]]
    assert (await lg.shipment(shipment["id"]))["status"] == "cancelled"
    # its pickup deadline went with it
    lg.clock.advance(timedelta(days=2))
    assert await lg.runtime.scanner.fire_due() == 0
    # and a late scan cannot revive it
    late = await lg.scan(shipment, "picked_up", 1)
    assert (late["applied"], late["status"]) == (False, "cancelled")
    assert lg.spy.of(GoodsShipped, order) == []


async def test_order_cancelled_after_dispatch_is_refused(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(event, order)
    shipment = await lg.shipment_of(event.order_id)
    await lg.scan(shipment, "picked_up", 1)
    await lg.send(cancelled(event.order_id), order)
    [refused] = await lg.spy.wait_for(ShipmentCancellationRefused, correlation_id=order)
    assert refused.shipment_id.hex == shipment["id"].replace("-", "")
    assert refused.status == "picked_up"
    assert (await lg.shipment(shipment["id"]))["status"] == "picked_up"
    assert lg.carrier.cancelled == []
    assert lg.spy.of(ShipmentCancelled, order) == []


async def test_cancelling_over_http_after_dispatch_is_409_with_the_status(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    await lg.scan(shipment, "in_transit", 1)
    response = await lg.http.post(f"/shipments/{shipment['id']}/cancel", json={"reason": "x"})
    assert response.status_code == 409
    assert response.json()["state"] == "in_transit"
    missing_reason = await lg.http.post(f"/shipments/{shipment['id']}/cancel", json={})
    assert missing_reason.status_code == 422
    assert missing_reason.json()["field"] == "reason"


async def test_cancelling_over_http_before_dispatch_works(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    await lg.send(event, str(event.order_id))
    shipment = await lg.shipment_of(event.order_id)
    response = await lg.http.post(f"/shipments/{shipment['id']}/cancel", json={"reason": "dup"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    await lg.spy.wait_for(ShipmentCancelled, correlation_id=str(event.order_id))


async def test_goods_ready_after_the_order_was_cancelled_books_nothing(start_logistics):
    lg = await start_logistics()
    event = goods_ready()
    order = str(event.order_id)
    await lg.send(cancelled(event.order_id), order)  # arrives first

    async def cancellation_handled() -> bool:
        return lg.handled("order.cancelled") == 1

    await eventually(cancellation_handled, timeout=15)
    await lg.send(event, order)

    async def ready_handled() -> bool:
        return lg.handled("goods.ready") == 1

    await eventually(ready_handled, timeout=15)
    assert (await lg.http.get(f"/orders/{event.order_id}/shipments")).json() == []
    assert lg.carrier.bookings == {}


async def test_a_cancellation_during_the_booking_still_cancels_it(start_logistics):
    """goods.ready's transaction has booked but not committed when order.cancelled is handled:
    the cancellation waits for the booking to commit and then cancels what it booked."""
    lg = await start_logistics()
    runtime = lg.runtime
    event = goods_ready()

    async def cancelling() -> None:
        async with runtime.new_uow(correlation_id=str(event.order_id)) as uow:
            await booking.cancel_for_order(runtime.contexts(uow), cancelled(event.order_id))
            await uow.commit()

    async with runtime.new_uow(correlation_id=str(event.order_id)) as uow:
        assert await booking.ship_ready_goods(runtime.contexts(uow), event) is not None
        racing = asyncio.create_task(cancelling())

        await until_blocked(runtime, "wait_event = 'advisory'")
        await uow.commit()
    await asyncio.wait_for(racing, 15)
    [shipment] = (await lg.http.get(f"/orders/{event.order_id}/shipments")).json()
    assert shipment["status"] == "cancelled"
    assert lg.carrier.cancelled == [shipment["booking_ref"]]
