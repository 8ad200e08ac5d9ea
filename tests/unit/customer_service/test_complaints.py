"""Complaint rules without IO: numbering, department by category, transitions, SLA verdict,
deadlines set and stopped, and who settles: the same person again changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    Severity,
)
from contracts.events import (
    ComplaintAssigned,
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
    ComplaintSlaBreached,
)
from services.customer_service.domain.complaints import (
    Complaint,
    ComplaintRules,
    Proposal,
    format_complaint_no,
)
from services.customer_service.domain.errors import IllegalTransition
from services.customer_service.main import policy_of
from services.customer_service.settings import CustomerServiceSettings
from shared.aggregate import CancelTimer, ScheduleTimer
from shared.calendar import BusinessCalendar
from shared.errors import Invalid

S = CustomerServiceSettings()
RULES = ComplaintRules(
    S.complaint_assignment_deadline, S.complaint_resolution_domestic, S.complaint_resolution_foreign
)
ALLOWANCES = policy_of(S).allowances
NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
DESK = ("after_sales",)


def settle(c: Complaint, when: datetime, proposal: Proposal, by: str = "Lin") -> None:
    c.resolve(when, proposal, by, DESK, ALLOWANCES)


def make(
    category: ComplaintCategory = ComplaintCategory.QUALITY, domestic: bool = True
) -> Complaint:
    return Complaint.open(
        complaint_id=uuid4(),
        complaint_no=format_complaint_no("202611", 7),
        opened_at=NOW,
        rules=RULES,
        calendar=BusinessCalendar("CN"),
        customer_id="C-1",
        channel=Channel.PHONE,
        category=category,
        severity=Severity.HIGH,
        description="scratched panels",
        domestic=domestic,
    )


def test_complaint_number_is_month_then_t_and_three_digits() -> None:
    assert format_complaint_no("202611", 7) == "202611-T007"
    assert format_complaint_no("202612", 1234) == "202612-T1234"


def test_opening_records_the_event_with_both_deadlines() -> None:
    c = make(domestic=False)
    [opened] = c.events
    assert isinstance(opened, ComplaintOpened)
    assert opened.assignment_due_at == NOW + timedelta(hours=2)
    assert opened.resolution_due_at == NOW + timedelta(days=15)
    assert opened.domestic is False
    due = {t.key.rsplit(":", 1)[1]: t for t in c.timers if isinstance(t, ScheduleTimer)}
    assert due["complaint_assignment"].due_at == NOW + timedelta(hours=2)
    assert due["complaint_resolution"].due_at == NOW + timedelta(days=15)
    assert isinstance(due["complaint_resolution"].message, ComplaintSlaBreached)


def test_assigning_stops_the_assignment_clock_and_settling_the_resolution_clock() -> None:
    c = make()
    c.timers.clear()
    c.assign(NOW, None, None, "Lin")
    assert c.assigned_by == "Lin"
    assert c.timers == [CancelTimer(f"complaint:{c.complaint_id}:complaint_assignment")]
    c.timers.clear()
    settle(c, NOW, Proposal(Resolution.REPAIR, "repaired"))
    assert c.timers == [CancelTimer(f"complaint:{c.complaint_id}:complaint_resolution")]


@pytest.mark.parametrize(
    ("category", "department"),
    [
        (ComplaintCategory.QUALITY, ResponsibleDepartment.PRODUCTION),
        (ComplaintCategory.LOGISTICS, ResponsibleDepartment.LOGISTICS),
        (ComplaintCategory.SERVICE, ResponsibleDepartment.CUSTOMER_SERVICE),
        (ComplaintCategory.ORDER_ERROR, ResponsibleDepartment.SALES),
        (ComplaintCategory.OTHER, ResponsibleDepartment.CUSTOMER_SERVICE),
    ],
)
def test_assignment_goes_to_the_department_responsible_for_the_category(
    category: ComplaintCategory, department: ResponsibleDepartment
) -> None:
    c = make(category)
    c.events.clear()
    c.assign(NOW, None, "Li", "Lin")
    assert c.department == department
    assert isinstance(c.events[0], ComplaintAssigned) and c.events[0].department == department


def test_resolving_needs_an_assignment_first() -> None:
    c = make()
    with pytest.raises(IllegalTransition) as err:
        settle(c, NOW, Proposal(Resolution.EXPLANATION, "explained"))
    assert err.value.status == "open" and err.value.state == "open"


def test_resolution_after_the_deadline_is_outside_the_sla() -> None:
    c = make()
    c.assign(NOW, None, None, "Lin")
    settle(c, NOW + timedelta(days=10, seconds=1), Proposal(Resolution.REPAIR, "repaired"))
    assert c.within_sla is False
    assert isinstance(c.events[-1], ComplaintResolved) and c.events[-1].within_sla is False


def test_the_same_settlement_by_the_same_person_again_changes_nothing() -> None:
    c = make()
    c.assign(NOW, None, None, "Lin")
    settle(c, NOW, Proposal(Resolution.REPAIR, "repaired"))
    events = len(c.events)
    settle(c, NOW + timedelta(days=1), Proposal(Resolution.REPAIR, "repaired"))  # answer lost
    assert len(c.events) == events and c.resolved_at == NOW and c.resolved_by == "Lin"
    with pytest.raises(IllegalTransition):
        settle(c, NOW, Proposal(Resolution.EXPLANATION, "explained instead"))
    # The same settlement sent by someone else is not theirs to repeat.
    with pytest.raises(IllegalTransition):
        settle(c, NOW, Proposal(Resolution.REPAIR, "repaired"), by="Zhao")


def test_resolution_on_the_deadline_is_within_the_sla() -> None:
    c = make()
    c.assign(NOW, None, None, "Lin")
    settle(c, NOW + timedelta(days=10), Proposal(Resolution.EXPLANATION, "explained"))
    assert c.within_sla is True


@pytest.mark.parametrize(
    ("proposal", "field"),
    [
        (Proposal(Resolution.DISCOUNT, "some discount"), "discount_amount"),
        (Proposal(Resolution.DISCOUNT, "free", discount_amount=Decimal(0)), "discount_amount"),
        (Proposal(Resolution.DISCOUNT, "5 %", discount_amount=Decimal(50)), "currency"),
        (Proposal(Resolution.REPAIR, "and money", None, Decimal(50), "CNY"), "discount_amount"),
    ],
)
def test_only_a_discount_gives_money_back_and_it_says_how_much_in_what(
    proposal: Proposal, field: str
) -> None:
    c = make()
    c.assign(NOW, None, None, "Lin")
    with pytest.raises(Invalid) as err:
        settle(c, NOW, proposal)
    assert err.value.field == field
    assert c.status == "assigned"


def test_escalation_climbs_the_chain_and_stops_at_its_top() -> None:
    c = make()
    chain = ["manager", "vp"]
    for _ in range(3):
        c.escalate("dispute", chain)
    levels = [(e.level, e.escalated_to) for e in c.events if isinstance(e, ComplaintEscalated)]
    assert levels == [(1, "manager"), (2, "vp"), (3, "vp")]


def test_a_resolved_complaint_cannot_be_assigned_or_escalated() -> None:
    c = make()
    c.assign(NOW, None, None, "Lin")
    settle(c, NOW, Proposal(Resolution.EXPLANATION, "ok"))
    for action in (lambda: c.assign(NOW, None, None, "Lin"), lambda: c.escalate("x", ["m"])):
        with pytest.raises(IllegalTransition):
            action()
