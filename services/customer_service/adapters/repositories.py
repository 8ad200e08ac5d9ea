"""Complaints, remedy plans, returns, tickets, spare parts, surveys, numbers: their SQL."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.customer_service.adapters.tables import (
    complaint,
    complaint_note,
    number_counter,
    remedy_plan,
    return_case,
    service_ticket,
    spare_part_order,
    survey,
)
from services.customer_service.domain.complaints import Complaint
from services.customer_service.domain.delays import OPEN_STATUSES, RemedyPlan
from services.customer_service.domain.tickets import ServiceTicket, SparePartOrder

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

A = TypeVar("A", bound="DataclassInstance")
"""The aggregate a repository keeps."""


class Numbers:
    """Per-period running numbers (complaints YYYYMM-Tnnn, tickets YYYYMM-Snnn)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next(self, series: str, period: str) -> int:
        """Atomic per-period counter: one upsert, so two replicas never draw the same number."""
        stmt = (
            pg_insert(number_counter)
            .values(series=series, period=period, last_no=1)
            .on_conflict_do_update(
                index_elements=["series", "period"],
                set_={"last_no": number_counter.c.last_no + 1},
            )
            .returning(number_counter.c.last_no)
        )
        return int((await self.session.execute(stmt)).scalar_one())


class _AggregateRepository(Generic[A]):
    """Maps a dataclass aggregate to one table by field name (``events`` stays in memory)."""

    table: Table
    model: type[A]
    key: str

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self._columns = set(self.table.c.keys())

    def _row(self, item: Any) -> dict[str, Any]:
        return {f.name: getattr(item, f.name) for f in fields(item) if f.name in self._columns}

    def _load(self, row: Any) -> A:
        data = {k: v for k, v in row._mapping.items() if k in {f.name for f in fields(self.model)}}
        return self.model(**data)

    async def add(self, item: Any) -> None:
        await self.session.execute(insert(self.table).values(**self._row(item)))

    async def save(self, item: Any) -> None:
        row = self._row(item)
        key = row.pop(self.key)
        await self.session.execute(
            update(self.table).where(self.table.c[self.key] == key).values(**row)
        )

    async def get(self, key: UUID, *, for_update: bool = False) -> A | None:
        query = select(self.table).where(self.table.c[self.key] == key)
        if for_update:
            query = query.with_for_update(key_share=True)
        row = (await self.session.execute(query)).first()
        return None if row is None else self._load(row)

    async def find(self, limit: int = 100, **where: Any) -> list[A]:
        query = select(self.table)
        for name, value in where.items():
            if value is not None:
                query = query.where(self.table.c[name] == value)
        rows = await self.session.execute(query.limit(limit))
        return [self._load(r) for r in rows]

    async def _between(self, column: str, start: datetime, end: datetime) -> list[A]:
        c = self.table.c[column]
        rows = await self.session.execute(select(self.table).where(c >= start, c < end))
        return [self._load(r) for r in rows]


class ComplaintRepository(_AggregateRepository[Complaint]):
    table, model, key = complaint, Complaint, "complaint_id"

    async def by_client_reference(self, reference: str) -> Complaint | None:
        row = (
            await self.session.execute(
                select(complaint).where(complaint.c.client_reference == reference)
            )
        ).first()
        return None if row is None else self._load(row)

    async def add_note(self, complaint_id: UUID, author: str, note: str, at: datetime) -> None:
        await self.session.execute(
            insert(complaint_note).values(
                complaint_id=complaint_id, author=author, note=note, noted_at=at
            )
        )

    async def notes(self, complaint_id: UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(complaint_note.c.author, complaint_note.c.note, complaint_note.c.noted_at)
            .where(complaint_note.c.complaint_id == complaint_id)
            .order_by(complaint_note.c.id)
        )
        return [dict(r._mapping) for r in rows]

    async def in_period(self, start: datetime, end: datetime) -> list[Complaint]:
        return await self._between("opened_at", start, end)


class RemedyPlanRepository(_AggregateRepository[RemedyPlan]):
    table, model, key = remedy_plan, RemedyPlan, "plan_id"

    async def open_for_order(self, order_id: UUID) -> RemedyPlan | None:
        row = (
            await self.session.execute(
                select(remedy_plan)
                .where(remedy_plan.c.order_id == order_id, remedy_plan.c.status.in_(OPEN_STATUSES))
                .with_for_update(key_share=True)
            )
        ).first()
        return None if row is None else self._load(row)


class TicketRepository(_AggregateRepository[ServiceTicket]):
    table, model, key = service_ticket, ServiceTicket, "ticket_id"

    async def newest(self, status: str | None, limit: int = 500) -> list[ServiceTicket]:
        query = select(service_ticket).order_by(service_ticket.c.opened_at.desc()).limit(limit)
        if status is not None:
            query = query.where(service_ticket.c.status == status)
        return [self._load(r) for r in await self.session.execute(query)]

    async def in_period(self, start: datetime, end: datetime) -> list[ServiceTicket]:
        return await self._between("opened_at", start, end)


class ReturnRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, **values: Any) -> None:
        await self.session.execute(insert(return_case).values(**values))

    async def get(self, return_id: UUID, *, for_update: bool = False) -> dict[str, Any] | None:
        query = select(return_case).where(return_case.c.return_id == return_id)
        if for_update:
            query = query.with_for_update(key_share=True)
        row = (await self.session.execute(query)).first()
        return None if row is None else dict(row._mapping)

    async def update(self, return_id: UUID, **values: Any) -> None:
        await self.session.execute(
            update(return_case).where(return_case.c.return_id == return_id).values(**values)
        )

    async def list(self, status: str | None = None) -> list[dict[str, Any]]:
        query = select(return_case).order_by(return_case.c.authorized_at)
        if status is not None:
            query = query.where(return_case.c.status == status)
        return [dict(r._mapping) for r in await self.session.execute(query)]


class SparePartRepository(_AggregateRepository[SparePartOrder]):
    table, model, key = spare_part_order, SparePartOrder, "part_order_id"

    async def in_period(self, start: datetime, end: datetime) -> list[SparePartOrder]:
        return await self._between("ordered_at", start, end)


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, **values: Any) -> bool:
        stmt = (
            pg_insert(survey)
            .values(**values)
            .on_conflict_do_nothing(index_elements=["survey_key"])
            .returning(survey.c.survey_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def get(self, survey_id: UUID, *, for_update: bool = False) -> dict[str, Any] | None:
        query = select(survey).where(survey.c.survey_id == survey_id)
        if for_update:
            query = query.with_for_update(key_share=True)
        row = (await self.session.execute(query)).first()
        return None if row is None else dict(row._mapping)

    async def by_key(self, survey_key: str) -> dict[str, Any] | None:
        row = (
            await self.session.execute(select(survey).where(survey.c.survey_key == survey_key))
        ).first()
        return None if row is None else dict(row._mapping)

    async def answer(self, survey_id: UUID, **values: Any) -> None:
        await self.session.execute(
            update(survey).where(survey.c.survey_id == survey_id).values(**values)
        )

    async def answered_in(self, start: datetime, end: datetime) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(survey).where(survey.c.answered_at >= start, survey.c.answered_at < end)
        )
        return [dict(r._mapping) for r in rows]
