"""Rush re-sequencing, delays once per change, quotes and review verdicts."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.enums import DelayCause
from contracts.events.production import ProductionDelayed
from contracts.status.production import WorkOrderStatus
from services.production.domain.capacity import Line, Load
from services.production.domain.review import LineToReview, review_order
from services.production.domain.scheduling import Need, quote, schedule
from services.production.domain.work_order import WorkOrder

TUE = date(2026, 12, 8)


def weekdays(day: date) -> bool:
    return day.weekday() < 5


def work_order(
    quantity: int, promised: date, *, rush: bool = False, sequence: int = 0, prepaid=False
):
    return WorkOrder(
        work_order_id=uuid.uuid4(),
        work_order_no=f"WO-{sequence}",
        order_id=uuid.uuid4(),
        order_no=f"202612-{sequence:03d}",
        line_no=1,
        product_code="P",
        spec="std",
        family="pump",
        quantity=quantity,
        promised_date=promised,
        rush=rush,
        prepaid=prepaid,
        sequence=sequence,
    )


def delays(wo: WorkOrder) -> list[ProductionDelayed]:
    return [e for e in wo.events if isinstance(e, ProductionDelayed)]


LINE = Line("L1", {"pump": 10})


def scheduled(*orders: WorkOrder) -> Load:
    load = Load()
    for wo in orders:
        schedule([wo], [LINE], load, TUE, weekdays, 365)
        wo.events.clear()
    return load


def test_rush_goes_ahead_of_normal_work_not_started():
    normal = work_order(20, date(2026, 12, 31), sequence=1)
    load = scheduled(normal)
    rush = work_order(10, date(2026, 12, 8), rush=True, sequence=2)
    moved = schedule([rush], [LINE], load, TUE, weekdays, 365, [normal])
    assert (rush.planned_start, rush.planned_finish) == (TUE, TUE)
    assert moved == [normal]
    assert (normal.planned_start, normal.planned_finish) == (date(2026, 12, 9), date(2026, 12, 10))
    assert delays(normal) == []  # still before its promise: nothing to report


def test_normal_order_pushed_past_its_promise_by_a_rush_is_delayed():
    normal = work_order(20, date(2026, 12, 9), sequence=1)
    load = scheduled(normal)
    rush = work_order(20, date(2026, 12, 9), rush=True, sequence=2)
    schedule([rush], [LINE], load, TUE, weekdays, 365, [normal])
    (delay,) = delays(normal)
    assert (delay.old_date, delay.new_date, delay.cause) == (
        date(2026, 12, 9),
        date(2026, 12, 11),
        DelayCause.CAPACITY,
    )
    assert rush.order_no in delay.reason


def test_started_and_rush_work_is_not_moved():
    started = work_order(10, date(2026, 12, 31), sequence=1)
    earlier_rush = work_order(10, date(2026, 12, 31), rush=True, sequence=2)
    load = scheduled(started, earlier_rush)
    started.status = WorkOrderStatus.STARTED
    rush = work_order(10, date(2026, 12, 31), rush=True, sequence=3)
    moved = schedule([rush], [LINE], load, TUE, weekdays, 365, [started, earlier_rush])
    assert moved == []
    assert rush.planned_start == date(2026, 12, 10)


def test_moved_orders_keep_their_sequence_with_paid_orders_first():
    first = work_order(10, date(2026, 12, 31), sequence=1)
    second_paid = work_order(10, date(2026, 12, 31), sequence=2, prepaid=True)
    load = scheduled(first, second_paid)
    rush = work_order(10, date(2026, 12, 31), rush=True, sequence=3)
    schedule([rush], [LINE], load, TUE, weekdays, 365, [first, second_paid])
    assert second_paid.planned_start == date(2026, 12, 9)
    assert first.planned_start == date(2026, 12, 10)


def test_a_delay_is_reported_once_per_new_date():
    wo = work_order(30, date(2026, 12, 9), sequence=1)
    scheduled(wo)  # finishes Thursday 10 Dec, after its promise: reported then cleared
    wo.delay_reported_for = wo.planned_finish
    wo.check_behind_plan(date(2026, 12, 8), LINE, weekdays)  # nothing planned before today
    assert delays(wo) == []
    wo.check_behind_plan(date(2026, 12, 10), LINE, weekdays)  # 20 planned, none made
    wo.check_behind_plan(date(2026, 12, 10), LINE, weekdays)  # same estimate again
    (delay,) = delays(wo)
    assert delay.new_date == date(2026, 12, 14)
    wo.check_behind_plan(date(2026, 12, 11), LINE, weekdays)  # still nothing: a new date
    assert [d.new_date for d in delays(wo)] == [date(2026, 12, 14), date(2026, 12, 15)]


def test_quote_books_nothing_and_stacks_needs():
    load = Load()
    plans = quote([Need("pump", 10), Need("pump", 10)], [LINE], load, TUE, weekdays, 365)
    assert [p.finish for p in plans] == [TUE, date(2026, 12, 9)]
    assert load.free_pieces(LINE, "pump", TUE) == 10


def review(lines, families, requested):
    return review_order(
        lines, families, [LINE], Load(), date(2026, 12, 7), TUE, requested, weekdays, 365
    )


def test_review_quotes_only_the_shortfall():
    answer = review(
        [LineToReview(1, "P", 40, available_in_stock=30)], {"P": "pump"}, date(2026, 12, 31)
    )
    assert answer.approve
    assert answer.earliest_date == TUE
    assert answer.lines[0].makeable == 10


def test_review_with_everything_in_stock_approves_today():
    answer = review([LineToReview(1, "P", 5, available_in_stock=5)], {}, date(2026, 12, 31))
    assert answer.approve and answer.earliest_date == date(2026, 12, 7)


def test_review_rejects_unknown_products_and_late_finishes():
    unknown = review([LineToReview(1, "X", 5)], {"P": "pump"}, date(2026, 12, 31))
    assert not unknown.approve and "X" in unknown.notes
    late = review([LineToReview(1, "P", 50)], {"P": "pump"}, date(2026, 12, 10))
    assert not late.approve
    assert late.earliest_date == date(2026, 12, 14)
