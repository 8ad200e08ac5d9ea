"""The stock ledger of one item: movements, derived levels, no overselling, reorder point."""

from __future__ import annotations

import uuid

import pytest

from contracts.events.warehouse import StockBelowReorderPoint
from services.warehouse.domain.errors import StockRuleViolation
from services.warehouse.domain.stock import MovementKind, StockBook, StockLevel


def book(**levels: tuple[int, int]) -> StockBook:
    return StockBook("P-1", {loc: StockLevel(loc, oh, r) for loc, (oh, r) in levels.items()})


def replay(b: StockBook) -> dict[str, tuple[int, int]]:
    sums: dict[str, tuple[int, int]] = {}
    for m in b.movements:
        oh, r = sums.get(m.location, (0, 0))
        sums[m.location] = (oh + m.on_hand_delta, r + m.reserved_delta)
    return sums


def test_levels_are_the_sum_of_the_recorded_movements():
    b = book()
    order = uuid.uuid4()
    b.receive("A", 10)
    b.reserve(order, 4)
    b.pick("A", 3, order, "picker")
    b.release("A", 1, order, "amended")
    b.adjust("A", -2, "breakage")
    b.count("A", 4, "counter")
    b.restock_return("A", 1, "RMA-1")
    level = b.levels["A"]
    assert replay(b) == {"A": (level.on_hand, level.reserved)}
    assert (level.on_hand, level.reserved, level.available) == (5, 0, 5)
    assert [m.kind for m in b.movements] == [
        MovementKind.RECEIPT,
        MovementKind.RESERVE,
        MovementKind.PICK,
        MovementKind.RELEASE,
        MovementKind.ADJUSTMENT,
        MovementKind.COUNT,
        MovementKind.RETURN_RESTOCK,
    ]


def test_reservation_takes_only_what_is_free_and_leaves_a_shortfall():
    b = book(A=(5, 2), B=(3, 0))
    granted = b.reserve(uuid.uuid4(), 10)
    assert granted == {"A": 3, "B": 3}
    assert b.available == 0
    assert b.reserved == b.on_hand == 8


def test_reservation_of_nothing_free_records_no_movement():
    b = book(A=(2, 2))
    assert b.reserve(uuid.uuid4(), 1) == {}
    assert b.movements == []


def test_reservation_can_be_limited_to_one_location():
    b = book(A=(5, 0), B=(5, 0))
    assert b.reserve(uuid.uuid4(), 3, only_location="B") == {"B": 3}


def test_adjustment_below_what_is_reserved_is_refused():
    b = book(A=(5, 4))
    with pytest.raises(StockRuleViolation):
        b.adjust("A", -2, "breakage")
    assert b.levels["A"].on_hand == 5 and b.movements == []


def test_count_below_reserved_is_refused():
    b = book(A=(5, 4))
    with pytest.raises(StockRuleViolation):
        b.count("A", 3, "counter")


def test_adjustment_needs_a_reason():
    with pytest.raises(StockRuleViolation):
        book(A=(5, 0)).adjust("A", 1, " ")


def test_release_of_more_than_reserved_is_refused():
    with pytest.raises(StockRuleViolation):
        book(A=(5, 1)).release("A", 2, uuid.uuid4(), "x")


def test_count_books_the_difference():
    b = book(A=(7, 0))
    assert b.count("A", 9, "counter") == 2
    assert b.movements[-1].on_hand_delta == 2 and b.levels["A"].on_hand == 9


def test_falling_below_the_reorder_point_raises_the_signal_once():
    b = StockBook("P-1", {"A": StockLevel("A", 10, 0)}, reorder_point=5, reorder_quantity=20)
    b.reserve(uuid.uuid4(), 6)
    b.check_reorder_point()
    [event] = b.events
    assert isinstance(event, StockBelowReorderPoint)
    assert (event.available, event.reserved, event.suggested_quantity) == (4, 6, 20)
    b.reserve(uuid.uuid4(), 1)
    b.check_reorder_point()
    assert len(b.events) == 1  # still low, no repeat


def test_staying_above_the_reorder_point_is_silent():
    b = StockBook("P-1", {"A": StockLevel("A", 10, 0)}, reorder_point=5)
    b.reserve(uuid.uuid4(), 5)
    b.check_reorder_point()
    assert b.events == []
