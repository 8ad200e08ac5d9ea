"""The managers: approve or reject orders over the approval amount, rush orders and orders below
list price, a few hours after they are put before them.

Who may decide depends on the order (the approval matrix: the sales manager up to a band, the
general manager above it, the production VP for a rush): the sales manager takes it first, and
where the service answers 403 naming the roles that may, the one of the cast who holds such a
role decides. A desk clerk tries first and is refused: the story proves that a clerk's approval
is not taken and the manager's is (issue 16)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate.world import ServiceRefused, World

# Who takes up an order awaiting a decision, in this order, as the service asks for them.
DECIDERS = (Role.SALES_MANAGER, Role.GENERAL_MANAGER, Role.PRODUCTION_VP, Role.AFTER_SALES_MANAGER)
ROUNDS = 4  # approvals one order may need (a rush order above the band: VP and GM)


async def decide(world: World, order_id: str, reject: bool) -> None:
    await world.wait_status(order_id, "awaiting_approval")
    await world.refused(
        "sales",
        "POST",
        f"/orders/{order_id}/approve",
        json={"notes": "looks fine to me"},
        as_=Role.SALES_DESK,
    )
    await world.pause(timedelta(hours=3))
    if reject:
        body = {"reason": "price and dates not acceptable"}
        await _as_someone_allowed(world, f"/orders/{order_id}/reject", body, set())
        return
    decided: set[str] = set()
    for _ in range(ROUNDS):
        if await world.sales_status(order_id) != "awaiting_approval":
            return
        await _as_someone_allowed(
            world, f"/orders/{order_id}/approve", {"notes": "approved"}, decided
        )
    raise ServiceRefused(f"order {order_id} still awaits approval after {ROUNDS} approvals")


async def _as_someone_allowed(
    world: World, path: str, body: dict[str, Any], decided: set[str]
) -> None:
    """The first decider not yet heard whom the service accepts; a 403 names the roles that
    would do, so the next one tried holds one of them."""
    wanted: list[str] = [r for r in DECIDERS if r not in decided]
    while wanted:
        role = wanted.pop(0)
        status, answer = await world.attempt("sales", "POST", path, json=body, as_=role)
        if status < 300:
            decided.add(role)
            return
        if status != 403:
            raise ServiceRefused(f"sales POST {path} as {role}: {status} {answer}")
        named = [r for r in answer.get("roles") or [] if r not in decided and r != role]
        wanted = [r for r in DECIDERS if r in named] or wanted
    raise ServiceRefused(f"sales POST {path}: nobody in the cast may decide it")
