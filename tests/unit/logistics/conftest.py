from __future__ import annotations

import pytest

from services.logistics.app.policy import ShippingPolicy
from shared.calendar import BusinessCalendar, DeadlineRule


@pytest.fixture
def calendar() -> BusinessCalendar:
    return BusinessCalendar("CN", tz="Asia/Shanghai")


@pytest.fixture
def policy(calendar: BusinessCalendar) -> ShippingPolicy:
    return ShippingPolicy(
        calendar=calendar,
        tracking_number=DeadlineRule(unit="hours", length=24),
        pickup=DeadlineRule(unit="days", length=1),
        delivery_window=DeadlineRule(unit="business_days", length=1),
        cutoff_hour=15,
    )
