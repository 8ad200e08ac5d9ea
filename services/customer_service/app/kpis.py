"""KPIs per month or quarter, and the quarterly after-sales summary (JSON and CSV)."""

from __future__ import annotations

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime, time
from typing import Any

from contracts.status.customer_service import ServiceTicketStatus
from services.customer_service.app.unit import Work
from services.customer_service.domain import kpi
from shared.errors import Invalid


def _bounds(work: Work, period: str) -> tuple[datetime, datetime]:
    start, end = kpi.period_bounds(period)
    tz = work.calendar.tz
    return datetime.combine(start, time(), tzinfo=tz), datetime.combine(end, time(), tzinfo=tz)


async def kpis(work: Work, period: str) -> dict[str, Any]:
    start, end = _bounds(work, period)
    delivered = await work.timelines.delivered_between(start.date(), end.date())
    reviewed_orders = await work.timelines.reviewed_between(start, end)
    complaints = await work.complaints.in_period(start, end)
    surveys = await work.surveys.answered_in(start, end)
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


async def after_sales_summary(work: Work, quarter: str) -> dict[str, Any]:
    if "Q" not in quarter:
        raise Invalid("quarter", f"expected a quarter like 2026-Q4, got {quarter!r}")
    start, end = _bounds(work, quarter)
    complaints = await work.complaints.in_period(start, end)
    tickets = await work.tickets.in_period(start, end)
    parts = await work.spare_parts.in_period(start, end)
    surveys = await work.surveys.answered_in(start, end)
    by_trigger: dict[str, list[int]] = defaultdict(list)
    for s in surveys:
        by_trigger[s["trigger"]].append(s["score"])
    installed = [p for p in parts if p.installed_at is not None]
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
            "by_kind": dict(Counter(str(t.kind) for t in tickets)),
            "by_outcome": dict(Counter(str(t.outcome) for t in tickets if t.outcome)),
            "closed": sum(1 for t in tickets if t.status == ServiceTicketStatus.CLOSED),
        },
        "spare_parts": {
            "by_urgency": dict(Counter(str(p.urgency) for p in parts)),
            "installed": len(installed),
            "installed_on_time": sum(
                1
                for p in installed
                if p.installed_at and p.install_due_at and p.installed_at <= p.install_due_at
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
