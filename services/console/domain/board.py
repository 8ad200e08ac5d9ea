"""The order board: which column an order sits in, and whether it is late or at risk.

Sales knows an order's status, customer class and creation date; customer service's timeline
knows how far it got on the shop floor and when it is now expected. The board joins the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

BOARD_STAGES: tuple[tuple[str, str], ...] = (
    ("pending_info", "Pending info"),
    ("in_review", "In review"),
    ("awaiting_release", "Awaiting signature / deposit"),
    ("in_production", "In production"),
    ("ready", "Ready"),
    ("shipped", "Shipped"),
    ("delivered", "Delivered"),
    ("completed", "Completed"),
    ("cancelled", "Cancelled"),
)

_BY_STATUS = {
    "new": "pending_info",
    "pending_info": "pending_info",
    "in_review": "in_review",
    "awaiting_approval": "in_review",
    "awaiting_signature": "awaiting_release",
    "awaiting_deposit": "awaiting_release",
    "shipped": "shipped",
    "delivered": "delivered",
    "completed": "completed",
    "rejected": "cancelled",
    "cancelled": "cancelled",
}


_READY_OR_LATER = {"ready_to_ship", "shipped", "delivered", "completed"}


def board_stage(sales_status: str, timeline_stage: str | None) -> str:
    """A released order is in production until the warehouse reports its goods ready; it is
    ready until sales hears they left (a booked shipment already counts as shipped in the
    timeline, the goods are still on the dock)."""
    if sales_status == "released":
        return "ready" if timeline_stage in _READY_OR_LATER else "in_production"
    return _BY_STATUS.get(sales_status, "pending_info")


@dataclass(frozen=True)
class Filters:
    customer: str = ""
    customer_class: str = ""
    created_from: date | None = None
    created_to: date | None = None

    def keeps(self, order: Mapping[str, Any]) -> bool:
        if self.customer:
            needle = self.customer.lower()
            names = (order.get("customer_id") or "", order.get("customer_name") or "")
            if not any(needle in str(n).lower() for n in names):
                return False
        if self.customer_class and order.get("customer_class") != self.customer_class:
            return False
        created = _day(order.get("created_at"))
        if self.created_from and (created is None or created < self.created_from):
            return False
        return not (self.created_to and (created is None or created > self.created_to))


@dataclass
class Card:
    order_id: str
    order_no: str | None
    customer: str
    customer_class: str | None
    status: str
    stage: str
    promised_date: date | None
    expected_date: date | None
    late: bool
    at_risk: bool
    total_amount: str

    @property
    def flag(self) -> str:
        return "late" if self.late else "at-risk" if self.at_risk else ""


@dataclass
class Column:
    key: str
    title: str
    cards: list[Card] = field(default_factory=list)


FINISHED = {"delivered", "completed", "cancelled"}


def is_late(promised: date | None, expected: date | None, today: date, stage: str) -> bool:
    """Late: the promised date has passed, or the expected date is after it."""
    if promised is None or stage in FINISHED:
        return False
    return today > promised or (expected is not None and expected > promised)


def is_at_risk(promised: date | None, today: date, stage: str, at_risk_days: int) -> bool:
    """At risk: not yet shipped and the promised date is within ``at_risk_days``."""
    if promised is None or stage in FINISHED or stage == "shipped":
        return False
    return 0 <= (promised - today).days <= at_risk_days


def build_board(
    orders: Iterable[Mapping[str, Any]],
    timelines: Mapping[str, Mapping[str, Any]],
    filters: Filters,
    today: date,
    at_risk_days: int = 3,
) -> list[Column]:
    """Columns in process order; ``timelines`` maps order number to customer service's view."""
    columns = {key: Column(key, title) for key, title in BOARD_STAGES}
    for order in orders:
        if not filters.keeps(order):
            continue
        timeline = timelines.get(str(order.get("order_no") or ""), {})
        stage = board_stage(str(order["status"]), timeline.get("stage"))
        promised = _day(order.get("promised_date")) or _day(timeline.get("promised_date"))
        expected = _day(timeline.get("expected_date"))
        late = bool(timeline.get("late")) or is_late(promised, expected, today, stage)
        at_risk = not late and (
            bool(timeline.get("at_risk")) or is_at_risk(promised, today, stage, at_risk_days)
        )
        columns[stage].cards.append(
            Card(
                order_id=str(order["order_id"]),
                order_no=order.get("order_no"),
                customer=str(order.get("customer_name") or order.get("customer_id") or "?"),
                customer_class=order.get("customer_class"),
                status=str(order["status"]),
                stage=stage,
                promised_date=promised,
                expected_date=expected,
                late=late and stage not in FINISHED,
                at_risk=at_risk and stage not in FINISHED,
                total_amount=str(order.get("total_amount") or ""),
            )
        )
    return list(columns.values())


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None
