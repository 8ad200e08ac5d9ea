"""Business calendar and deadline rules.

The order-handling policy words some deadlines in business days (工作日): contact the customer
within 1 business day about missing information, signature of the confirmation letter within 2,
invoice within 3 of payment, a delay over 3 needs a remedy plan. Business days skip weekends and
public holidays and include the make-up working days (调休) on which China works a weekend to
bridge a holiday. Other deadlines (review 24 h, complaint resolution 10/15 days, STOCK spare parts
1 month, ...) are plain calendar time. Each rule's unit and length is configuration
(`DeadlineRule`), with the policy's values as defaults in each service's settings.

Holiday data comes from the `holidays` package, which knows China's holidays, substituted days off
and make-up working weekends, and does not fail for future years. The official schedule for next
year is published late in the year, so a deployment can add its own days off and working days;
these override the package.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

import holidays
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_settings import NoDecode

from shared.clock import ensure_aware

__all__ = ["BusinessCalendar", "Deadline", "DeadlineRule", "calendar_from_settings"]

# A calendar with no business day in a whole year is a configuration error; without this bound
# counting forward would never end.
_MAX_GAP = timedelta(days=366)
# Dates come bounded from the edge (a couple of years around today); a span beyond this is a bug.
_MAX_SPAN_YEARS = 50


# "within N business days" ends at the last second of the Nth day
_LAST_SECOND = time(23, 59, 59)


class BusinessCalendar:
    """Answers "N business days after T" for one country and time zone.

    A date is a business day when it is in `extra_working_days`; otherwise not when it is in
    `extra_days_off`; otherwise as the `holidays` package says (a weekend is off unless it is a
    make-up working day, a weekday is off when it is a holiday or a substituted day off).
    """

    def __init__(
        self,
        country: str = "CN",
        extra_days_off: Iterable[date] = (),
        extra_working_days: Iterable[date] = (),
        tz: str = "Asia/Shanghai",
    ) -> None:
        try:
            self._holidays = holidays.country_holidays(country)
        except NotImplementedError as exc:
            raise ValueError(f"the holidays package has no country {country!r}") from exc
        self.country = country
        self.tz = ZoneInfo(tz)
        self.extra_days_off = frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)
        both = self.extra_days_off & self.extra_working_days
        if both:
            raise ValueError(f"dates both off and working: {sorted(both)}")
        self._exceptions: dict[int, tuple[frozenset[date], frozenset[date]]] = {}

    def is_business_day(self, d: date) -> bool:
        """Whether `d` (a local calendar date, not a datetime) is a business day."""
        if isinstance(d, datetime):
            # A datetime's date depends on the time zone; make the caller pick it.
            raise TypeError("pass a local date, e.g. calendar.local_date(at)")
        if d in self.extra_working_days:
            return True
        if d in self.extra_days_off:
            return False
        # is_working_day (not `d in weekend_workdays`): the package fills a year's make-up
        # working days only when that year is first looked up.
        return bool(self._holidays.is_working_day(d))

    def local_date(self, at: datetime) -> date:
        """The calendar date of instant `at` in this calendar's time zone."""
        return ensure_aware(at, "at").astimezone(self.tz).date()

    def add_business_days_to_date(self, d: date, n: int) -> date:
        """The `n`-th business day after `d`; `d` itself never counts, business day or not."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        found, gap_start = 0, d
        while found < n:
            d += timedelta(days=1)
            if self.is_business_day(d):
                found, gap_start = found + 1, d
            elif d - gap_start > _MAX_GAP:
                raise ValueError(f"no business day in the year after {gap_start}")
        return d

    def add_business_days(self, start: datetime, n: int) -> datetime:
        """The instant `n` business days after `start`, at the same local time of day, in UTC.

        Counting starts from the next business day after `start`'s local date, whether or not
        that date is itself a business day: 1 business day after Friday 17:00 is Monday 17:00,
        and 1 business day after any time on Saturday is Monday at that time. So a request that
        arrives on a day off gets the same deadline as one that arrived on the last business day
        before it, at the same hour. n=0 returns `start` (in UTC); negative n raises ValueError.
        """
        local = ensure_aware(start, "start").astimezone(self.tz)
        if n == 0:
            return ensure_aware(start, "start")
        day = self.add_business_days_to_date(local.date(), n)
        due = datetime.combine(day, local.time(), tzinfo=self.tz)
        return ensure_aware(due)

    def end_of_business_days(self, start: datetime, n: int) -> datetime:
        """The end of the `n`-th business day after `start`'s local date (its last second,
        23:59:59 local), in UTC: 1 business day after Wednesday 10:00 or 17:30 is Thursday
        23:59:59; after Friday or Saturday, Monday 23:59:59. n must be at least 1."""
        if n < 1:
            raise ValueError(f"n must be >= 1, got {n}")
        day = self.add_business_days_to_date(self.local_date(start), n)
        return ensure_aware(datetime.combine(day, _LAST_SECOND, tzinfo=self.tz))

    def business_days_between(self, a: date, b: date) -> int:
        """Number of business days d with a < d <= b; 0 when b <= a.

        Implements "each business day the signature arrives after the day the letter went out
        moves the promised date one business day later":
        `add_business_days_to_date(promised, business_days_between(sent, signed))`.

        Counted in O(years), not day by day: the weekdays in the span, less the holidays that
        fall on a weekday, plus the make-up working weekends, then the local additions.
        """
        if b <= a:
            return 0
        if b.year - a.year > _MAX_SPAN_YEARS:
            raise ValueError(f"a span of more than {_MAX_SPAN_YEARS} years: {a} to {b}")
        count = _weekdays_through(b) - _weekdays_through(a)
        for year in range(a.year, b.year + 1):
            off, on = self._package_exceptions(year)
            count -= sum(1 for d in off if a < d <= b)
            count += sum(1 for d in on if a < d <= b)
        for d in self.extra_working_days:
            if a < d <= b and not self._package_working(d):
                count += 1
        for d in self.extra_days_off - self.extra_working_days:
            if a < d <= b and self._package_working(d):
                count -= 1
        return count

    def _package_working(self, d: date) -> bool:
        return bool(self._holidays.is_working_day(d))

    def _package_exceptions(self, year: int) -> tuple[frozenset[date], frozenset[date]]:
        """The package's weekday holidays and make-up working weekend days of one year."""
        cached = self._exceptions.get(year)
        if cached is None:
            self._holidays.is_working_day(date(year, 1, 1))  # fills the year's data
            off = frozenset(
                d
                for d in self._holidays
                if isinstance(d, date) and d.year == year and d.weekday() < 5
            )
            on = frozenset(
                d for d in self._holidays.weekend_workdays if d.year == year and d.weekday() >= 5
            )
            cached = self._exceptions[year] = (off, on)
        return cached


