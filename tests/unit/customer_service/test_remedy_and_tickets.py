"""Remedy plans and service tickets without IO: the customer's answer is recorded by a person
(the name the customer gave kept as declared), a work record is reviewed by someone else."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from contracts.enums import ServiceOutcome, ServiceTicketKind, SparePartUrgency
from contracts.events import (
    OrderDeliveryDateChanged,
    OrderSlaBreached,
    ServiceTicketClosed,
    ServiceTicketSlaBreached,
    SparePartOrdered,
)
from contracts.events.customer_service import WorkRecord
from services.customer_service.domain.delays import RemedyPlan
from services.customer_service.domain.errors import IllegalTransition
from services.customer_service.domain.tickets import ServiceTicket, SparePartOrder, SparePartRules
from services.customer_service.settings import CustomerServiceSettings
from shared.aggregate import CancelTimer, ScheduleTimer
from shared.calendar import BusinessCalendar
from shared.errors import Forbidden

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
S = CustomerServiceSettings()
PARTS = SparePartRules(S.spare_part_stock_install, S.spare_part_rush_install)
CAL = BusinessCalendar("CN")


def plan() -> RemedyPlan:
    return RemedyPlan.open(
        plan_id=uuid4(),
        order_id=uuid4(),
        order_no="202611-001",
        old_date=date(2026, 11, 20),
        new_date=date(2026, 11, 27),
        reason="material late",
        slip_business_days=5,
        opened_at=NOW,
        due_at=NOW,
    )


def test_an_open_plan_is_watched_by_its_consent_deadline() -> None:
    p = plan()
    [due] = p.timers
    assert isinstance(due, ScheduleTimer) and due.key == f"remedy:{p.plan_id}"
    assert isinstance(due.message, OrderSlaBreached) and due.due_at == p.due_at


def test_consent_needs_a_filled_in_plan() -> None:
    p = plan()
    with pytest.raises(IllegalTransition):
        p.consent("Li Lei", "CS Lin", NOW)


def test_consent_publishes_the_new_date_with_the_remedy() -> None:
    p = plan()
    p.timers.clear()
    p.propose("free express shipping", "Zhao")
    p.consent("Li Lei", "CS Lin", NOW)
    [changed] = p.events
    assert isinstance(changed, OrderDeliveryDateChanged)
    assert (changed.old_date, changed.new_date) == (date(2026, 11, 20), date(2026, 11, 27))
    assert changed.customer_consent and changed.remedy_plan == "free express shipping"
    assert p.timers == [CancelTimer(f"remedy:{p.plan_id}")]


def test_the_customers_name_is_kept_as_declared_and_the_recorder_is_the_signed_in_person() -> None:
    p = plan()
    p.propose("free express shipping", "Zhao")
    p.consent("Li Lei (purchasing)", "CS Lin", NOW)
    assert p.consented_by == "Li Lei (purchasing)"
    assert (p.answer_recorded_by, p.answer_recorded_at) == ("CS Lin", NOW)
    assert p.events[-1].consented_by == "Li Lei (purchasing)"  # type: ignore[attr-defined]


def test_a_later_delay_reopens_a_proposed_plan_for_new_consent_by_a_new_deadline() -> None:
    p = plan()
    p.propose("discount", "Zhao")
    p.timers.clear()
    later = NOW + timedelta(days=2)
    assert p.move_to(date(2026, 12, 4), "still late", 10, later)
    assert p.status == "open" and p.new_date == date(2026, 12, 4) and p.due_at == later
    [moved] = p.timers
    assert isinstance(moved, ScheduleTimer) and moved.due_at == later
    assert not p.move_to(date(2026, 12, 1), "earlier", 8, later)


def test_declined_plan_can_be_proposed_again() -> None:
    p = plan()
    p.propose("discount", "Zhao")
    p.decline("CS Lin", NOW)
    assert (p.status, p.answer_recorded_by) == ("declined", "CS Lin")
    p.propose("bigger discount", "Zhao")
    assert p.status == "proposed"


def test_a_cancelled_order_closes_its_plan_and_stops_the_deadline() -> None:
    p = plan()
    p.timers.clear()
    assert p.close_with_order(NOW)
    assert p.status == "cancelled" and p.timers == [CancelTimer(f"remedy:{p.plan_id}")]
    assert not p.close_with_order(NOW)


def ticket() -> ServiceTicket:
    return ServiceTicket.open(
        ticket_id=uuid4(),
        ticket_no="202611-S001",
        kind=ServiceTicketKind.REPAIR,
        customer_id="C-1",
        product_code="P-1",
        site_address={"recipient": "Li", "line1": "1 Road", "city": "Suzhou"},
        description="noise",
        opened_at=NOW,
    )


def test_work_record_reaches_the_customer_only_after_review() -> None:
    t = ticket()
    t.dispatch("Tech Wu", NOW, None)
    t.record_work(
        WorkRecord(summary="bearing replaced", hours=Decimal("2")),
        ServiceOutcome.REPAIRED,
        "Desk Ma",
    )
    assert t.recorded_by == "Desk Ma"
    assert not any(isinstance(e, ServiceTicketClosed) for e in t.events)
    t.review("CS Lin", approved=True, notes=None, now=NOW)
    assert t.status == "closed"
    assert isinstance(t.events[-1], ServiceTicketClosed) and t.events[-1].closed_by == "CS Lin"


def test_the_person_who_entered_the_work_record_does_not_review_it() -> None:
    """The technician's record is checked by customer service before the customer hears the
    result (policies/000 售后订单管理制度 三 3-4): a second person, not the one who entered it."""
    t = ticket()
    t.dispatch("Tech Wu", NOW, None)
    t.record_work(WorkRecord(summary="x", hours=Decimal("1")), ServiceOutcome.REPAIRED, "CS Lin")
    with pytest.raises(Forbidden):
        t.review("CS Lin", approved=True, notes=None, now=NOW)
    assert t.status == "work_recorded"


def test_rejected_review_sends_the_ticket_back_to_the_technician() -> None:
    t = ticket()
    t.dispatch("Tech Wu", NOW, None)
    t.record_work(
        WorkRecord(summary="?", hours=Decimal("1")), ServiceOutcome.NO_FAULT_FOUND, "Desk Ma"
    )
    t.review("CS Lin", approved=False, notes="check again", now=NOW)
    assert t.status == "dispatched"


def test_work_cannot_be_recorded_before_dispatch() -> None:
    with pytest.raises(IllegalTransition):
        ticket().record_work(
            WorkRecord(summary="x", hours=Decimal("1")), ServiceOutcome.REPAIRED, "Desk Ma"
        )


def part(urgency: SparePartUrgency) -> SparePartOrder:
    return SparePartOrder.order(
        part_order_id=uuid4(),
        part_code="SEAL-9",
        quantity=2,
        urgency=urgency,
        ordered_at=NOW,
        expected_arrival=date(2026, 11, 5),
        install_due_date=date(2026, 11, 12),
    )


def test_a_rush_part_is_due_for_installation_seven_days_after_it_arrives() -> None:
    p = part(SparePartUrgency.RUSH)
    assert isinstance(p.events[0], SparePartOrdered)
    arrived = NOW + timedelta(days=4)
    p.arrive(arrived, PARTS, CAL)
    assert p.install_due_at == arrived + timedelta(days=7)
    [due] = p.timers
    assert isinstance(due, ScheduleTimer) and due.due_at == arrived + timedelta(days=7)
    assert isinstance(due.message, ServiceTicketSlaBreached)
    assert due.message.subject_id == str(p.part_order_id)


def test_a_part_is_installed_only_after_it_arrived_and_that_stops_its_clock() -> None:
    p = part(SparePartUrgency.STOCK)
    with pytest.raises(IllegalTransition) as err:
        p.install(NOW)
    assert err.value.state == "ordered"
    p.arrive(NOW, PARTS, CAL)
    p.timers.clear()
    p.install(NOW + timedelta(days=3))
    assert p.status == "installed" and p.timers == [CancelTimer(p.install_key)]
    with pytest.raises(IllegalTransition):
        p.arrive(NOW, PARTS, CAL)
