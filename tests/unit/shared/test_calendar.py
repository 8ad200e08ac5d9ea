from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import BaseModel, ValidationError

from shared.calendar import BusinessCalendar, DeadlineRule

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = BusinessCalendar()


def local(y: int, m: int, d: int, hour: int = 17) -> datetime:
    return datetime(y, m, d, hour, 0, tzinfo=SHANGHAI)


# --- Chinese calendar facts (2026 schedule as the `holidays` package has it) ---


def test_national_day_week_is_not_business_days() -> None:
    for day in range(1, 8):
        assert not CN.is_business_day(date(2026, 10, day))
    assert CN.is_business_day(date(2026, 10, 8))


def test_make_up_weekend_days_are_business_days() -> None:
    assert date(2026, 9, 20).weekday() == 6  # Sunday
    assert date(2026, 10, 10).weekday() == 5  # Saturday
    assert CN.is_business_day(date(2026, 9, 20))
    assert CN.is_business_day(date(2026, 10, 10))
    assert not CN.is_business_day(date(2026, 10, 11))  # an ordinary Sunday


def test_make_up_days_agree_with_the_package_data() -> None:
    import holidays

    package = holidays.country_holidays("CN", years=2026)
    workdays = {d for d in package.weekend_workdays if d.year == 2026}
    assert {date(2026, 9, 20), date(2026, 10, 10)} <= workdays
    assert all(CN.is_business_day(d) for d in workdays)


def test_one_business_day_after_friday_is_monday_same_time() -> None:
    due = CN.add_business_days(local(2026, 3, 13), 1)
    assert due == local(2026, 3, 16)
    assert due.tzinfo is UTC


def test_counting_starts_after_a_day_off_as_after_the_friday_before() -> None:
    assert CN.add_business_days(local(2026, 3, 14, hour=9), 1) == local(2026, 3, 16, hour=9)


def test_zero_business_days_returns_start() -> None:
    assert CN.add_business_days(local(2026, 3, 14), 0) == local(2026, 3, 14)


def test_deadline_spanning_national_day_skips_it() -> None:
    sent = local(2026, 9, 30, hour=10)
    assert CN.add_business_days(sent, 1) == local(2026, 10, 8, hour=10)
    assert CN.add_business_days(sent, 3) == local(2026, 10, 10, hour=10)  # make-up Saturday


def test_make_up_sunday_counts_as_the_next_business_day() -> None:
    assert CN.add_business_days_to_date(date(2026, 9, 18), 1) == date(2026, 9, 20)


def test_next_year_dates_work() -> None:
    assert CN.add_business_days_to_date(date(2026, 12, 31), 1) == date(2027, 1, 4)
    assert not CN.is_business_day(date(2027, 10, 1))


def test_negative_business_days_are_rejected() -> None:
    with pytest.raises(ValueError):
        CN.add_business_days(local(2026, 3, 13), -1)


def test_naive_start_is_rejected() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        CN.add_business_days(datetime(2026, 3, 13, 17, 0), 1)


def test_datetime_is_not_taken_for_a_local_date() -> None:
    with pytest.raises(TypeError):
        CN.is_business_day(local(2026, 3, 13))
    assert CN.local_date(datetime(2026, 3, 13, 20, 0, tzinfo=UTC)) == date(2026, 3, 14)


# --- local additions override the package ---


def test_extra_days_off_and_working_days_override_the_package() -> None:
    calendar = BusinessCalendar(
        extra_days_off=[date(2027, 10, 6)],
        extra_working_days=[date(2027, 9, 26), date(2026, 10, 7)],
    )
    assert CN.is_business_day(date(2027, 10, 6))
    assert not calendar.is_business_day(date(2027, 10, 6))
    assert not CN.is_business_day(date(2027, 9, 26))  # Sunday
    assert calendar.is_business_day(date(2027, 9, 26))
    assert calendar.is_business_day(date(2026, 10, 7))  # a package day off


def test_a_date_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ValueError, match="both"):
        BusinessCalendar(extra_days_off=[date(2027, 1, 4)], extra_working_days=[date(2027, 1, 4)])


def test_unknown_country_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="country"):
        BusinessCalendar(country="XX")


# --- business_days_between ---


def test_business_days_between_counts_after_a_up_to_b() -> None:
    assert CN.business_days_between(date(2026, 9, 30), date(2026, 10, 9)) == 2
    assert CN.business_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 1
    assert CN.business_days_between(date(2026, 3, 13), date(2026, 3, 13)) == 0
    assert CN.business_days_between(date(2026, 3, 16), date(2026, 3, 13)) == 0


def test_late_signature_moves_the_promised_date_by_the_same_business_days() -> None:
    late = CN.business_days_between(date(2026, 9, 30), date(2026, 10, 9))
    assert CN.add_business_days_to_date(date(2026, 10, 20), late) == date(2026, 10, 22)


