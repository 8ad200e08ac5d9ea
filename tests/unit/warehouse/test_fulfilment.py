"""An order in the warehouse: reservation state, pick lists, pick, pack QC, cancel, amend."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contracts.common import Address, Dimensions, LineQuantity, Package
from contracts.enums import StockReleaseReason
from contracts.events.warehouse import GoodsReady, StockReleased, StockReserved
from services.warehouse.domain.errors import IllegalTransition, QcCheckFailed, WarehouseError
from services.warehouse.domain.fulfilment import Fulfilment, FulfilmentStatus, PickListStatus

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)
ADDRESS = Address(recipient="Li", line1="1 Road", city="Suzhou")


def order(*lines: tuple[int, str, int]) -> Fulfilment:
    return Fulfilment.open(
        uuid.uuid4(), "202703-001", list(lines), ADDRESS, date(2027, 3, 9), False
    )


def package(no: str, *contents: tuple[int, str, int], weight: str = "2.5") -> Package:
    return Package(
        package_no=no,
        label=f"LBL-{no}",
        weight_kg=Decimal(weight),
        dimensions=Dimensions(length_cm=Decimal(40), width_cm=Decimal(30), height_cm=Decimal(20)),
        contents=[LineQuantity(line_no=n, product_code=c, quantity=q) for n, c, q in contents],
    )


def test_partial_reservation_reports_shortfall_and_starts_no_picking():
    f = order((1, "A", 5), (2, "B", 2))
    f.add_reservation(1, {"L1": 3})
    f.add_reservation(2, {"L1": 2})
    f.record_reservation()
    [event] = f.events
    assert isinstance(event, StockReserved)
    assert not event.fully_reserved
    assert [(x.quantity_reserved, x.shortfall) for x in event.lines] == [(3, 2), (2, 0)]
    assert f.status == FulfilmentStatus.RESERVING and f.pick_lists == []


def test_full_reservation_makes_one_pick_list_per_location():
    f = order((1, "A", 5), (2, "B", 2))
    f.add_reservation(1, {"L1": 3, "L2": 2})
    f.add_reservation(2, {"L2": 2})
    f.record_reservation()
    assert f.status == FulfilmentStatus.PICKING
    assert {pl.location: [(p.line_no, p.quantity) for p in pl.lines] for pl in f.pick_lists} == {
        "L1": [(1, 3)],
        "L2": [(1, 2), (2, 2)],
    }


def picked_order() -> Fulfilment:
    f = order((1, "A", 3))
    f.add_reservation(1, {"L1": 3})
    f.record_reservation()
    [pl] = f.pick_lists
    changes = f.confirm_pick(pl.pick_list_id, None, "wang", AT)
    assert [(c.location, c.quantity) for c in changes] == [("L1", 3)]
    return f


def test_the_same_pick_confirmation_again_takes_nothing_more():
    f = picked_order()
    [pl] = f.pick_lists
    assert f.confirm_pick(pl.pick_list_id, [(1, "A", 3)], "wang", AT) == []
    assert f.lines[1].allocations["L1"].picked == 3
    with pytest.raises(IllegalTransition):
        f.confirm_pick(pl.pick_list_id, None, "li", AT)


def test_the_same_packages_again_make_the_goods_ready_once():
    f = picked_order()
    f.pack([package("1", (1, "A", 3))])
    f.pack([package("1", (1, "A", 3))])
    assert len([e for e in f.events if isinstance(e, GoodsReady)]) == 1
    with pytest.raises(IllegalTransition):
        f.pack([package("2", (1, "A", 3))])


def test_confirming_every_pick_list_makes_the_order_picked():
    f = picked_order()
    assert f.status == FulfilmentStatus.PICKED
    assert f.lines[1].allocations["L1"].picked == 3


def test_a_pick_with_other_quantities_than_listed_is_refused():
    f = order((1, "A", 3))
    f.add_reservation(1, {"L1": 3})
    f.record_reservation()
    with pytest.raises(WarehouseError):
        f.confirm_pick(f.pick_lists[0].pick_list_id, [(1, "A", 2)], "wang", AT)


def test_picking_before_full_reservation_is_an_illegal_transition():
    f = order((1, "A", 3))
    with pytest.raises(IllegalTransition) as err:
        f.confirm_pick(uuid.uuid4(), None, "wang", AT)
    assert err.value.status == "reserving"


def test_packing_that_matches_the_order_makes_goods_ready():
    f = picked_order()
    f.pack([package("1", (1, "A", 2)), package("2", (1, "A", 1), weight="1.5")])
    ready = [e for e in f.events if isinstance(e, GoodsReady)]
    assert ready and ready[0].total_weight_kg == Decimal("4.0")
    assert f.status == FulfilmentStatus.READY


@pytest.mark.parametrize(
    "contents",
    [[(1, "A", 2)], [(1, "B", 3)], [(1, "A", 3), (2, "A", 1)]],
    ids=["short", "wrong_model", "extra_line"],
)
def test_qc_refuses_packages_that_differ_from_the_order(contents):
    f = picked_order()
    with pytest.raises(QcCheckFailed):
        f.pack([package("1", *contents)])
    assert f.status == FulfilmentStatus.PICKED


def test_packing_before_picking_is_an_illegal_transition():
    f = order((1, "A", 1))
    with pytest.raises(IllegalTransition):
        f.pack([package("1", (1, "A", 1))])


def test_cancel_releases_reserved_and_puts_back_picked_goods():
    f = order((1, "A", 3), (2, "B", 2))
    f.add_reservation(1, {"L1": 3})
    f.add_reservation(2, {"L2": 2})
    f.record_reservation()
    l1 = next(pl for pl in f.pick_lists if pl.location == "L1")
    f.confirm_pick(l1.pick_list_id, None, "wang", AT)
    releases, put_backs = f.cancel()
    assert [(c.product_code, c.quantity) for c in releases] == [("B", 2)]
    assert [(c.product_code, c.quantity) for c in put_backs] == [("A", 3)]
    released = next(e for e in f.events if isinstance(e, StockReleased))
    assert released.reason == StockReleaseReason.ORDER_CANCELLED
    assert sum(x.quantity for x in released.lines) == 5
    assert all(pl.status != PickListStatus.OPEN for pl in f.pick_lists)
    assert f.cancel() == ([], [])  # twice changes nothing


def test_cancel_after_dispatch_is_refused():
    f = picked_order()
    f.mark_shipped()
    with pytest.raises(IllegalTransition):
        f.cancel()


def test_amending_down_releases_the_excess_and_replans_picking():
    f = order((1, "A", 5))
    f.add_reservation(1, {"L1": 5})
    f.record_reservation()
    releases, put_backs = f.amend([(1, "A", 2)])
    assert [(c.location, c.quantity) for c in releases] == [("L1", 3)] and put_backs == []
    assert f.status == FulfilmentStatus.RESERVING
    f.record_reservation()
    open_lists = f.open_pick_lists()
    assert [[(p.quantity) for p in pl.lines] for pl in open_lists] == [[2]]


def test_amending_up_leaves_a_shortfall_to_reserve():
    f = order((1, "A", 2))
    f.add_reservation(1, {"L1": 2})
    f.record_reservation()
    assert f.amend([(1, "A", 4)]) == ([], [])
    assert f.lines[1].shortfall == 2


def test_amending_a_packed_order_is_refused():
    f = picked_order()
    f.pack([package("1", (1, "A", 3))])
    with pytest.raises(IllegalTransition):
        f.amend([(1, "A", 1)])


def test_amending_down_after_picking_puts_picked_goods_back():
    f = picked_order()
    releases, put_backs = f.amend([(1, "A", 1)])
    assert releases == [] and [(c.location, c.quantity) for c in put_backs] == [("L1", 2)]
    assert f.lines[1].allocations["L1"].picked == 1
    f.record_reservation()
    assert f.status == FulfilmentStatus.PICKED  # what is left is already picked
