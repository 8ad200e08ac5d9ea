"""KPIs per month or quarter, and the quarterly after-sales summary (JSON and CSV)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime, time
from typing import Any

from services.customer_service.adapters.repositories import (
    ComplaintRepository,
    SparePartRepository,
    SurveyRepository,
    TicketQueries,
)
from services.customer_service.adapters.timeline_repository import TimelineRepository
from services.customer_service.app.deps import Deps
from services.customer_service.domain import kpi
from shared.uow import UnitOfWork


def _bounds(deps: Deps, period: str) -> tuple[datetime, datetime]:
    start, end = kpi.period_bounds(period)
    tz = deps.calendar.tz
    return datetime.combine(start, time(), tzinfo=tz), datetime.combine(end, time(), tzinfo=tz)


async def kpis(uow: UnitOfWork, deps: Deps, period: str) -> dict[str, Any]:
    start, end = _bounds(deps, period)
    async with uow:
        repo = TimelineRepository(uow.session)
        delivered = await repo.delivered_between(start.date(), end.date())
        reviewed_orders = await repo.reviewed_between(start, end)
        complaints = await ComplaintRepository(uow.session).in_period(start, end)
        surveys = await SurveyRepository(uow.session).answered_in(start, end)
    reviewed = [
        (t.review_requested_at, t.reviewed_at)
        for t in reviewed_orders
        if t.review_requested_at is not None and t.reviewed_at is not None
    ]
    return {
        "period": period,
        "on_time_delivery": kpi.on_time_rate(
            kpi.Delivery(t.promised_date, t.delivered_on)  # type: ignore[arg-type]
            for t in delivered
        ),
        "cycle_time_hours": kpi.cycle_times(t.stage_times for t in delivered),
        "review_time": kpi.review_time(reviewed),
        "complaints": kpi.complaint_sla(
            kpi.ComplaintTimes(
                c.opened_at, c.assignment_due_at, c.resolution_due_at, c.assigned_at, c.resolved_at
            )
            for c in complaints
        ),
        "satisfaction": kpi.satisfaction(s["score"] for s in surveys),
    }


async def after_sales_summary(uow: UnitOfWork, deps: Deps, quarter: str) -> dict[str, Any]:
    if "Q" not in quarter:
        raise ValueError(f"expected a quarter like 2026-Q4, got {quarter!r}")
    start, end = _bounds(deps, quarter)
    async with uow:
        complaints = await ComplaintRepository(uow.session).in_period(start, end)
        tickets = await TicketQueries(uow.session).in_period(start, end)
        parts = await SparePartRepository(uow.session).in_period(start, end)
        surveys = await SurveyRepository(uow.session).answered_in(start, end)
    by_trigger: dict[str, list[int]] = defaultdict(list)
    for s in surveys:
        by_trigger[s["trigger"]].append(s["score"])
    installed = [p for p in parts if p["installed_at"] is not None]
    return {
        "quarter": quarter,
        "complaints": {
            "by_category": dict(Counter(str(c.category) for c in complaints)),
            "by_resolution": dict(Counter(str(c.resolution) for c in complaints if c.resolution)),
            "sla": kpi.complaint_sla(
                kpi.ComplaintTimes(
                    c.opened_at,
                    c.assignment_due_at,
                    c.resolution_due_at,
                    c.assigned_at,
                    c.resolved_at,
                )
                for c in complaints
            ),
            "escalated": sum(1 for c in complaints if c.escalation_level > 0),
        },
        "service_tickets": {
            "by_kind": dict(Counter(t["kind"] for t in tickets)),
            "by_outcome": dict(Counter(t["outcome"] for t in tickets if t["outcome"])),
            "closed": sum(1 for t in tickets if t["status"] == "closed"),
        },
        "spare_parts": {
            "by_urgency": dict(Counter(p["urgency"] for p in parts)),
            "installed": len(installed),
            "installed_on_time": sum(
                1 for p in installed if p["installed_at"] <= p["install_due_at"]
            ),
        },
        "satisfaction": {
            trigger: kpi.satisfaction(scores) for trigger, scores in sorted(by_trigger.items())
        },
    }


def to_csv(summary: dict[str, Any]) -> str:
    """Flatten the summary to rows of section, metric, key, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["quarter", "section", "metric", "key", "value"])
    quarter = summary["quarter"]
    for section, metrics in summary.items():
        if section == "quarter":
            continue
        for metric, value in metrics.items():
            if isinstance(value, dict):
                for key, inner in value.items():
                    writer.writerow([quarter, section, metric, key, inner])
            else:
                writer.writerow([quarter, section, metric, "", value])
    return out.getvalue()
