"""What people look up: stock, items, reservations, pick lists, inspections, returns.

Reads go through here like every other use case, so the HTTP layer never touches a repository.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from services.warehouse.app.unit import Work
from services.warehouse.domain.fulfilment import Fulfilment
from services.warehouse.domain.inspection import GoodsReturn, Inspection
from shared.errors import NotFound


async def stock_levels(work: Work, product_code: str) -> list[dict[str, Any]]:
    """On hand, reserved and available per location."""
    levels = await work.stock.levels(product_code)
    return [{**lv, "available": lv["on_hand"] - lv["reserved"]} for lv in levels]


async def items(work: Work) -> list[dict[str, Any]]:
    return await work.stock.list_items()


async def item(work: Work, product_code: str) -> dict[str, Any]:
    found = await work.stock.get_item(product_code)
    if found is None:
        raise NotFound("item", product_code)
    return found


async def locations(work: Work) -> list[dict[str, Any]]:
    return await work.stock.list_locations()


async def movements(work: Work, product_code: str) -> list[dict[str, Any]]:
    return await work.stock.movements(product_code)


async def reservations_of_item(work: Work, product_code: str) -> list[dict[str, Any]]:
    """Which orders hold this item, where, and how much of it is already picked."""
    return await work.fulfilments.reservations_of(product_code)


async def fulfilment(work: Work, order_id: UUID) -> Fulfilment:
    found = await work.fulfilments.get(order_id, lock=False)
    if found is None:
        raise NotFound("order", order_id)
    return found


async def open_pick_lists(work: Work) -> list[dict[str, Any]]:
    return await work.fulfilments.open_pick_lists()


async def inspections(work: Work, status: str | None) -> list[dict[str, Any]]:
    return await work.inspections.list(status)


async def inspection(work: Work, inspection_id: UUID) -> Inspection:
    found = await work.inspections.get(inspection_id, lock=False)
    if found is None:
        raise NotFound("inspection", inspection_id)
    return found


async def goods_return(work: Work, return_id: UUID) -> GoodsReturn:
    found = await work.returns.get(return_id, lock=False)
    if found is None:
        raise NotFound("return", return_id)
    return found
