"""Pickup date, and when the pickup, tracking-number and delivery deadlines fall."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from services.logistics.app.policy import ShippingPolicy
from shared.calendar import DeadlineRule

# Asia/Shanghai is UTC+8: 06:00 UTC = 14:00 local, 08:00 UTC = 16:00 local
TUE_1400 = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
TUE_1600 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
FRI_1600 = datetime(2026, 12, 4, 8, 0, tzinfo=UTC)


def test_bookings_before_the_cutoff_are_collected_the_same_business_day(policy):
    assert policy.pickup_date(TUE_1400) == date(2026, 12, 1)


def test_bookings_after_the_cutoff_or_on_a_day_off_are_collected_next_business_day(policy):
    assert policy.pickup_date(TUE_1600) == date(2026, 12, 2)
    assert policy.pickup_date(FRI_1600) == date(2026, 12, 7)
    saturday_morning = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
    assert policy.pickup_date(saturday_morning) == date(2026, 12, 7)


def test_pickup_is_due_by_the_end_of_the_pickup_date_local_time(policy):
    due = policy.pickup_due(date(2026, 12, 1))
    assert due == datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # 2026-12-02 00:00 Shanghai


def test_tracking_number_is_due_24_hours_after_dispatch_in_calendar_time(policy):
    assert policy.tracking_due(FRI_1600) == FRI_1600 + timedelta(hours=24)


def test_delivery_window_ends_one_business_day_after_the_eta_day(policy):
    # ETA Friday: flagged only after Monday ends, not over the weekend
    due = policy.delivery_due(date(2026, 12, 4))
    assert due.astimezone(policy.calendar.tz).date() == date(2026, 12, 7)


def test_deadline_rules_are_configuration(policy):
    longer = ShippingPolicy(
        calendar=policy.calendar,
        tracking_number=DeadlineRule.parse("48h"),
        pickup=policy.pickup,
        delivery_window=DeadlineRule.parse("5d"),
    )
    assert longer.tracking_due(FRI_1600) == FRI_1600 + timedelta(hours=48)
    assert longer.delivery_due(date(2026, 12, 4)) > policy.delivery_due(date(2026, 12, 4))
