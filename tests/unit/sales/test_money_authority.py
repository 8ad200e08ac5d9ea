"""Only finance records money; exchange rates turn any currency into the base currency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from contracts.roles import Role
from services.sales.domain.authority import require_finance
from services.sales.domain.errors import InvalidChange, NoExchangeRate, NotEntitled
from services.sales.domain.rates import ExchangeRates, check_rate


def test_only_finance_records_payments():
    """003 客户订单下单流程: 财务确认是否到款 ... 财务审批同意: finance confirms the money; a
    deposit releases a class B/C order, so a desk clerk or another system may not record one."""
    require_finance("person", "Qian", {Role.FINANCE}, {"finance"})
    require_finance("system", "finance", set(), {"finance"})
    with pytest.raises(NotEntitled) as person:
        require_finance("person", "Li", {Role.SALES_DESK, Role.SALES_MANAGER}, {"finance"})
    assert person.value.roles == [Role.FINANCE]
    with pytest.raises(NotEntitled) as system:
        require_finance("system", "webshop", set(), {"finance"})
    assert "webshop" in system.value.detail


def test_rates_convert_to_the_base_currency():
    rates = ExchangeRates("CNY", {"USD": Decimal("7.1"), "EUR": Decimal("7.8")})
    assert rates.to_base(Decimal("90000"), "USD") == Decimal("639000.00")
    assert rates.to_base(Decimal("5"), "CNY") == Decimal("5.00")
    assert rates.convert(Decimal("250"), "CNY", "USD") == Decimal("35.21")
    assert rates.convert(Decimal("100"), "EUR", "USD") == Decimal("109.86")


def test_a_currency_without_a_rate_is_refused_naming_the_field():
    with pytest.raises(NoExchangeRate) as refused:
        ExchangeRates("CNY").to_base(Decimal(1), "JPY")
    assert refused.value.field == "currency"
    assert "JPY" in refused.value.detail


def test_master_data_sets_positive_rates_of_other_currencies():
    with pytest.raises(InvalidChange, match="base currency"):
        check_rate("CNY", Decimal(1), "CNY")
    with pytest.raises(InvalidChange, match="positive"):
        check_rate("USD", Decimal(0), "CNY")
    check_rate("USD", Decimal("7.1"), "CNY")
