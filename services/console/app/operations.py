"""After-sales, planning, KPI and dead-letter pages."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog

from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    Severity,
)
from services.console.adapters import deadletters
from services.console.app.context import Console
from services.console.app.parts import Parts
from services.console.domain.charts import bar_chart
from services.console.domain.clocks import sla_clock
from services.console.domain.periods import last_months, last_quarters, quarter_of

log = structlog.get_logger("orderflow.console.operations")

OPEN_COMPLAINTS = ("open", "assigned", "escalated")
WAITING_PLANS = ("open", "proposed", "declined")


async def after_sales(console: Console) -> dict[str, Any]:
    """Complaints, service tickets and remedy plans: each a part the person's roles may not
    see (customer service shows customer data only to the roles that need it)."""
    services, parts = console.services, Parts(console.t)
    complaints, tickets, plans, permitted = await asyncio.gather(
        parts.soft(services.get("customer_service", "/complaints"), []),
        parts.soft(services.get("customer_service", "/service-tickets"), []),
        parts.soft(services.get("customer_service", "/remedy-plans"), []),
        console.permitted(),
    )
    now = console.now()
    for c in complaints:
        c["assignment_clock"] = sla_clock(
            _at(c["assignment_due_at"]), _at(c.get("assigned_at")), now
        )
        c["resolution_clock"] = sla_clock(
            _at(c["resolution_due_at"]), _at(c.get("resolved_at")), now
        )
    for t in tickets:
        t["clock"] = sla_clock(_at(t.get("due_at")), _at(t.get("closed_at")), now)
    complaints.sort(key=lambda c: (c["status"] == "resolved", c["resolution_due_at"]))
    return {
        "complaints": complaints,
        "open_count": sum(c["status"] != "resolved" for c in complaints),
        "breached": sum(
            c["resolution_clock"].state == "breached" or c["assignment_clock"].state == "breached"
            for c in complaints
        ),
        "tickets": tickets,
        "plans": [p for p in plans if p["status"] in WAITING_PLANS],
        "categories": [e.value for e in ComplaintCategory],
        "channels": [e.value for e in Channel],
        "severities": [e.value for e in Severity],
        "resolutions": [e.value for e in Resolution],
        "departments": [e.value for e in ResponsibleDepartment],
        "can": permitted.actions,
        "roles_unknown": permitted.unknown,
        "problems": parts.problems,
    }


async def planning(console: Console, product_code: str | None, days: int = 14) -> dict[str, Any]:
    services = console.services
    start = console.today()
    end = start + timedelta(days=days - 1)
    lines, schedule, items = await asyncio.gather(
        services.get("production", "/lines"),
        services.get("production", "/schedule", day_from=start, day_to=end),
        services.get("warehouse", "/items"),
    )
    day_list = [(start + timedelta(days=i)).isoformat() for i in range(days)]
    load: dict[str, dict[str, dict[str, Any]]] = {ln["code"]: {} for ln in lines}
    for row in schedule:
        load.setdefault(row["line_code"], {})[str(row["day"])] = row
    stock = reservations = None
    if product_code:
        stock, reservations = await asyncio.gather(
            services.get("warehouse", f"/stock/{product_code}"),
            services.get("warehouse", f"/stock/{product_code}/reservations"),
        )
    return {
        "days": day_list,
        "load": load,
        "items": items,
        "product_code": product_code or "",
        "stock": stock,
        "reservations": reservations,
    }


async def kpis(console: Console, period: str | None) -> dict[str, Any]:
    settings, today = console.settings, console.today()
    months = last_months(today, settings.kpi_months)
    quarters = last_quarters(today, settings.kpi_quarters)
    found = await asyncio.gather(
        *(console.services.get("customer_service", "/kpis", period=p) for p in months + quarters)
    )
    by_period = dict(zip(months + quarters, found, strict=True))
    selected = period if period in by_period else quarter_of(today)
    charts = {}
    for name, periods in (("month", months), ("quarter", quarters)):
        rows = [by_period[p] for p in periods]
        charts[name] = [
            bar_chart(
                "On-time delivery (%)",
                periods,
                [_pct(r["on_time_delivery"]["rate"]) for r in rows],
                unit="%",
                maximum=100,
                chart_id=f"on-time-{name}",
            ),
            bar_chart(
                "Complaints resolved within SLA (%)",
                periods,
                [_pct(r["complaints"]["resolution_within_sla_rate"]) for r in rows],
                unit="%",
                maximum=100,
                chart_id=f"complaint-sla-{name}",
            ),
            bar_chart(
                "Satisfaction (mean score, 1-5)",
                periods,
                [r["satisfaction"]["mean_score"] for r in rows],
                maximum=5,
                chart_id=f"satisfaction-{name}",
            ),
        ]
    cycle = by_period[selected]["cycle_time_hours"]
    cycle_chart = bar_chart(
        f"Cycle time per stage, {selected} (hours)",
        [_short_span(span) for span in cycle],
        list(cycle.values()),
        unit="h",
        chart_id="cycle-time",
    )
    return {
        "months": months,
        "quarters": quarters,
        "by_period": by_period,
        "selected": selected,
        "charts": charts,
        "cycle_chart": cycle_chart,
        "csv_quarter": quarter_of(today) if "Q" not in selected else selected,
    }


async def dead_letters(console: Console) -> dict[str, Any]:
    queues, permitted = await asyncio.gather(known_dead_letter_queues(console), console.permitted())
    depths = await deadletters.depths(console.settings.amqp_url, [q["dlq"] for q in queues])
    letters: dict[str, list[Any]] = {}
    for q in queues:
        q["depth"] = depths.get(q["dlq"])
        if q["depth"]:
            letters[q["dlq"]] = await deadletters.letters(console.settings.amqp_url, q["dlq"])
    queues.sort(key=lambda q: (-(q["depth"] or 0), q["dlq"]))
    return {
        "queues": queues,
        "letters": letters,
        "total": sum(q["depth"] or 0 for q in queues),
        "can": permitted.actions,
    }


@dataclass(frozen=True)
class Replay:
    done: bool
    message: str  # what was done, or the question to confirm
    refused: str | None = None  # the field at fault


async def replay(console: Console, queue: str, message_id: str | None, confirmed: bool) -> Replay:
    """Dead letters back to the queue they died in. Unconfirmed, it only says how many would
    go, so the operator confirms knowing; the replay itself is logged with who asked."""
    t = console.t
    known = {q["dlq"] for q in await known_dead_letter_queues(console)}
    if queue not in known:
        return Replay(False, t("replay.unknown_queue", queue=queue), refused="queue")
    amqp_url = console.settings.amqp_url
    if not confirmed:
        if message_id:
            letters = await deadletters.letters(amqp_url, queue)
            count = sum(letter.message_id == message_id for letter in letters)
        else:
            count = (await deadletters.depths(amqp_url, [queue])).get(queue) or 0
        if message_id and count == 0:
            message = t("replay.unknown_message", message_id=message_id, queue=queue)
            return Replay(False, message, refused="message_id")
        return Replay(False, t("replay.confirm", count=count, queue=queue))
    count = await deadletters.replay(amqp_url, queue, message_id)
    log.info(
        "dead_letters_replayed",
        actor=console.actor.name,
        roles=sorted(console.actor.roles),
        queue=queue,
        message_id=message_id,
        count=count,
    )
    if message_id and count == 0:
        message = t("replay.unknown_message", message_id=message_id, queue=queue)
        return Replay(False, message, refused="message_id")
    return Replay(True, t("replay.done", count=count, queue=queue))


async def rebuild_timelines(console: Console) -> str:
    """Customer service folds every stored event again, as the operator (who it checks and
    records in its audit trail); the answer says whether anything changed."""
    result = await console.services.request("customer_service", "POST", "/timelines/rebuild")
    if isinstance(result, dict):
        return ", ".join(f"{k} {v}" for k, v in result.items())
    return str(result or "")


async def known_dead_letter_queues(console: Console) -> list[dict[str, Any]]:
    """Every service lists the queues it consumes; a service that is down lists none."""
    services = console.services

    async def of(service: str) -> list[dict[str, Any]]:
        try:
            rows = await services.get(service, "/ops/queues")
        except Exception:
            return []
        return [
            {"service": service, "queue": r["queue"], "dlq": r["dead_letter_queue"]} for r in rows
        ]

    found = await asyncio.gather(*(of(name) for name in services.names))
    return [q for rows in found for q in rows]


_SHORT = {"received": "recv", "confirmed": "conf", "ready_to_ship": "ready", "shipped": "ship"}


def _short_span(span: str) -> str:
    """``received->confirmed`` as ``recv>conf`` so five labels fit under the chart."""
    return ">".join(_SHORT.get(stage, stage[:5]) for stage in span.split("->"))


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _at(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))
