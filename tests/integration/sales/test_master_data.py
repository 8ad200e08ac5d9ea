"""Master data under control: customers' trust changed by two master-data people, list prices
and exchange rates only by master data."""

from __future__ import annotations

import uuid

from contracts.enums import ReviewDepartment as D
from contracts.roles import Role
from tests.identity import ISSUER
from tests.integration.sales.conftest import Sales
from tests.integration.sales.helpers import (
    MASTER_DATA,
    MASTER_DATA_2,
    order_body,
    review,
    seed,
    status_becomes,
    submit,
)

TERMS = {"code": "NET30", "net_days": 30, "deposit_percent": "30"}


def _customer(customer_id: str, klass: str, credit: str = "500000", **over: object) -> dict:
    return {
        "customer_id": customer_id,
        "name": "Hangzhou Tools",
        "customer_class": klass,
        "credit_limit": credit,
        "payment_terms": TERMS,
        **over,
    }


async def _get(sales: Sales, customer_id: str) -> dict:
    r = await sales.client.get(f"/customers/{customer_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_a_regrade_from_c_to_a_waits_for_a_second_master_data_person(sales):
    """DESIGN, Identity and authority: master data for customer class, credit and deposit rule,
    with a second person for them. Class A is released before the signature (003 客户订单下单
    流程: A类客户 ... 可直接下达生产指令单), so until the second person approves, an order of the
    customer still waits for its signature."""
    customer_id = await seed(sales, "C", deposit="30", credit="500000")
    r = await sales.client.post("/customers", json=_customer(customer_id, "A"), headers=MASTER_DATA)
    assert r.status_code == 200, r.text
    seen = await _get(sales, customer_id)
    assert seen["customer_class"] == "C", "nothing changed yet"
    pending = seen["pending_change"]
    assert (pending["before"]["customer_class"], pending["after"]["customer_class"]) == ("C", "A")
    assert (pending["requested_by"], pending["status"]) == ("Ma", "pending")

    order = await submit(sales, order_body(customer_id))
    await review(sales, order, D.WAREHOUSE)
    await review(sales, order, D.PRODUCTION)
    await status_becomes(sales, order["order_id"], "awaiting_signature")

    approve = f"/customer-changes/{pending['change_id']}/approve"
    own = await sales.client.post(approve, headers=MASTER_DATA)
    assert own.status_code == 403
    assert "four eyes" in own.json()["detail"]
    assert (await _get(sales, customer_id))["customer_class"] == "C"
    r = await sales.client.post(approve, headers=MASTER_DATA_2)
    assert r.status_code == 200, r.text
    now = await _get(sales, customer_id)
    assert (now["customer_class"], now["pending_change"]) == ("A", None)
    changes = await sales.client.get(
        "/customer-changes", params={"customer_id": customer_id}, headers=MASTER_DATA
    )
    [done] = [c for c in changes.json() if c["change_id"] == pending["change_id"]]
    assert (done["status"], done["decided_by"]) == ("approved", "Niu")


async def test_a_new_customer_stands_guarded_until_its_trust_is_approved(sales):
    """A new record grants trust for the first time: class C without credit until a second
    master-data person approves the class and credit asked for."""
    customer_id = f"C-new-{uuid.uuid4().hex[:6]}"
    r = await sales.client.post(
        "/customers", json=_customer(customer_id, "A", "2000000"), headers=MASTER_DATA
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["customer_class"], created["credit_limit"]) == ("C", "0.00")
    assert created["payment_terms"]["deposit_percent"] == "30"
    assert created["pending_change"]["after"]["credit_limit"] == "2000000.00"
    r = await sales.client.post(
        f"/customer-changes/{created['pending_change']['change_id']}/approve",
        headers=MASTER_DATA_2,
    )
    assert (r.json()["customer_class"], r.json()["credit_limit"]) == ("A", "2000000.00")


async def test_name_and_terms_change_at_once_trust_waits_one_change_at_a_time(sales):
    customer_id = await seed(sales, "B", deposit="30", credit="500000")
    longer = {**TERMS, "net_days": 45, "code": "NET45"}
    r = await sales.client.post(
        "/customers",
        json=_customer(customer_id, "B", name="Hangzhou Tools Ltd", payment_terms=longer),
        headers=MASTER_DATA,
    )
    assert r.json()["name"] == "Hangzhou Tools Ltd"
    assert r.json()["payment_terms"]["net_days"] == 45
    assert r.json()["pending_change"] is None
    raise_credit = _customer(customer_id, "B", "900000", payment_terms=longer)
    first = await sales.client.post("/customers", json=raise_credit, headers=MASTER_DATA)
    change_id = first.json()["pending_change"]["change_id"]
    again = await sales.client.post("/customers", json=raise_credit, headers=MASTER_DATA)
    assert again.json()["pending_change"]["change_id"] == change_id, "the same ask again"
    other = _customer(customer_id, "A", "900000", payment_terms=longer)
    r = await sales.client.post("/customers", json=other, headers=MASTER_DATA_2)
    assert (r.status_code, r.json()["state"]) == (409, "change_pending")
    r = await sales.client.post(
        f"/customer-changes/{change_id}/reject",
        json={"reason": "no credit review yet"},
        headers=MASTER_DATA_2,
    )
    assert (r.json()["status"], r.json()["decided_by"]) == ("rejected", "Niu")
    now = await _get(sales, customer_id)
    assert (now["credit_limit"], now["pending_change"]) == ("500000.00", None)


async def test_only_master_data_changes_customers_and_prices(sales):
    customer_id = await seed(sales, "C")
    for someone in (None, ISSUER.headers("Zhou", Role.SALES_MANAGER)):
        r = await sales.client.post("/customers", json=_customer(customer_id, "A"), headers=someone)
        assert (r.status_code, r.json()["roles"]) == (403, ["master_data"])
    r = await sales.client.post(
        "/price-list", json={"product_code": "P-100", "unit_price": "1.00"}, headers=someone
    )
    assert r.status_code == 403
    assert {p["unit_price"] for p in (await sales.client.get("/price-list")).json()} == {
        "100.00",
        "250.00",
    }


async def test_master_data_keeps_the_exchange_rates(sales):
    r = await sales.client.put("/exchange-rates/EUR", json={"rate": "7.8"})
    assert (r.status_code, r.json()["roles"]) == (403, ["master_data"])
    r = await sales.client.put("/exchange-rates/CNY", json={"rate": "1"}, headers=MASTER_DATA)
    assert (r.status_code, r.json()["field"]) == (422, "currency")
    r = await sales.client.put("/exchange-rates/EUR", json={"rate": "0"}, headers=MASTER_DATA)
    assert r.status_code == 422
    r = await sales.client.post(
        "/price-list",
        json={"product_code": "P-900", "unit_price": "12.00", "currency": "EUR"},
        headers=MASTER_DATA,
    )
    assert (r.status_code, r.json()["field"]) == (422, "currency")
    r = await sales.client.put("/exchange-rates/EUR", json={"rate": "7.8"}, headers=MASTER_DATA)
    assert r.status_code == 200, r.text
    rates = (await sales.client.get("/exchange-rates")).json()
    assert [(x["currency"], x["rate"], x["base_currency"], x["updated_by"]) for x in rates] == [
        ("EUR", "7.80000000", "CNY", "Ma")
    ]
    r = await sales.client.post(
        "/price-list",
        json={"product_code": "P-900", "unit_price": "12.00", "currency": "EUR"},
        headers=MASTER_DATA,
    )
    assert r.status_code == 201, r.text
