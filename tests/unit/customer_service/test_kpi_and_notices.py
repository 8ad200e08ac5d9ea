"""KPI formulas on hand-computed data, and notice keys."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from contracts.enums import Channel
from contracts.events import OrderInfoRequested
from services.customer_service.domain import kpi
from services.customer_service.domain.notices import delay_notice, notice_for
from shared.errors import Invalid

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def test_period_bounds_for_months_and_quarters() -> None:
    assert kpi.period_bounds("2026-11") == (date(2026, 11, 1), date(2026, 12, 1))
    assert kpi.period_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert kpi.period_bounds("2026-Q4") == (date(2026, 10, 1), date(2027, 1, 1))
    assert kpi.period_bounds("2027-Q1") == (date(2027, 1, 1), date(2027, 4, 1))
    with pytest.raises(Invalid) as err:
        kpi.period_bounds("2026-13")
    assert err.value.field == "period"


def test_on_time_rate_counts_delivery_on_the_promised_day_as_on_time() -> None:
    deliveries = [
        kpi.Delivery(date(2026, 11, 10), date(2026, 11, 10)),  # on the day
        kpi.Delivery(date(2026, 11, 10), date(2026, 11, 9)),  # early
        kpi.Delivery(date(2026, 11, 10), date(2026, 11, 11)),  # late
        kpi.Delivery(date(2026, 11, 20), date(2026, 11, 25)),  # late
    ]
    assert kpi.on_time_rate(deliveries) == {"delivered": 4, "on_time": 2, "rate": 0.5}
    assert kpi.on_time_rate([]) == {"delivered": 0, "on_time": 0, "rate": None}


def test_cycle_time_per_stage_is_the_mean_over_orders_that_reached_both_stages() -> None:
    a = {
        "received": T0,
        "confirmed": T0 + timedelta(hours=10),
        "delivered": T0 + timedelta(hours=100),
    }
    b = {"received": T0, "confirmed": T0 + timedelta(hours=20)}
    result = kpi.cycle_times([a, b])
    assert result["received->confirmed"] == 15.0
    assert result["received->delivered"] == 100.0
    assert result["shipped->delivered"] is None


def test_review_time_mean_hours() -> None:
    pairs = [(T0, T0 + timedelta(hours=6)), (T0, T0 + timedelta(hours=30))]
    assert kpi.review_time(pairs) == {"reviews": 2, "mean_hours": 18.0}


def test_complaint_sla_shares_and_mean_times() -> None:
    due_a, due_r = T0 + timedelta(hours=2), T0 + timedelta(days=10)
    items = [
        kpi.ComplaintTimes(T0, due_a, due_r, T0 + timedelta(hours=1), T0 + timedelta(days=5)),
        kpi.ComplaintTimes(T0, due_a, due_r, T0 + timedelta(hours=3), T0 + timedelta(days=12)),
        kpi.ComplaintTimes(T0, due_a, due_r, None, None),
    ]
    result = kpi.complaint_sla(items)
    assert result == {
        "opened": 3,
        "assigned": 2,
        "assignment_mean_hours": 2.0,
        "assignment_within_sla_rate": 0.5,
        "resolved": 2,
        "resolution_mean_hours": 204.0,
        "resolution_within_sla_rate": 0.5,
    }


def test_satisfaction_mean() -> None:
    assert kpi.satisfaction([5, 4, 2]) == {"answers": 3, "mean_score": 3.67}
    assert kpi.satisfaction([]) == {"answers": 0, "mean_score": None}


def test_the_same_moment_has_the_same_notice_key() -> None:
    order_id = uuid4()
    msg = OrderInfoRequested(
        order_id=order_id,
        channel=Channel.EMAIL,
        missing_fields=["contact"],
        contact_deadline_at=T0,
    )
    first, second = notice_for(msg), notice_for(msg)
    assert first is not None and first == second
    assert first.key == f"{order_id}:info_needed"


def test_each_new_delay_date_is_its_own_moment() -> None:
    a = delay_notice("o1", "202611-001", date(2026, 11, 20), "x")
    b = delay_notice("o1", "202611-001", date(2026, 11, 25), "x")
    assert a.key != b.key
