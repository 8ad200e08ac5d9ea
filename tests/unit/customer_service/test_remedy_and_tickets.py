"""Remedy plans and service tickets without IO."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import uuid4

import pytest

from contracts.enums import ServiceOutcome, ServiceTicketKind
from contracts.events import OrderDeliveryDateChanged, ServiceTicketClosed
from contracts.events.customer_service import WorkRecord
from services.customer_service.domain.delays import RemedyPlan
from services.customer_service.domain.errors import IllegalTransition
from services.customer_service.domain.tickets import ServiceTicket

NOW = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)


def plan() -> RemedyPlan:
    return RemedyPlan(
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


def test_consent_needs_a_filled_in_plan() -> None:
    p = plan()
    with pytest.raises(IllegalTransition):
        p.consent("Wang", NOW)


def test_consent_publishes_the_new_date_with_the_remedy() -> None:
    p = plan()
    p.propose("free express shipping", "Zhao")
    p.consent("Wang", NOW)
    [changed] = p.events
    assert isinstance(changed, OrderDeliveryDateChanged)
    assert (changed.old_date, changed.new_date) == (date(2026, 11, 20), date(2026, 11, 27))
    assert changed.customer_consent and changed.remedy_plan == "free express shipping"


def test_a_later_delay_reopens_a_proposed_plan_for_new_consent() -> None:
    p = plan()
    p.propose("discount", "Zhao")
    assert p.move_to(date(2026, 12, 4), "still late", 10)
    assert p.status == "open" and p.new_date == date(2026, 12, 4)
    assert not p.move_to(date(2026, 12, 1), "earlier", 8)


def test_declined_plan_can_be_proposed_again() -> None:
    p = plan()
    p.propose("discount", "Zhao")
    p.decline()
    p.propose("bigger discount", "Zhao")
    assert p.status == "proposed"


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
        WorkRecord(summary="bearing replaced", hours=Decimal("2")), ServiceOutcome.REPAIRED
    )
    assert not any(isinstance(e, ServiceTicketClosed) for e in t.events)
    t.review("CS Lin", approved=True, notes=None, now=NOW)
    assert t.status == "closed"
    assert isinstance(t.events[-1], ServiceTicketClosed) and t.events[-1].closed_by == "CS Lin"


def test_rejected_review_sends_the_ticket_back_to_the_technician() -> None:
    t = ticket()
    t.dispatch("Tech Wu", NOW, None)
    t.record_work(WorkRecord(summary="?", hours=Decimal("1")), ServiceOutcome.NO_FAULT_FOUND)
    t.review("CS Lin", approved=False, notes="check again", now=NOW)
    assert t.status == "dispatched"


def test_work_cannot_be_recorded_before_dispatch() -> None:
    with pytest.raises(IllegalTransition):
        ticket().record_work(WorkRecord(summary="x", hours=Decimal("1")), ServiceOutcome.REPAIRED)