@pytest.mark.parametrize("n", [1, 2, 5, 12])
def test_adding_and_counting_business_days_agree(n: int) -> None:
    start = date(2026, 9, 24)
    assert CN.business_days_between(start, CN.add_business_days_to_date(start, n)) == n


def test_a_calendar_without_business_days_fails_instead_of_looping() -> None:
    days = [date(2026, 1, 1) + timedelta(days=i) for i in range(800)]
    with pytest.raises(ValueError, match="no business day"):
        BusinessCalendar(extra_days_off=days).add_business_days_to_date(date(2026, 1, 1), 1)


# --- deadline rules ---


def test_hours_are_calendar_time() -> None:
    rule = DeadlineRule(unit="hours", length=24)
    assert rule.due(local(2026, 9, 30), CN) == local(2026, 10, 1)


def test_days_are_calendar_time_through_weekends_and_holidays() -> None:
    rule = DeadlineRule(unit="days", length=10)
    assert rule.due(local(2026, 9, 28), CN) == local(2026, 10, 8)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (local(2026, 1, 31), 1, local(2026, 2, 28)),
        (local(2028, 1, 31), 1, local(2028, 2, 29)),
        (local(2026, 11, 30), 3, local(2027, 2, 28)),
        (local(2026, 12, 15), 1, local(2027, 1, 15)),
    ],
)
def test_months_land_on_the_same_day_clamped_to_month_end(
    start: datetime, months: int, expected: datetime
) -> None:
    assert DeadlineRule(unit="months", length=months).due(start, CN) == expected


def test_business_days_rule_uses_the_calendar() -> None:
    rule = DeadlineRule(unit="business_days", length=2)
    end = datetime(2026, 10, 9, 23, 59, 59, tzinfo=CN.tz)
    assert rule.due(local(2026, 9, 30), CN) == end


@pytest.mark.parametrize("hour", [0, 9, 17, 23])
def test_within_n_business_days_ends_with_the_nth_day_whatever_the_hour(hour: int) -> None:
    """Within N business days (N个工作日内; 002 二(一) 异常初步处理, 二(二) 订单确认函,
    二(四) 发票开具) ends when the Nth business day ends in the company's time zone, not at
    the hour the step started."""
    wednesday = datetime(2026, 12, 2, hour, 30, tzinfo=CN.tz)
    due = DeadlineRule(unit="business_days", length=1).due(wednesday, CN)
    assert due == datetime(2026, 12, 3, 23, 59, 59, tzinfo=CN.tz)
    saturday = datetime(2026, 12, 5, hour, 30, tzinfo=CN.tz)
    assert DeadlineRule(unit="business_days", length=1).due(saturday, CN) == datetime(
        2026, 12, 7, 23, 59, 59, tzinfo=CN.tz
    )


def test_rule_rejects_naive_start() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        DeadlineRule(unit="hours", length=24).due(datetime(2026, 9, 30), CN)


@pytest.mark.parametrize(
    ("text", "unit", "length"),
    [("24h", "hours", 24), ("2bd", "business_days", 2), ("10d", "days", 10), ("1mo", "months", 1)],
)
def test_short_form_parses_and_prints_back(text: str, unit: str, length: int) -> None:
    rule = DeadlineRule.parse(text)
    assert (rule.unit, rule.length) == (unit, length)
    assert str(rule) == text


@pytest.mark.parametrize("text", ["", "24", "h", "1w", "-1d", "0h"])
def test_bad_short_forms_are_rejected(text: str) -> None:
    with pytest.raises(ValueError):
        DeadlineRule.parse(text)


def test_rule_is_frozen_configuration() -> None:
    class Settings(BaseModel):
        review_deadline: DeadlineRule = DeadlineRule(unit="hours", length=24)

    assert Settings().review_deadline == DeadlineRule.parse("24h")
    assert Settings.model_validate({"review_deadline": "2bd"}).review_deadline.length == 2
    with pytest.raises(ValidationError):
        Settings().review_deadline.length = 48  # type: ignore[misc]
    with pytest.raises(ValidationError):
        DeadlineRule(unit="days", length=0)


def test_counting_business_days_by_year_agrees_with_walking_day_by_day():
    """The O(years) count gives what a day-by-day walk gives, local additions included."""
    import random

    cal = BusinessCalendar(
        extra_days_off=[date(2027, 3, 3), date(2026, 12, 26)],
        extra_working_days=[date(2027, 1, 9), date(2026, 12, 30)],
    )

    def walked(a: date, b: date) -> int:
        count, d = 0, a
        while d < b:
            d += timedelta(days=1)
            count += cal.is_business_day(d)
        return count

    rng = random.Random(7)
    for _ in range(500):
        a = date(2024, 1, 1) + timedelta(days=rng.randint(0, 1500))
        b = a + timedelta(days=rng.randint(-10, 900))
        assert cal.business_days_between(a, b) == walked(a, b), (a, b)


def test_a_span_of_centuries_is_refused_instead_of_counted():
    with pytest.raises(ValueError, match="years"):
        BusinessCalendar().business_days_between(date(2026, 1, 1), date(9999, 12, 31))
