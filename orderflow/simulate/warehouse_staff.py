"""Warehouse staff: pick and pack a fully reserved order, inspect returned goods."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from orderflow.simulate.polling import until
from orderflow.simulate.world import World


async def pick_lists(world: World, order_id: str) -> list[dict[str, Any]]:
    found = await world.call("warehouse", "GET", "/pick-lists")
    return [p for p in found if str(p["order_id"]) == order_id]


async def pick_and_pack(world: World, order_id: str, within_s: float = 90) -> None:
    """Confirm the order's pick lists and pack what the order (as amended) asks for."""

    async def has_lists() -> bool:
        return bool(await pick_lists(world, order_id))

    await until(has_lists, within_s=within_s, every_s=0.5)
    await world.pause(timedelta(hours=2))
    for pick_list in await pick_lists(world, order_id):
        await world.call(
            "warehouse",
            "POST",
            f"/pick-lists/{pick_list['pick_list_id']}/confirm",
            json={"picked_by": "wang"},
        )
    order = await world.order_view(order_id)
    contents = [
        {"line_no": ln["line_no"], "product_code": ln["product_code"], "quantity": ln["quantity"]}
        for ln in order["lines"]
        if ln["quantity"] > 0
    ]
    await world.pause(timedelta(hours=1))
    await world.call(
        "warehouse",
        "POST",
        f"/orders/{order_id}/pack",
        json={
            "packed_by": "wang",
            "packages": [
                {
                    "package_no": "1",
                    "label": f"PKG-{order_id[:8]}-1",
                    "weight_kg": "12.5",
                    "dimensions": {"length_cm": "60", "width_cm": "40", "height_cm": "30"},
                    "contents": contents,
                }
            ],
        },
    )


async def inspect_return(world: World, return_id: str, lines: list[dict[str, Any]]) -> None:
    """Once the carrier has brought the goods back: restock what is sound."""

    async def received() -> bool:
        found = await world.status_of("warehouse", "GET", f"/returns/{return_id}")
        if found != 200:
            return False
        case = await world.call("warehouse", "GET", f"/returns/{return_id}")
        return str(case.get("status")) == "received"

    await until(received, within_s=90, every_s=0.5)
    await world.pause(timedelta(hours=3))
    await world.call(
        "warehouse",
        "POST",
        f"/returns/{return_id}/inspect",
        json={
            "inspector": "QC Sun",
            "items": [
                {
                    "line_no": ln["line_no"],
                    "product_code": ln["product_code"],
                    "quantity": ln["quantity"],
                    "outcome": "restock",
                    "reason": "sound, repacked",
                }
                for ln in lines
            ],
        },
    )
