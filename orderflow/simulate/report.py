"""The story's report: orders by terminal state, on-time rate, cycle time per stage and review
time in simulated hours, complaint SLAs and every deadline breached, then where to look next."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Outcome:
    order_no: str
    klass: str
    channel: str
    final_status: str
    expected_status: str
    wall_seconds: float
    simulated_days: float
    breaches: list[str] = field(default_factory=list)
    complaint: str | None = None
    survey_answered: bool = False


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    replacements: list[Outcome] = field(default_factory=list)  # free orders after exchanges
    dead_lettered: float = 0.0
    kpis: dict[str, dict[str, Any]] = field(default_factory=dict)  # per period
    simulated_span: str = ""
    wall_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    refusals: dict[str, int] = field(default_factory=dict)
    """Steps tried by someone without the authority and refused, as the story meant them to be
    (a desk clerk approving, the shop floor passing its own goods ...): the rules at work."""

    @property
    def breaches(self) -> Counter[str]:
        return Counter(b for o in self.outcomes + self.replacements for b in o.breaches)

    def lines(self) -> list[str]:
        by_status = Counter(o.final_status for o in self.outcomes)
        by_class = Counter(o.klass for o in self.outcomes)
        by_channel = Counter(o.channel for o in self.outcomes)
        unexpected = [
            o for o in self.outcomes + self.replacements if o.final_status != o.expected_status
        ]
        out = [
            f"orders                {len(self.outcomes)}"
            f"  (simulated {self.simulated_span}, {self.wall_seconds:.0f} s of wall time)",
            "by class              " + _counts(by_class),
            "by channel            " + _counts(by_channel),
            "by terminal state     " + _counts(by_status),
            f"replacement orders    {len(self.replacements)}"
            + (
                f" (after exchanges): {_counts(Counter(o.final_status for o in self.replacements))}"
                if self.replacements
                else ""
            ),
            f"not as planned        {len(unexpected)}"
            + (f": {', '.join(o.order_no for o in unexpected[:5])}" if unexpected else ""),
        ]
        done = sorted(o.simulated_days for o in self.outcomes if o.final_status == "completed")
        if done:
            out.append(
                f"submit -> completed   median {done[len(done) // 2]:.1f} days,"
                f" max {done[-1]:.1f} days (simulated)"
            )
        complaints = Counter(o.complaint for o in self.outcomes if o.complaint)
        out.append("complaints            " + (_counts(complaints) or "none"))
        out.append("deadlines breached    " + (_counts(self.breaches) or "none"))
        out.append(f"dead-lettered         {self.dead_lettered:.0f}")
        out.append(
            f"refused as expected   {sum(self.refusals.values())}"
            + (" (steps tried without the authority)" if self.refusals else "")
        )
        out.extend(f"  {count:>4}  {step}" for step, count in sorted(self.refusals.items()))
        for period, kpis in sorted(self.kpis.items()):
            out.append(f"KPIs {period} (customer service):")
            out.extend(_kpi_lines(kpis))
        for failure in self.failures[:10]:
            out.append(f"actor failed          {failure}")
        return out

    def next_steps(self) -> list[str]:
        sample = next((o for o in self.outcomes if o.breaches), None) or next(
            iter(self.outcomes), None
        )
        steps = ["Where to look next:"]
        if sample:
            steps.append(f"  orderflow track {sample.order_no}   an order's timeline")
        steps += [
            "  http://127.0.0.1:8005/docs            KPIs, complaints, surveys (customer service)",
            "  http://127.0.0.1:8001/docs ... :8004  sales, production, warehouse, logistics",
            "  orderflow dlq list <queue>            dead letters, with their reasons",
        ]
        return steps


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in sorted(counter.items()))


def _kpi_lines(kpis: dict[str, Any]) -> list[str]:
    on_time = kpis.get("on_time_delivery") or {}
    rows = [
        (
            "on-time delivery",
            f"{_pct(on_time.get('rate'))} ({on_time.get('on_time')} of {on_time.get('delivered')})",
        )
    ]
    for span, hours in (kpis.get("cycle_time_hours") or {}).items():
        rows.append((f"cycle {span}", _hours(hours)))
    review = kpis.get("review_time") or {}
    rows.append(("review time", _hours(review.get("mean_hours"))))
    c = kpis.get("complaints") or {}
    rows.append(
        (
            "complaints",
            f"{c.get('opened')} opened; assigned within SLA"
            f" {_pct(c.get('assignment_within_sla_rate'))}, resolved within SLA"
            f" {_pct(c.get('resolution_within_sla_rate'))}",
        )
    )
    rows.append(("satisfaction", json.dumps(kpis.get("satisfaction"))))
    width = max(len(label) for label, _ in rows) + 2
    return [f"  {label:<{width}}{value}" for label, value in rows]


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.0f} %"


def _hours(hours: float | None) -> str:
    return "-" if hours is None else f"{hours:.1f} h"
