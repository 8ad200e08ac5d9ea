"""Scheduling rules on top of the loading algorithm: quotes, rush orders, re-sequencing.

- A quote loads the quantity on top of the work already scheduled and answers the finish day;
  it books nothing.
- A rush order (approved in sales) goes ahead of normal orders: the normal work orders not yet
  started on the lines it needs are taken off, the rush order is loaded first, then they are
  loaded again in their old sequence (paid orders first). Any of them pushed past its promised
  date raises ``production.delayed``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from contracts.enums import DelayCause
from contracts.status.production import WorkOrderStatus
from services.production.domain.capacity import (
    IsBusinessDay,
    Line,
    Load,
    Plan,
    book_plan,
    plan_earliest,
    plan_on_line,
)
from services.production.domain.errors import NoCapacity
from services.production.domain.work_order import WorkOrder


@dataclass(frozen=True)
class Need:
    """A quantity of one product family to make."""

    family: str
    quantity: int


def copy_load(load: Load) -> Load:
    return Load(defaultdict(Fraction, load.used))


def quote(
    needs: Sequence[Need],
    lines: Sequence[Line],
    load: Load,
    first_day: date,
    is_business_day: IsBusinessDay,
    horizon_days: int,
) -> list[Plan]:
    """Plans for each need in turn, each on top of the previous ones; the load is not changed."""
    trial = copy_load(load)
    plans = []
    for need in needs:
        plan = plan_earliest(
            lines, need.family, need.quantity, first_day, trial, is_business_day, horizon_days
        )
        book_plan(lines, need.family, plan, trial)
        plans.append(plan)
    return plans


def movable_for_rush(candidates: Sequence[WorkOrder], first_day: date) -> list[WorkOrder]:
    """Normal work orders not started whose whole plan lies ahead: a rush order may pass them."""
    return [
        wo
        for wo in candidates
        if not wo.rush
        and wo.status == WorkOrderStatus.PLANNED
        and wo.planned_start is not None
        and wo.planned_start >= first_day
    ]


def schedule(
    new: Sequence[WorkOrder],
    lines: Sequence[Line],
    load: Load,
    first_day: date,
    is_business_day: IsBusinessDay,
    horizon_days: int,
    movable: Sequence[WorkOrder] = (),
    *,
    cause: DelayCause = DelayCause.CAPACITY,
    reason: str = "no capacity before the promised date",
) -> list[WorkOrder]:
    """Load ``new`` work orders (rush ones ahead of ``movable``); returns the moved ones.

    Raises NoCapacity when a work order fits on no line within the horizon.
    """
    by_code = {line.code: line for line in lines}
    rush = [wo for wo in new if wo.rush]
    families = {wo.family for wo in rush}
    movers = [
        wo
        for wo in (movable_for_rush(movable, first_day) if rush else [])
        if wo.line_code in by_code and any(by_code[wo.line_code].makes(f) for f in families)
    ]
    for wo in movers:
        load.release(by_code[wo.line_code], wo.family, wo.slots)  # type: ignore[index]
    for wo in sorted(new, key=lambda w: not w.rush):
        plan = plan_earliest(
            lines, wo.family, wo.quantity, first_day, load, is_business_day, horizon_days
        )
        book_plan(lines, wo.family, plan, load)
        wo.assign(plan, cause=cause, reason=reason)
    pusher = rush[0].order_no if rush else ""
    moved = []
    for wo in sorted(movers, key=lambda w: (not w.prepaid, w.sequence)):
        old_slots = list(wo.slots)
        line = by_code[wo.line_code]  # type: ignore[index]
        plan = plan_on_line(
            line, wo.family, wo.quantity, first_day, load, is_business_day, horizon_days
        ) or plan_earliest(
            lines, wo.family, wo.quantity, first_day, load, is_business_day, horizon_days
        )
        book_plan(lines, wo.family, plan, load)
        wo.assign(plan, cause=DelayCause.CAPACITY, reason=f"pushed back by rush order {pusher}")
        if list(plan.slots) != old_slots:
            moved.append(wo)
    return moved


__all__ = ["Need", "NoCapacity", "copy_load", "movable_for_rush", "quote", "schedule"]