def _weekdays_through(d: date) -> int:
    """Monday-to-Friday days from 0001-01-01 (a Monday) through ``d``."""
    days = (d - date(1, 1, 1)).days + 1
    return 5 * (days // 7) + min(days % 7, 5)


def calendar_from_settings(
    country: str = "CN",
    extra_days_off: Iterable[date] = (),
    extra_working_days: Iterable[date] = (),
    tz: str = "Asia/Shanghai",
) -> BusinessCalendar:
    """Build the calendar from a service's settings fields (lists of ISO dates from env/JSON)."""
    return BusinessCalendar(country, extra_days_off, extra_working_days, tz)


DeadlineUnit = Literal["business_days", "days", "hours", "months"]
_SUFFIXES: dict[str, DeadlineUnit] = {
    "bd": "business_days",
    "d": "days",
    "h": "hours",
    "mo": "months",
}
_SHORT_FORM = re.compile(r"^\s*(\d+)\s*(bd|d|h|mo)\s*$", re.IGNORECASE)
# ISO 8601 durations of one unit: P10D, P2W, P1M, PT24H.
_ISO_FORM = re.compile(r"^\s*P(?:(\d+)([DWM])|T(\d+)H)\s*$", re.IGNORECASE)


class DeadlineRule(BaseModel):
    """How long a step may take, as the policy words it: business days or calendar time.

    Lives in settings, e.g. `review_deadline: DeadlineRule = DeadlineRule(unit="hours",
    length=24)`. Also accepts the short form "24h", "2bd", "10d", "1mo" wherever pydantic
    validates it (JSON, YAML, or an env var when the settings field is annotated with
    pydantic-settings' `NoDecode`).
    """

    model_config = ConfigDict(frozen=True)

    unit: DeadlineUnit
    length: int = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _accept_short_form(cls, value: Any) -> Any:
        if isinstance(value, str):
            if value.lstrip().startswith("{"):
                return json.loads(value)
            return _parse_short_form(value)
        return value

    @classmethod
    def parse(cls, text: str) -> DeadlineRule:
        """Build a rule from "24h" (hours), "2bd" (business days), "10d" (days) or "1mo"."""
        return cls.model_validate(_parse_short_form(text))

    def __str__(self) -> str:
        suffix = next(s for s, u in _SUFFIXES.items() if u == self.unit)
        return f"{self.length}{suffix}"

    def due(self, start: datetime, calendar: BusinessCalendar) -> datetime:
        """When a step started at `start` is due, in UTC.

        Hours and days are elapsed time (weekends and holidays included). Months land on the same
        local day and time `length` months later, on the month's last day when it is shorter
        (Jan 31 + 1 month = Feb 28 or 29). "Within N business days" (N 个工作日内) ends with
        the Nth business day after the start's local date: at its last second (23:59:59
        local), whatever the hour the step started (002 二(一) 异常初步处理: 1个工作日内).
        """
        start = ensure_aware(start, "start")
        if self.unit == "hours":
            return start + timedelta(hours=self.length)
        if self.unit == "days":
            return start + timedelta(days=self.length)
        if self.unit == "business_days":
            return calendar.end_of_business_days(start, self.length)
        local = start.astimezone(calendar.tz)
        day = _add_months(local.date(), self.length)
        return ensure_aware(datetime.combine(day, local.time(), tzinfo=calendar.tz))


def _parse_short_form(text: str) -> dict[str, Any]:
    match = _SHORT_FORM.match(text)
    if match is not None:
        return {"unit": _SUFFIXES[match.group(2).lower()], "length": int(match.group(1))}
    iso = _ISO_FORM.match(text)
    if iso is None:
        raise ValueError(
            f"expected e.g. '24h', '2bd', '10d', '1mo' or ISO 8601 'PT24H', 'P10D', got {text!r}"
        )
    if iso.group(3) is not None:
        return {"unit": "hours", "length": int(iso.group(3))}
    length, designator = int(iso.group(1)), iso.group(2).upper()
    if designator == "W":
        return {"unit": "days", "length": 7 * length}
    return {"unit": "days" if designator == "D" else "months", "length": length}


Deadline = Annotated[DeadlineRule, NoDecode]
"""A settings field holding a deadline rule: from the environment as ``2h``, ``10d``, ``3bd``,
``1mo``, ISO 8601 (``PT2H``, ``P10D``) or JSON (``{"unit": "hours", "length": 2}``)."""


def _add_months(d: date, months: int) -> date:
    years, month_index = divmod(d.month - 1 + months, 12)
    year, month = d.year + years, month_index + 1
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month, min(d.day, last_day))
