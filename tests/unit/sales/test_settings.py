"""Deadline rules and thresholds are configuration with the policy's defaults."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pydantic import ValidationError

from contracts.roles import Role
from contracts.status.sales import ApprovalRule
from services.sales.settings import SalesSettings


def test_defaults_follow_the_policy():
    s = SalesSettings()
    assert (s.service_name, s.http_port) == ("sales", 8001)
    assert [str(r) for r in (s.info_request_deadline, s.review_deadline, s.signature_deadline)] == [
        "1bd",
        "24h",
        "2bd",
    ]
    assert [str(s.invoice_deadline), str(s.reminder_before_due), str(s.collections_after_due)] == [
        "3bd",
        "3d",
        "15d",
    ]
    assert str(s.approval_deadline) == "24h"


def test_rules_come_from_the_environment_in_short_form(monkeypatch):
    monkeypatch.setenv("SALES_SIGNATURE_DEADLINE", "3bd")
    monkeypatch.setenv("SALES_APPROVAL_THRESHOLD", "5000")
    monkeypatch.setenv("SALES_APPROVAL_DEADLINE", "1bd")
    s = SalesSettings()
    assert str(s.approval_deadline) == "1bd"
    assert str(s.signature_deadline) == "3bd"
    assert s.approval_threshold == Decimal(5000)


def test_the_approval_matrix_defaults_to_the_policies():
    """000 订单审批制度 (sales manager, general manager above the band), 000 南昌 第六条(三)
    (production VP for rush), 003 (customer-service supervisor or marketing for prices)."""
    m = SalesSettings().matrix()
    assert m.roles_for(ApprovalRule.OVER_AMOUNT_THRESHOLD, Decimal("500000")) == {
        Role.SALES_MANAGER,
        Role.GENERAL_MANAGER,
    }
    assert m.roles_for(ApprovalRule.OVER_AMOUNT_THRESHOLD, Decimal("500000.01")) == {
        Role.GENERAL_MANAGER
    }
    assert m.roles_for(ApprovalRule.RUSH, Decimal("1")) == {Role.PRODUCTION_VP}
    assert m.roles_for(ApprovalRule.BELOW_LIST_PRICE, Decimal("1")) == {
        Role.AFTER_SALES_MANAGER,
        Role.MARKETING,
    }


def test_a_rule_of_the_matrix_comes_from_the_environment_the_rest_stays(monkeypatch):
    monkeypatch.setenv(
        "SALES_APPROVAL_MATRIX",
        '{"credit_limit": [{"up_to": "200000", "roles": ["finance", "sales_manager"]},'
        ' {"roles": ["general_manager"]}]}',
    )
    m = SalesSettings().matrix()
    assert m.roles_for(ApprovalRule.CREDIT_LIMIT, Decimal("150000")) == {
        Role.FINANCE,
        Role.SALES_MANAGER,
    }
    assert m.roles_for(ApprovalRule.RUSH, Decimal("1")) == {Role.PRODUCTION_VP}


def test_a_matrix_naming_a_role_that_cannot_approve_is_refused(monkeypatch):
    monkeypatch.setenv("SALES_APPROVAL_MATRIX", '{"rush": [{"roles": ["warehouse"]}]}')
    with pytest.raises(ValidationError, match="rush: warehouse cannot approve"):
        SalesSettings()
    monkeypatch.setenv("SALES_APPROVAL_MATRIX", '{"rush": [{"up_to": "10", "roles": ["vp"]}]}')
    with pytest.raises(ValidationError, match="only the last band is without limit"):
        SalesSettings()
