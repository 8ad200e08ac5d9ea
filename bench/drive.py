"""Class-A orders through their whole life, the outside world answering at once.

The instant actors (``bench.instant``, over the simulator's ``World``) do the work through the
public APIs; instead of polling for each step they start it when the event that makes it
possible goes by, so their polls succeed on the first try and the figures are the services' own.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from bench import instant
from bench.observe import EventClock
from orderflow.simulate import World

LIFE_S = 180.0  # one order's whole life, at most
QUANTITIES = {"P-100": 2, "P-200": 1}
WATCHED = (
    "order.confirmed",
    "stock.reserved",
    "goods.ready",
    "shipment.updated",
    "goods.shipped",
    "invoice.issued",
    "order.completed",
)


@dataclass(frozen=True)
class Life:
    submit_to_confirmed: float
    ready_to_shipped: float
    submit_to_completed: float


async def live(world: World, clock: EventClock, customer_id: str) -> Life:
    """Submit one class-A order and play every outside step until it is completed."""
    async with asyncio.timeout(LIFE_S):
        return await _live(world, clock, customer_id)


async def _live(world: World, clock: EventClock, customer_id: str) -> Life:
    submitted = time.perf_counter()
    order = await instant.order(world, customer_id, QUANTITIES)
    order_id = str(order["order_id"])
    confirmed, _ = await clock.wait("order.confirmed", order_id)
    await clock.wait("stock.reserved", order_id)  # the pick lists exist from here on
    await instant.pick_and_pack(world, order_id, QUANTITIES)
    ready, _ = await clock.wait("goods.ready", order_id)
    await clock.wait("shipment.updated", order_id)  # booked with a carrier
    await instant.ship_and_deliver(world, order_id)
    shipped, _ = await clock.wait("goods.shipped", order_id)
    await clock.wait("invoice.issued", order_id)
    await instant.pay_invoices(world, order_id)
    completed, _ = await clock.wait("order.completed", order_id)
    return Life(confirmed - submitted, shipped - ready, completed - submitted)


async def closed_loop(
    world: World, clock: EventClock, customer_id: str, orders: int, concurrency: int
) -> tuple[list[Life], float]:
    """``orders`` lives, ``concurrency`` at a time; returns them and the seconds it took."""
    gate = asyncio.Semaphore(concurrency)

    async def one() -> Life:
        async with gate:
            return await live(world, clock, customer_id)

    started = time.perf_counter()
    lives = await asyncio.gather(*(one() for _ in range(orders)))
    return list(lives), time.perf_counter() - started


async def open_loop(
    world: World, clock: EventClock, customer_id: str, rate: float, seconds: float
) -> list[Life]:
    """A new order every 1/rate seconds for ``seconds``, whatever the earlier ones are doing."""
    tasks: list[asyncio.Task[Life]] = []
    started = time.perf_counter()
    for i in range(max(1, int(rate * seconds))):
        # pacing the arrivals, not waiting for a result
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(live(world, clock, customer_id)))
    return list(await asyncio.gather(*tasks))
