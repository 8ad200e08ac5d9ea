"""All of production's SQL. Repositories never commit; the unit of work does."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.status.production import WorkOrderKind, WorkOrderStatus
from services.production.adapters.tables import (
    allocation,
    bom_item,
    line_capacity,
    line_downtime,
    material_requisition,
    material_stock,
    order_plan,
    product,
    production_line,
    work_order,
)
from services.production.domain.capacity import Line, Slot
from services.production.domain.materials import BomItem, MaterialNeed
from services.production.domain.work_order import WorkOrder


class LineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, code: str, name: str, rates: dict[str, int], now: datetime) -> None:
        stmt = pg_insert(production_line).values(line_code=code, name=name, created_at=now)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["line_code"], set_={"name": name})
        )
        for family, pieces in rates.items():
            await self.set_rate(code, family, pieces)

    async def set_rate(self, code: str, family: str, pieces_per_day: int) -> None:
        stmt = pg_insert(line_capacity).values(
            line_code=code, family=family, pieces_per_day=pieces_per_day
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["line_code", "family"], set_={"pieces_per_day": pieces_per_day}
            )
        )

    async def exists(self, code: str) -> bool:
        found = await self.session.execute(
            select(production_line.c.line_code).where(production_line.c.line_code == code)
        )
        return found.first() is not None

    async def add_downtime(self, code: str, day: date, reason: str | None) -> None:
        stmt = pg_insert(line_downtime).values(line_code=code, day=day, reason=reason)
        await self.session.execute(
            stmt.on_conflict_do_update(index_elements=["line_code", "day"], set_={"reason": reason})
        )

    async def lock(self, codes: Iterable[str]) -> None:
        """Row locks on the lines, always in code order so two loaders never deadlock."""
        await self.session.execute(
            select(production_line.c.line_code)
            .where(production_line.c.line_code.in_(sorted(set(codes))))
            .order_by(production_line.c.line_code)
            .with_for_update(key_share=True)
        )

    async def lines(self, codes: Iterable[str] | None = None) -> list[Line]:
        query = select(production_line.c.line_code).order_by(production_line.c.line_code)
        if codes is not None:
            query = query.where(production_line.c.line_code.in_(list(codes)))
        names = list((await self.session.execute(query)).scalars())
        rates: dict[str, dict[str, int]] = defaultdict(dict)
        for row in await self.session.execute(
            select(line_capacity).where(line_capacity.c.line_code.in_(names))
        ):
            rates[row.line_code][row.family] = row.pieces_per_day
        downtime: dict[str, set[date]] = defaultdict(set)
        for row in await self.session.execute(
            select(line_downtime).where(line_downtime.c.line_code.in_(names))
        ):
            downtime[row.line_code].add(row.day)
        return [Line(code, dict(rates[code]), frozenset(downtime[code])) for code in names]

    async def makers(self, families: Iterable[str]) -> list[str]:
        rows = await self.session.execute(
            select(line_capacity.c.line_code)
            .where(line_capacity.c.family.in_(list(families)))
            .distinct()
        )
        return sorted(rows.scalars())

    async def downtime_rows(self, code: str) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(line_downtime.c.day, line_downtime.c.reason)
            .where(line_downtime.c.line_code == code)
            .order_by(line_downtime.c.day)
        )
        return [dict(r._mapping) for r in rows]

    async def booked(
        self, codes: Iterable[str], from_day: date, exclude: Iterable[UUID] = ()
    ) -> list[tuple[str, str, date, int]]:
        """(line, family, day, pieces) booked from ``from_day`` on, less ``exclude``'s."""
        excluded = list(exclude)
        query = (
            select(
                allocation.c.line_code,
                work_order.c.family,
                allocation.c.day,
                allocation.c.quantity,
            )
            .join(work_order, work_order.c.work_order_id == allocation.c.work_order_id)
            .where(allocation.c.line_code.in_(list(codes)), allocation.c.day >= from_day)
        )
        if excluded:
            query = query.where(allocation.c.work_order_id.not_in(excluded))
        rows = await self.session.execute(query)
        return [(r.line_code, r.family, r.day, r.quantity) for r in rows]

    async def schedule_view(
        self, code: str | None, day_from: date, day_to: date
    ) -> list[dict[str, Any]]:
        query = (
            select(
                allocation.c.line_code,
                allocation.c.day,
                allocation.c.quantity,
                work_order.c.work_order_id,
                work_order.c.work_order_no,
                work_order.c.order_no,
                work_order.c.product_code,
                work_order.c.family,
                work_order.c.rush,
                work_order.c.status,
            )
            .join(work_order, work_order.c.work_order_id == allocation.c.work_order_id)
            .where(allocation.c.day >= day_from, allocation.c.day <= day_to)
            .order_by(allocation.c.line_code, allocation.c.day, work_order.c.sequence)
        )
        if code is not None:
            query = query.where(allocation.c.line_code == code)
        return [dict(r._mapping) for r in await self.session.execute(query)]


class ProductRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, code: str, family: str, bom: Sequence[BomItem], now: datetime) -> None:
        stmt = pg_insert(product).values(product_code=code, family=family, updated_at=now)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["product_code"], set_={"family": family, "updated_at": now}
            )
        )
        await self.session.execute(delete(bom_item).where(bom_item.c.product_code == code))
        if bom:
            await self.session.execute(
                insert(bom_item),
                [
                    {
                        "product_code": code,
                        "material_code": item.material_code,
                        "quantity_per_piece": item.quantity_per_piece,
                        "unit": item.unit,
                    }
                    for item in bom
                ],
            )

    async def families(self, codes: Iterable[str]) -> dict[str, str]:
        rows = await self.session.execute(
            select(product.c.product_code, product.c.family).where(
                product.c.product_code.in_(list(codes))
            )
        )
        return {r.product_code: r.family for r in rows}

    async def bom(self, code: str) -> list[BomItem]:
        rows = await self.session.execute(
            select(bom_item)
            .where(bom_item.c.product_code == code)
            .order_by(bom_item.c.material_code)
        )
        return [BomItem(r.material_code, r.quantity_per_piece, r.unit) for r in rows]

    async def get(self, code: str) -> dict[str, Any] | None:
        families = await self.families([code])
        if code not in families:
            return None
        return {"product_code": code, "family": families[code], "bom": await self.bom(code)}


class MaterialRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def set_stock(self, code: str, on_hand: Decimal, unit: str, now: datetime) -> None:
        stmt = pg_insert(material_stock).values(
            material_code=code, on_hand=on_hand, unit=unit, updated_at=now
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["material_code"],
                set_={"on_hand": on_hand, "unit": unit, "updated_at": now},
            )
        )

    async def add(self, code: str, quantity: Decimal, unit: str, now: datetime) -> None:
        stmt = pg_insert(material_stock).values(
            material_code=code, on_hand=quantity, unit=unit, updated_at=now
        )
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=["material_code"],
                set_={"on_hand": material_stock.c.on_hand + quantity, "updated_at": now},
            )
        )

    async def on_hand_locked(self, codes: Iterable[str]) -> dict[str, Decimal]:
        rows = await self.session.execute(
            select(material_stock.c.material_code, material_stock.c.on_hand)
            .where(material_stock.c.material_code.in_(sorted(set(codes))))
            .order_by(material_stock.c.material_code)
            .with_for_update(key_share=True)
        )
        return {r.material_code: r.on_hand for r in rows}

    async def take(self, needs: Sequence[MaterialNeed], now: datetime) -> None:
        for need in needs:
            await self.session.execute(
                update(material_stock)
                .where(
                    material_stock.c.material_code == need.material_code,
                    material_stock.c.on_hand >= need.quantity,
                )
                .values(on_hand=material_stock.c.on_hand - need.quantity, updated_at=now)
            )

    async def all(self) -> list[dict[str, Any]]:
        rows = await self.session.execute(select(material_stock).order_by("material_code"))
        return [dict(r._mapping) for r in rows]


class OrderPlanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self, order_id: UUID, now: datetime) -> dict[str, Any]:
        """The order's row, created when first heard of, locked for this transaction."""
        await self.session.execute(
            pg_insert(order_plan)
            .values(order_id=order_id, created_at=now, updated_at=now)
            .on_conflict_do_nothing(index_elements=["order_id"])
        )
        row = await self.session.execute(
            select(order_plan)
            .where(order_plan.c.order_id == order_id)
            .with_for_update(key_share=True)
        )
        return dict(row.one()._mapping)

    async def update(self, order_id: UUID, now: datetime, **values: Any) -> None:
        await self.session.execute(
            update(order_plan)
            .where(order_plan.c.order_id == order_id)
            .values(updated_at=now, **values)
        )

    async def waiting_reviews(self) -> list[UUID]:
        rows = await self.session.execute(
            select(order_plan.c.order_id).where(
                order_plan.c.review_request.is_not(None),
                order_plan.c.reviewed_at.is_(None),
                order_plan.c.cancelled_at.is_(None),
            )
        )
        return list(rows.scalars())


_WO_FIELDS = (
    "work_order_id",
    "work_order_no",
    "order_id",
    "order_no",
    "line_no",
    "product_code",
    "spec",
    "family",
    "quantity",
    "promised_date",
    "rush",
    "prepaid",
    "kind",
    "parent_id",
    "status",
    "line_code",
    "planned_start",
    "planned_finish",
    "quantity_done",
    "quantity_scrapped",
    "lot_no",
    "materials_ready",
    "delay_reported_for",
)


class WorkOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, wo: WorkOrder, now: datetime) -> None:
        values = {f: getattr(wo, f) for f in _WO_FIELDS}
        result = await self.session.execute(
            insert(work_order)
            .values(**values, created_at=now, updated_at=now)
            .returning(work_order.c.sequence)
        )
        wo.sequence = result.scalar_one()
        await self._write_slots(wo)

    async def save(self, wo: WorkOrder, now: datetime) -> None:
        values = {f: getattr(wo, f) for f in _WO_FIELDS if f != "work_order_id"}
        await self.session.execute(
            update(work_order)
            .where(work_order.c.work_order_id == wo.work_order_id)
            .values(**values, updated_at=now)
        )
        await self.session.execute(
            delete(allocation).where(allocation.c.work_order_id == wo.work_order_id)
        )
        await self._write_slots(wo)

    async def _write_slots(self, wo: WorkOrder) -> None:
        if wo.slots:
            await self.session.execute(
                insert(allocation),
                [
                    {
                        "work_order_id": wo.work_order_id,
                        "line_code": s.line_code,
                        "day": s.day,
                        "quantity": s.quantity,
                    }
                    for s in wo.slots
                ],
            )

    async def get(self, work_order_id: UUID, *, lock: bool = False) -> WorkOrder | None:
        found = await self._load(work_order.c.work_order_id == work_order_id, lock)
        return found[0] if found else None

    async def for_order(self, order_id: UUID, *, lock: bool = False) -> list[WorkOrder]:
        return await self._load(work_order.c.order_id == order_id, lock)

    async def planned_on_lines(self, codes: Iterable[str]) -> list[WorkOrder]:
        """Planned (not started) work orders on these lines, locked: they may be moved."""
        return await self._load(
            and_(
                work_order.c.line_code.in_(list(codes)),
                work_order.c.status == WorkOrderStatus.PLANNED,
            ),
            lock=True,
        )

    async def open_orders(self, *, lock: bool = False) -> list[WorkOrder]:
        return await self._load(
            work_order.c.status.in_([WorkOrderStatus.PLANNED, WorkOrderStatus.STARTED]), lock
        )

    async def search(
        self, order_id: UUID | None, status: str | None, line_code: str | None
    ) -> list[WorkOrder]:
        conditions = [work_order.c.sequence > 0]
        if order_id is not None:
            conditions.append(work_order.c.order_id == order_id)
        if status is not None:
            conditions.append(work_order.c.status == status)
        if line_code is not None:
            conditions.append(work_order.c.line_code == line_code)
        return await self._load(and_(*conditions), False)

    async def count_for_parent(self, parent_id: UUID) -> int:
        rows = await self.session.execute(
            select(func.count()).where(work_order.c.parent_id == parent_id)
        )
        return int(rows.scalar_one())

    async def _load(self, condition: Any, lock: bool) -> list[WorkOrder]:
        query = select(work_order).where(condition).order_by(work_order.c.sequence)
        if lock:
            query = query.with_for_update(key_share=True)
        rows = list(await self.session.execute(query))
        ids = [r.work_order_id for r in rows]
        slots: dict[UUID, list[Slot]] = defaultdict(list)
        if ids:
            for s in await self.session.execute(
                select(allocation)
                .where(allocation.c.work_order_id.in_(ids))
                .order_by(allocation.c.day)
            ):
                slots[s.work_order_id].append(Slot(s.line_code, s.day, s.quantity))
        result = []
        for r in rows:
            values = {f: getattr(r, f) for f in _WO_FIELDS}
            values["kind"] = WorkOrderKind(values["kind"])
            values["status"] = WorkOrderStatus(values["status"])
            result.append(WorkOrder(**values, sequence=r.sequence, slots=slots[r.work_order_id]))
        return result


class RequisitionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        requisition_id: UUID,
        requisition_no: str,
        work_order_id: UUID,
        materials: Sequence[MaterialNeed],
        needed_by: date,
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(material_requisition).values(
                requisition_id=requisition_id,
                requisition_no=requisition_no,
                work_order_id=work_order_id,
                materials=[
                    {"material_code": m.material_code, "quantity": str(m.quantity), "unit": m.unit}
                    for m in materials
                ],
                needed_by=needed_by,
                status="open",
                created_at=now,
            )
        )

    async def get(self, requisition_id: UUID) -> dict[str, Any] | None:
        row = await self.session.execute(
            select(material_requisition).where(
                material_requisition.c.requisition_id == requisition_id
            )
        )
        found = row.first()
        return dict(found._mapping) if found else None

    async def for_work_order(self, work_order_id: UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(material_requisition)
            .where(material_requisition.c.work_order_id == work_order_id)
            .order_by(material_requisition.c.created_at)
        )
        return [dict(r._mapping) for r in rows]

    async def close_for_work_order(self, work_order_id: UUID, now: datetime) -> None:
        await self.session.execute(
            update(material_requisition)
            .where(
                material_requisition.c.work_order_id == work_order_id,
                material_requisition.c.status == "open",
            )
            .values(status="received", received_at=now)
        )
