"""Inbound QC of finished goods from production: pass reserves for the order, fail goes back."""

from __future__ import annotations

import uuid

from contracts.enums import Initiator, QcDisposition
from contracts.events.production import ProductionCompleted
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import InspectionFailed, InspectionPassed, StockReserved
from contracts.roles import Role
from tests.harness import eventually
from tests.identity import ISSUER
from tests.integration.warehouse.support import (
    assert_ledger_matches_levels,
    confirmed,
    order_view,
    publish,
    stock_item,
    stock_of,
)


def completed(event, code: str, quantity: int, lot_no: str) -> ProductionCompleted:
    return ProductionCompleted(
        work_order_id=uuid.uuid4(),
        order_id=event.order_id,
        order_no=event.order_no,
        work_order_no="WO-1",
        line_no=1,
        product_code=code,
        quantity=quantity,
        lot_no=lot_no,
    )


ZHAO = ISSUER.headers("Zhao", Role.QC)
QIAN = ISSUER.headers("Qian", Role.QC)


async def pending_inspection(warehouse, lot_no: str) -> dict:
    found: list[dict] = []

    async def listed() -> bool:
        r = await warehouse.http.get("/inspections", params={"status": "pending"})
        found[:] = [i for i in r.json() if i["lot_no"] == lot_no]
        return bool(found)

    await eventually(listed)
    return found[0]


async def test_passed_goods_go_into_stock_reserved_for_their_order(warehouse, code):
    await stock_item(warehouse, code, ("A1", 2))
    event = confirmed((code, 5))
    await publish(warehouse, event, str(event.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    lot = f"LOT-{code}"
    done = completed(event, code, 4, lot)
    await publish(warehouse, done, str(event.order_id))
    await publish(warehouse, done, str(event.order_id))  # reported twice: one inspection
    inspection = await pending_inspection(warehouse, lot)
    # waiting for inspection: not in stock yet
    assert (await stock_of(warehouse, code))["on_hand"] == 2

    r = await warehouse.http.post(
        f"/inspections/{inspection['inspection_id']}/pass", json={}, headers=ZHAO
    )
    assert r.status_code == 200, r.text
    [passed] = await warehouse.spy.wait_for(InspectionPassed, correlation_id=str(event.order_id))
    assert (passed.quantity, passed.lot_no) == (4, lot)
    reserved = await warehouse.spy.wait_for(StockReserved, 2, correlation_id=str(event.order_id))
    assert reserved[-1].lot_no == lot and reserved[-1].fully_reserved
    assert [(x.quantity_reserved, x.shortfall) for x in reserved[-1].lines] == [(5, 0)]
    stock = await stock_of(warehouse, code)
    # 3 of the lot are reserved for the order, the 4th is free stock
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (6, 5, 1)
    inbound = {x["location"]: x for x in stock["locations"]}[warehouse.settings.inbound_location]
    assert (inbound["on_hand"], inbound["reserved"]) == (4, 3)
    view = await order_view(warehouse, event.order_id)
    assert view is not None and view["status"] == "picking" and len(view["pick_lists"]) == 2
    await assert_ledger_matches_levels(warehouse, code)

    # the same decision again (its answer lost on the way) takes nothing into stock twice
    again = await warehouse.http.post(
        f"/inspections/{inspection['inspection_id']}/pass", json={}, headers=ZHAO
    )
    assert again.status_code == 200, again.text
    assert (await stock_of(warehouse, code))["on_hand"] == 6
    other = await warehouse.http.post(
        f"/inspections/{inspection['inspection_id']}/pass", json={}, headers=QIAN
    )
    assert other.status_code == 409 and other.json()["state"] == "passed"
    r = await warehouse.http.get("/inspections", params={"status": "pending"})
    assert [i for i in r.json() if i["lot_no"] == lot] == []


async def test_failed_goods_go_back_to_production_with_the_defect(warehouse, code):
    await stock_item(warehouse, code)
    event = confirmed((code, 3))
    await publish(warehouse, event, str(event.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    lot = f"LOT-{code}"
    await publish(warehouse, completed(event, code, 3, lot), str(event.order_id))
    inspection = await pending_inspection(warehouse, lot)
    r = await warehouse.http.post(
        f"/inspections/{inspection['inspection_id']}/fail",
        json={"defect": "paint runs on the lid", "defect_code": "PNT-02"},
        headers=ZHAO,
    )
    assert r.status_code == 200, r.text
    [failed] = await warehouse.spy.wait_for(InspectionFailed, correlation_id=str(event.order_id))
    assert failed.defect == "paint runs on the lid" and failed.defect_code == "PNT-02"
    assert (failed.quantity_rejected, failed.disposition) == (3, QcDisposition.REWORK)
    assert failed.work_order_id is not None and failed.lot_no == lot
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"]) == (0, 0)
    assert warehouse.spy.of(InspectionPassed, correlation_id=str(event.order_id)) == []
    assert len(warehouse.spy.of(StockReserved, correlation_id=str(event.order_id))) == 1


async def test_failing_without_a_defect_is_rejected_naming_the_field(warehouse, code):
    r = await warehouse.http.post(f"/inspections/{uuid.uuid4()}/fail", json={}, headers=ZHAO)
    assert r.status_code == 422 and "defect" in r.text


async def test_goods_for_a_cancelled_order_pass_into_free_stock(warehouse, code):
    await stock_item(warehouse, code)
    event = confirmed((code, 2))
    await publish(warehouse, event, str(event.order_id))
    await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    lot = f"LOT-{code}"
    await publish(warehouse, completed(event, code, 2, lot), str(event.order_id))
    inspection = await pending_inspection(warehouse, lot)
    cancel = OrderCancelled(
        order_id=event.order_id, order_no=event.order_no, initiated_by=Initiator.COMPANY, reason="x"
    )
    await publish(warehouse, cancel, str(event.order_id))

    async def cancelled() -> bool:
        view = await order_view(warehouse, event.order_id)
        return view is not None and view["status"] == "cancelled"

    await eventually(cancelled)
    r = await warehouse.http.post(
        f"/inspections/{inspection['inspection_id']}/pass", json={}, headers=ZHAO
    )
    assert r.status_code == 200
    await warehouse.spy.wait_for(InspectionPassed, correlation_id=str(event.order_id))
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (2, 0, 2)
    assert len(warehouse.spy.of(StockReserved, correlation_id=str(event.order_id))) == 1
