"""SLA computation: calendar hours and days, business days, domestic/foreign, holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

from contracts.enums import SparePartUrgency
from services.customer_service.domain.complaints import ComplaintRules
from services.customer_service.domain.delays import needs_remedy_plan, slip_business_days
from services.customer_service.domain.tickets import SparePartRules
from services.customer_service.settings import CustomerServiceSettings
from shared.calendar import BusinessCalendar

CAL = BusinessCalendar("CN")
S = CustomerServiceSettings()
RULES = ComplaintRules(
    S.complaint_assignment_deadline,
    S.complaint_resolution_domestic,
    S.complaint_resolution_foreign,
)
PARTS = SparePartRules(S.spare_part_stock_install, S.spare_part_rush_install)

# Friday 30 October 2026, 17:00 in Shanghai.
FRIDAY_EVENING = datetime(2026, 10, 30, 9, 0, tzinfo=UTC)


def test_assignment_is_due_two_calendar_hours_after_opening_even_on_a_weekend() -> None:
    saturday = datetime(2026, 10, 31, 2, 0, tzinfo=UTC)
    assert RULES.assignment_due(saturday, CAL) == datetime(2026, 10, 31, 4, 0, tzinfo=UTC)


def test_domestic_resolution_is_ten_calendar_days_and_foreign_fifteen() -> None:
    assert RULES.resolution_due(FRIDAY_EVENING, True, CAL) == datetime(
        2026, 11, 9, 9, 0, tzinfo=UTC
    )
    assert RULES.resolution_due(FRIDAY_EVENING, False, CAL) == datetime(
        2026, 11, 14, 9, 0, tzinfo=UTC
    )


def test_resolution_days_do_not_skip_public_holidays() -> None:
    # Opened 30 September: the National Day week counts, the policy says days, not 工作日.
    opened = datetime(2026, 9, 30, 2, 0, tzinfo=UTC)
    assert RULES.resolution_due(opened, True, CAL).date() == date(2026, 10, 10)


def test_delay_is_counted_in_business_days_skipping_the_weekend() -> None:
    # Friday 6 Nov -> Wednesday 11 Nov: Mon, Tue, Wed = 3 business days: no remedy plan.
    slip = slip_business_days(date(2026, 11, 6), date(2026, 11, 11), CAL)
    assert slip == 3
    assert not needs_remedy_plan(slip, S.delay_remedy_threshold_business_days)
    # One more day is over 3.
    slip = slip_business_days(date(2026, 11, 6), date(2026, 11, 12), CAL)
    assert slip == 4
    assert needs_remedy_plan(slip, S.delay_remedy_threshold_business_days)


def test_national_day_holidays_do_not_count_towards_a_delay() -> None:
    # 30 Sep -> 8 Oct 2026 spans the Golden Week: only 8 Oct (and no day in 1-7 Oct) is worked.
    slip = slip_business_days(date(2026, 9, 30), date(2026, 10, 8), CAL)
    assert slip == 1
    assert not needs_remedy_plan(slip, 3)


def test_a_local_day_off_counts_like_a_holiday() -> None:
    cal = BusinessCalendar("CN", extra_days_off=[date(2026, 11, 10)])
    assert slip_business_days(date(2026, 11, 6), date(2026, 11, 12), cal) == 3


def test_stock_parts_install_within_a_month_of_arrival_rush_and_vor_within_seven_days() -> None:
    arrived = datetime(2026, 1, 31, 2, 0, tzinfo=UTC)
    assert PARTS.install_due(SparePartUrgency.STOCK, arrived, CAL) == datetime(
        2026, 2, 28, 2, 0, tzinfo=UTC
    )
    for urgency in (SparePartUrgency.RUSH, SparePartUrgency.VOR):
        assert PARTS.install_due(urgency, arrived, CAL) == datetime(2026, 2, 7, 2, 0, tzinfo=UTC)
    assert PARTS.install_due_date(SparePartUrgency.RUSH, date(2026, 3, 2), CAL) == date(2026, 3, 9)
