"""Master data under control: a customer's class, credit limit, deposit rule and currency change
only when a second master-data person approves; the rest of the record changes at once."""

from __future__ import annotations

import uuid
from dataclasses import replace
from decimal import Decimal

import pytest

from contracts.enums import CustomerClass
from contracts.status.sales import CustomerChangeStatus
from services.sales.domain.customer import CustomerChange, Trust, put_customer
from services.sales.domain.errors import FourEyes, IllegalTransition
from tests.unit.sales.conftest import NOW, customer


def _change(before, after, by="Ma") -> CustomerChange:
    return CustomerChange(uuid.uuid4(), "C1", before.trust, after.trust, by, NOW)


def test_a_regrade_from_c_to_a_waits_for_a_second_person():
    """DESIGN, Identity and authority: master data for customer class, credit and deposit rule,
    with a second person for them. 003: class A is released before signature, so a re-grade
    is a decision of trust."""
    c = customer("C", deposit="30", credit="50000")
    asked = customer("A", deposit="30", credit="50000")
    current, wanted = put_customer(c, asked)
    assert current.customer_class == CustomerClass.C, "nothing changes before approval"
    assert wanted is not None and wanted.customer_class == CustomerClass.A
    change = _change(current, asked, by="Ma")
    with pytest.raises(FourEyes):
        change.approve("Ma", NOW)
    assert change.status == CustomerChangeStatus.PENDING
    assert change.approve("Niu", NOW)
    regraded = change.applied_to(current)
    assert regraded.customer_class == CustomerClass.A
    assert (change.decided_by, change.status) == ("Niu", CustomerChangeStatus.APPROVED)
    assert not change.approve("Niu", NOW), "the same approval again changes nothing"
    with pytest.raises(IllegalTransition):
        change.approve("Ou", NOW)


def test_credit_limit_deposit_rule_and_currency_are_held_too():
    c = customer("B", deposit="30", credit="50000")
    for asked in (
        customer("B", deposit="30", credit="900000"),
        customer("B", deposit="0", credit="50000"),
        c.trusted(Trust(CustomerClass.B, Decimal("50000"), Decimal("30"), "USD")),
    ):
        current, wanted = put_customer(c, asked)
        assert current.trust.same_as(c.trust)
        assert wanted is not None and wanted.same_as(asked.trust)


def test_name_and_other_terms_change_at_once():
    c = customer("B", deposit="30")
    terms = c.payment_terms.model_copy(update={"net_days": 45, "code": "NET45"})
    asked = replace(c, name="Acme Ningbo", payment_terms=terms)
    current, wanted = put_customer(c, asked)
    assert wanted is None
    assert (current.name, current.payment_terms.net_days) == ("Acme Ningbo", 45)


def test_a_new_customer_stands_guarded_until_approved():
    """A new record is a first grant of trust: class C without credit until a second person
    approves the class and credit asked for (003: B and C wait for signature and deposit)."""
    asked = customer("A", deposit="10", credit="2000000")
    current, wanted = put_customer(None, asked)
    assert (current.customer_class, current.credit_limit) == (CustomerClass.C, Decimal(0))
    assert current.payment_terms.deposit_percent == Decimal("10")
    assert wanted is not None and wanted.same_as(asked.trust)
    plain = customer("C", credit="0")
    assert put_customer(None, plain)[1] is None, "asking for the guarded values needs nobody"


def test_a_change_meets_the_customer_it_was_asked_for():
    c = customer("C")
    change = _change(c, customer("A"))
    change.approve("Niu", NOW)
    moved = customer("B")
    with pytest.raises(IllegalTransition):
        change.applied_to(moved)


def test_a_change_can_be_turned_down_or_withdrawn():
    c = customer("C")
    change = _change(c, customer("A"), by="Ma")
    change.reject("Ma", NOW, "asked by mistake")
    assert change.status == CustomerChangeStatus.REJECTED
    with pytest.raises(IllegalTransition):
        change.approve("Niu", NOW)
