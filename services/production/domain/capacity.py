"""Finite-capacity loading: which line makes how many pieces on which business day.

A line can make several product families, each at its own rate (pieces per business day). A day's
capacity is shared between families: ``q`` pieces of a family made at ``r`` pieces a day use
``q / r`` of that line's day. Fractions are exact (``Fraction``), so a day is never overbooked by
rounding. A line works on business days (the company calendar) except its own downtime days.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from services.production.domain.errors import NoCapacity

IsBusinessDay = Callable[[date], bool]


@dataclass(frozen=True)
class Line:
    """A production line: its pieces per business day per product family, and its downtime."""

    code: str
    rates: dict[str, int]
    downtime: frozenset[date] = frozenset()

    def makes(self, family: str) -> bool:
        return self.rates.get(family, 0) > 0

    def works_on(self, day: date, is_business_day: IsBusinessDay) -> bool:
        return day not in self.downtime and is_business_day(day)


@dataclass(frozen=True)
class Slot:
    """Pieces of one work order made on one line on one day."""

    line_code: str
    day: date
    quantity: int


@dataclass(frozen=True)
class Plan:
    """Where and when a quantity is made."""

    line_code: str
    slots: tuple[Slot, ...]

    @property
    def start(self) -> date:
        return self.slots[0].day

    @property
    def finish(self) -> date:
        return self.slots[-1].day


@dataclass
class Load:
    """The share of each line's day already taken (0 = free, 1 = full)."""

    used: dict[tuple[str, date], Fraction] = field(default_factory=lambda: defaultdict(Fraction))

    @classmethod
    def of(cls, lines: Iterable[Line], booked: Iterable[tuple[str, str, date, int]]) -> Load:
        """Build from booked (line_code, family, day, quantity) rows."""
        by_code = {line.code: line for line in lines}
        load = cls()
        for line_code, family, day, quantity in booked:
            line = by_code.get(line_code)
            if line is not None and line.makes(family):
                load.used[(line_code, day)] += Fraction(quantity, line.rates[family])
        return load

    def free_pieces(self, line: Line, family: str, day: date) -> int:
        free = 1 - self.used[(line.code, day)]
        if free <= 0:
            return 0
        return math.floor(free * line.rates[family])

    def book(self, line: Line, family: str, slots: Iterable[Slot]) -> None:
        for slot in slots:
            self.used[(line.code, slot.day)] += Fraction(slot.quantity, line.rates[family])

    def release(self, line: Line, family: str, slots: Iterable[Slot]) -> None:
        for slot in slots:
            self.used[(line.code, slot.day)] -= Fraction(slot.quantity, line.rates[family])


def plan_on_line(
    line: Line,
    family: str,
    quantity: int,
    first_day: date,
    load: Load,
    is_business_day: IsBusinessDay,
    horizon_days: int,
) -> Plan | None:
    """Fill the line's free capacity day by day from ``first_day``; None past the horizon."""
    if not line.makes(family) or quantity <= 0:
        return None
    remaining, slots = quantity, []
    day, last = first_day, first_day + timedelta(days=horizon_days)
    while remaining > 0:
        if day > last:
            return None
        if line.works_on(day, is_business_day):
            take = min(remaining, load.free_pieces(line, family, day))
            if take > 0:
                slots.append(Slot(line.code, day, take))
                remaining -= take
        day += timedelta(days=1)
    return Plan(line.code, tuple(slots))


def plan_earliest(
    lines: Sequence[Line],
    family: str,
    quantity: int,
    first_day: date,
    load: Load,
    is_business_day: IsBusinessDay,
    horizon_days: int,
) -> Plan:
    """The plan that finishes first over every line making the family (ties: line code)."""
    makers = [line for line in lines if line.makes(family)]
    if not makers:
        raise NoCapacity(f"no production line makes product family {family!r}")
    plans = [
        plan
        for line in sorted(makers, key=lambda candidate: candidate.code)
        if (
            plan := plan_on_line(
                line, family, quantity, first_day, load, is_business_day, horizon_days
            )
        )
        is not None
    ]
    if not plans:
        raise NoCapacity(
            f"no capacity for {quantity} pieces of {family!r} within {horizon_days} days"
        )
    best = min(plans, key=lambda plan: (plan.finish, plan.line_code))
    return best


def book_plan(lines: Sequence[Line], family: str, plan: Plan, load: Load) -> None:
    line = next(line for line in lines if line.code == plan.line_code)
    load.book(line, family, plan.slots)
