"""The timeline fold: stages, dates, history; the same result in any arrival order."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from uuid import uuid4

from contracts.base import Message
from contracts.common import Address, Contact, OrderLine, PaymentTerms
from contracts.enums import Channel, CustomerClass, DelayCause, Initiator
from contracts.events import (
    GoodsDelivered,
    GoodsShipped,
    OrderCancelled,
    OrderConfirmed,
    OrderDeliveryDateChanged,
    OrderReceived,
    ProductionDelayed,
)
from services.customer_service.domain.timeline import Fact, Timeline

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=UTC)
ORDER = uuid4()
NO = "202611-001"
ADDRESS = Address(recipient="Li", line1="1 Road", city="Suzhou")
LINE = OrderLine(line_no=1, product_code="P", spec="S", quantity=2, unit_price=Decimal("10"))


def fact(msg: Message, hours: float) -> Fact:
    return Fact(
        uuid4(), type(msg).message_type, "test", T0 + timedelta(hours=hours), str(ORDER), msg
    )


def story() -> list[Fact]:
    return [
        fact(
            OrderReceived(
                order_id=ORDER,
                order_no=NO,
                customer_id="C-1",
                customer_class=CustomerClass.A,
                channel=Channel.WEB,
                contact=Contact(name="Li", email="li@example.com"),
                lines=[LINE],
                requested_date=date(2026, 11, 20),
                delivery_address=ADDRESS,
                payment_terms=PaymentTerms(code="NET30", net_days=30),
                total_amount=Decimal("20"),
                currency="CNY",
            ),
            0,
        ),
        fact(
            OrderConfirmed(
                order_id=ORDER,
                order_no=NO,
                customer_id="C-1",
                customer_class=CustomerClass.A,
                promised_date=date(2026, 11, 20),
                lines=[LINE],
                delivery_address=ADDRESS,
            ),
            5,
        ),
        fact(
            ProductionDelayed(
                order_id=ORDER,
                order_no=NO,
                old_date=date(2026, 11, 16),
                new_date=date(2026, 11, 18),
                cause=DelayCause.MATERIAL,
                reason="steel late",
            ),
            30,
        ),
        fact(
            GoodsShipped(
                shipment_id=uuid4(),
                order_id=ORDER,
                order_no=NO,
                carrier="SF",
                tracking_no="SF1",
                eta=date(2026, 11, 21),
                package_count=1,
                total_weight_kg=Decimal("5"),
                delivery_address=ADDRESS,
            ),
            300,
        ),
        fact(
            GoodsDelivered(
                shipment_id=uuid4(),
                order_id=ORDER,
                order_no=NO,
                carrier="SF",
                tracking_no="SF1",
                signed_by="Li",
                signed_at=T0 + timedelta(hours=400),
                proof_ref="POD-1",
            ),
            400,
        ),
    ]


def fold(facts: list[Fact]) -> Timeline:
    t = Timeline(key=str(ORDER))
    for f in facts:
        t.apply(f)
    return t


def test_stage_promised_and_expected_dates_follow_the_story() -> None:
    facts = story()
    t = fold(facts[:3])
    assert t.stage == "confirmed"
    assert t.promised_date == date(2026, 11, 20)
    assert t.expected_date == date(2026, 11, 22)  # two days of production slip
    assert t.contact["email"] == "li@example.com"
    t = fold(facts)
    assert t.stage == "delivered"
    assert t.eta == date(2026, 11, 21) and t.tracking_no == "SF1"
    assert t.is_late(date(2026, 11, 30)) is False  # delivered 18 Nov, before the promise


def test_any_arrival_order_gives_the_same_timeline() -> None:
    facts = story()
    expected = fold(facts)
    rng = random.Random(7)
    for _ in range(30):
        shuffled = facts[:]
        rng.shuffle(shuffled)
        assert fold(shuffled) == expected


def test_an_old_event_arriving_late_does_not_move_the_stage_back() -> None:
    facts = story()
    t = fold([facts[3], facts[1]])
    assert t.stage == "shipped"


def test_the_latest_date_change_wins_whatever_the_order() -> None:
    changes = [
        fact(
            OrderDeliveryDateChanged(
                order_id=ORDER,
                order_no=NO,
                old_date=date(2026, 11, 20),
                new_date=new,
                reason="delay",
                customer_consent=True,
            ),
            hours,
        )
        for new, hours in ((date(2026, 11, 25), 10), (date(2026, 11, 27), 20))
    ]
    for order in itertools.permutations(changes):
        assert fold(list(order)).promised_date == date(2026, 11, 27)


def test_cancellation_ends_the_order_and_it_is_neither_late_nor_at_risk() -> None:
    facts = [
        *story()[:2],
        fact(OrderCancelled(order_id=ORDER, initiated_by=Initiator.CUSTOMER, reason="no"), 50),
    ]
    t = fold(facts)
    assert t.stage == "cancelled"
    assert not t.is_late(date(2027, 1, 1)) and not t.is_at_risk(date(2026, 11, 19), 2)


def test_late_and_at_risk() -> None:
    t = fold(story()[:2])
    assert t.is_at_risk(date(2026, 11, 18), 2) and not t.is_late(date(2026, 11, 18))
    assert not t.is_at_risk(date(2026, 11, 10), 2)
    assert t.is_late(date(2026, 11, 21))


def test_history_says_who_did_what_and_when() -> None:
    facts = story()
    entry = Timeline(key=str(ORDER)).apply(facts[4])
    assert entry.who == "test: Li"
    assert entry.what == "Delivered, signed by Li"
    assert entry.occurred_at == facts[4].occurred_at
