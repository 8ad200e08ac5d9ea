"""Seeding and order payloads for the sales integration tests."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from contracts.enums import ReviewDepartment, ReviewVerdict
from contracts.events.sales import OrderReviewed
from contracts.roles import Role
from services.sales.domain.approval import APPROVER_ROLES
from tests.harness import send
from tests.identity import ISSUER
from tests.integration.sales.conftest import Sales

# The people of these tests (the client itself is Li at the sales desk).
MASTER_DATA = ISSUER.headers("Ma", Role.MASTER_DATA)
MASTER_DATA_2 = ISSUER.headers("Niu", Role.MASTER_DATA)
FINANCE = ISSUER.headers("Qian", Role.FINANCE)
APPROVER = ISSUER.headers("Sun", *APPROVER_ROLES)  # covers every rule of the matrix

ADDRESS = {"recipient": "Goods In", "line1": "1 Harbour Rd", "city": "Ningbo", "country": "CN"}


async def seed(
    s: Sales, klass: str = "B", deposit: str | None = None, credit: str = "1000000"
) -> str:
    customer_id = f"C-{klass}-{uuid.uuid4().hex[:6]}"
    terms: dict[str, Any] = {"code": "NET30", "net_days": 30, "late_fee_percent": "2"}
    if deposit:
        terms["deposit_percent"] = deposit
    r = await s.client.post(
        "/customers",
        json={
            "customer_id": customer_id,
            "name": f"Customer {klass}",
            "customer_class": klass,
            "credit_limit": credit,
            "payment_terms": terms,
        },
        headers=MASTER_DATA,
    )
    assert r.status_code == 201, r.text
    pending = r.json()["pending_change"]
    if pending is not None:  # a new customer's class and credit: a second person approves
        path = f"/customer-changes/{pending['change_id']}/approve"
        r = await s.client.post(path, headers=MASTER_DATA_2)
        assert r.status_code == 200, r.text
    for code, price in (("P-100", "100.00"), ("P-200", "250.00")):
        r = await s.client.post(
            "/price-list", json={"product_code": code, "unit_price": price}, headers=MASTER_DATA
        )
        assert r.status_code == 201, r.text
    return customer_id


def order_body(customer_id: str, **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_reference": f"ref-{uuid.uuid4().hex[:10]}",
        "channel": "web",
        "customer_id": customer_id,
        "contact": {"name": "Li Wei", "phone": "+86 574 1234"},
        "lines": [
            {"product_code": "P-100", "spec": "steel, 40 mm, zinc plated", "quantity": 10},
            {"product_code": "P-200", "spec": "aluminium frame, 2 m", "quantity": 2},
        ],
        "requested_date": "2026-12-20",
        "delivery_address": ADDRESS,
    }
    body.update(over)
    return body


async def submit(s: Sales, body: dict[str, Any]) -> dict[str, Any]:
    r = await s.client.post("/orders", json=body)
    assert r.status_code in (200, 201), r.text
    return dict(r.json())


async def review(
    s: Sales,
    order: dict[str, Any],
    department: ReviewDepartment,
    verdict: ReviewVerdict = ReviewVerdict.APPROVE,
    earliest: date | None = None,
    notes: str | None = None,
    review_round: int | None = None,
) -> None:
    event = OrderReviewed(
        order_id=uuid.UUID(order["order_id"]),
        order_no=order["order_no"],
        department=department,
        verdict=verdict,
        earliest_date=earliest,
        notes=notes,
        review_round=review_round,
    )
    await send(
        s.channel,
        s.runtime.settings.namespace,
        event,
        correlation_id=order["order_id"],
        producer=department.value,
    )


async def get(s: Sales, order_id: str) -> dict[str, Any]:
    r = await s.client.get(f"/orders/{order_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def status_becomes(s: Sales, order_id: str, status: str) -> dict[str, Any]:
    from tests.harness import eventually

    async def check() -> bool:
        return (await get(s, order_id))["status"] == status

    await eventually(check, timeout=10)
    return await get(s, order_id)
