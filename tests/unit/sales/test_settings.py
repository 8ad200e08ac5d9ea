"""Deadline rules and thresholds are configuration with the policy's defaults."""

from __future__ import annotations

from decimal import Decimal

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
