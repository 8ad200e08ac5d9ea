"""Picking and packing, confirmed by warehouse staff (HTTP) or scanners (command queue)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from uuid import UUID

from contracts.common import Package
from services.warehouse.app.unit import Work
from services.warehouse.domain.errors import WarehouseError
from services.warehouse.domain.fulfilment import Fulfilment, StockChange
from shared.errors import NotFound

Picked = list[tuple[int, str, int]]


async def resolve_order(
    work: Work, order_id: UUID | None, order_no: str | None = None
) -> Fulfilment:
    if order_id is None and order_no is not None:
        order_id = await work.fulfilments.order_id_by_no(order_no)
    f = await work.fulfilments.get(order_id) if order_id is not None else None
    if f is None:
        raise NotFound(f"order {order_id or order_no} (not known to the warehouse)")
    work.uow.correlation_id = str(f.order_id)
    return f


async def confirm_pick_list(work: Work, pick_list_id: UUID, picked: Picked | None) -> Fulfilment:
    """A person confirms one pick list: picked by the signed-in person, now."""
    order_id = await work.fulfilments.order_id_of_pick_list(pick_list_id)
    if order_id is None:
        raise NotFound("pick list", pick_list_id)
    f = await resolve_order(work, order_id)
    await confirm_pick(work, f, pick_list_id, picked, work.actor.name, work.now)
    return f


async def pack(work: Work, order_id: UUID, packages: list[Package]) -> Fulfilment:
    f = await resolve_order(work, order_id)
    await pack_order(work, f, packages)
    return f


async def confirm_pick(
    work: Work,
    f: Fulfilment,
    pick_list_id: UUID | None,
    picked: Picked | None,
    picked_by: str,
    picked_at: datetime,
) -> None:
    """Take the picked goods off the shelf (ledger: on-hand and reserved both go down).

    Without a pick list id the quantities must cover all of the order's open pick lists.
    """
    changes: list[StockChange] = []
    if pick_list_id is not None:
        changes += f.confirm_pick(pick_list_id, picked, picked_by, picked_at)
    else:
        open_lists = f.open_pick_lists()
        listed = Counter[tuple[int, str]]()
        for pl in open_lists:
            for p in pl.lines:
                listed[(p.line_no, p.product_code)] += p.quantity
        given = Counter[tuple[int, str]]()
        for line_no, code, qty in picked or []:
            given[(line_no, code)] += qty
        if not open_lists or (picked is not None and given != listed):
            raise WarehouseError(f"picked {dict(given)} but the open pick lists say {dict(listed)}")
        for pl in open_lists:
            changes += f.confirm_pick(pl.pick_list_id, None, picked_by, picked_at)
    books = await work.stock.lock_books(c.product_code for c in changes)
    for c in changes:
        books[c.product_code].pick(c.location, c.quantity, f.order_id, reference=picked_by)
    await work.save_books(books.values())
    await work.fulfilments.save(f)


async def pack_order(work: Work, f: Fulfilment, packages: list[Package]) -> None:
    """Packages made and labelled; QC against the order; then ``goods.ready``."""
    f.pack(packages)
    await work.fulfilments.save(f)
    await work.emit_all(f.events)
