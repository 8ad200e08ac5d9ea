"""Inbound QC of finished goods and inspection of customer returns."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from contracts.common import LineQuantity
from contracts.enums import QcDisposition, ReturnOutcome
from contracts.events.warehouse import InspectionFailed, InspectionPassed, ReturnInspected
from services.warehouse.domain.errors import IllegalTransition, WarehouseError
from services.warehouse.domain.inspection import (
    GoodsReturn,
    Inspection,
    InspectionStatus,
    ReturnOutcomeLine,
)

AT = datetime(2027, 3, 1, 9, tzinfo=UTC)


def lot(quantity: int = 10) -> Inspection:
    return Inspection(
        uuid.uuid4(), uuid.uuid4(), uuid.uuid4(), "202703-001", 1, "A", "LOT-1", quantity
    )


def test_passed_lot_goes_into_stock_whole():
    i = lot()
    assert i.pass_("zhao", AT) == 10
    [event] = i.events
    assert isinstance(event, InspectionPassed) and event.quantity == 10


def test_failed_lot_goes_back_with_the_defect():
    i = lot()
    assert i.fail("zhao", AT, "scratched housing", QcDisposition.REWORK) == 0
    [event] = i.events
    assert isinstance(event, InspectionFailed)
    assert (event.quantity_rejected, event.defect, event.disposition) == (
        10,
        "scratched housing",
        QcDisposition.REWORK,
    )


def test_partly_rejected_lot_accepts_the_rest():
    i = lot()
    assert i.fail("zhao", AT, "dent", QcDisposition.SCRAP, quantity_rejected=3) == 7
    assert [type(e) for e in i.events] == [InspectionFailed, InspectionPassed]


def test_an_inspection_is_decided_once():
    i = lot()
    i.pass_("zhao", AT)
    with pytest.raises(IllegalTransition) as err:
        i.fail("zhao", AT, "dent", QcDisposition.REWORK)
    assert err.value.status == InspectionStatus.PASSED
    with pytest.raises(IllegalTransition):
        i.pass_("qian", AT)


def test_the_same_decision_again_accepts_nothing_more():
    passed, failed = lot(), lot()
    assert passed.pass_("zhao", AT) == 10
    assert failed.fail("zhao", AT, "dent", QcDisposition.REWORK, 4) == 6
    events = len(passed.events), len(failed.events)
    assert passed.pass_("zhao", AT) == 0
    assert failed.fail("zhao", AT, "dent", QcDisposition.REWORK, 4) == 0
    assert (len(passed.events), len(failed.events)) == events


def test_failing_needs_a_defect_and_a_sane_quantity():
    with pytest.raises(WarehouseError):
        lot().fail("zhao", AT, " ", QcDisposition.REWORK)
    with pytest.raises(WarehouseError):
        lot(5).fail("zhao", AT, "dent", QcDisposition.REWORK, quantity_rejected=6)


def goods() -> GoodsReturn:
    return GoodsReturn(
        uuid.uuid4(),
        "RMA-1",
        uuid.uuid4(),
        "202703-001",
        [LineQuantity(line_no=1, product_code="A", quantity=3)],
    )


def test_return_inspection_restocks_and_scraps_with_reasons():
    r = goods()
    restock = r.inspect(
        [
            ReturnOutcomeLine(1, "A", 2, ReturnOutcome.RESTOCK, "unopened"),
            ReturnOutcomeLine(1, "A", 1, ReturnOutcome.SCRAP, "cracked"),
        ],
        "qian",
        AT,
    )
    assert [(x.quantity, x.reason) for x in restock] == [(2, "unopened")]
    [event] = r.events
    assert isinstance(event, ReturnInspected)
    assert {(x.outcome, x.quantity, x.reason) for x in event.items} == {
        (ReturnOutcome.RESTOCK, 2, "unopened"),
        (ReturnOutcome.SCRAP, 1, "cracked"),
    }


def test_return_inspection_must_account_for_every_piece():
    with pytest.raises(WarehouseError):
        goods().inspect([ReturnOutcomeLine(1, "A", 2, ReturnOutcome.RESTOCK, "ok")], "qian", AT)


def test_return_is_inspected_once():
    r = goods()
    r.inspect([ReturnOutcomeLine(1, "A", 3, ReturnOutcome.RESTOCK, "sound")], "qian", AT)
    events = len(r.events)
    # the same inspection again (its answer lost) restocks nothing more
    again = r.inspect([ReturnOutcomeLine(1, "A", 3, ReturnOutcome.RESTOCK, "sound")], "qian", AT)
    assert again == [] and len(r.events) == events
    with pytest.raises(IllegalTransition):
        r.inspect([ReturnOutcomeLine(1, "A", 3, ReturnOutcome.SCRAP, "wet")], "qian", AT)
