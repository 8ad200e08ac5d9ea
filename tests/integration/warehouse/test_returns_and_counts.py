"""Returns inspected before restock or scrap; counts, adjustments and the reorder point."""

from __future__ import annotations

import uuid

from contracts.common import LineQuantity
from contracts.enums import ReturnOutcome
from contracts.events.customer_service import ReturnAuthorized
from contracts.events.warehouse import ReturnInspected, ReturnReceived, StockBelowReorderPoint
from tests.harness import eventually
from tests.integration.warehouse.support import (
    ADDRESS,
    assert_ledger_matches_levels,
    confirmed,
    consumed,
    publish,
    stock_item,
    stock_of,
)


async def test_returned_goods_wait_for_inspection_then_restock_or_scrap(warehouse, code):
    await stock_item(warehouse, code, ("A1", 1))
    order_id = uuid.uuid4()
    authorized = ReturnAuthorized(
        return_id=uuid.uuid4(),
        rma_no=f"RMA-{code}",
        complaint_id=uuid.uuid4(),
        order_id=order_id,
        lines=[LineQuantity(line_no=1, product_code=code, quantity=3)],
        pickup_address=ADDRESS,
        reason="wrong colour",
    )
    before = consumed(warehouse, "return.authorized")
    await publish(warehouse, authorized, str(order_id), producer="customer_service")
    received = ReturnReceived(
        return_id=authorized.return_id,
        rma_no=f"RMA-{code}",
        order_id=order_id,
        lines=[LineQuantity(line_no=1, product_code=code, quantity=3)],
        condition_notes="box dented",
    )
    await publish(warehouse, received, str(order_id), producer="logistics")

    async def booked() -> bool:
        r = await warehouse.http.get(f"/returns/{received.return_id}")
        return r.status_code == 200

    await eventually(booked)

    async def authorization_noted() -> bool:
        return consumed(warehouse, "return.authorized") > before

    await eventually(authorization_noted)
    r = await warehouse.http.get(f"/returns/{received.return_id}")
    assert r.json()["status"] == "received"
    assert (await stock_of(warehouse, code))["available"] == 1  # not available before inspection

    incomplete = await warehouse.http.post(
        f"/returns/{received.return_id}/inspect",
        json={
            "items": [{"product_code": code, "quantity": 2, "outcome": "restock", "reason": "ok"}],
        },
    )
    assert incomplete.status_code == 409  # one piece has no outcome
    r = await warehouse.http.post(
        f"/returns/{received.return_id}/inspect",
        json={
            "location": "A1",
            "items": [
                {
                    "line_no": 1,
                    "product_code": code,
                    "quantity": 2,
                    "outcome": "restock",
                    "reason": "unused, packaging intact",
                },
                {
                    "line_no": 1,
                    "product_code": code,
                    "quantity": 1,
                    "outcome": "scrap",
                    "reason": "cracked housing",
                },
            ],
        },
    )
    assert r.status_code == 200, r.text
    [inspected] = await warehouse.spy.wait_for(ReturnInspected, correlation_id=str(order_id))
    assert sorted((x.outcome, x.quantity, x.reason) for x in inspected.items) == [
        (ReturnOutcome.RESTOCK, 2, "unused, packaging intact"),
        (ReturnOutcome.SCRAP, 1, "cracked housing"),
    ]
    assert inspected.rma_no == received.rma_no and inspected.inspector == "Wang"
    assert inspected.complaint_id == authorized.complaint_id
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["available"]) == (3, 3)  # restocked 2, scrapped 1
    again = await warehouse.http.post(
        f"/returns/{received.return_id}/inspect",
        json={
            "items": [{"product_code": code, "quantity": 3, "outcome": "scrap", "reason": "x"}],
        },
    )
    assert again.status_code == 409 and again.json()["state"] == "inspected"
    await assert_ledger_matches_levels(warehouse, code)


