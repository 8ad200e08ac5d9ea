"""Pick lists per location, picking and packing with QC, goods.ready; release of picked goods."""

from __future__ import annotations

import uuid
from decimal import Decimal

from contracts.commands.warehouse import ConfirmPack, ConfirmPick
from contracts.common import LineQuantity
from contracts.enums import Initiator
from contracts.events.logistics import GoodsShipped
from contracts.events.sales import OrderCancelled
from contracts.events.warehouse import GoodsReady, StockReleased, StockReserved
from tests.harness import eventually
from tests.integration.warehouse.support import (
    assert_ledger_matches_levels,
    confirmed,
    confirmed_and_reserved,
    consumed,
    order_view,
    package,
    publish,
    stock_item,
    stock_of,
)


async def reserved_order(warehouse, code, other):
    await stock_item(warehouse, code, ("A1", 3), ("B1", 5))
    await stock_item(warehouse, other, ("B1", 2))
    event = confirmed((code, 6), (other, 2))
    await publish(warehouse, event, str(event.order_id))
    [reserved] = await warehouse.spy.wait_for(StockReserved, correlation_id=str(event.order_id))
    assert reserved.fully_reserved
    view = await order_view(warehouse, event.order_id)
    assert view is not None
    return event, view


async def test_full_pick_and_pack_makes_goods_ready(warehouse, code):
    other = code + "-B"
    event, view = await reserved_order(warehouse, code, other)
    lists = {pl["location"]: pl for pl in view["pick_lists"]}
    assert {
        loc: [(p["line_no"], p["quantity"]) for p in pl["lines"]] for loc, pl in lists.items()
    } == {
        "A1": [(1, 3)],
        "B1": [(1, 3), (2, 2)],
    }
    early = await warehouse.http.post(
        f"/orders/{event.order_id}/pack",
        json={"packages": [package("1", (1, code, 6)).model_dump(mode="json")]},
    )
    assert early.status_code == 409 and early.json()["state"] == "picking"

    wrong = await warehouse.http.post(
        f"/pick-lists/{lists['A1']['pick_list_id']}/confirm",
        json={"lines": [{"line_no": 1, "product_code": code, "quantity": 2}]},
    )
    assert wrong.status_code == 409
    r = await warehouse.http.post(f"/pick-lists/{lists['A1']['pick_list_id']}/confirm", json={})
    assert r.status_code == 200 and r.json()["status"] == "picking"
    # the same confirmation again (its answer lost on the way): the goods leave the shelf once
    again = await warehouse.http.post(f"/pick-lists/{lists['A1']['pick_list_id']}/confirm", json={})
    assert again.status_code == 200 and again.json()["status"] == "picking"
    # the scanner confirms the other list through the command queue
    scan = ConfirmPick(
        order_no=event.order_no,
        pick_list_id=lists["B1"]["pick_list_id"],
        lines=[
            LineQuantity(line_no=1, product_code=code, quantity=3),
            LineQuantity(line_no=2, product_code=other, quantity=2),
        ],
        picked_by="scanner-7",
        picked_at=warehouse.clock.now(),
    )
    await publish(warehouse, scan, str(event.order_id))

    async def picked() -> bool:
        v = await order_view(warehouse, event.order_id)
        return v is not None and v["status"] == "picked"

    await eventually(picked)
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"]) == (2, 0)  # 6 left the shelf

    bad = await warehouse.http.post(
        f"/orders/{event.order_id}/pack",
        json={
            "packages": [
                package("1", (1, code, 6)).model_dump(mode="json"),
                package("2", (2, code, 2)).model_dump(mode="json"),  # wrong model on line 2
            ],
        },
    )
    assert bad.status_code == 409
    assert any("line 2" in p for p in [bad.json()["detail"]])
    good = [package("1", (1, code, 6), weight="12.5"), package("2", (2, other, 2), weight="4")]
    r = await warehouse.http.post(
        f"/orders/{event.order_id}/pack",
        json={"packages": [p.model_dump(mode="json") for p in good]},
    )
    assert r.status_code == 200, r.text
    again = await warehouse.http.post(
        f"/orders/{event.order_id}/pack",
        json={"packages": [p.model_dump(mode="json") for p in good]},
    )
    assert again.status_code == 200, again.text
    [ready] = await warehouse.spy.wait_for(GoodsReady, correlation_id=str(event.order_id))
    assert ready.order_no == event.order_no
    assert ready.total_weight_kg == Decimal("16.5")
    assert [p.label for p in ready.packages] == ["SSCC-1", "SSCC-2"]
    assert ready.delivery_address == event.delivery_address
    assert ready.promised_date == event.promised_date
    await assert_ledger_matches_levels(warehouse, code)
    await assert_ledger_matches_levels(warehouse, other)


