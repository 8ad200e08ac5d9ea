"""Production's part of the contract review: can we make the shortfall, and by when?

The quantity reviewed per line is what the warehouse cannot cover from stock. A product with no
product family, a family no line makes, or a finish after the customer's requested date (the
latest date the customer accepts) is a negative review with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from services.production.domain.capacity import IsBusinessDay, Line, Load
from services.production.domain.errors import NoCapacity
from services.production.domain.scheduling import Need, quote


@dataclass(frozen=True)
class LineToReview:
    line_no: int
    product_code: str
    quantity: int
    available_in_stock: int = 0

    @property
    def shortfall(self) -> int:
        return max(0, self.quantity - self.available_in_stock)


@dataclass(frozen=True)
class LineAnswer:
    line_no: int
    product_code: str
    quantity: int
    makeable: int
    earliest_date: date | None


@dataclass(frozen=True)
class ReviewAnswer:
    approve: bool
    earliest_date: date | None
    notes: str
    lines: tuple[LineAnswer, ...]


def review_order(
    order_lines: Sequence[LineToReview],
    families: Mapping[str, str],
    lines: Sequence[Line],
    load: Load,
    today: date,
    first_day: date,
    requested_date: date,
    is_business_day: IsBusinessDay,
    horizon_days: int,
) -> ReviewAnswer:
    short = [line for line in order_lines if line.shortfall > 0]
    unknown = sorted({line.product_code for line in short if line.product_code not in families})
    if unknown:
        return _reject(order_lines, f"cannot make product(s) {', '.join(unknown)}")
    try:
        plans = quote(
            [Need(families[line.product_code], line.shortfall) for line in short],
            lines,
            load,
            first_day,
            is_business_day,
            horizon_days,
        )
    except NoCapacity as exc:
        return _reject(order_lines, str(exc))
    finish = {line.line_no: plan.finish for line, plan in zip(short, plans, strict=True)}
    earliest = max(finish.values(), default=today)
    in_time = earliest <= requested_date
    answers = tuple(
        LineAnswer(
            line.line_no,
            line.product_code,
            line.quantity,
            line.shortfall if finish.get(line.line_no, today) <= requested_date else 0,
            finish.get(line.line_no, today),
        )
        for line in order_lines
    )
    if not in_time:
        return ReviewAnswer(
            False,
            earliest,
            f"earliest finish {earliest} is after the requested date {requested_date}",
            answers,
        )
    made = sum(line.shortfall for line in short)
    notes = f"{made} pieces to make, finish by {earliest}" if made else "nothing to make"
    return ReviewAnswer(True, earliest, notes, answers)


def _reject(order_lines: Sequence[LineToReview], reason: str) -> ReviewAnswer:
    answers = tuple(
        LineAnswer(line.line_no, line.product_code, line.quantity, 0, None) for line in order_lines
    )
    return ReviewAnswer(False, None, reason, answers)
