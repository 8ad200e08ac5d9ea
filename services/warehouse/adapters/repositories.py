"""All of the warehouse's SQL. Repositories never commit; the unit of work does.

Lock order, to keep two replicas from deadlocking: fulfilment row, then inspection / return,
then item rows in product-code order (``lock_books``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.common import Address, LineQuantity, Package
from contracts.enums import ReturnOutcome
from contracts.status.warehouse import (
    FulfilmentStatus,
    InspectionStatus,
    PickListStatus,
    ReturnStatus,
)
from services.warehouse.adapters.tables import (
    fulfilment,
    fulfilment_line,
    goods_return,
    inspection,
    item,
    location,
    pick_list,
    reservation,
    return_authorization,
    stock,
    stock_movement,
)
from services.warehouse.domain.fulfilment import (
    Allocation,
    Fulfilment,
    FulfilmentLine,
    PickLine,
    PickList,
)
from services.warehouse.domain.inspection import (
    GoodsReturn,
    Inspection,
    ReturnOutcomeLine,
)
from services.warehouse.domain.stock import MovementKind, StockBook, StockLevel


class StockRepository:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def add_item(
        self,
        product_code: str,
        description: str | None,
        reorder_point: int,
        reorder_quantity: int | None,
    ) -> bool:
        """Create the item or update its master data; True when it was new."""
        stmt = insert(item).values(
            product_code=product_code,
            description=description,
            reorder_point=reorder_point,
            reorder_quantity=reorder_quantity,
            created_at=self.now,
        )
        upsert: Any = stmt.on_conflict_do_update(
            index_elements=[item.c.product_code],
            set_={
                "description": stmt.excluded.description,
                "reorder_point": stmt.excluded.reorder_point,
                "reorder_quantity": stmt.excluded.reorder_quantity,
            },
        ).returning(literal_column("xmax = 0"))
        return bool((await self.session.execute(upsert)).scalar_one())

    async def ensure_item(self, product_code: str) -> None:
        await self.session.execute(
            insert(item)
            .values(product_code=product_code, created_at=self.now)
            .on_conflict_do_nothing()
        )

    async def add_location(self, code: str, name: str | None) -> None:
        stmt = insert(location).values(code=code, name=name, created_at=self.now)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=[location.c.code], set_={"name": name})
        )

    async def ensure_location(self, code: str) -> None:
        await self.session.execute(
            insert(location).values(code=code, created_at=self.now).on_conflict_do_nothing()
        )

    async def location_exists(self, code: str) -> bool:
        row = await self.session.execute(select(location.c.code).where(location.c.code == code))
        return row.first() is not None

    async def get_item(self, product_code: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(select(item).where(item.c.product_code == product_code))
        ).first()
        return dict(row._mapping) if row else None

    async def list_items(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(select(item).order_by(item.c.product_code))
        return [dict(r._mapping) for r in rows]

    async def list_locations(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(select(location).order_by(location.c.code))
        return [dict(r._mapping) for r in rows]

    async def lock_book(self, product_code: str) -> StockBook | None:
        """Lock the item row (serialises every stock change of the item) and load its stock."""
        head = (
            await self.session.execute(
                select(item.c.reorder_point, item.c.reorder_quantity)
                .where(item.c.product_code == product_code)
                .with_for_update(key_share=True)
            )
        ).first()
        if head is None:
            return None
        rows = await self.session.execute(
            select(stock.c.location, stock.c.on_hand, stock.c.reserved).where(
                stock.c.product_code == product_code
            )
        )
        return StockBook(
            product_code,
            {r.location: StockLevel(r.location, r.on_hand, r.reserved) for r in rows},
            reorder_point=head.reorder_point,
            reorder_quantity=head.reorder_quantity,
        )

    async def lock_books(self, product_codes: Iterable[str]) -> dict[str, StockBook]:
        books = {}
        for code in sorted(set(product_codes)):
            book = await self.lock_book(code)
            if book is not None:
                books[code] = book
        return books

    async def save(self, book: StockBook) -> None:
        """Write the touched levels and append the new movements to the ledger."""
        if not book.movements:
            return
        for loc in sorted({m.location for m in book.movements}):
            await self.ensure_location(loc)
            level = book.levels[loc]
            stmt = insert(stock).values(
                product_code=book.product_code,
                location=loc,
                on_hand=level.on_hand,
                reserved=level.reserved,
                updated_at=self.now,
            )
            await self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[stock.c.product_code, stock.c.location],
                    set_={
                        "on_hand": level.on_hand,
                        "reserved": level.reserved,
                        "updated_at": self.now,
                    },
                )
            )
        await self.session.execute(
            insert(stock_movement),
            [
                {
                    "product_code": m.product_code,
                    "location": m.location,
                    "kind": m.kind.value,
                    "on_hand_delta": m.on_hand_delta,
                    "reserved_delta": m.reserved_delta,
                    "order_id": m.order_id,
                    "reference": m.reference,
                    "reason": m.reason,
                    "created_at": self.now,
                }
                for m in book.movements
            ],
        )
        book.movements.clear()

    async def levels(self, product_code: str) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(stock.c.location, stock.c.on_hand, stock.c.reserved)
            .where(stock.c.product_code == product_code)
            .order_by(stock.c.location)
        )
        return [dict(r._mapping) for r in rows]

    async def receipt(self, product_code: str, reference: str) -> tuple[str, int] | None:
        """Where and how much a receipt with this reference booked, if one did."""
        row = (
            await self.session.execute(
                select(stock_movement.c.location, stock_movement.c.on_hand_delta)
                .where(
                    stock_movement.c.product_code == product_code,
                    stock_movement.c.kind == MovementKind.RECEIPT,
                    stock_movement.c.reference == reference,
                )
                .limit(1)
            )
        ).first()
        return None if row is None else (str(row.location), int(row.on_hand_delta))

    async def movements(self, product_code: str) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(stock_movement)
            .where(stock_movement.c.product_code == product_code)
            .order_by(stock_movement.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def ledger_totals(self, product_code: str) -> dict[str, tuple[int, int]]:
        """On-hand and reserved per location, summed from the ledger alone."""
        rows = await self.session.execute(
            select(
                stock_movement.c.location,
                func.sum(stock_movement.c.on_hand_delta),
                func.sum(stock_movement.c.reserved_delta),
            )
            .where(stock_movement.c.product_code == product_code)
            .group_by(stock_movement.c.location)
        )
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}


class FulfilmentRepository:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def reservations_of(self, product_code: str) -> list[dict[str, Any]]:
        """Every order's reservation of one item, per location, oldest order first."""
        rows = await self.session.execute(
            select(
                reservation.c.order_id,
                fulfilment.c.order_no,
                fulfilment.c.status,
                reservation.c.line_no,
                reservation.c.location,
                reservation.c.quantity_reserved,
                reservation.c.quantity_picked,
            )
            .join(
                fulfilment_line,
                (fulfilment_line.c.order_id == reservation.c.order_id)
                & (fulfilment_line.c.line_no == reservation.c.line_no),
            )
            .join(fulfilment, fulfilment.c.order_id == reservation.c.order_id)
            .where(fulfilment_line.c.product_code == product_code)
            .where(reservation.c.quantity_reserved > 0)
            .order_by(fulfilment.c.created_at, reservation.c.line_no, reservation.c.location)
        )
        return [dict(r._mapping) for r in rows]

    async def claim(self, f: Fulfilment) -> bool:
        """Insert a new fulfilment; False when the order is already known (duplicate/late)."""
        stmt = (
            insert(fulfilment)
            .values(**self._row(f), created_at=self.now)
            .on_conflict_do_nothing()
            .returning(fulfilment.c.order_id)
        )
        claimed = (await self.session.execute(stmt)).first() is not None
        if claimed:
            await self._write_children(f)
        return claimed

    async def get(self, order_id: UUID, *, lock: bool = True) -> Fulfilment | None:
        query = select(fulfilment).where(fulfilment.c.order_id == order_id)
        if lock:
            query = query.with_for_update(key_share=True)
        head = (await self.session.execute(query)).first()
        if head is None:
            return None
        lines = {
            r.line_no: FulfilmentLine(r.line_no, r.product_code, r.quantity_ordered)
            for r in await self.session.execute(
                select(fulfilment_line).where(fulfilment_line.c.order_id == order_id)
            )
        }
        for r in await self.session.execute(
            select(reservation).where(reservation.c.order_id == order_id)
        ):
            lines[r.line_no].allocations[r.location] = Allocation(
                r.quantity_reserved, r.quantity_picked
            )
        pick_lists = [
            PickList(
                r.pick_list_id,
                r.location,
                [PickLine(p["line_no"], p["product_code"], p["quantity"]) for p in r.lines],
                PickListStatus(r.status),
                r.picked_by,
                r.picked_at,
            )
            for r in await self.session.execute(
                select(pick_list)
                .where(pick_list.c.order_id == order_id)
                .order_by(pick_list.c.created_at, pick_list.c.location)
            )
        ]
        return Fulfilment(
            head.order_id,
            head.order_no,
            FulfilmentStatus(head.status),
            lines,
            Address.model_validate(head.delivery_address) if head.delivery_address else None,
            head.promised_date,
            head.rush,
            pick_lists,
            [Package.model_validate(p) for p in head.packages],
            head.amendment_no,
        )

    async def order_id_by_no(self, order_no: str) -> UUID | None:
        row = await self.session.execute(
            select(fulfilment.c.order_id).where(fulfilment.c.order_no == order_no)
        )
        return row.scalar_one_or_none()

    async def order_id_of_pick_list(self, pick_list_id: UUID) -> UUID | None:
        row = await self.session.execute(
            select(pick_list.c.order_id).where(pick_list.c.pick_list_id == pick_list_id)
        )
        return row.scalar_one_or_none()

    async def save(self, f: Fulfilment) -> None:
        await self.session.execute(
            fulfilment.update().where(fulfilment.c.order_id == f.order_id).values(**self._row(f))
        )
        await self._write_children(f)

    def _row(self, f: Fulfilment) -> dict[str, Any]:
        return {
            "order_id": f.order_id,
            "order_no": f.order_no,
            "status": f.status.value,
            "delivery_address": f.delivery_address.model_dump(mode="json")
            if f.delivery_address
            else None,
            "promised_date": f.promised_date,
            "rush": f.rush,
            "amendment_no": f.amendment_no,
            "packages": [p.model_dump(mode="json") for p in f.packages],
            "updated_at": self.now,
        }

    async def _write_children(self, f: Fulfilment) -> None:
        for table in (fulfilment_line, reservation):
            await self.session.execute(table.delete().where(table.c.order_id == f.order_id))
        if f.lines:
            await self.session.execute(
                insert(fulfilment_line),
                [
                    {
                        "order_id": f.order_id,
                        "line_no": line.line_no,
                        "product_code": line.product_code,
                        "quantity_ordered": line.ordered,
                    }
                    for line in f.lines.values()
                ],
            )
        allocations = [
            {
                "order_id": f.order_id,
                "line_no": line.line_no,
                "location": loc,
                "quantity_reserved": a.reserved,
                "quantity_picked": a.picked,
            }
            for line in f.lines.values()
            for loc, a in line.allocations.items()
            if a.reserved or a.picked
        ]
        if allocations:
            await self.session.execute(insert(reservation), allocations)
        for pl in f.pick_lists:
            stmt = insert(pick_list).values(
                pick_list_id=pl.pick_list_id,
                order_id=f.order_id,
                location=pl.location,
                status=pl.status.value,
                lines=[
                    {"line_no": p.line_no, "product_code": p.product_code, "quantity": p.quantity}
                    for p in pl.lines
                ],
                picked_by=pl.picked_by,
                picked_at=pl.picked_at,
                created_at=self.now,
            )
            await self.session.execute(
                stmt.on_conflict_do_update(
                    index_elements=[pick_list.c.pick_list_id],
                    set_={
                        "status": pl.status.value,
                        "picked_by": pl.picked_by,
                        "picked_at": pl.picked_at,
                    },
                )
            )

    async def open_pick_lists(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(pick_list)
            .where(pick_list.c.status == PickListStatus.OPEN.value)
            .order_by(pick_list.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


class InspectionRepository:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def add(self, i: Inspection) -> bool:
        stmt = (
            insert(inspection)
            .values(**self._row(i), created_at=self.now)
            .on_conflict_do_nothing()
            .returning(inspection.c.inspection_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get(self, inspection_id: UUID, *, lock: bool = True) -> Inspection | None:
        query = select(inspection).where(inspection.c.inspection_id == inspection_id)
        if lock:
            query = query.with_for_update(key_share=True)
        r = (await self.session.execute(query)).first()
        if r is None:
            return None
        return Inspection(
            r.inspection_id,
            r.work_order_id,
            r.order_id,
            r.order_no,
            r.line_no,
            r.product_code,
            r.lot_no,
            r.quantity,
            InspectionStatus(r.status),
            r.quantity_rejected,
            r.inspector,
            r.defect,
            r.decided_at,
        )

    async def save(self, i: Inspection) -> None:
        await self.session.execute(
            inspection.update()
            .where(inspection.c.inspection_id == i.inspection_id)
            .values(**self._row(i))
        )

    async def list(self, status: str | None) -> list[dict[str, Any]]:
        query = select(inspection).order_by(inspection.c.created_at)
        if status:
            query = query.where(inspection.c.status == status)
        return [dict(r._mapping) for r in await self.session.execute(query)]

    def _row(self, i: Inspection) -> dict[str, Any]:
        return {
            "inspection_id": i.inspection_id,
            "work_order_id": i.work_order_id,
            "order_id": i.order_id,
            "order_no": i.order_no,
            "line_no": i.line_no,
            "product_code": i.product_code,
            "lot_no": i.lot_no,
            "quantity": i.quantity,
            "quantity_rejected": i.quantity_rejected,
            "status": i.status.value,
            "inspector": i.inspector,
            "defect": i.defect,
            "decided_at": i.decided_at,
        }


class ReturnRepository:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.session = session
        self.now = now

    async def add(self, r: GoodsReturn) -> bool:
        stmt = (
            insert(goods_return)
            .values(**self._row(r), received_at=self.now)
            .on_conflict_do_nothing()
            .returning(goods_return.c.return_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get(self, return_id: UUID, *, lock: bool = True) -> GoodsReturn | None:
        query = select(goods_return).where(goods_return.c.return_id == return_id)
        if lock:
            query = query.with_for_update(key_share=True)
        r = (await self.session.execute(query)).first()
        if r is None:
            return None
        complaint_id = (
            await self.session.execute(
                select(return_authorization.c.complaint_id).where(
                    return_authorization.c.return_id == return_id
                )
            )
        ).scalar_one_or_none()
        return GoodsReturn(
            r.return_id,
            r.rma_no,
            r.order_id,
            r.order_no,
            [LineQuantity.model_validate(x) for x in r.lines],
            r.condition_notes,
            ReturnStatus(r.status),
            complaint_id,
            r.inspector,
            [
                ReturnOutcomeLine(
                    x["line_no"],
                    x["product_code"],
                    x["quantity"],
                    ReturnOutcome(x["outcome"]),
                    x["reason"],
                )
                for x in r.results
            ],
            r.inspected_at,
        )

    async def authorize(self, return_id: UUID, complaint_id: UUID | None, rma_no: str) -> None:
        """Remember the complaint behind a return, so its inspection result can name it."""
        await self.session.execute(
            insert(return_authorization)
            .values(
                return_id=return_id,
                complaint_id=complaint_id,
                rma_no=rma_no,
                authorized_at=self.now,
            )
            .on_conflict_do_nothing()
        )

    async def save(self, r: GoodsReturn) -> None:
        await self.session.execute(
            goods_return.update()
            .where(goods_return.c.return_id == r.return_id)
            .values(**self._row(r))
        )

    def _row(self, r: GoodsReturn) -> dict[str, Any]:
        return {
            "return_id": r.return_id,
            "rma_no": r.rma_no,
            "order_id": r.order_id,
            "order_no": r.order_no,
            "lines": [x.model_dump(mode="json") for x in r.lines],
            "condition_notes": r.condition_notes,
            "status": r.status.value,
            "inspector": r.inspector,
            "results": [
                {
                    "line_no": x.line_no,
                    "product_code": x.product_code,
                    "quantity": x.quantity,
                    "outcome": x.outcome.value,
                    "reason": x.reason,
                }
                for x in r.results
            ],
            "inspected_at": r.inspected_at,
        }
