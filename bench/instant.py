"""The outside world answering at once, for the benchmark: a class-A order placed, picked and
packed, carried (the logistics service's built-in carrier scans it straight through) and paid,
each step over the services' public HTTP APIs with no simulated pause in between, each made by
the cast member whose role it needs (signed in once, the token reused until it is near expiry).
The story's actors (``orderflow.simulate``) take the simulated hours a person would; here the
figures must be the services' own."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from contracts.roles import Role
from orderflow.simulate.polling import until
from orderflow.simulate.world import ADDRESS, PRODUCTS, World

DESK, STORE, DISPATCH = Role.SALES_DESK, Role.WAREHOUSE, Role.DISPATCHER
FINANCE, OPERATOR = Role.FINANCE, Role.OPERATOR


async def order(world: World, customer_id: str, quantities: dict[str, int]) -> dict[str, Any]:
    lines = [
        {"product_code": code, "spec": PRODUCTS[code][1], "quantity": qty}
        for code, qty in quantities.items()
    ]
    body = {
        "client_reference": f"bench-{uuid.uuid4().hex[:10]}",
        "channel": "web",
        "customer_id": customer_id,
        "contact": {"name": "Li Wei", "phone": "+86 574 1234"},
        "lines": lines,
        "requested_date": (world.today() + timedelta(days=40)).isoformat(),
        "delivery_address": ADDRESS,
    }
    return dict(await world.call("sales", "POST", "/orders", json=body, as_=DESK))


async def pick_and_pack(world: World, order_id: str, quantities: dict[str, int]) -> None:
    async def lists() -> list[dict[str, Any]]:
        found = await world.call("warehouse", "GET", "/pick-lists", as_=STORE)
        return [p for p in found if str(p["order_id"]) == order_id]

    async def has_lists() -> bool:
        return bool(await lists())

    await until(has_lists, within_s=60)
    for pick_list in await lists():
        await world.call(
            "warehouse",
            "POST",
            f"/pick-lists/{pick_list['pick_list_id']}/confirm",
            json={},
            as_=STORE,
        )
    contents = [
        {"line_no": i, "product_code": code, "quantity": qty}
        for i, (code, qty) in enumerate(quantities.items(), start=1)
    ]
    package = {
        "package_no": "1",
        "label": f"PKG-{order_id[:8]}-1",
        "weight_kg": "12.5",
        "dimensions": {"length_cm": "60", "width_cm": "40", "height_cm": "30"},
        "contents": contents,
    }
    await world.call(
        "warehouse",
        "POST",
        f"/orders/{order_id}/pack",
        json={"packages": [package]},
        as_=STORE,
    )


async def ship_and_deliver(world: World, order_id: str) -> dict[str, Any]:
    async def shipments() -> list[dict[str, Any]]:
        path = f"/orders/{order_id}/shipments"
        return list(await world.call("logistics", "GET", path, as_=DISPATCH))

    async def booked() -> bool:
        return bool(await shipments())

    await until(booked, within_s=60)
    shipment_id = (await shipments())[0]["id"]
    await world.call(
        "logistics", "POST", f"/shipments/{shipment_id}/collection", json={}, as_=DISPATCH
    )
    view: dict[str, Any] = {}
    for _ in range(10):
        view = await world.call(
            "logistics",
            "POST",
            f"/simulator/shipments/{shipment_id}/next-scan",
            json={"signed_by": "Li Wei"},
            as_=OPERATOR,
        )
        if view.get("status") == "delivered":
            path = f"/shipments/{shipment_id}"
            return dict(await world.call("logistics", "GET", path, as_=DISPATCH))
    raise AssertionError(f"shipment {shipment_id} never delivered: {view}")


async def pay_invoices(world: World, order_id: str) -> None:
    invoices = f"/orders/{order_id}/invoices"

    async def invoiced() -> bool:
        return bool(await world.call("sales", "GET", invoices, as_=FINANCE))

    await until(invoiced, within_s=60)
    for invoice in await world.call("sales", "GET", invoices, as_=FINANCE):
        if invoice["open_amount"] in ("0", "0.00"):
            continue
        await world.call(
            "sales",
            "POST",
            f"/orders/{order_id}/payments",
            json={
                "reference": f"bank-{invoice['invoice_no']}",
                "payment_kind": "invoice",
                "amount": invoice["open_amount"],
                "currency": invoice["currency"],
                "received_on": world.today().isoformat(),
                "invoice_no": invoice["invoice_no"],
            },
            as_=FINANCE,
        )
