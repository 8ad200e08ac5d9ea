"""The sales manager: approves or rejects orders over the approval amount, rush orders and
orders below list price, a few hours after they are put before them."""

from __future__ import annotations

from datetime import timedelta

from orderflow.simulate.world import World


async def decide(world: World, order_id: str, reject: bool) -> None:
    await world.wait_status(order_id, "awaiting_approval")
    await world.pause(timedelta(hours=3))
    if reject:
        await world.call(
            "sales",
            "POST",
            f"/orders/{order_id}/reject",
            json={"rejected_by": "Manager Zhao", "reason": "price and dates not acceptable"},
        )
    else:
        await world.call(
            "sales",
            "POST",
            f"/orders/{order_id}/approve",
            json={"approved_by": "Manager Zhao", "notes": "approved"},
        )
