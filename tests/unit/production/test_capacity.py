"""The loading algorithm: rates per family, shared days, calendar, downtime, horizon."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from services.production.domain.capacity import Line, Load, plan_earliest, plan_on_line
from services.production.domain.errors import NoCapacity


def weekdays(day: date) -> bool:
    return day.weekday() < 5


TUE = date(2026, 12, 8)


def test_quantity_fills_free_capacity_day_by_day():
    line = Line("L1", {"pump": 10})
    plan = plan_on_line(line, "pump", 25, TUE, Load(), weekdays, 365)
    assert plan is not None
    assert [(s.day, s.quantity) for s in plan.slots] == [
        (date(2026, 12, 8), 10),
        (date(2026, 12, 9), 10),
        (date(2026, 12, 10), 5),
    ]


def test_weekends_and_line_downtime_are_skipped():
    line = Line("L1", {"pump": 10}, downtime=frozenset({date(2026, 12, 10)}))
    plan = plan_on_line(line, "pump", 40, TUE, Load(), weekdays, 365)
    assert plan is not None
    # Tue, Wed, (Thu down), Fri, (weekend), Mon.
    assert [s.day for s in plan.slots] == [
        date(2026, 12, 8),
        date(2026, 12, 9),
        date(2026, 12, 11),
        date(2026, 12, 14),
    ]


def test_a_day_is_shared_between_families_by_their_rates():
    line = Line("L1", {"pump": 10, "valve": 40})
    load = Load.of([line], [("L1", "pump", TUE, 5)])  # half of Tuesday taken
    plan = plan_on_line(line, "valve", 30, TUE, load, weekdays, 365)
    assert plan is not None
    assert [(s.day, s.quantity) for s in plan.slots] == [(TUE, 20), (date(2026, 12, 9), 10)]


def test_load_never_exceeds_a_full_day_with_awkward_rates():
    line = Line("L1", {"a": 3, "b": 7})
    load = Load()
    for family, quantity in [("a", 1), ("b", 3), ("a", 2), ("b", 5)]:
        plan = plan_on_line(line, family, quantity, TUE, load, weekdays, 365)
        assert plan is not None
        load.book(line, family, plan.slots)
    assert all(used <= 1 for used in load.used.values())


def test_the_line_finishing_first_is_chosen():
    slow, fast = Line("A-slow", {"pump": 5}), Line("B-fast", {"pump": 20})
    plan = plan_earliest([slow, fast], "pump", 30, TUE, Load(), weekdays, 365)
    assert plan.line_code == "B-fast"
    assert plan.finish == date(2026, 12, 9)


def test_no_line_making_the_family_is_no_capacity():
    with pytest.raises(NoCapacity, match="valve"):
        plan_earliest([Line("L1", {"pump": 10})], "valve", 1, TUE, Load(), weekdays, 365)


def test_nothing_fits_within_the_horizon():
    line = Line("L1", {"pump": 1})
    with pytest.raises(NoCapacity, match="within 10 days"):
        plan_earliest([line], "pump", 50, TUE, Load(), weekdays, 10)


def test_released_capacity_is_free_again():
    line = Line("L1", {"pump": 10})
    load = Load()
    plan = plan_on_line(line, "pump", 20, TUE, load, weekdays, 365)
    assert plan is not None
    load.book(line, "pump", plan.slots)
    assert load.free_pieces(line, "pump", TUE) == 0
    load.release(line, "pump", plan.slots)
    assert load.free_pieces(line, "pump", TUE) == 10
    assert load.free_pieces(line, "pump", TUE + timedelta(days=1)) == 10
