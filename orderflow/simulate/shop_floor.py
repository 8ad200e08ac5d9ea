"""The shop floor and the inbound QC desk: work orders started on their planned start day and
completed on their planned finish, with scrap; finished goods inspected, some failed back to
rework. Through the production and warehouse APIs only, the shift signed in as ``shop_floor``
and the inspector as ``qc``: the shift's attempt to pass its own goods is refused (QC inspects
finished goods, 000 and 001)."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate.plan import OrderPlan
from orderflow.simulate.world import TZ_OFFSET, World

FLOOR = Role.SHOP_FLOOR
QC = Role.QC


def _morning(day: str | None, world: World) -> datetime:
    """08:00 company time on ``day`` (the date production planned), as a UTC instant."""
    if day is None:
        return world.now()
    local = datetime.combine(date.fromisoformat(day), time(8, 0), tzinfo=UTC)
    return local - TZ_OFFSET


async def work_orders(world: World, order_id: str) -> list[dict[str, Any]]:
    return list(
        await world.call(
            "production", "GET", "/work-orders", params={"order_id": order_id}, as_=FLOOR
        )
    )


async def run_work_order(world: World, wo: dict[str, Any], scrap: int) -> None:
    """Start it, report half way, complete it with the full good quantity (scrap extra)."""
    path = f"/work-orders/{wo['work_order_id']}/progress"
    await world.sleep_until(_morning(wo.get("planned_start"), world))
    await world.call("production", "POST", path, json={"started": True}, as_=FLOOR)
    finish = _morning(wo.get("planned_finish"), world) + timedelta(hours=8)
    await world.sleep_until(max(world.now(), finish - timedelta(hours=4)))
    half = {"quantity_done": wo["quantity"] // 2, "quantity_scrapped": scrap}
    await world.call("production", "POST", path, json=half, as_=FLOOR)
    await world.sleep_until(finish)
    await world.call(
        "production",
        "POST",
        path,
        json={
            "quantity_done": wo["quantity"],
            "quantity_scrapped": scrap,
            "complete": True,
            "lot_no": f"LOT-{wo['work_order_no']}",
        },
        as_=FLOOR,
    )


async def inspect_pending(
    world: World, plan: OrderPlan, order_id: str, failed: set[str], tried: set[str]
) -> None:
    """Decide the order's pending inbound inspections; the first one fails if the plan says so.
    Before QC looks at the order's first goods, the shift tries to pass them and is refused."""
    pending = await world.call(
        "warehouse", "GET", "/inspections", params={"status": "pending"}, as_=QC
    )
    for inspection in pending:
        if str(inspection.get("order_id")) != order_id:
            continue
        path = f"/inspections/{inspection['inspection_id']}"
        if not tried:
            # the shift would rather pass its own goods; only QC may
            tried.add(inspection["inspection_id"])
            await world.refused("warehouse", "POST", f"{path}/pass", json={}, as_=FLOOR)
        await world.pause(timedelta(hours=1))
        if plan.qc_fails and not failed:
            failed.add(str(inspection["inspection_id"]))
            await world.call(
                "warehouse",
                "POST",
                f"{path}/fail",
                json={"defect": "burr on edge", "disposition": "rework"},
                as_=QC,
            )
        else:
            await world.call("warehouse", "POST", f"{path}/pass", json={}, as_=QC)


async def tend(world: World, plan: OrderPlan, order_id: str, stop: asyncio.Event) -> int:
    """Until ``stop``: run each new work order of the order and decide its inspections.
    Returns how many work orders (rework included) it ran."""
    started: dict[str, asyncio.Task[None]] = {}
    failed: set[str] = set()
    tried: set[str] = set()
    while not stop.is_set():
        for wo in await work_orders(world, order_id):
            if wo["work_order_id"] not in started and wo["status"] in ("planned", "started"):
                started[wo["work_order_id"]] = asyncio.create_task(
                    run_work_order(world, wo, plan.scrap)
                )
        await inspect_pending(world, plan, order_id, failed, tried)
        for task in started.values():
            if task.done() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
        await asyncio.sleep(1.0)  # the floor and QC look a few times a (simulated) day
    for task in started.values():
        task.cancel()
    return len(started)
