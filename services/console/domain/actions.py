"""What a person may do with an order at its current status (the sales API has the last word)."""

from __future__ import annotations

BEFORE_SHIPMENT = {
    "pending_info",
    "in_review",
    "awaiting_approval",
    "awaiting_signature",
    "awaiting_deposit",
    "released",
}


def order_actions(status: str) -> list[str]:
    """Actions offered on the order page, in the order a person meets them."""
    offered: list[str] = []
    if status == "awaiting_approval":
        offered += ["approve", "reject"]
    if status == "awaiting_signature":
        offered.append("sign")
    if status in {"awaiting_deposit", "awaiting_signature", "released", "shipped", "delivered"}:
        offered.append("payment")
    if status in BEFORE_SHIPMENT:
        offered += ["amend", "cancel"]
    return offered
