"""Timeline built from a full event sequence over the real broker, rebuilt by replay; notices."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any
from uuid import uuid4

import aio_pika
import httpx

from contracts.events import SurveySent
from contracts.roles import Role
from services.customer_service.main import CustomerServiceRuntime
from shared.clock import FixedClock
from tests.harness import EventSpy, eventually, send
from tests.integration.customer_service.conftest import StartReplica, signed_in
from tests.integration.customer_service.factories import Order


async def _timeline(api: httpx.AsyncClient, order: Order) -> dict[str, Any]:
    response = await api.get(f"/timelines/{order.key}")
    return response.json() if response.status_code == 200 else {}


async def _wait_stage(api: httpx.AsyncClient, order: Order, stage: str) -> dict[str, Any]:
    async def reached() -> bool:
        return (await _timeline(api, order)).get("stage") == stage

    await eventually(reached, timeout=20)
    return await _timeline(api, order)


async def test_full_sequence_builds_the_timeline_and_a_replay_rebuilds_it_identically(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
    spy: EventSpy,
) -> None:
    order, now, shipment = Order(), cs_clock.now(), uuid4()
    steps = [
        ("sales", order.received()),
        ("sales", order.review_requested(now)),
        ("warehouse", order.reviewed()),
        ("sales", order.confirmation_sent(now)),
        ("sales", order.signed(now)),
        ("sales", order.confirmed()),
        ("production", order.scheduled()),
        ("warehouse", order.ready()),
    ]
    # Shipping is reported before the goods.ready it follows: out of order on purpose.
    await send(
        cs_channel,
        namespace,
        order.shipped(shipment, order.promised),
        correlation_id=order.key,
        producer="logistics",
    )
    for producer, message in steps:
        await send(cs_channel, namespace, message, correlation_id=order.key, producer=producer)
    await _wait_stage(api, order, "shipped")
    delivered = await send(
        cs_channel,
        namespace,
        order.delivered(shipment, now + timedelta(days=5)),
        correlation_id=order.key,
        producer="logistics",
    )
    # The exact same envelope again (a redelivery): the inbox and event store ignore it.
    await send(
        cs_channel,
        namespace,
        order.delivered(shipment, now + timedelta(days=5)),
        correlation_id=order.key,
        producer="logistics",
        event_id=delivered.event_id,
    )
    timeline = await _wait_stage(api, order, "delivered")

    assert timeline["order_no"] == order.order_no
    assert timeline["customer_id"] == order.customer_id
    assert timeline["promised_date"] == order.promised.isoformat()
    assert timeline["expected_date"] == order.promised.isoformat()
    assert timeline["tracking_no"] == f"SF{order.order_no[-4:]}"
    history = [h for h in timeline["history"] if h["event_type"] != "survey.sent"]
    assert len(history) == 10  # nine steps plus delivery, the redelivery not doubled
    assert [h["event_type"] for h in history].count("goods.delivered") == 1
    assert any(h["who"] == "sales: Li Lei" and h["event_type"] == "order.signed" for h in history)

    by_no = (await api.get(f"/orders/{order.order_no}/timeline")).json()
    assert by_no["key"] == order.key and by_no["stage"] == "delivered"
    by_customer = (await api.get("/orders", params={"customer_id": order.customer_id})).json()
    assert [o["order_no"] for o in by_customer] == [order.order_no]
    by_stage = (await api.get("/orders", params={"stage": "delivered", "limit": 500})).json()
    assert order.order_no in [o["order_no"] for o in by_stage]

    # A survey follows the delivery.
    surveys = await spy.wait_for(SurveySent, correlation_id=order.key, timeout=10)
    assert surveys[0].trigger == "delivery" and surveys[0].customer_id == order.customer_id

    async def survey_in_history() -> bool:
        history = (await _timeline(api, order))["history"]
        return "survey.sent" in [h["event_type"] for h in history]

    await eventually(survey_in_history, timeout=20)
    timeline = await _timeline(api, order)
    assert len(timeline["history"]) == 11

    # Rebuilding locks the timelines against writers: an operator's step, not the desk's.
    refused = await api.post("/timelines/rebuild")
    assert refused.status_code == 403 and refused.json()["roles"] == ["operator"]
    rebuilt = (
        await api.post("/timelines/rebuild", headers=signed_in("Ops Qian", Role.OPERATOR))
    ).json()
    assert rebuilt["identical"] is True
    assert rebuilt["events"] >= 10
    assert await _timeline(api, order) == timeline


async def test_late_or_at_risk_orders_are_found(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    cs_clock: FixedClock,
) -> None:
    today = cs_runtime.calendar.local_date(cs_clock.now())
    soon, later, past = (
        Order(promised=today + timedelta(days=1)),
        Order(promised=today + timedelta(days=30)),
        Order(promised=today - timedelta(days=1)),
    )
    for order in (soon, later, past):
        await send(cs_channel, namespace, order.confirmed(), correlation_id=order.key)
    for order in (soon, later, past):
        await _wait_stage(api, order, "confirmed")
    found = (await api.get("/orders", params={"late_or_at_risk": True, "limit": 500})).json()
    flagged = {o["order_no"]: (o["late"], o["at_risk"]) for o in found}
    assert flagged[soon.order_no] == (False, True)
    assert flagged[past.order_no] == (True, False)
    assert later.order_no not in flagged


async def test_each_notice_is_sent_once_under_duplicate_events(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
) -> None:
    order = Order()
    first = await send(cs_channel, namespace, order.received(), correlation_id=order.key)
    # Redelivered with the same id, and re-emitted by the producer under a new id.
    await send(
        cs_channel, namespace, order.received(), correlation_id=order.key, event_id=first.event_id
    )
    await send(cs_channel, namespace, order.received(), correlation_id=order.key)
    await send(cs_channel, namespace, order.confirmed(), correlation_id=order.key)
    await send(cs_channel, namespace, order.confirmed(), correlation_id=order.key)

    async def sent() -> bool:
        notices = (await api.get("/notices", params={"subject_id": order.key})).json()
        return len(notices) >= 2 and all(n["sent_at"] for n in notices)

    await eventually(sent, timeout=20)
    await _wait_stage(api, order, "confirmed")

    async def all_four_seen() -> bool:
        return len((await _timeline(api, order))["history"]) == 4

    await eventually(all_four_seen, timeout=20)
    notices = (await api.get("/notices", params={"subject_id": order.key})).json()
    assert sorted(n["moment"] for n in notices) == ["confirmed", "received"]
    received = next(n for n in notices if n["moment"] == "received")
    assert received["recipient"]["email"] == "li@example.com"
    assert received["channel"] == "outbox"


async def test_two_replicas_fold_every_event_and_tell_the_customer_once(
    cs_runtime: CustomerServiceRuntime,
    start_replica: StartReplica,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
) -> None:
    await start_replica()
    order = Order()
    # The producer re-emits the same moment under new event ids; two replicas compete for them.
    await asyncio.gather(
        *(
            send(cs_channel, namespace, order.received(), correlation_id=order.key)
            for _ in range(12)
        )
    )

    async def all_folded() -> bool:
        return len((await _timeline(api, order)).get("history", [])) == 12

    await eventually(all_folded, timeout=30)
    notices = (await api.get("/notices", params={"subject_id": order.key})).json()
    assert [n["moment"] for n in notices] == ["received"]
