"""Customers after delivery and the after-sales desk: complaints in every category, assigned
and resolved (returns and exchanges picked up and inspected, repairs by a technician,
discounts, explanations), and satisfaction surveys answered, or not. An exchange ends in a free
replacement order from sales, which the story then lives like any other order.

The after-sales desk (``after_sales``) takes complaints, surveys answered on the phone and
service tickets; its supervisor (``after_sales_manager``) assigns complaints, approves the
money a discount gives back and reviews the technicians' work records. The technician is named
as the one sent, not as who is signed in; the customer's signature on a work record is what the
paper says."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate import carrier, warehouse_staff
from orderflow.simulate.plan import OrderPlan
from orderflow.simulate.polling import until
from orderflow.simulate.world import ADDRESS, World

HOUR = timedelta(hours=1)
DESK = Role.AFTER_SALES
LEAD = Role.AFTER_SALES_MANAGER


async def answer_survey(world: World, trigger: str, subject: str, score: int | None) -> bool:
    """Answer the survey that followed ``trigger``; False when the customer never does."""
    if score is None:
        return False

    async def sent() -> bool:
        path = "/surveys"
        params = {"trigger": trigger, "subject": subject}
        status = await world.status_of("customer_service", "GET", path, params=params, as_=DESK)
        return status == 200

    await until(sent, within_s=world.within(timedelta(days=1)), every_s=0.5, what="survey sent")
    survey = await world.call(
        "customer_service",
        "GET",
        "/surveys",
        params={"trigger": trigger, "subject": subject},
        as_=DESK,
    )
    await world.pause(timedelta(days=1))
    await world.call(
        "customer_service",
        "POST",
        f"/surveys/{survey['survey_id']}/answer",
        json={"score": score, "recommend_score": min(10, score * 2), "comment": "simulated"},
        as_=DESK,
    )
    return True


async def complain(world: World, plan: OrderPlan, order: dict[str, Any]) -> dict[str, Any]:
    """Open, assign and resolve a complaint about a delivered order; returns the complaint."""
    assert plan.complaint is not None
    await world.pause(timedelta(days=2))
    complaint = await world.call(
        "customer_service",
        "POST",
        "/complaints",
        json={
            "customer_id": order["customer_id"],
            "channel": plan.channel if plan.channel != "edi" else "email",
            "category": plan.complaint,
            "description": f"{plan.complaint} problem with the delivery",
            "order_id": order["order_id"],
            "order_no": order["order_no"],
            "expected_outcome": plan.remedy,
            "client_reference": f"cmp-{order['order_id']}",
        },
        as_=DESK,
    )
    complaint_id = complaint["complaint_id"]
    # assignment is due within 2 hours; the desk is slower for every third complaint
    await world.pause(3 * HOUR if plan.index % 3 == 0 else HOUR)
    await world.call(
        "customer_service", "POST", f"/complaints/{complaint_id}/assign", json={}, as_=LEAD
    )
    await world.pause(timedelta(days=2))
    lines = [
        {"line_no": ln["line_no"], "product_code": ln["product_code"], "quantity": 1}
        for ln in order["lines"][:1]
    ]
    resolve: dict[str, Any] = {"resolution": plan.remedy, "summary": "agreed with the customer"}
    if plan.remedy in ("return", "exchange"):
        resolve |= {"return_lines": lines, "pickup_address": ADDRESS}
    if plan.remedy == "discount":
        resolve |= {"discount_amount": "50.00", "currency": "CNY"}
    settled = await world.call(
        "customer_service", "POST", f"/complaints/{complaint_id}/resolve", json=resolve, as_=DESK
    )
    if settled["status"] == "awaiting_approval":
        # the desk grants no money alone: its supervisor approves the allowance (003)
        await world.pause(2 * HOUR)
        await world.call(
            "customer_service", "POST", f"/complaints/{complaint_id}/allowance/approve", as_=LEAD
        )
    if plan.remedy in ("return", "exchange"):
        await _return_goods(world, order, lines)
    if plan.remedy == "repair":
        await _repair(world, order, complaint)
    return dict(
        await world.call("customer_service", "GET", f"/complaints/{complaint_id}", as_=DESK)
    )


async def _return_goods(world: World, order: dict[str, Any], lines: list[dict[str, Any]]) -> None:
    pickup = await carrier.wait_shipment(world, order["order_id"], kind="return_pickup")
    await carrier.carry(world, str(pickup["id"]), transit_days=1, signer="Goods In")
    await warehouse_staff.inspect_return(world, str(pickup["return_id"]), lines)


async def replacement_order(world: World, order: dict[str, Any]) -> dict[str, Any]:
    """The free replacement sales opens once the returned goods of an exchange are inspected."""
    found: list[dict[str, Any]] = []

    async def opened() -> bool:
        orders = await world.call(
            "sales",
            "GET",
            "/orders",
            params={"customer_id": order["customer_id"], "limit": 500},
            as_=DESK,
        )
        found[:] = [o for o in orders if o.get("original_order_id") == str(order["order_id"])]
        return bool(found)

    await until(opened, within_s=world.within(), every_s=0.5, what="replacement order opened")
    return found[0]


async def _repair(world: World, order: dict[str, Any], complaint: dict[str, Any]) -> None:
    ticket = await world.call(
        "customer_service",
        "POST",
        "/service-tickets",
        json={
            "kind": "repair",
            "customer_id": order["customer_id"],
            "product_code": order["lines"][0]["product_code"],
            "site_address": ADDRESS,
            "description": "repair on site after complaint",
            "complaint_id": complaint["complaint_id"],
            "order_id": order["order_id"],
            "serial_no": f"SN-{uuid.uuid4().hex[:6]}",
        },
        as_=DESK,
    )
    path = f"/service-tickets/{ticket['ticket_id']}"
    await world.pause(4 * HOUR)
    visit = (world.now() + timedelta(days=1)).isoformat()
    await world.call(
        "customer_service",
        "POST",
        f"{path}/dispatch",
        json={"technician": "Tech Chen", "scheduled_for": visit},
        as_=DESK,
    )
    await world.pause(timedelta(days=1, hours=3))
    record = {"summary": "replaced worn part", "hours": "2.5", "customer_signed_by": "Li Wei"}
    await world.call(
        "customer_service",
        "POST",
        f"{path}/work-record",
        json={"outcome": "repaired", "record": record},
        as_=DESK,
    )
    await world.call(
        "customer_service", "POST", f"{path}/review", json={"approved": True}, as_=LEAD
    )
