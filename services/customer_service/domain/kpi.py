"""KPI formulas on plain records, per month or quarter.

- on-time delivery rate = deliveries on or before the promised date / all deliveries;
- cycle time per stage = mean hours between the first time an order reached two stages;
- review time = mean hours from review requested to the last department's verdict;
- complaint assignment / resolution: mean hours and share within the SLA deadline;
- satisfaction = mean survey score (1-5).
An empty period gives ``None`` rather than a made-up 0 or 100 %.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import fmean

from shared.errors import Invalid

STAGE_SPANS: tuple[tuple[str, str], ...] = (
    ("received", "confirmed"),
    ("confirmed", "ready_to_ship"),
    ("ready_to_ship", "shipped"),
    ("shipped", "delivered"),
    ("received", "delivered"),
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def period_bounds(period: str) -> tuple[date, date]:
    """``2026-11`` or ``2026-Q4`` -> [first day, first day after)."""
    if m := _MONTH.match(period):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            raise Invalid("period", f"bad month in {period!r}")
        return date(year, month, 1), _month_start(year, month + 1)
    if m := _QUARTER.match(period):
        year, quarter = int(m.group(1)), int(m.group(2))
        return date(year, 3 * quarter - 2, 1), _month_start(year, 3 * quarter + 1)
    raise Invalid("period", f"expected a period like 2026-11 or 2026-Q4, got {period!r}")


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _rate(hits: int, total: int) -> float | None:
    return None if total == 0 else round(hits / total, 4)


def _mean(values: Sequence[float]) -> float | None:
    return None if not values else round(fmean(values), 2)


def _hours(a: datetime, b: datetime) -> float:
    return (b - a).total_seconds() / 3600


@dataclass(frozen=True)
class Delivery:
    promised_date: date | None
    delivered_on: date


def on_time_rate(deliveries: Iterable[Delivery]) -> dict[str, float | int | None]:
    judged = [d for d in deliveries if d.promised_date is not None]
    on_time = sum(1 for d in judged if d.promised_date and d.delivered_on <= d.promised_date)
    return {"delivered": len(judged), "on_time": on_time, "rate": _rate(on_time, len(judged))}


def cycle_times(stage_times: Iterable[dict[str, datetime]]) -> dict[str, float | None]:
    """Mean hours per stage span over orders that reached both ends of it."""
    spans: dict[str, list[float]] = {f"{a}->{b}": [] for a, b in STAGE_SPANS}
    for times in stage_times:
        for a, b in STAGE_SPANS:
            if a in times and b in times and times[b] >= times[a]:
                spans[f"{a}->{b}"].append(_hours(times[a], times[b]))
    return {span: _mean(values) for span, values in spans.items()}


def review_time(pairs: Iterable[tuple[datetime, datetime]]) -> dict[str, float | int | None]:
    hours = [_hours(a, b) for a, b in pairs if b >= a]
    return {"reviews": len(hours), "mean_hours": _mean(hours)}


@dataclass(frozen=True)
class ComplaintTimes:
    opened_at: datetime
    assignment_due_at: datetime
    resolution_due_at: datetime
    assigned_at: datetime | None
    resolved_at: datetime | None


def complaint_sla(complaints: Iterable[ComplaintTimes]) -> dict[str, float | int | None]:
    items = list(complaints)
    assigned = [c for c in items if c.assigned_at is not None]
    resolved = [c for c in items if c.resolved_at is not None]
    a_in = sum(1 for c in assigned if c.assigned_at and c.assigned_at <= c.assignment_due_at)
    r_in = sum(1 for c in resolved if c.resolved_at and c.resolved_at <= c.resolution_due_at)
    return {
        "opened": len(items),
        "assigned": len(assigned),
        "assignment_mean_hours": _mean([_hours(c.opened_at, c.assigned_at) for c in assigned]),  # type: ignore[arg-type]
        "assignment_within_sla_rate": _rate(a_in, len(assigned)),
        "resolved": len(resolved),
        "resolution_mean_hours": _mean([_hours(c.opened_at, c.resolved_at) for c in resolved]),  # type: ignore[arg-type]
        "resolution_within_sla_rate": _rate(r_in, len(resolved)),
    }


def satisfaction(scores: Iterable[int]) -> dict[str, float | int | None]:
    values = list(scores)
    return {"answers": len(values), "mean_score": _mean([float(v) for v in values])}
