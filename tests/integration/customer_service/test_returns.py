"""The return loop: exchange authorises a pickup; the warehouse's inspection closes it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import aio_pika
import httpx
from sqlalchemy import text

from contracts.common import LineQuantity
from contracts.enums import ReturnOutcome, Settlement
from contracts.events import (
    ReturnAuthorized,
    ReturnInspected,
    ReturnReceived,
    ReturnSettlementRequested,
)
from contracts.events.warehouse import InspectedReturnLine
from services.customer_service.main import CustomerServiceRuntime
from tests.harness import EventSpy, eventually, send

PICKUP = {"recipient": "Zhou", "line1": "8 Canal Street", "city": "Wuxi"}
LINES = [{"line_no": 1, "product_code": "VALVE-50", "quantity": 2}]


async def _resolved_with(api: httpx.AsyncClient, resolution: str) -> dict[str, Any]:
    body = {
        "customer_id": "C-9",
        "channel": "web",
        "category": "quality",
        "description": "cracked housing",
        "order_no": "202611-042",
    }
    cid = (await api.post("/complaints", json=body)).json()["complaint_id"]
    await api.post(f"/complaints/{cid}/assign", json={})
    resolved = await api.post(
        f"/complaints/{cid}/resolve",
        json={
            "resolution": resolution,
            "summary": "replace two valves",
            "return_lines": LINES,
            "pickup_address": PICKUP,
        },
    )
    assert resolved.status_code == 200, resolved.text
    return resolved.json()


async def test_exchange_is_picked_up_inspected_and_a_replacement_requested(
    cs_runtime: CustomerServiceRuntime,
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    spy: EventSpy,
) -> None:
    complaint = await _resolved_with(api, "exchange")
    cid = complaint["complaint_id"]
    [authorized] = await spy.wait_for(ReturnAuthorized, correlation_id=cid, timeout=10)
    assert authorized.exchange is True and authorized.rma_no == f"RMA-{complaint['complaint_no']}"
    assert authorized.lines[0].quantity == 2 and authorized.pickup_address.city == "Wuxi"

    common = {
        "return_id": authorized.return_id,
        "rma_no": authorized.rma_no,
        "order_no": "202611-042",
    }
    line = LineQuantity(line_no=1, product_code="VALVE-50", quantity=2)
    await send(
        cs_channel,
        namespace,
        ReturnReceived(**common, lines=[line]),
        correlation_id=cid,
        producer="warehouse",
    )
    inspected = ReturnInspected(
        **common,
        complaint_id=authorized.complaint_id,
        items=[
            InspectedReturnLine(
                line_no=1,
                product_code="VALVE-50",
                quantity=2,
                outcome=ReturnOutcome.SCRAP,
                reason="housing cracked",
            )
        ],
    )
    await send(cs_channel, namespace, inspected, correlation_id=cid, producer="warehouse")

    async def settled() -> bool:
        case = (await api.get(f"/returns/{authorized.return_id}")).json()
        return case["status"] == "settlement_requested"

    await eventually(settled, timeout=20)
    case = (await api.get(f"/returns/{authorized.return_id}")).json()
    assert case["settlement"] == "replacement"
    assert case["settlement_lines"][0]["quantity"] == 2
    assert case["received_at"] is not None
    waiting = (await api.get("/returns", params={"status": "settlement_requested"})).json()
    assert str(authorized.return_id) in [str(r["return_id"]) for r in waiting]
    [requested] = await spy.wait_for(ReturnSettlementRequested, correlation_id=cid, timeout=10)
    assert requested.return_id == authorized.return_id and requested.rma_no == authorized.rma_no
    assert requested.complaint_id == authorized.complaint_id
    assert requested.order_no == "202611-042"
    assert requested.settlement == Settlement.REPLACEMENT
    assert [(x.line_no, x.product_code, x.quantity, x.restocked) for x in requested.lines] == [
        (1, "VALVE-50", 2, False)
    ]

    # A second inspection report (re-emitted) changes nothing, and tells the customer once.
    again = await send(cs_channel, namespace, inspected, correlation_id=cid, producer="warehouse")
    await eventually(lambda: _stored(cs_runtime, again.event_id), timeout=20)
    assert await _settlement_requests(cs_runtime, authorized.return_id) == 1

    async def told_once() -> bool:
        notices = (await api.get("/notices", params={"subject_id": cid})).json()
        return [n["moment"] for n in notices].count("return_inspected") == 1

    await eventually(told_once, timeout=20)
    assert len(spy.of(ReturnSettlementRequested, correlation_id=cid)) == 1, "requested once"


async def test_inspected_return_requests_a_refund_of_the_accepted_goods(
    cs_channel: aio_pika.abc.AbstractChannel,
    namespace: str,
    api: httpx.AsyncClient,
    spy: EventSpy,
) -> None:
    complaint = await _resolved_with(api, "return")
    cid = complaint["complaint_id"]
    [authorized] = await spy.wait_for(ReturnAuthorized, correlation_id=cid, timeout=10)
    assert authorized.exchange is False
    inspected = ReturnInspected(
        return_id=authorized.return_id,
        rma_no=authorized.rma_no,
        complaint_id=authorized.complaint_id,
        items=[
            # Without its order line: the line authorised for the product is taken.
            InspectedReturnLine(
                product_code="VALVE-50",
                quantity=1,
                outcome=ReturnOutcome.RESTOCK,
                reason="unused",
            ),
            InspectedReturnLine(
                line_no=1,
                product_code="VALVE-50",
                quantity=1,
                outcome=ReturnOutcome.SCRAP,
                reason="housing cracked",
            ),
        ],
    )
    await send(cs_channel, namespace, inspected, correlation_id=cid, producer="warehouse")
    [requested] = await spy.wait_for(ReturnSettlementRequested, correlation_id=cid, timeout=20)
    assert requested.settlement == Settlement.REFUND
    assert [(x.line_no, x.quantity, x.restocked) for x in requested.lines] == [
        (1, 1, True),
        (1, 1, False),
    ]
    assert "unused" in requested.reason and "housing cracked" in requested.reason
    case = (await api.get(f"/returns/{authorized.return_id}")).json()
    assert case["status"] == "settlement_requested" and case["settlement"] == "refund"


async def _stored(runtime: CustomerServiceRuntime, event_id: UUID) -> bool:
    """The event was handled: its record commits with everything it emitted."""
    async with runtime.engine.connect() as conn:
        q = text("SELECT count(*) FROM event_record WHERE event_id = :e")
        return int((await conn.execute(q, {"e": event_id})).scalar_one()) == 1


async def _settlement_requests(runtime: CustomerServiceRuntime, return_id: UUID) -> int:
    async with runtime.engine.connect() as conn:
        q = text(
            "SELECT count(*) FROM outbox_message WHERE message_type = :t"
            " AND convert_from(body, 'UTF8') LIKE :r"
        )
        params = {"t": "return.settlement_requested.v1", "r": f"%{return_id}%"}
        return int((await conn.execute(q, params)).scalar_one())


async def test_a_return_without_pickup_details_is_rejected(api: httpx.AsyncClient) -> None:
    body = {
        "customer_id": "C-9",
        "channel": "web",
        "category": "quality",
        "description": "wrong colour",
    }
    cid = (await api.post("/complaints", json=body)).json()["complaint_id"]
    await api.post(f"/complaints/{cid}/assign", json={})
    response = await api.post(
        f"/complaints/{cid}/resolve", json={"resolution": "return", "summary": "take it back"}
    )
    assert response.status_code == 422
    assert (await api.get(f"/complaints/{cid}")).json()["status"] == "assigned"
