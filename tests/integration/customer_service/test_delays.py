"""Delays: tell the customer; over 3 business days a remedy plan, consent, new date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import aio_pika
import httpx

from contracts.events import OrderDeliveryDateChanged, OrderSlaBreached
from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime
from shared.clock import FixedClock
from tests.harness import EventSpy, eventually, send
from tests.integration.customer_service.conftest import signed_in
from tests.integration.customer_service.factories import Order


async def _confirmed(cs_channel: Any, namespace: str, api: httpx.AsyncClient, order: Order) -> None:
    await send(cs_channel, namespace, order.received(), correlation_id=order.key)
    await send(cs_channel, namespace, order.confirmed(), correlation_id=order.key)

    async def confirmed() -> bool:
        r = await api.get(f"/timelines/{order.key}")
        return r.status_code == 200 and r.json()["promised_date"] == order.promised.isoformat()

    await eventually(confirmed, timeout=20)


async def _plans(api: httpx.AsyncClient, order: Order) -> list[dict[str, Any]]:
    return (await api.get("/remedy-plans", params={"order_id": order.key})).json()


async def test_delay_over_three_business_days_needs_a_plan_and_consent_then_the_date_moves(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    # Promised Friday 4 Dec 2026; production slips from Mon 30 Nov to Mon 7 Dec = 5 business days.
    order = Order(promised=date(2026, 12, 4))
    await _confirmed(cs_channel, namespace, api, order)
    await send(
        cs_channel,
        namespace,
        order.delayed(date(2026, 11, 30), date(2026, 12, 7)),
        correlation_id=order.key,
        producer="production",
    )

    async def plan_opened() -> bool:
        return len(await _plans(api, order)) == 1

    await eventually(plan_opened, timeout=20)
    [plan] = await _plans(api, order)
    assert plan["status"] == "open" and plan["slip_business_days"] == 5
    assert plan["old_date"] == "2026-12-04"
    assert plan["new_date"] == "2026-12-11"  # five business days after the promise
    notices = (await api.get("/notices", params={"subject_id": order.key})).json()
    assert "delayed:2026-12-11" in [n["moment"] for n in notices]

    consent = {"consented": True, "customer_name": "Li Lei"}
    early = await api.post(f"/remedy-plans/{plan['plan_id']}/consent", json=consent)
    assert early.status_code == 409 and early.json()["state"] == "open"
    proposed = await api.post(
        f"/remedy-plans/{plan['plan_id']}/plan", json={"remedy": "free express freight"}
    )
    assert proposed.json()["status"] == "proposed"
    assert proposed.json()["filled_by"] == "Lin"
    # Sales agrees the new date with the customer as well (000 第十三条); the name the customer
    # gave is kept as declared, who recorded the answer and when are the token's and the clock's.
    agreed = await api.post(
        f"/remedy-plans/{plan['plan_id']}/consent",
        json=consent,
        headers=signed_in("Zhang", Role.SALES_DESK),
    )
    assert agreed.json()["status"] == "consented"
    assert agreed.json()["consented_by"] == "Li Lei"
    assert agreed.json()["answer_recorded_by"] == "Zhang"
    recorded_at = datetime.fromisoformat(agreed.json()["answer_recorded_at"])
    assert recorded_at == cs_clock.now()

    [changed] = await spy.wait_for(OrderDeliveryDateChanged, correlation_id=order.key, timeout=10)
    assert (changed.old_date, changed.new_date) == (date(2026, 12, 4), date(2026, 12, 11))
    assert changed.customer_consent and changed.remedy_plan == "free express freight"
    assert changed.consented_by == "Li Lei"

    async def promised_moved() -> bool:
        t = (await api.get(f"/timelines/{order.key}")).json()
        return t["promised_date"] == "2026-12-11"

    await eventually(promised_moved, timeout=20)


async def test_short_delay_is_told_but_needs_no_plan(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
) -> None:
    order = Order(promised=date(2026, 12, 4))
    await _confirmed(cs_channel, namespace, api, order)
    # Fri 27 Nov -> Wed 2 Dec: Mon, Tue, Wed = 3 business days, not over 3.
    await send(
        cs_channel,
        namespace,
        order.delayed(date(2026, 11, 27), date(2026, 12, 2)),
        correlation_id=order.key,
        producer="production",
    )

    async def told() -> bool:
        notices = (await api.get("/notices", params={"subject_id": order.key})).json()
        return any(n["moment"].startswith("delayed:") for n in notices)

    await eventually(told, timeout=20)
    assert await _plans(api, order) == []


async def test_unanswered_remedy_plan_breaches_its_deadline(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    order = Order(promised=date(2026, 12, 18))
    await _confirmed(cs_channel, namespace, api, order)
    await send(
        cs_channel,
        namespace,
        order.delayed(date(2026, 12, 14), date(2026, 12, 21)),
        correlation_id=order.key,
        producer="production",
    )

    async def plan_opened() -> bool:
        return len(await _plans(api, order)) == 1

    await eventually(plan_opened, timeout=20)
    cs_clock.advance(timedelta(days=5))  # past 2 business days whatever the weekday
    await cs_runtime.scanner.fire_due()
    breaches = await spy.wait_for(OrderSlaBreached, correlation_id=order.key, timeout=10)
    assert breaches[0].deadline == "delay_consent"
    assert breaches[0].subject_no == order.order_no
