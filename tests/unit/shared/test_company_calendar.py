"""One company calendar (issue 18, item 9): the additions to the holiday package live in one
file every service reads (``ORDERFLOW_CALENDAR_FILE``), so sales and customer service count the
same business days; a service that sets additions of its own beside it is refused."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from services.customer_service.settings import CustomerServiceSettings
from services.sales.settings import SalesSettings
from shared.calendar import calendar_from_settings
from shared.config import ServiceSettings

CALENDAR = """\
country = "CN"
timezone = "Asia/Shanghai"
# the plant's own day off, and a Saturday worked to make up for it
extra_days_off = [2026-12-14]
extra_working_days = [2026-12-19]
"""


def _calendar(settings: ServiceSettings):
    return calendar_from_settings(
        settings.calendar_country,
        settings.calendar_extra_days_off,
        settings.calendar_extra_working_days,
        settings.calendar_tz,
    )


@pytest.fixture
def company_file(tmp_path, monkeypatch):
    path = tmp_path / "calendar.toml"
    path.write_text(CALENDAR)
    monkeypatch.setenv("ORDERFLOW_CALENDAR_FILE", str(path))
    for name in ("SALES_CALENDAR_EXTRA_DAYS_OFF", "CUSTOMER_SERVICE_CALENDAR_EXTRA_DAYS_OFF"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_set_once_sales_and_customer_service_count_the_same_days(company_file):
    sales, service = _calendar(SalesSettings()), _calendar(CustomerServiceSettings())
    assert not sales.is_business_day(date(2026, 12, 14))  # the plant's day off
    assert sales.is_business_day(date(2026, 12, 19))  # the Saturday worked
    days = [date(2026, 12, 1) + timedelta(days=n) for n in range(60)]
    assert [sales.is_business_day(d) for d in days] == [service.is_business_day(d) for d in days]
    start = datetime(2026, 12, 11, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    # Mon 14 is off: three business days from Friday are Tue 15, Wed 16, Thu 17
    assert sales.add_business_days(start, 3) == service.add_business_days(start, 3)
    assert sales.local_date(sales.add_business_days(start, 3)) == date(2026, 12, 17)


def test_a_service_setting_its_own_days_beside_the_company_file_is_refused(
    company_file, monkeypatch
):
    monkeypatch.setenv("SALES_CALENDAR_EXTRA_DAYS_OFF", '["2026-12-15"]')
    with pytest.raises(ValidationError, match="calendar comes from"):
        SalesSettings()


def test_a_company_file_with_a_mistake_is_refused_naming_it(company_file):
    company_file.write_text(CALENDAR + 'holidays = ["2026-12-25"]\n')
    with pytest.raises(ValidationError, match="holidays"):
        SalesSettings()
    company_file.write_text(CALENDAR.replace("[2026-12-14]", '["next monday"]'))
    with pytest.raises(ValidationError, match="extra_days_off"):
        CustomerServiceSettings()
