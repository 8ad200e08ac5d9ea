"""Event store, timeline and notice outbox: all their SQL lives here; nothing commits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.envelope import Envelope
from services.customer_service.adapters.tables import (
    event_record,
    notice,
    timeline,
    timeline_entry,
)
from services.customer_service.domain.notices import Notice
from services.customer_service.domain.timeline import TERMINAL, Entry, Timeline

_TIMELINE_FIELDS = [f.name for f in fields(Timeline)]


class EventStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, envelope: Envelope, received_at: datetime) -> bool:
        """Keep the raw envelope; False when this event_id is already stored."""
        stmt = (
            pg_insert(event_record)
            .values(
                event_id=envelope.event_id,
                event_type=envelope.type,
                event_version=envelope.version,
                producer=envelope.producer,
                correlation_id=envelope.correlation_id,
                causation_id=envelope.causation_id,
                occurred_at=envelope.occurred_at,
                payload=envelope.payload,
                received_at=received_at,
            )
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(event_record.c.seq)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def replay(self, batch: int = 500) -> AsyncIterator[Envelope]:
        """Every stored envelope, in the order it was received."""
        last = 0
        while True:
            rows = (
                await self.session.execute(
                    select(event_record)
                    .where(event_record.c.seq > last)
                    .order_by(event_record.c.seq)
                    .limit(batch)
                )
            ).all()
            if not rows:
                return
            for row in rows:
                last = row.seq
                yield Envelope(
                    event_id=row.event_id,
                    type=row.event_type,
                    version=row.event_version,
                    occurred_at=row.occurred_at,
                    producer=row.producer,
                    correlation_id=row.correlation_id,
                    causation_id=row.causation_id,
                    payload=row.payload,
                )

    async def count(self) -> int:
        return int(
            (
                await self.session.execute(select(func.count()).select_from(event_record))
            ).scalar_one()
        )


def _to_row(t: Timeline) -> dict[str, Any]:
    row = {name: getattr(t, name) for name in _TIMELINE_FIELDS}
    row["timeline_key"] = row.pop("key")
    row["stage_times"] = {k: v.isoformat() for k, v in t.stage_times.items()}
    row["expected_date"] = t.expected_date
    return row


def _from_row(row: Any) -> Timeline:
    data = {
        name: getattr(row, "timeline_key" if name == "key" else name) for name in _TIMELINE_FIELDS
    }
    data["stage_times"] = {k: datetime.fromisoformat(v) for k, v in row.stage_times.items()}
    return Timeline(**data)


class TimelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get_for_update(self, key: str, kind: str) -> Timeline:
        """The timeline row, locked. The first event of a subject creates it empty (two
        replicas may race there: the insert lets one win); every later one just locks it."""
        locked = (
            select(timeline).where(timeline.c.timeline_key == key).with_for_update(key_share=True)
        )
        row = (await self.session.execute(locked)).first()
        if row is None:
            await self.session.execute(
                pg_insert(timeline)
                .values(timeline_key=key, kind=kind)
                .on_conflict_do_nothing(index_elements=["timeline_key"])
            )
            row = (await self.session.execute(locked)).one()
        return _from_row(row)

    async def get(self, key: str) -> Timeline | None:
        row = (
            await self.session.execute(select(timeline).where(timeline.c.timeline_key == key))
        ).first()
        return None if row is None else _from_row(row)

    async def by_order_no(self, order_no: str) -> Timeline | None:
        row = (
            await self.session.execute(
                select(timeline).where(timeline.c.order_no == order_no, timeline.c.kind == "order")
            )
        ).first()
        return None if row is None else _from_row(row)

    async def save(self, t: Timeline) -> None:
        row = _to_row(t)
        key = row.pop("timeline_key")
        await self.session.execute(
            update(timeline).where(timeline.c.timeline_key == key).values(**row)
        )

    async def insert_many(self, items: list[Timeline]) -> None:
        if items:
            await self.session.execute(insert(timeline), [_to_row(t) for t in items])

    async def add_entry(self, key: str, entry: Entry) -> None:
        await self.session.execute(
            pg_insert(timeline_entry)
            .values(
                timeline_key=key,
                event_id=entry.event_id,
                event_type=entry.event_type,
                occurred_at=entry.occurred_at,
                who=entry.who,
                what=entry.what,
            )
            .on_conflict_do_nothing(constraint="uq_timeline_entry_event")
        )

    async def entries(self, key: str) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(
                timeline_entry.c.event_id,
                timeline_entry.c.event_type,
                timeline_entry.c.occurred_at,
                timeline_entry.c.who,
                timeline_entry.c.what,
            )
            .where(timeline_entry.c.timeline_key == key)
            .order_by(timeline_entry.c.occurred_at, timeline_entry.c.event_id)
        )
        return [dict(r._mapping) for r in rows]

    async def search(
        self,
        *,
        customer_id: str | None,
        stage: str | None,
        late_or_at_risk: bool,
        today: date,
        at_risk_days: int,
        limit: int,
    ) -> list[Timeline]:
        query = select(timeline).where(timeline.c.kind == "order")
        if customer_id is not None:
            query = query.where(timeline.c.customer_id == customer_id)
        if stage is not None:
            query = query.where(timeline.c.stage == stage)
        if late_or_at_risk:
            shipped = timeline.c.stage.in_(("shipped", "delivered", "completed"))
            query = query.where(
                timeline.c.promised_date.is_not(None),
                timeline.c.stage.not_in(TERMINAL),
                or_(
                    timeline.c.delivered_on > timeline.c.promised_date,
                    and_(
                        timeline.c.delivered_on.is_(None),
                        or_(
                            timeline.c.promised_date < today,
                            timeline.c.expected_date > timeline.c.promised_date,
                            and_(
                                ~shipped,
                                timeline.c.promised_date - today <= at_risk_days,
                            ),
                        ),
                    ),
                ),
            )
        rows = await self.session.execute(
            query.order_by(timeline.c.promised_date.nulls_last(), timeline.c.timeline_key).limit(
                limit
            )
        )
        return [_from_row(r) for r in rows]

    async def delivered_between(self, start: date, end: date) -> list[Timeline]:
        rows = await self.session.execute(
            select(timeline).where(
                timeline.c.kind == "order",
                timeline.c.delivered_on >= start,
                timeline.c.delivered_on < end,
            )
        )
        return [_from_row(r) for r in rows]

    async def reviewed_between(self, start: datetime, end: datetime) -> list[Timeline]:
        rows = await self.session.execute(
            select(timeline).where(
                timeline.c.review_requested_at >= start,
                timeline.c.review_requested_at < end,
                timeline.c.reviewed_at.is_not(None),
            )
        )
        return [_from_row(r) for r in rows]

    async def all(self) -> list[Timeline]:
        rows = await self.session.execute(select(timeline).order_by(timeline.c.timeline_key))
        return [_from_row(r) for r in rows]

    async def all_entries(self) -> list[tuple[str, Any]]:
        rows = await self.session.execute(
            select(
                timeline_entry.c.timeline_key,
                timeline_entry.c.event_id,
                timeline_entry.c.who,
                timeline_entry.c.what,
            ).order_by(timeline_entry.c.timeline_key, timeline_entry.c.event_id)
        )
        return [tuple(r) for r in rows]

    async def lock(self) -> None:
        """Hold writers off (readers go on) while the timeline is rebuilt."""
        await self.session.execute(text("LOCK TABLE timeline, timeline_entry IN EXCLUSIVE MODE"))

    async def clear(self) -> None:
        await self.session.execute(delete(timeline_entry))
        await self.session.execute(delete(timeline))


class NoticeRepository:
    """The default notifier's outbox: a notice key is stored once, sent by the dispatcher."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_once(self, n: Notice, recipient: dict[str, Any], now: datetime) -> bool:
        stmt = (
            pg_insert(notice)
            .values(
                notice_key=n.key,
                subject_id=n.subject_id,
                moment=n.moment,
                order_no=n.order_no,
                customer_id=n.customer_id,
                recipient=recipient,
                title=n.title,
                body=n.body,
                requested_at=now,
            )
            .on_conflict_do_nothing(index_elements=["notice_key"])
            .returning(notice.c.id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def claim_unsent(self, limit: int, max_attempts: int) -> list[Any]:
        rows = await self.session.execute(
            select(notice)
            .where(notice.c.sent_at.is_(None), notice.c.attempts < max_attempts)
            .order_by(notice.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows.all())

    async def mark_sent(self, notice_id: int, channel: str, now: datetime) -> None:
        await self.session.execute(
            update(notice)
            .where(notice.c.id == notice_id)
            .values(sent_at=now, channel=channel, attempts=notice.c.attempts + 1)
        )

    async def mark_failed(self, notice_id: int, error: str) -> None:
        await self.session.execute(
            update(notice)
            .where(notice.c.id == notice_id)
            .values(attempts=notice.c.attempts + 1, last_error=error)
        )

    async def list(self, subject_id: str | None = None) -> list[dict[str, Any]]:
        query = select(notice).order_by(notice.c.id)
        if subject_id is not None:
            query = query.where(notice.c.subject_id == subject_id)
        return [dict(r._mapping) for r in await self.session.execute(query)]
