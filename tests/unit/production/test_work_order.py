"""Work order transitions: reporting, completion, cancellation, materials."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest

from contracts.events.production import (
    ProductionCancelled,
    ProductionCompleted,
    ProductionProgressed,
)
from contracts.status.production import WorkOrderStatus
from services.production.domain.capacity import Slot
from services.production.domain.errors import IllegalTransition
from services.production.domain.materials import BomItem, requirement, shortages
from services.production.domain.work_order import WorkOrder
from shared.errors import Conflict, Invalid

TODAY = date(2026, 12, 9)


def planned(quantity: int = 20) -> WorkOrder:
    return WorkOrder(
        work_order_id=uuid.uuid4(),
        work_order_no="WO-1",
        order_id=uuid.uuid4(),
        order_no="202612-001",
        line_no=1,
        product_code="P",
        spec="std",
        family="pump",
        quantity=quantity,
        promised_date=date(2026, 12, 31),
        line_code="L1",
        slots=[Slot("L1", date(2026, 12, 8), 10), Slot("L1", date(2026, 12, 10), 10)],
    )


def report(wo: WorkOrder, **kwargs) -> None:
    args = dict(
        started=True,
        quantity_done=0,
        quantity_scrapped=0,
        complete=False,
        lot_no=None,
        reported_by="x",
    )
    wo.report(**{**args, **kwargs}, today=TODAY)


def test_cumulative_figures_never_go_down():
    wo = planned()
    report(wo, quantity_done=8, quantity_scrapped=2)
    report(wo, quantity_done=5, quantity_scrapped=1)
    assert (wo.quantity_done, wo.quantity_scrapped, wo.status) == (8, 2, WorkOrderStatus.STARTED)
    assert len([e for e in wo.events if isinstance(e, ProductionProgressed)]) == 1


def test_completion_needs_a_lot_and_good_pieces_and_frees_future_days():
    wo = planned()
    with pytest.raises(Invalid) as missing:
        report(wo, quantity_done=5, complete=True)
    assert missing.value.field == "lot_no"
    with pytest.raises(IllegalTransition):
        report(wo, quantity_done=0, complete=True, lot_no="L")
    report(wo, quantity_done=19, quantity_scrapped=1, complete=True, lot_no="LOT-9")
    (completed,) = [e for e in wo.events if isinstance(e, ProductionCompleted)]
    assert (completed.quantity, completed.quantity_scrapped, completed.lot_no) == (19, 1, "LOT-9")
    assert [s.day for s in wo.slots] == [date(2026, 12, 8)]


def test_same_completion_again_is_harmless_other_reports_are_illegal():
    wo = planned()
    report(wo, quantity_done=20, complete=True, lot_no="LOT-1")
    events = len(wo.events)
    report(wo, quantity_done=20, complete=True, lot_no="LOT-1")
    assert len(wo.events) == events
    with pytest.raises(IllegalTransition) as err:
        report(wo, quantity_done=21)
    # A 409 over HTTP (a dead letter on the bus), naming the state it was in.
    assert isinstance(err.value, Conflict)
    assert err.value.state == WorkOrderStatus.COMPLETED


def test_cancel_unstarted_frees_all_capacity_started_reports_pieces():
    unstarted = planned()
    assert unstarted.cancel("order cancelled", TODAY)
    assert unstarted.slots == []
    started = planned()
    report(started, quantity_done=6)
    started.cancel("order cancelled", TODAY)
    (event,) = [e for e in started.events if isinstance(e, ProductionCancelled)]
    assert event.quantity_done == 6
    assert [s.day for s in started.slots] == [date(2026, 12, 8)]
    assert not started.cancel("again", TODAY)


def test_work_order_short_of_materials_cannot_start():
    wo = planned()
    wo.materials_ready = False
    with pytest.raises(IllegalTransition, match="materials"):
        report(wo, started=True)
    wo.materials_ready = True
    report(wo, started=True)
    assert wo.status == WorkOrderStatus.STARTED


def test_material_shortages_are_what_is_missing():
    bom = [BomItem("STEEL", Decimal("2.5"), "kg"), BomItem("BOLT", Decimal(4), "pcs")]
    needs = requirement(bom, 10)
    short = shortages(needs, {"STEEL": Decimal(20), "BOLT": Decimal(100)})
    assert [(s.material_code, s.quantity, s.unit) for s in short] == [("STEEL", Decimal(5), "kg")]
    assert shortages(needs, {"STEEL": Decimal(25), "BOLT": Decimal(40)}) == []


def test_new_promised_date_before_the_planned_finish_is_a_delay_reported_once():
    from contracts.events.production import ProductionDelayed

    wo = planned()
    wo.planned_start, wo.planned_finish = date(2026, 12, 8), date(2026, 12, 10)
    wo.promise(date(2026, 12, 20))
    assert wo.events == []
    wo.promise(date(2026, 12, 9))
    wo.promise(date(2026, 12, 8))
    (delay,) = [e for e in wo.events if isinstance(e, ProductionDelayed)]
    assert delay.new_date == date(2026, 12, 10)
