"""No overselling: many orders for the same item at once, handled by two replicas."""

from __future__ import annotations

import asyncio

from contracts.events.warehouse import StockReserved
from tests.harness import eventually
from tests.integration.warehouse.support import (
    assert_ledger_matches_levels,
    confirmed,
    publish,
    stock_item,
    stock_of,
)

ORDERS, UNITS = 200, 50


async def test_200_competing_orders_for_50_units_on_two_replicas_reserve_exactly_50(
    warehouse, replica, code
):
    await stock_item(warehouse, code, ("A1", 30), ("B1", 20))
    second = await replica()
    handler = f"{warehouse.settings.service_name}.order.confirmed"

    def handled(runtime) -> float:
        value = runtime.metrics.registry.get_sample_value(
            "orderflow_messages_handled_total", {"handler": handler}
        )
        return value or 0.0

    before = (handled(warehouse.runtime), handled(second))
    orders = [confirmed((code, 1)) for _ in range(ORDERS)]
    await asyncio.gather(*(publish(warehouse, o, str(o.order_id)) for o in orders))

    ids = {str(o.order_id) for o in orders}

    def answers() -> list[StockReserved]:
        return [
            e.open_as(StockReserved)
            for e in warehouse.spy.envelopes
            if e.type == "stock.reserved" and e.correlation_id in ids
        ]

    async def every_order_answered() -> bool:
        return len(answers()) >= ORDERS

    await eventually(every_order_answered, timeout=60)
    results = answers()
    assert len(results) == ORDERS  # none lost, none doubled
    assert sum(r.lines[0].quantity_reserved for r in results) == UNITS
    assert sum(r.fully_reserved for r in results) == UNITS
    assert {r.lines[0].shortfall for r in results if not r.fully_reserved} == {1}
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (UNITS, UNITS, 0)
    await assert_ledger_matches_levels(warehouse, code)
    work = (handled(warehouse.runtime) - before[0], handled(second) - before[1])
    assert sum(work) >= ORDERS and all(w > 0 for w in work), f"one replica idle: {work}"
