"""Use cases of the order timeline: record an event, query, rebuild by replay."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

import structlog

from contracts.base import Message
from contracts.envelope import Envelope
from contracts.events import GoodsDelivered
from contracts.registry import REGISTRY
from services.customer_service.adapters.timeline_repository import TimelineRepository
from services.customer_service.app.unit import Work
from services.customer_service.domain.timeline import Entry, Fact, Timeline
from shared.calendar import BusinessCalendar

log = structlog.get_logger("customer_service.timeline")


def timeline_keys(envelope: Envelope, msg: Message) -> list[tuple[str, str]]:
    """(key, kind) of every timeline the event belongs to: its correlation, and its order."""
    key = envelope.correlation_id
    complaint_id = getattr(msg, "complaint_id", None)
    order_id = getattr(msg, "order_id", None)
    if complaint_id is not None and str(complaint_id) == key:
        kind = "complaint"
    elif order_id is not None and str(order_id) == key:
        kind = "order"
    else:
        kind = "other"
    keys = [(key, kind)]
    if isinstance(order_id, UUID) and str(order_id) != key:
        keys.append((str(order_id), "order"))
    return keys


def _fact(envelope: Envelope, msg: Message) -> Fact:
    return Fact(
        envelope.event_id,
        envelope.type,
        envelope.producer,
        envelope.occurred_at,
        envelope.correlation_id,
        msg,
    )


def _local_date(msg: Message, calendar: BusinessCalendar) -> Any:
    return calendar.local_date(msg.signed_at) if isinstance(msg, GoodsDelivered) else None


async def project(work: Work, envelope: Envelope, msg: Message) -> bool:
    """Store the raw envelope and fold it into its timelines; False if already stored."""
    if not await work.event_store.add(envelope, work.now):
        return False
    repo = work.timelines
    fact = _fact(envelope, msg)
    for key, kind in timeline_keys(envelope, msg):
        timeline = await repo.get_for_update(key, kind)
        entry = timeline.apply(fact, _local_date(msg, work.calendar))
        await repo.save(timeline)
        await repo.add_entry(key, entry)
    return True


@dataclass(frozen=True)
class Rebuilt:
    events: int
    timelines: int
    identical: bool


async def rebuild(work: Work) -> Rebuilt:
    """Drop the timelines and fold every stored envelope again; report if anything changed.
    Writers wait meanwhile (the tables are locked), so only an operator starts it."""
    repo, calendar = work.timelines, work.calendar
    await repo.lock()
    before = await snapshot(repo)
    timelines: dict[str, Timeline] = {}
    entries: list[tuple[str, Entry]] = []
    count = 0
    async for envelope in work.event_store.replay():
        spec = REGISTRY.find(envelope.type, envelope.version)
        if spec is None:
            log.warning("replay_skipped_unknown_type", type=envelope.type)
            continue
        msg = envelope.open()
        count += 1
        fact = _fact(envelope, msg)
        for key, kind in timeline_keys(envelope, msg):
            timeline = timelines.setdefault(key, Timeline(key=key, kind=kind))
            entries.append((key, timeline.apply(fact, _local_date(msg, calendar))))
    await repo.clear()
    await repo.insert_many(list(timelines.values()))
    for key, entry in entries:
        await repo.add_entry(key, entry)
    after = await snapshot(repo)
    return Rebuilt(events=count, timelines=len(timelines), identical=before == after)


async def snapshot(repo: TimelineRepository) -> dict[str, Any]:
    """Everything the timeline shows, for comparing a rebuild with what was there."""
    return {
        "timelines": [asdict(t) for t in await repo.all()],
        "entries": await repo.all_entries(),
    }


def view(timeline: Timeline, history: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "key": timeline.key,
        "kind": timeline.kind,
        "order_id": timeline.order_id,
        "order_no": timeline.order_no,
        "complaint_no": timeline.complaint_no,
        "customer_id": timeline.customer_id,
        "customer_name": timeline.customer_name,
        "stage": timeline.stage,
        "stage_at": timeline.stage_at,
        "requested_date": timeline.requested_date,
        "promised_date": timeline.promised_date,
        "expected_date": timeline.expected_date,
        "delivered_on": timeline.delivered_on,
        "carrier": timeline.carrier,
        "tracking_no": timeline.tracking_no,
        "stage_times": timeline.stage_times,
        "history": history,
    }
