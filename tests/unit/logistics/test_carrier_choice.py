"""Carrier choice by rule: destination, weight, urgency, promised date, cost; reason recorded."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from services.logistics.domain.carriers import CarrierService, ShipmentNeeds, choose_carrier
from services.logistics.domain.errors import NoCarrierAvailable

TUESDAY = date(2026, 12, 1)


def service(code: str, level: str = "std", **kw: object) -> CarrierService:
    base: dict[str, object] = {
        "code": code,
        "name": code,
        "service_level": level,
        "express": False,
        "regions": ("CN",),
        "max_weight_kg": Decimal("100"),
        "transit_days": 3,
        "base_rate": Decimal("10"),
        "rate_per_kg": Decimal("1"),
    }
    return CarrierService(**{**base, **kw})  # type: ignore[arg-type]


FAST = service("FAST", "express", express=True, transit_days=1, base_rate=Decimal("30"))
MID = service("MID", transit_days=2, base_rate=Decimal("15"))
SLOW = service("SLOW", transit_days=4, base_rate=Decimal("5"))
ALL = [FAST, MID, SLOW]


def needs(**kw: object) -> ShipmentNeeds:
    base: dict[str, object] = {"country": "CN", "region": None, "weight_kg": Decimal("10")}
    return ShipmentNeeds(**{**base, **kw})  # type: ignore[arg-type]


def test_cheapest_service_meeting_the_promised_date_is_chosen(calendar):
    # pickup Tue: SLOW arrives Mon 7th, MID Thu 3rd, FAST Wed 2nd
    choice = choose_carrier(ALL, needs(promised_date=date(2026, 12, 4)), TUESDAY, calendar)
    assert choice.service is MID
    assert choice.eta == date(2026, 12, 3)
    assert "meeting promised date 2026-12-04" in choice.reason
    assert "MID" in choice.reason


def test_a_late_promised_date_lets_the_cheapest_service_win(calendar):
    choice = choose_carrier(ALL, needs(promised_date=date(2026, 12, 10)), TUESDAY, calendar)
    assert choice.service is SLOW
    assert choice.cost == Decimal("15.00")  # 5 + 1 * 10 kg


def test_rush_orders_take_the_fastest_express_service_even_when_dearer(calendar):
    choice = choose_carrier(
        ALL, needs(rush=True, promised_date=date(2026, 12, 10)), TUESDAY, calendar
    )
    assert choice.service is FAST
    assert choice.reason.startswith("rush order")


def test_rush_without_any_express_service_takes_the_fastest(calendar):
    choice = choose_carrier([MID, SLOW], needs(rush=True), TUESDAY, calendar)
    assert choice.service is MID
    assert "no express service" in choice.reason


def test_when_no_service_meets_the_promised_date_the_fastest_is_chosen(calendar):
    choice = choose_carrier([MID, SLOW], needs(promised_date=TUESDAY), TUESDAY, calendar)
    assert choice.service is MID
    assert "no service meets promised date" in choice.reason


def test_overweight_shipments_skip_services_with_lower_limits(calendar):
    heavy = service("HEAVY", max_weight_kg=Decimal("3000"), base_rate=Decimal("60"))
    choice = choose_carrier([*ALL, heavy], needs(weight_kg=Decimal("500")), TUESDAY, calendar)
    assert choice.service is heavy
    assert [c.service for c in choice.candidates] == [heavy]


def test_destination_decides_the_candidates(calendar):
    intl = service("INTL", regions=("!CN", "*"))
    provincial = service("GD", regions=("CN:Guangdong",), base_rate=Decimal("1"))
    assert choose_carrier([*ALL, intl], needs(country="DE"), TUESDAY, calendar).service is intl
    local = choose_carrier([SLOW, provincial], needs(region="Guangdong"), TUESDAY, calendar)
    assert local.service is provincial
    elsewhere = choose_carrier([SLOW, provincial], needs(region="Hubei"), TUESDAY, calendar)
    assert elsewhere.service is SLOW
    assert not intl.serves("CN")


def test_inactive_services_are_never_chosen(calendar):
    off = service("OFF", base_rate=Decimal("0"), active=False)
    assert choose_carrier([off, SLOW], needs(), TUESDAY, calendar).service is SLOW


def test_no_service_for_the_destination_is_an_error_naming_it(calendar):
    with pytest.raises(NoCarrierAvailable, match="US") as nowhere:
        choose_carrier(ALL, needs(country="US"), TUESDAY, calendar)
    assert nowhere.value.field == "country"
    with pytest.raises(NoCarrierAvailable, match="500") as too_heavy:
        choose_carrier(ALL, needs(weight_kg=Decimal("500")), TUESDAY, calendar)
    assert too_heavy.value.field == "weight_kg"


def test_eta_counts_transit_in_business_days_over_weekends_and_holidays(calendar):
    friday = date(2026, 12, 4)
    assert SLOW.eta(friday, calendar) == date(2026, 12, 10)  # Mon..Thu
    # 2027-01-01 is New Year's Day (a day off): 1 business day after 2026-12-31 skips it
    assert FAST.eta(date(2026, 12, 31), calendar) == date(2027, 1, 4)