async def test_adjustments_and_counts_keep_a_reason_and_never_go_below_reserved(warehouse, code):
    await stock_item(warehouse, code, ("A1", 10))
    event = confirmed((code, 4))
    await publish(warehouse, event, str(event.order_id))

    async def reserved() -> bool:
        return (await stock_of(warehouse, code))["reserved"] == 4

    await eventually(reserved)
    r = await warehouse.http.post(
        "/stock/adjustments",
        json={"product_code": code, "location": "A1", "quantity": -2, "reason": "forklift damage"},
    )
    assert r.status_code == 201 and r.json()["on_hand"] == 8
    no_reason = await warehouse.http.post(
        "/stock/adjustments", json={"product_code": code, "location": "A1", "quantity": -1}
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.text
    below = await warehouse.http.post(
        "/stock/counts",
        json={"product_code": code, "location": "A1", "counted": 3},
    )
    assert below.status_code == 409  # 4 are reserved: release them before booking the count
    r = await warehouse.http.post(
        "/stock/counts",
        json={"product_code": code, "location": "A1", "counted": 7},
    )
    assert r.status_code == 201
    assert (r.json()["on_hand"], r.json()["reserved"], r.json()["available"]) == (7, 4, 3)
    movements = (await warehouse.http.get(f"/stock/{code}/movements")).json()
    assert [(m["kind"], m["on_hand_delta"], m["reason"]) for m in movements][-2:] == [
        ("adjustment", -2, "forklift damage"),
        ("count", -1, "stock count: -1"),
    ]
    unknown = await warehouse.http.post(
        "/stock/receipts", json={"product_code": code, "location": "NOWHERE", "quantity": 1}
    )
    assert unknown.status_code == 404
    zero = await warehouse.http.post(
        "/stock/receipts", json={"product_code": code, "location": "A1", "quantity": 0}
    )
    assert zero.status_code == 422 and "quantity" in zero.text
    await assert_ledger_matches_levels(warehouse, code)


async def test_free_stock_falling_below_the_reorder_point_tells_purchasing(warehouse, code):
    await stock_item(warehouse, code, ("A1", 10), reorder_point=5)
    r = await warehouse.http.post(
        "/items", json={"product_code": code, "reorder_point": 5, "reorder_quantity": 40}
    )
    assert r.status_code == 201 and r.json()["created"] is False
    event = confirmed((code, 4))
    await publish(warehouse, event, str(event.order_id))

    async def reserved() -> bool:
        return (await stock_of(warehouse, code))["reserved"] == 4

    await eventually(reserved)
    assert [e for e in warehouse.spy.of(StockBelowReorderPoint) if e.product_code == code] == []
    r = await warehouse.http.post(
        "/stock/adjustments",
        json={"product_code": code, "location": "A1", "quantity": -2, "reason": "damaged"},
    )
    assert r.status_code == 201

    async def signalled() -> bool:
        return any(e.product_code == code for e in warehouse.spy.of(StockBelowReorderPoint))

    await eventually(signalled)
    [signal] = [e for e in warehouse.spy.of(StockBelowReorderPoint) if e.product_code == code]
    assert (signal.on_hand, signal.reserved, signal.available) == (8, 4, 4)
    assert (signal.reorder_point, signal.suggested_quantity) == (5, 40)


async def test_items_and_locations_are_created_and_listed_over_http(warehouse, code):
    r = await warehouse.http.post(
        "/items", json={"product_code": code, "description": "Gear pump", "reorder_point": 3}
    )
    assert r.status_code == 201 and r.json()["created"] is True
    bad = await warehouse.http.post("/items", json={"product_code": "", "reorder_point": -1})
    assert bad.status_code == 422 and "product_code" in bad.text and "reorder_point" in bad.text
    r = await warehouse.http.post("/locations", json={"code": "R-07", "name": "Rack 7"})
    assert r.status_code == 201
    assert code in [i["product_code"] for i in (await warehouse.http.get("/items")).json()]
    assert "R-07" in [x["code"] for x in (await warehouse.http.get("/locations")).json()]
    item = (await warehouse.http.get(f"/items/{code}")).json()
    assert (item["description"], item["reorder_point"], item["stock"]["on_hand"]) == (
        "Gear pump",
        3,
        0,
    )
    assert (await warehouse.http.get(f"/items/{code}-none")).status_code == 404
    paths = (await warehouse.http.get("/openapi.json")).json()["paths"]
    assert {
        "/stock/receipts",
        "/pick-lists/{pick_list_id}/confirm",
        "/orders/{order_id}/pack",
    } <= set(paths)


async def test_a_receipt_with_a_reference_is_booked_once(warehouse, code):
    """A delivery note (or an opening-stock line) sent again books nothing more; its reference
    on a different receipt is refused naming the field, and nothing changes."""
    await stock_item(warehouse, code, ("A1", 5))
    receipt = {"product_code": code, "location": "A1", "quantity": 20, "reference": "DN-881"}
    first = await warehouse.http.post("/stock/receipts", json=receipt)
    again = await warehouse.http.post("/stock/receipts", json=receipt)
    assert (first.status_code, again.status_code) == (201, 201), again.text
    assert again.json() == first.json()
    assert first.json()["on_hand"] == 25
    other = await warehouse.http.post("/stock/receipts", json={**receipt, "quantity": 2})
    assert other.status_code == 409
    assert (other.json()["field"], other.json()["state"]) == ("reference", "reference_used")
    levels = (await warehouse.http.get(f"/stock/{code}")).json()
    assert levels["on_hand"] == 25
    await assert_ledger_matches_levels(warehouse, code)
