"""Order board and order page: sales' orders joined with every department's view of them."""

from __future__ import annotations

import asyncio
from typing import Any

from services.console.adapters.services import ServiceError
from services.console.app.context import Console
from services.console.app.parts import Parts
from services.console.domain.actions import order_actions
from services.console.domain.audit import AuditRow, merge_audit
from services.console.domain.board import Column, Filters, board_stage, build_board


async def board(console: Console, filters: Filters) -> dict[str, Any]:
    """Sales' orders make the board; customer service's timelines, the customers and the
    price list (for the order form) are parts a person's roles may not see."""
    services, parts = console.services, Parts(console.t)
    orders, timelines, customers, products, permitted = await asyncio.gather(
        services.get(
            "sales",
            "/orders",
            limit=500,
            created_from=filters.created_from,
            created_to=filters.created_to,
        ),
        parts.soft(services.get("customer_service", "/orders", limit=500), []),
        parts.soft(services.get("sales", "/customers"), []),
        parts.soft(services.get("sales", "/price-list"), []),
        console.permitted(),
    )
    by_no = {str(t["order_no"]): t for t in timelines if t.get("order_no")}
    columns: list[Column] = build_board(orders, by_no, filters, console.today())
    cards = [card for column in columns for card in column.cards]
    return {
        "columns": columns,
        "filters": filters,
        "customers": customers,
        "products": products,
        "problems": parts.problems,
        "late": sum(c.late for c in cards),
        "at_risk": sum(c.at_risk for c in cards),
        "total": len(cards),
        "can": permitted.actions,
        "roles_unknown": permitted.unknown,
    }


async def order_page(console: Console, ref: str) -> dict[str, Any]:
    services = console.services
    order = await services.get("sales", f"/orders/{ref}")
    order_id, order_no = order["order_id"], order.get("order_no")
    timeline_call = (
        services.get_or_none("customer_service", f"/orders/{order_no}/timeline")
        if order_no
        else services.get_or_none("customer_service", f"/timelines/{order_id}")
    )
    parts = Parts(console.t)
    (
        timeline,
        reservations,
        work_orders,
        shipments,
        invoices,
        plans,
        audit,
        permitted,
    ) = await asyncio.gather(
        parts.soft(timeline_call, None),
        parts.soft(services.get_or_none("warehouse", f"/orders/{order_id}/reservations"), None),
        parts.soft(services.get("production", "/work-orders", order_id=order_id), []),
        parts.soft(services.get("logistics", f"/orders/{order_id}/shipments"), []),
        parts.soft(services.get("sales", f"/orders/{order_id}/invoices"), []),
        parts.soft(services.get("customer_service", "/remedy-plans", order_id=order_id), []),
        audit_trail(console, str(order_id), parts),
        console.permitted(),
    )
    stage = board_stage(order["status"], (timeline or {}).get("stage"))
    departments = [
        ("Sales", order["status"], _sales_note(order)),
        (
            "Production",
            ", ".join(sorted({w["status"] for w in work_orders})) or "no work order",
            f"{len(work_orders)} work order(s)" if work_orders else "served from stock or not yet",
        ),
        (
            "Warehouse",
            reservations["status"] if reservations else "not yet",
            "fully reserved"
            if reservations and reservations.get("fully_reserved")
            else "reservations pending"
            if reservations
            else "",
        ),
        (
            "Logistics",
            ", ".join(s["status"] for s in shipments) or "no shipment",
            ", ".join(s.get("tracking_no") or "" for s in shipments if s.get("tracking_no")),
        ),
        (
            "Customer service",
            (timeline or {}).get("stage") or "no timeline yet",
            f"expected {(timeline or {}).get('expected_date') or '-'}",
        ),
    ]
    return {
        "order": order,
        "stage": stage,
        "timeline": timeline,
        "history": list(reversed((timeline or {}).get("history") or [])),
        "departments": departments,
        "reservations": reservations,
        "work_orders": work_orders,
        "shipments": shipments,
        "invoices": invoices,
        "remedy_plans": plans,
        "actions": [a for a in order_actions(order["status"]) if a in permitted.actions],
        "roles_unknown": permitted.unknown,
        "audit": audit,
        "problems": parts.problems,
        "today": console.today().isoformat(),
    }


async def audit_trail(console: Console, order_id: str, parts: Parts) -> list[AuditRow]:
    """Who did what on the order, in every department, in the order it happened."""
    names = console.services.names
    found = await asyncio.gather(
        *(parts.soft(console.services.get(n, "/audit", order=order_id), []) for n in names)
    )
    return merge_audit(dict(zip(names, found, strict=True)))


def _sales_note(order: dict[str, Any]) -> str:
    if order.get("missing_fields"):
        return "missing: " + ", ".join(order["missing_fields"])
    if order["status"] == "awaiting_deposit":
        return f"deposit {order['deposit_paid']} of {order['deposit_required']}"
    return f"paid {order['paid_total']} of {order['total_amount']}"


__all__ = ["ServiceError", "board", "order_page"]
