"""Amendments and confirmations of one order in either order: the warehouse ends up with what
the order says after its latest amendment, whichever of the two came first."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.common import Address
from contracts.events.warehouse import StockReserved
from services.warehouse.domain.fulfilment import Fulfilment, FulfilmentStatus

FIRST = Address(recipient="Li", line1="1 Road", city="Suzhou")
SECOND = Address(recipient="Site Office", line1="88 Port Ave", city="Ningbo")
ORDER_ID = uuid.uuid4()


def confirmation(*lines: tuple[int, str, int], amendment_no: int = 0, address=FIRST):
    return Fulfilment.open(
        ORDER_ID, "202703-001", list(lines), address, date(2027, 3, 9), False, amendment_no
    )


def test_an_amendment_before_the_confirmation_is_kept_for_it():
    early = Fulfilment.amended_before_confirmation(ORDER_ID, "202703-001", 1, SECOND)
    assert early.status == FulfilmentStatus.AWAITING_CONFIRMATION and early.lines == {}
    early.confirm(confirmation((1, "A", 2)))
    assert early.status == FulfilmentStatus.RESERVING
    assert early.delivery_address == SECOND  # the amendment is newer than that confirmation
    assert {n: ln.ordered for n, ln in early.lines.items()} == {1: 2}
    # its quantities come with the order's release after the amendment's review
    assert early.is_behind(1)


def test_a_confirmation_including_the_early_amendment_has_the_last_word():
    early = Fulfilment.amended_before_confirmation(ORDER_ID, "202703-001", 1, SECOND)
    early.confirm(confirmation((1, "A", 2), amendment_no=2, address=FIRST))
    assert early.delivery_address == FIRST and early.amendment_no == 2


def test_a_confirmation_with_missed_amendments_brings_the_new_quantities():
    f = confirmation((1, "A", 1), (2, "B", 3))
    f.add_reservation(1, {"L1": 1})
    f.add_reservation(2, {"L1": 3})
    f.record_reservation()
    later = confirmation((1, "A", 4), (3, "C", 1), amendment_no=1, address=SECOND)
    assert f.is_behind(later.amendment_no)
    changed = f.reconfirm(later)
    assert changed is not None
    releases, put_backs = changed
    assert [(c.product_code, c.quantity) for c in releases] == [("B", 3)] and put_backs == []
    assert {n: ln.shortfall for n, ln in f.lines.items()} == {1: 3, 2: 0, 3: 1}
    assert f.delivery_address == SECOND and f.amendment_no == 1
    assert f.status == FulfilmentStatus.RESERVING


def test_a_confirmation_with_the_same_quantities_changes_only_address_and_number():
    f = confirmation((1, "A", 1))
    assert f.reconfirm(confirmation((1, "A", 1), amendment_no=1, address=SECOND)) is None
    assert f.delivery_address == SECOND and f.amendment_no == 1


def test_an_amendment_already_included_or_of_a_cancelled_order_is_not_applied():
    f = confirmation((1, "A", 1), amendment_no=2)
    assert not f.is_behind(2) and not f.is_behind(1) and f.is_behind(3)
    gone = Fulfilment.cancelled_before_confirmation(ORDER_ID, "202703-001")
    assert not gone.is_behind(5)


def test_taking_an_amendment_keeps_the_address_it_does_not_change():
    f = confirmation((1, "A", 1))
    f.take_amendment(1, None)
    assert f.delivery_address == FIRST and f.amendment_no == 1
    f.take_amendment(2, SECOND)
    assert f.delivery_address == SECOND and f.amendment_no == 2


# --- what production hears it is to make -----------------------------------------------------


def _changes(f: Fulfilment) -> dict[int, int] | None:
    [report] = [e for e in f.events if isinstance(e, StockReserved)][-1:]
    if report.shortfall_changes is None:
        return None
    return {c.line_no: c.change for c in report.shortfall_changes}


def test_the_first_report_asks_production_for_the_whole_shortfall():
    f = confirmation((1, "A", 5), (2, "B", 2))
    f.add_reservation(1, {"L1": 3})
    f.add_reservation(2, {"L1": 2})
    f.record_reservation()
    assert _changes(f) == {1: 2}


def test_an_amendment_asks_for_what_the_shelf_does_not_cover_and_gives_back_a_dropped_line():
    f = confirmation((1, "A", 5), (2, "B", 4))
    f.add_reservation(1, {"L1": 3})
    f.record_reservation()  # production makes 2 of line 1 and 4 of line 2
    stored = Fulfilment(f.order_id, f.order_no, f.status, f.lines, f.delivery_address)
    stored.amend([(1, "A", 9), (2, "B", 0)])
    stored.add_reservation(1, {"L2": 1})  # one more was free on the shelf
    stored.record_reservation()
    assert _changes(stored) == {1: 3, 2: -4}


def test_a_lot_is_no_change_and_the_next_report_counts_from_after_it():
    f = confirmation((1, "A", 5))
    f.record_reservation()
    f.add_reservation(1, {"IN": 3})  # three of production's pieces passed QC
    f.record_reservation(lot_no="LOT-1")
    assert _changes(f) is None
    f.amend([(1, "A", 6)])
    f.record_reservation()
    assert _changes(f) == {1: 1}