async def test_cancellation_puts_picked_goods_back_and_releases_the_rest(warehouse, code):
    other = code + "-B"
    event, view = await reserved_order(warehouse, code, other)
    a1 = next(pl for pl in view["pick_lists"] if pl["location"] == "A1")
    r = await warehouse.http.post(f"/pick-lists/{a1['pick_list_id']}/confirm", json={})
    assert r.status_code == 200
    assert (await stock_of(warehouse, code))["on_hand"] == 5
    cancel = OrderCancelled(
        order_id=event.order_id,
        order_no=event.order_no,
        initiated_by=Initiator.CUSTOMER,
        reason="x",
    )
    await publish(warehouse, cancel, str(event.order_id))
    [released] = await warehouse.spy.wait_for(StockReleased, correlation_id=str(event.order_id))
    assert sorted((x.line_no, x.quantity) for x in released.lines) == [(1, 6), (2, 2)]
    for item, on_hand in ((code, 8), (other, 2)):
        stock = await stock_of(warehouse, item)
        assert (stock["on_hand"], stock["reserved"], stock["available"]) == (on_hand, 0, on_hand)
        await assert_ledger_matches_levels(warehouse, item)
    view = await order_view(warehouse, event.order_id)
    assert view is not None
    assert {pl["status"] for pl in view["pick_lists"]} == {"picked", "void"}


async def test_scanners_confirm_pick_and_pack_by_command_and_dispatched_goods_stay_out(
    warehouse, code
):
    event = await confirmed_and_reserved(warehouse, code, 4, 4)
    pick = ConfirmPick(
        order_id=event.order_id,
        lines=[LineQuantity(line_no=1, product_code=code, quantity=4)],
        picked_by="scanner-2",
        picked_at=warehouse.clock.now(),
    )
    await publish(warehouse, pick, str(event.order_id))

    async def picked() -> bool:
        v = await order_view(warehouse, event.order_id)
        return v is not None and v["status"] == "picked"

    # a scanner packs once its pick is taken: commands on one queue may be handled at once,
    # and a pack handled while the pick still runs is refused ("order is picking")
    await eventually(picked)
    pack = ConfirmPack(
        order_no=event.order_no,
        packages=[package("P1", (1, code, 4), weight="8")],
        packed_by="scanner-2",
        packed_at=warehouse.clock.now(),
    )
    await publish(warehouse, pack, str(event.order_id))
    [ready] = await warehouse.spy.wait_for(GoodsReady, correlation_id=str(event.order_id))
    assert ready.total_weight_kg == Decimal(8)

    shipped = GoodsShipped(
        shipment_id=uuid.uuid4(),
        order_id=event.order_id,
        order_no=event.order_no,
        carrier="SF",
        tracking_no="SF123",
        eta=event.promised_date,
        package_count=1,
        total_weight_kg=Decimal(8),
        delivery_address=event.delivery_address,
    )
    await publish(warehouse, shipped, str(event.order_id))

    async def dispatched() -> bool:
        v = await order_view(warehouse, event.order_id)
        return v is not None and v["status"] == "shipped"

    await eventually(dispatched)
    cancel = OrderCancelled(
        order_id=event.order_id,
        order_no=event.order_no,
        initiated_by=Initiator.CUSTOMER,
        reason="x",
    )
    before = consumed(warehouse, "order.cancelled")
    await publish(warehouse, cancel, str(event.order_id))

    async def cancel_handled() -> bool:
        return consumed(warehouse, "order.cancelled") > before

    await eventually(cancel_handled)
    # goods on the truck are not put back on the shelf by a cancellation
    assert warehouse.spy.of(StockReleased, correlation_id=str(event.order_id)) == []
    stock = await stock_of(warehouse, code)
    assert (stock["on_hand"], stock["reserved"]) == (0, 0)
    await assert_ledger_matches_levels(warehouse, code)
