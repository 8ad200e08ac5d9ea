"""The customer and the sales desk: orders over every channel (EDI through the sales command
queue), missing details supplied after the desk calls, signatures late or never, deposits,
amendments, cancellations and invoice payments, some late."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from contracts.commands.sales import SubmitOrder
from contracts.roles import Role
from orderflow.simulate.plan import OrderPlan
from orderflow.simulate.polling import until
from orderflow.simulate.world import ADDRESS, NEW_ADDRESS, PRODUCTS, World

HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
CONTACT = {"name": "Li Wei", "phone": "+86 574 1234"}
DESK = Role.SALES_DESK
FINANCE = Role.FINANCE
CLERKS = ("desk.li", "desk.chen")  # phone, fax, email and web orders are keyed in by turns


def order_body(plan: OrderPlan, customer_id: str, today: date) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_reference": f"ref-{plan.index}-{uuid.uuid4().hex[:10]}",
        "channel": plan.channel,
        "customer_id": customer_id,
        "contact": CONTACT,
        "lines": [
            {"product_code": code, "spec": PRODUCTS[code][1], "quantity": qty}
            for code, qty in plan.quantities.items()
        ],
        "rush": plan.rush,
    }
    if not plan.incomplete:
        body["requested_date"] = (today + timedelta(days=40)).isoformat()
        body["delivery_address"] = ADDRESS
    return body


async def place_order(world: World, plan: OrderPlan, customer_id: str) -> dict[str, Any]:
    """Phone, fax and email orders are keyed in by the desk, web orders come from the shop:
    all over HTTP. EDI orders arrive as commands on the sales queue."""
    body = order_body(plan, customer_id, world.today())
    if plan.channel != "edi":
        clerk = CLERKS[plan.index % len(CLERKS)]
        return dict(await world.call("sales", "POST", "/orders", json=body, as_=clerk))
    command = SubmitOrder.model_validate(body)
    await world.send_command(command, body["client_reference"], producer="edi-gateway")
    found: list[dict[str, Any]] = []

    async def arrived() -> bool:
        orders = await world.call(
            "sales",
            "GET",
            "/orders",
            params={"customer_id": customer_id, "limit": 500},
            as_=DESK,
        )
        found[:] = [o for o in orders if o["client_reference"] == body["client_reference"]]
        return bool(found)

    await until(
        arrived, within_s=world.within(timedelta(hours=12)), every_s=0.5, what="EDI order numbered"
    )
    return found[0]


async def supply_missing_info(world: World, order_id: str) -> None:
    """The desk calls the customer (within the business day), who supplies what was missing."""
    await world.wait_status(order_id, "pending_info")
    await world.pause(2 * HOUR)
    await world.call("sales", "POST", f"/orders/{order_id}/customer-contacted", as_=DESK)
    await world.pause(3 * HOUR)
    await world.call(
        "sales",
        "POST",
        f"/orders/{order_id}/info",
        json={
            "requested_date": (world.today() + timedelta(days=40)).isoformat(),
            "delivery_address": ADDRESS,
        },
        as_=DESK,
    )


async def sign(world: World, order_id: str, after_days: int) -> None:
    """Signs on the ``after_days``-th business day after the letter (weekends and holidays do
    not count, as the signature deadline counts them): within the 2 business days allowed up to
    2, late from 3 on; the same day, an hour after the letter came. The desk records the signed
    letter as it comes back: who signed it for the customer is on the letter, when is the
    server's time."""
    if after_days == 0:
        await world.pause(HOUR)
    else:
        await world.sleep_until(world.business_days_later(after_days, -HOUR))
    await world.call("sales", "POST", f"/orders/{order_id}/signature", json={}, as_=DESK)


async def pay_deposit(world: World, order_id: str, after_days: int) -> None:
    """The bank transfer arrives ``after_days`` business days later. The customer's clerk
    calls the desk about it, and the desk may not record it: only finance confirms that money
    arrived (003), and the desk's attempt is refused."""
    await world.sleep_until(world.business_days_later(after_days, 2 * HOUR))
    order = await world.order_view(order_id, FINANCE)
    deposit = order["deposit_required"]
    payment = {
        "reference": f"dep-{order_id[:8]}",
        "payment_kind": "deposit",
        "amount": deposit,
        "currency": order.get("currency") or "CNY",
        "received_on": world.today().isoformat(),
    }
    path = f"/orders/{order_id}/payments"
    await world.refused("sales", "POST", path, json=payment, as_=DESK)
    await world.call("sales", "POST", path, json=payment, as_=FINANCE)
    # finance invoices money received ahead of the goods (due within 3 business days)
    await world.pause(2 * HOUR)
    await world.call(
        "sales",
        "POST",
        f"/orders/{order_id}/invoices",
        json={"amount": deposit, "reference": f"dep-inv-{order_id[:8]}"},
        as_=FINANCE,
    )


