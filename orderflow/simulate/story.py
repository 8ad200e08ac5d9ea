"""A seeded story of orders: customers of classes A, B and C, some cancelling, all through the
services' public APIs. The same seed gives the same story."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from orderflow.simulate.actors import PRODUCTS, World


@dataclass
class Outcome:
    order_no: str
    klass: str
    final_status: str
    seconds: float


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    dead_lettered: float = 0.0
    kpis: dict[str, Any] = field(default_factory=dict)

    def lines(self) -> list[str]:
        by_status = Counter(o.final_status for o in self.outcomes)
        by_class = Counter(o.klass for o in self.outcomes)
        done = [o.seconds for o in self.outcomes if o.final_status == "completed"]
        out = [
            f"orders                {len(self.outcomes)}",
            "by class              " + ", ".join(f"{k}: {v}" for k, v in sorted(by_class.items())),
            "by terminal state     " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())),
        ]
        if done:
            done.sort()
            out.append(
                f"submit -> completed   median {done[len(done) // 2]:.1f} s, max {done[-1]:.1f} s"
            )
        out.append(f"dead-lettered         {self.dead_lettered:.0f}")
        if self.kpis:
            out.append(f"KPIs ({self.kpis.get('period')}) from customer service:")
            for name in ("on_time_delivery", "cycle_time_hours", "review_time", "complaints"):
                out.append(f"  {name:<20}{json.dumps(self.kpis.get(name), default=str)}")
        return out


async def play(world: World, orders: int, seed: int, concurrency: int = 4) -> Report:
    rng = random.Random(seed)
    await world.seed(stock=max(500, orders * 40))
    customers = {
        "A": await world.customer("A"),
        "B": await world.customer("B"),
        "C": await world.customer("C", deposit_percent="30"),
    }
    plans = [_plan(rng) for _ in range(orders)]
    gate = asyncio.Semaphore(concurrency)
    report = Report()

    async def one(plan: dict) -> None:
        async with gate:
            report.outcomes.append(await _live(world, customers[plan["klass"]], plan))

    await asyncio.gather(*(one(p) for p in plans))
    report.dead_lettered = await world.dead_lettered()
    period = date.today().strftime("%Y-%m")
    report.kpis = dict(
        await world.call("customer_service", "GET", "/kpis", params={"period": period})
    )
    return report


def _plan(rng: random.Random) -> dict:
    return {
        "klass": rng.choice("AABBC"),
        "quantities": {code: rng.randint(1, 20) for code in PRODUCTS if rng.random() < 0.8}
        or {"P-100": 1},
        "cancel": rng.random() < 0.1,
    }


async def _live(world: World, customer_id: str, plan: dict) -> Outcome:
    started = time.monotonic()
    order = await world.order(customer_id, plan["quantities"])
    order_id = str(order["order_id"])
    if plan["cancel"]:
        await world.wait_status(order_id, "released", "awaiting_signature", "awaiting_deposit")
        await world.cancel(order_id, "customer changed plans")
    else:
        if plan["klass"] in "BC":
            await world.wait_status(order_id, "awaiting_signature")
            await world.sign(order_id)
        if plan["klass"] == "C":
            await world.wait_status(order_id, "awaiting_deposit", "released")
            if await world.sales_status(order_id) == "awaiting_deposit":
                await world.pay_deposit(order_id)
        await world.wait_status(order_id, "released")
        await world.pick_and_pack(order_id, plan["quantities"])
        await world.ship_and_deliver(order_id)
        await world.wait_status(order_id, "delivered", "completed")
        await world.pay_invoices(order_id)
        await world.wait_status(order_id, "completed")
    return Outcome(
        str(order["order_no"]),
        plan["klass"],
        await world.sales_status(order_id),
        time.monotonic() - started,
    )
