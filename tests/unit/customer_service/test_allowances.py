"""Complaint allowances (money given back: a discount, which sales turns into a credit note and a
refund) and who may grant how much, without IO.

Policy: a price below the one agreed goes to the customer-service supervisor (policies/003
客户订单下单流程: 上报客服主管和营销总监); a complaint the departments cannot agree on goes to the
vice-president in charge (policies/000 订单(合同)交付及售后服务管理制度 第十条(三)(3)); the
settlement may be a sales allowance (第十条(三)(5) 给予销货折让). The policies name no amounts:
the limits are settings (desk 0, supervisor CNY 100,000, vice-president unlimited by default).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from pydantic import ValidationError

from contracts.enums import Channel, ComplaintCategory, Deadline, Resolution, Severity
from contracts.events import ComplaintResolved
from services.customer_service.domain.allowances import NO_LIMIT, AllowancePolicy
from services.customer_service.domain.complaints import (
    Complaint,
    ComplaintRules,
    Proposal,
    timer_key,
)
from services.customer_service.domain.errors import IllegalTransition
from services.customer_service.main import policy_of
from services.customer_service.settings import CustomerServiceSettings
from shared.aggregate import CancelTimer
from shared.calendar import BusinessCalendar
from shared.errors import Forbidden

S = CustomerServiceSettings(allowance_rates={"USD": Decimal("7.10")})
POLICY = policy_of(S).allowances
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
DESK = ("after_sales",)
SUPERVISOR = ("after_sales_manager",)
VP = ("vp",)


def assigned() -> Complaint:
    rules = ComplaintRules(
        S.complaint_assignment_deadline,
        S.complaint_resolution_domestic,
        S.complaint_resolution_foreign,
    )
    c = Complaint.open(
        complaint_id=uuid4(),
        complaint_no="202611-T001",
        opened_at=NOW,
        rules=rules,
        calendar=BusinessCalendar("CN"),
        customer_id="C-1",
        channel=Channel.PHONE,
        category=ComplaintCategory.QUALITY,
        severity=Severity.HIGH,
        description="scratched panels",
    )
    c.assign(NOW, None, None, "Lin")
    c.events.clear()
    c.timers.clear()
    return c


def discount(amount: str, currency: str = "CNY") -> Proposal:
    return Proposal(Resolution.DISCOUNT, "price allowance", None, Decimal(amount), currency)


def resolved_events(c: Complaint) -> list[ComplaintResolved]:
    return [e for e in c.events if isinstance(e, ComplaintResolved)]


def test_a_complaint_discount_over_the_band_waits_for_approval() -> None:
    """A discount above what the desk may grant alone (nothing, by default) is recorded as
    waiting for the customer-service supervisor (policies/003: prices below the agreed one go
    to 客服主管) or the vice-president; nothing is announced (no ``complaint.resolved``, so
    sales issues no credit note) and the resolution deadline keeps running until a second
    person approves."""
    c = assigned()
    c.resolve(NOW, discount("50.00"), "Lin", DESK, POLICY)
    assert c.status == "awaiting_approval"
    assert c.approval_roles == ["after_sales_manager", "vp"]
    assert c.resolved_by == "Lin" and c.resolved_at is None
    assert resolved_events(c) == [] and c.timers == []

    later = NOW + timedelta(hours=3)
    c.approve_allowance(later, "Wang", SUPERVISOR, POLICY)
    [done] = resolved_events(c)
    assert (done.discount_amount, done.currency) == (Decimal("50.00"), "CNY")
    assert (c.status, c.approved_by, c.approved_at, c.resolved_at) == (
        "resolved",
        "Wang",
        later,
        later,
    )
    assert c.timers == [CancelTimer(timer_key(c.complaint_id, Deadline.COMPLAINT_RESOLUTION))]


def test_within_the_resolving_persons_band_the_discount_settles_at_once() -> None:
    c = assigned()
    c.resolve(NOW, discount("100000.00"), "Wang", SUPERVISOR, POLICY)
    assert c.status == "resolved" and len(resolved_events(c)) == 1
    assert c.approved_by is None


def test_above_the_supervisors_band_only_the_vice_president_approves() -> None:
    """The supervisor's limit (CNY 100,000 by default, the line above which an order needs
    senior leadership: policies/000 订单审批制度) bounds what they grant or approve; beyond it
    the vice-president in charge decides (policies/000 第十条(三)(3))."""
    c = assigned()
    c.resolve(NOW, discount("100000.01"), "Wang", SUPERVISOR, POLICY)
    assert c.status == "awaiting_approval" and c.approval_roles == ["vp"]
    with pytest.raises(Forbidden) as refused:
        c.approve_allowance(NOW, "Zhou", SUPERVISOR, POLICY)
    assert refused.value.roles == ["vp"]
    assert c.status == "awaiting_approval"
    c.approve_allowance(NOW, "Gao", VP, POLICY)
    assert c.status == "resolved" and c.approved_by == "Gao"


def test_the_proposer_never_approves_their_own_allowance() -> None:
    """Four eyes: a second person, even when the proposer later signs in with an approver's
    role."""
    c = assigned()
    c.resolve(NOW, discount("500.00"), "Lin", DESK, POLICY)
    with pytest.raises(Forbidden, match="four eyes"):
        c.approve_allowance(NOW, "Lin", SUPERVISOR, POLICY)
    assert c.status == "awaiting_approval" and resolved_events(c) == []
    c.approve_allowance(NOW, "Wang", SUPERVISOR, POLICY)
    assert c.status == "resolved"


def test_the_same_approval_again_changes_nothing_and_another_is_refused() -> None:
    c = assigned()
    c.resolve(NOW, discount("500.00"), "Lin", DESK, POLICY)
    c.approve_allowance(NOW, "Wang", SUPERVISOR, POLICY)
    c.approve_allowance(NOW + timedelta(minutes=1), "Wang", SUPERVISOR, POLICY)  # answer lost
    assert len(resolved_events(c)) == 1 and c.approved_at == NOW
    with pytest.raises(IllegalTransition) as err:
        c.approve_allowance(NOW, "Zhou", SUPERVISOR, POLICY)
    assert err.value.state == "resolved"


def test_nothing_to_approve_without_a_proposal_waiting() -> None:
    c = assigned()
    with pytest.raises(IllegalTransition) as err:
        c.approve_allowance(NOW, "Wang", SUPERVISOR, POLICY)
    assert err.value.state == "assigned"


def test_a_refused_allowance_leaves_the_complaint_open_for_another_settlement() -> None:
    c = assigned()
    c.resolve(NOW, discount("800.00"), "Lin", DESK, POLICY)
    note = c.refuse_allowance("a repair is enough")
    assert "800.00 CNY" in note and "Lin" in note and "a repair is enough" in note
    assert c.status == "assigned"
    assert (c.resolution, c.discount_amount, c.resolved_by, c.approval_roles) == (None,) * 4
    c.resolve(NOW, Proposal(Resolution.REPAIR, "repaired on site"), "Lin", DESK, POLICY)
    assert c.status == "resolved" and len(resolved_events(c)) == 1


def test_the_same_proposal_again_by_its_proposer_changes_nothing() -> None:
    c = assigned()
    c.resolve(NOW, discount("800.00"), "Lin", DESK, POLICY)
    c.resolve(NOW, discount("800.00"), "Lin", DESK, POLICY)  # its answer lost on the way
    assert c.status == "awaiting_approval"
    with pytest.raises(IllegalTransition) as err:
        c.resolve(NOW, discount("800.00"), "Zhao", DESK, POLICY)
    assert err.value.state == "awaiting_approval"


@pytest.mark.parametrize(
    ("amount", "currency", "approvers"),
    [
        ("14084.50", "USD", ["after_sales_manager", "vp"]),  # CNY 99,999.95
        ("14084.51", "USD", ["vp"]),  # CNY 100,000.021
        ("10.00", "EUR", ["vp"]),  # no rate: nobody can tell how much, the top decides
    ],
)
def test_allowances_in_other_currencies_are_judged_in_the_base_currency(
    amount: str, currency: str, approvers: list[str]
) -> None:
    assert POLICY.approvers(Decimal(amount), currency) == approvers
    assert POLICY.may_grant(VP, Decimal(amount), currency)


def test_a_person_may_grant_what_their_highest_role_allows() -> None:
    assert POLICY.limit_of(DESK) == 0
    assert POLICY.limit_of(("after_sales", "after_sales_manager")) == Decimal(100_000)
    assert POLICY.limit_of(("qc", "vp")) == NO_LIMIT
    assert POLICY.limit_of(("qc",)) == 0


def test_the_ladder_needs_a_top() -> None:
    with pytest.raises(ValueError, match="no limit"):
        AllowancePolicy("CNY", {"after_sales_manager": Decimal(1000)}, {})
    with pytest.raises(ValidationError, match="no limit"):
        CustomerServiceSettings(allowance_limits={"after_sales_manager": Decimal(1000)})
    with pytest.raises(ValidationError, match="may not resolve"):
        CustomerServiceSettings(allowance_limits={"sales_desk": Decimal(10), "vp": None})


def test_limits_and_rates_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "CUSTOMER_SERVICE_ALLOWANCE_LIMITS",
        '{"after_sales": "500", "after_sales_manager": "20000", "vp": null}',
    )
    monkeypatch.setenv("CUSTOMER_SERVICE_ALLOWANCE_RATES", '{"USD": "7.1"}')
    policy = policy_of(CustomerServiceSettings()).allowances
    assert policy.may_grant(DESK, Decimal(500), "CNY")
    assert not policy.may_grant(DESK, Decimal(100), "USD")
    assert policy.approvers(Decimal(3000), "USD") == ["vp"]