async def top_up_deposit(world: World, order_id: str) -> None:
    """An amendment raised the total: the customer pays the rest of the larger deposit, and
    finance invoices it."""
    await world.pause(4 * HOUR)
    order = await world.order_view(order_id, FINANCE)
    rest = Decimal(order["deposit_required"]) - Decimal(order["deposit_paid"])
    await world.call(
        "sales",
        "POST",
        f"/orders/{order_id}/payments",
        json={
            "reference": f"dep-{order_id[:8]}-{order['amendment_count']}",
            "payment_kind": "deposit",
            "amount": str(rest),
            "currency": order.get("currency") or "CNY",
            "received_on": world.today().isoformat(),
        },
        as_=FINANCE,
    )
    await world.pause(2 * HOUR)
    await world.call(
        "sales",
        "POST",
        f"/orders/{order_id}/invoices",
        json={
            "amount": str(rest),
            "reference": f"dep-inv-{order_id[:8]}-{order['amendment_count']}",
        },
        as_=FINANCE,
    )


async def amend(world: World, order_id: str, what: str) -> None:
    """A later date, another delivery address, or more (or fewer) of the first line."""
    change: dict[str, Any] = {"reference": f"chg-{order_id[:8]}", "reason": "customer asked"}
    order = await world.order_view(order_id)
    if what == "date":
        requested = date.fromisoformat(order["requested_date"])
        change["requested_date"] = (requested + timedelta(days=7)).isoformat()
    elif what == "quantity":
        # more of what the shelf holds plenty of; of what is being made, more (production
        # makes the extra) or fewer, by the line's quantity being even or odd
        lines = order["lines"]
        plenty = next((ln for ln in lines if ln["product_code"] == "P-100"), None)
        line = plenty or max(lines, key=lambda ln: ln["quantity"])
        if plenty or line["quantity"] % 2 == 0:
            quantity = line["quantity"] + (3 if plenty else 2)
        else:
            quantity = line["quantity"] - 1
        if quantity < 1:  # a single piece: the customer moves the date instead
            return await amend(world, order_id, "date")
        change["lines"] = [{"line_no": line["line_no"], "quantity": quantity}]
    else:
        change["delivery_address"] = NEW_ADDRESS
    await world.call("sales", "POST", f"/orders/{order_id}/amendments", json=change, as_=DESK)


async def cancel(world: World, order_id: str, reason: str, by_customer: bool = True) -> None:
    await world.call(
        "sales",
        "POST",
        f"/orders/{order_id}/cancel",
        json={"reason": reason, "initiated_by": "customer" if by_customer else "company"},
        as_=DESK,
    )


async def pay_invoices(world: World, order_id: str, late_by_days: int = 0) -> None:
    """On time: a couple of days after the invoice. Late: that many days after its due date."""

    invoices = f"/orders/{order_id}/invoices"

    async def invoiced() -> bool:
        return bool(await world.call("sales", "GET", invoices, as_=FINANCE))

    await until(
        invoiced, within_s=world.within(timedelta(days=1)), every_s=0.5, what="invoice issued"
    )
    for invoice in await world.call("sales", "GET", invoices, as_=FINANCE):
        if invoice["open_amount"] in ("0", "0.00"):
            continue
        if late_by_days:
            due = date.fromisoformat(invoice["due_date"])
            await world.pause(max(timedelta(0), (due - world.today()) + late_by_days * DAY))
        else:
            await world.pause(2 * DAY)
        current = next(
            i
            for i in await world.call("sales", "GET", invoices, as_=FINANCE)
            if i["invoice_no"] == invoice["invoice_no"]
        )
        if current["open_amount"] in ("0", "0.00"):
            continue
        await world.call(
            "sales",
            "POST",
            f"/orders/{order_id}/payments",
            json={
                "reference": f"bank-{current['invoice_no']}",
                "payment_kind": "invoice",
                "amount": current["open_amount"],
                "currency": current["currency"],
                "received_on": world.today().isoformat(),
                "invoice_no": current["invoice_no"],
            },
            as_=FINANCE,
        )
