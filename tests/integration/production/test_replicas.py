"""Two replicas scheduling many orders at once never overbook a line."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import text

from contracts.events.production import ProductionScheduled
from tests.harness import eventually
from tests.integration.production.builders import (
    confirm_with_shortfall,
    line,
    seed_line,
    seed_product,
)

RATES = {"L1": {"pump": 10, "valve": 30}, "L2": {"pump": 7}}


async def test_concurrent_scheduling_on_two_replicas_never_overbooks(
    start_production, production, client, spy, amqp_channel, ns
):
    second = await start_production()  # the client's runtime is the first replica
    for code, rates in RATES.items():
        await seed_line(client, code, rates)
    await seed_product(client, "P-100", "pump")
    await seed_product(client, "V-1", "valve")
    orders = await asyncio.gather(
        *(
            confirm_with_shortfall(
                amqp_channel,
                ns,
                [line(1, "P-100", 9 + i % 7), line(2, "V-1", 11 + i % 5)],
                date(2027, 3, 31),
                rush=i % 5 == 0,
            )
            for i in range(24)
        )
    )

    async def all_scheduled() -> bool:
        return all(spy.of(ProductionScheduled, str(order_id)) for order_id, _ in orders)

    await eventually(all_scheduled, timeout=60)
    handled = [
        sum(
            r.metrics.registry.get_sample_value(
                "orderflow_messages_handled_total", {"handler": f"production.{queue}"}
            )
            or 0
            for queue in ("stock.reserved", "order.confirmed")
        )
        for r in (production, second)
    ]
    assert sum(handled) == 48
    assert all(h > 0 for h in handled), f"one replica did no work: {handled}"
    async with second.engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT a.line_code, a.day, w.family, a.quantity, w.order_id"
                    " FROM allocation a JOIN work_order w USING (work_order_id)"
                )
            )
        ).all()
        work_orders = (await conn.execute(text("SELECT count(*) FROM work_order"))).scalar_one()
    used: dict[tuple[str, date], Fraction] = defaultdict(Fraction)
    for code, day, family, quantity, _ in rows:
        used[(code, day)] += Fraction(quantity, RATES[code][family])
    assert max(used.values()) <= 1, "a line day is overbooked"
    assert work_orders == 48
    made = sum(q for *_, q, _ in rows)
    assert made == sum(9 + i % 7 + 11 + i % 5 for i in range(24))
