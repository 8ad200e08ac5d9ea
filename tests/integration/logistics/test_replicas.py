"""Two replicas on the same queues and schema: no effect is doubled."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from contracts.commands.logistics import RecordScan
from contracts.enums import ShipmentStatus
from contracts.events.logistics import GoodsShipped, ShipmentUpdated
from tests.harness import eventually
from tests.integration.logistics.conftest import goods_ready


async def test_two_replicas_book_each_order_once_and_apply_each_scan_once(start_logistics):
    lg = await start_logistics(replicas=2, prefetch=4)
    orders = [goods_ready() for _ in range(6)]
    # every goods.ready twice (a producer retry): 12 messages for 6 orders
    await asyncio.gather(*(lg.send(e, str(e.order_id)) for e in orders + orders))

    async def all_handled() -> bool:
        return lg.handled("goods.ready") == 12

    await eventually(all_handled, timeout=30)
    shipments = [await lg.shipment_of(e.order_id) for e in orders]
    for e in orders:
        assert len((await lg.http.get(f"/orders/{e.order_id}/shipments")).json()) == 1
    assert len(lg.carrier.bookings) == 6

    # each shipment's pickup scan sent three times, spread over both replicas
    lg.clock.advance(timedelta(hours=1))
    scans = [
        RecordScan(
            carrier=s["carrier"],
            tracking_no=s["tracking_no"],
            scan_id=f"{s['tracking_no']}-1",
            status=ShipmentStatus.PICKED_UP,
            at=lg.clock.now(),
        )
        for s in shipments
    ]
    await asyncio.gather(
        *(lg.send(scan, str(e.order_id)) for e, scan in zip(orders * 3, scans * 3, strict=True))
    )

    async def scans_handled() -> bool:
        return lg.handled("commands") == 18

    await eventually(scans_handled, timeout=30)
    await lg.spy.wait_for(GoodsShipped, 6)
    for e in orders:
        order = str(e.order_id)
        assert len(lg.spy.of(GoodsShipped, order)) == 1
        statuses = [u.status for u in lg.spy.of(ShipmentUpdated, order)]
        assert statuses.count(ShipmentStatus.PICKED_UP) == 1
    per_replica = [
        r.metrics.registry.get_sample_value(
            "orderflow_messages_handled_total", {"handler": "logistics.commands"}
        )
        or 0
        for r in (lg.runtime, *lg.replicas)
    ]
    assert all(n > 0 for n in per_replica), per_replica
