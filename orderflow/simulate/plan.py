"""What each simulated order will go through, drawn from one seeded random source, so the same
seed gives the same story; and the terminal state that story must end in."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from orderflow.simulate.world import PRODUCTS

CHANNELS = ("phone", "fax", "email", "web", "edi")
CATEGORIES = ("quality", "logistics", "service", "order_error", "other")


@dataclass(frozen=True)
class OrderPlan:
    index: int
    klass: str
    channel: str
    arrives_after: timedelta
    quantities: dict[str, int]
    incomplete: bool = False
    rush: bool = False
    big: bool = False  # over the approval amount
    manager_rejects: bool = False
    sign_after_days: int = 0
    never_signs: bool = False
    deposit_after_days: int = 0
    amend: str | None = None  # "date", "address" or "quantity"
    cancel: str | None = None  # "before_release" or "after_release"
    qc_fails: bool = False
    scrap: int = 0
    lost_in_transit: bool = False
    transit_days: int = 2
    pays_late_by_days: int = 0
    complaint: str | None = None  # a category
    remedy: str = "explanation"  # return, exchange, repair, discount, explanation
    survey_score: int | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def expected_state(self) -> str:
        if self.manager_rejects:
            return "rejected"
        if self.cancel or self.never_signs:
            return "cancelled"
        return "completed"

    @property
    def needs_approval(self) -> bool:
        return self.big or self.rush


def draw(rng: random.Random, index: int, window: timedelta) -> OrderPlan:
    """One order's plan. Draws happen in a fixed order: changing one rate keeps the others."""
    klass = rng.choice("AAABBC")
    quantities = {code: rng.randint(1, 20) for code in PRODUCTS if rng.random() < 0.8} or {
        "P-100": 1
    }
    big = rng.random() < 0.08
    if big:
        quantities = {"P-200": 450}  # 112,500 CNY: over the 100,000 approval amount
    rush = rng.random() < 0.08
    manager_rejects = (big or rush) and rng.random() < 0.3
    never_signs = klass in "BC" and rng.random() < 0.08
    cancel_draw = rng.random()
    cancel = None
    if not manager_rejects and not never_signs:
        cancel = (
            "before_release"
            if cancel_draw < 0.04
            else "after_release"
            if cancel_draw < 0.08
            else None
        )
    complaint = rng.choice(CATEGORIES) if rng.random() < 0.3 else None
    remedy = {
        "quality": rng.choice(("return", "repair", "exchange")),
        "logistics": "discount",
        "service": "explanation",
        "order_error": "exchange",  # the wrong goods came: the right ones go out free
        "other": "explanation",
    }.get(complaint or "", "explanation")
    return OrderPlan(
        index=index,
        klass=klass,
        channel=rng.choice(CHANNELS),
        arrives_after=timedelta(seconds=rng.uniform(0, window.total_seconds())),
        quantities=quantities,
        incomplete=rng.random() < 0.12,
        rush=rush,
        big=big,
        manager_rejects=manager_rejects,
        sign_after_days=rng.choice((0, 0, 1, 1, 2, 3)),
        never_signs=never_signs,
        deposit_after_days=rng.choice((0, 1, 2, 4)),
        amend=rng.choice(("date", "address", "quantity")) if rng.random() < 0.12 else None,
        cancel=cancel,
        qc_fails=rng.random() < 0.25,
        scrap=rng.choice((0, 0, 1, 2)),
        lost_in_transit=rng.random() < 0.1,
        transit_days=rng.randint(1, 3),
        pays_late_by_days=rng.choice((0, 0, 0, 3, 8, 18)),
        complaint=complaint,
        remedy=remedy,
        survey_score=rng.choice((None, 3, 4, 4, 5, 5, 2)),
    )


def draw_all(seed: int, orders: int, window: timedelta) -> list[OrderPlan]:
    rng = random.Random(seed)
    return [draw(rng, i, window) for i in range(orders)]
