"""The return loop's settlement request, built from the warehouse's inspection."""

from __future__ import annotations

from contracts.enums import ReturnOutcome, Settlement
from contracts.events.warehouse import InspectedReturnLine
from services.customer_service.domain.returns import (
    accepted_lines,
    settlement_for,
    settlement_reason,
)

AUTHORIZED = [
    {"line_no": 1, "product_code": "VALVE-50", "quantity": 2},
    {"line_no": 3, "product_code": "SEAL-9", "quantity": 4},
]


def _item(code: str, qty: int, outcome: ReturnOutcome, reason: str, line_no: int | None = None):
    return InspectedReturnLine(
        line_no=line_no, product_code=code, quantity=qty, outcome=outcome, reason=reason
    )


def test_exchange_is_replaced_any_other_return_refunded() -> None:
    assert settlement_for(True) == Settlement.REPLACEMENT
    assert settlement_for(False) == Settlement.REFUND


def test_every_inspected_piece_is_accepted_restocked_or_scrapped() -> None:
    items = [
        _item("VALVE-50", 1, ReturnOutcome.RESTOCK, "unused", line_no=1),
        _item("VALVE-50", 1, ReturnOutcome.SCRAP, "cracked", line_no=1),
        _item("SEAL-9", 4, ReturnOutcome.SCRAP, "cracked"),
        _item("OTHER", 1, ReturnOutcome.RESTOCK, "not ours"),
    ]
    lines = accepted_lines(items, AUTHORIZED)
    assert [(x.line_no, x.product_code, x.quantity, x.restocked) for x in lines] == [
        (1, "VALVE-50", 1, True),
        (1, "VALVE-50", 1, False),
        (3, "SEAL-9", 4, False),  # its line taken from the authorisation
        (None, "OTHER", 1, True),
    ]


def test_reason_lists_each_finding_once() -> None:
    items = [
        _item("VALVE-50", 1, ReturnOutcome.SCRAP, "cracked"),
        _item("SEAL-9", 1, ReturnOutcome.SCRAP, "cracked"),
        _item("SEAL-9", 1, ReturnOutcome.RESTOCK, "unused"),
    ]
    assert settlement_reason("RMA-1", items) == "return RMA-1 inspected: cracked; unused"
