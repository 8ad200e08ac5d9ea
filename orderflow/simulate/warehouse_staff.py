"""Warehouse staff: pick and pack a fully reserved order (signed in as ``warehouse``); QC
inspects returned goods (``qc``). Who picked, packed or inspected is the signed-in person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate.polling import until
from orderflow.simulate.world import REACTION, World

STORE = Role.WAREHOUSE
QC = Role.QC


async def pick_lists(world: World, order_id: str) -> list[dict[str, Any]]:
    found = await world.call("warehouse", "GET", "/pick-lists", as_=STORE)
    return [p for p in found if str(p["order_id"]) == order_id]


async def ready_to_pick(world: World, order_id: str) -> list[dict[str, Any]]:
    """The order's open pick lists once the warehouse holds all of it as sales now has it
    (an amendment voids the lists and reserves again); empty until then."""
    path = f"/orders/{order_id}/reservations"
    if await world.status_of("warehouse", "GET", path, as_=STORE) != 200:
        return []
    held = await world.call("warehouse", "GET", path, as_=STORE)
    # the world's check, not the storekeeper's: the warehouse holds the order as sales has it
    order = await world.order_view(order_id)
    ordered = {ln["line_no"]: ln["quantity"] for ln in order["lines"]}
    in_warehouse = {ln["line_no"]: ln["quantity_ordered"] for ln in held["lines"]}
    if not held["fully_reserved"] or {k: v for k, v in in_warehouse.items() if v} != {
        k: v for k, v in ordered.items() if v
    }:
        return []
    return [p for p in held["pick_lists"] if p["status"] == "open"]


async def pick_and_pack(
    world: World, order_id: str, within_s: float | None = None, *, within: timedelta = REACTION
) -> None:
    """Confirm the order's pick lists and pack what the order (as amended) asks for."""
    found: list[dict[str, Any]] = []

    async def has_lists() -> bool:
        found[:] = await ready_to_pick(world, order_id)
        return bool(found)

    wall = within_s if within_s is not None else world.within(within)
    await until(has_lists, within_s=wall, every_s=0.5, what="order reserved with pick lists")
    await world.pause(timedelta(hours=2))
    for pick_list in found:
        await world.call(
            "warehouse",
            "POST",
            f"/pick-lists/{pick_list['pick_list_id']}/confirm",
            json={},
            as_=STORE,
        )
    held = await world.call("warehouse", "GET", f"/orders/{order_id}/reservations", as_=STORE)
    contents = [
        {
            "line_no": ln["line_no"],
            "product_code": ln["product_code"],
            "quantity": ln["quantity_ordered"],
        }
        for ln in held["lines"]
        if ln["quantity_ordered"] > 0
    ]
    await world.pause(timedelta(hours=1))
    await world.call(
        "warehouse",
        "POST",
        f"/orders/{order_id}/pack",
        json={
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
        as_=STORE,
    )


async def inspect_return(world: World, return_id: str, lines: list[dict[str, Any]]) -> None:
    """Once the carrier has brought the goods back: restock what is sound."""

    async def received() -> bool:
        found = await world.status_of("warehouse", "GET", f"/returns/{return_id}", as_=QC)
        if found != 200:
            return False
        case = await world.call("warehouse", "GET", f"/returns/{return_id}", as_=QC)
        return str(case.get("status")) == "received"

    await until(
        received, within_s=world.within(timedelta(days=1)), every_s=0.5, what="return received"
    )
    await world.pause(timedelta(hours=3))
    await world.call(
        "warehouse",
        "POST",
        f"/returns/{return_id}/inspect",
        json={
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
        as_=QC,
    )
