"""The return loop's settlement: what the inspection accepted and how it is settled."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from contracts.enums import ReturnOutcome, Settlement
from contracts.events.customer_service import SettlementLine
from contracts.events.warehouse import InspectedReturnLine


def settlement_for(exchange: bool) -> Settlement:
    """An exchange is settled with a replacement, any other return with a refund."""
    return Settlement.REPLACEMENT if exchange else Settlement.REFUND


def accepted_lines(
    items: Iterable[InspectedReturnLine], authorized: Iterable[dict[str, Any]]
) -> list[SettlementLine]:
    """Every inspected piece is accepted, restocked or scrapped; an item reported without its
    order line takes the line authorised for the same product."""
    by_product: dict[str, int | None] = {}
    for line in authorized:
        by_product.setdefault(line["product_code"], line.get("line_no"))
    return [
        SettlementLine(
            line_no=item.line_no if item.line_no is not None else by_product.get(item.product_code),
            product_code=item.product_code,
            quantity=item.quantity,
            restocked=item.outcome == ReturnOutcome.RESTOCK,
        )
        for item in items
    ]


def settlement_reason(rma_no: str, items: Iterable[InspectedReturnLine]) -> str:
    """The inspection's findings, each once, in the order reported."""
    findings = list(dict.fromkeys(item.reason for item in items))
    return f"return {rma_no} inspected: " + "; ".join(findings)
