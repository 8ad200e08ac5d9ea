"""What must hold after a run, read from each service's own data: nothing lost, nothing doubled.

``violations(...)`` reads the five schemas directly (a test may read every database; services
never do) and the dead-letter queues, and returns every broken rule as a sentence. An empty list
means:
- every order ends in its expected terminal state, under exactly one number;
- a completed order has one reservation set (reserved once, picked once, nothing left reserved),
  one outbound shipment (delivered, with a tracking number), invoices (paid) for exactly its
  total (one, or a deposit invoice and one for the balance; none for a free replacement), its
  once-only events exactly once, and one ``order.confirmed`` per review round at most (an
  amendment reviewed anew releases it again); a cancelled or rejected order holds no stock and
  no live shipment, and is invoiced for no more than the deposit it kept;
- the stock ledger adds up: each level equals the sum of its movements, and reserved stock
  equals the open reservations;
- every order's timeline in customer service reached its terminal stage with the events of its
  life;
- every outbox is drained and every dead-letter queue is empty.
"""

from __future__ import annotations

import asyncio
import importlib
import time
from collections import Counter
from collections.abc import Mapping
from typing import Any

import aio_pika
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from orderflow.services import SERVICES
from shared.topology import Topology

# Events an order's life produces exactly once; a second copy under another id is a doubled effect.
ONCE_COMPLETED = (
    "order.received",
    "goods.ready",
    "goods.shipped",
    "goods.delivered",
    "order.completed",
)
ONCE_CANCELLED = ("order.received", "order.cancelled")
# A rejected order (turned down in review or by the manager) never started fulfilment.
ONCE_REJECTED = ("order.received", "order.rejected")
ONCE = {"completed": ONCE_COMPLETED, "cancelled": ONCE_CANCELLED, "rejected": ONCE_REJECTED}
TIMELINE_COMPLETED = {
    *ONCE_COMPLETED,
    "order.confirmed",
    "invoice.issued",
    "order.reviewed",
    "stock.reserved",
    "payment.received",
}


def dead_letter_queues(namespace: str) -> list[str]:
    """The dead-letter queue of every work queue of every service."""
    queues = []
    for service in SERVICES:
        runtime = importlib.import_module(f"{service.module}.main").build_runtime()
        queues += [f"{route.queue}.dlq" for route in runtime.bus.routes(Topology(namespace))]
    return queues


async def dead_letter_counts(amqp_url: str, queues: list[str]) -> dict[str, int]:
    connection = await aio_pika.connect(amqp_url)
    counts: dict[str, int] = {}
    async with connection:
        for name in queues:
            channel = await connection.channel()
            try:
                queue = await channel.declare_queue(name, passive=True)
                counts[name] = queue.declaration_result.message_count or 0
            except aio_pika.exceptions.ChannelClosed:
                counts[name] = -1  # the queue is missing: its service never declared it
    return counts


async def violations(
    database_url: str,
    schemas: Mapping[str, str],
    expected: Mapping[str, str],
    *,
    amqp_url: str,
    namespace: str,
) -> list[str]:
    """Every broken rule; ``expected`` maps order number -> terminal state."""
    found: list[str] = []
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as conn:
            orders = await _orders(conn, schemas["sales"], expected, found)
            for order_no, order in orders.items():
                state = expected[order_no]
                await _sales(conn, schemas["sales"], order_no, order, state, found)
                await _warehouse(conn, schemas["warehouse"], order_no, order, state, found)
                await _logistics(conn, schemas["logistics"], order_no, order, state, found)
                await _timeline(conn, schemas["customer_service"], order_no, order, state, found)
            await _stock_ledger(conn, schemas["warehouse"], found)
            for service, schema in schemas.items():
                pending = await _scalar(
                    conn,
                    f'SELECT count(*) FROM "{schema}".outbox_message WHERE published_at IS NULL',
                )
                if pending:
                    found.append(f"{service}: {pending} outbox rows never published")
    finally:
        await engine.dispose()
    counts = await dead_letter_counts(amqp_url, dead_letter_queues(namespace))
    found += [f"{q}: {n} dead letters" for q, n in counts.items() if n > 0]
    found += [f"{q}: missing" for q, n in counts.items() if n < 0]
    return found


async def eventually_none(timeout: float, **kwargs: Any) -> list[str]:
    """Wait for the system to settle: the violations left once they are none or time is up."""
    deadline = time.monotonic() + timeout
    while True:
        found = await violations(**kwargs)
        if not found or time.monotonic() > deadline:
            return found
        await asyncio.sleep(1.0)


async def _scalar(conn: AsyncConnection, sql: str, **params: object) -> Any:
    return (await conn.execute(text(sql), params)).scalar_one()


async def _rows(conn: AsyncConnection, sql: str, **params: object) -> list[Any]:
    return list((await conn.execute(text(sql), params)).all())


async def _orders(
    conn: AsyncConnection, schema: str, expected: Mapping[str, str], found: list[str]
) -> dict[str, dict[str, Any]]:
    rows = await _rows(
        conn,
        "SELECT order_id, order_no, status, client_reference, total_amount, deposit_paid,"
        " review_round, original_order_id"
        f' FROM "{schema}".customer_order WHERE order_no = ANY(:nos)',
        nos=list(expected),
    )
    orders: dict[str, dict[str, Any]] = {}
    for row in rows:
        lines = await _rows(
            conn,
            f'SELECT product_code, sum(quantity) FROM "{schema}".order_line'
            " WHERE order_id = :id GROUP BY product_code",
            id=row.order_id,
        )
        orders[row.order_no] = {
            "order_id": row.order_id,
            "status": row.status,
            "reference": row.client_reference,
            "total": row.total_amount,
            "deposit_paid": row.deposit_paid,
            "review_rounds": row.review_round,
            "free": row.original_order_id is not None,
            "lines": {code: int(qty) for code, qty in lines},
        }
    missing = sorted(set(expected) - set(orders))
    if missing:
        found.append(f"sales: orders missing: {missing}")
    if len(set(expected)) != len(expected):
        found.append("sales: an order number was given twice")
    refs = [o["reference"] for o in orders.values()]
    twice = await _rows(
        conn,
        f'SELECT client_reference, count(*) FROM "{schema}".customer_order'
        " WHERE client_reference = ANY(:refs) GROUP BY client_reference HAVING count(*) > 1",
        refs=refs,
    )
    found += [f"sales: client reference {r} taken by {n} orders" for r, n in twice]
    return orders


async def _sales(
    conn: AsyncConnection,
    schema: str,
    order_no: str,
    order: dict[str, Any],
    state: str,
    found: list[str],
) -> None:
    if order["status"] != state:
        found.append(f"sales {order_no}: status {order['status']}, expected {state}")
    invoices = await _rows(
        conn,
        f'SELECT invoice_no, amount, paid_amount FROM "{schema}".invoice WHERE order_id = :id',
        id=order["order_id"],
    )
    order["invoices"] = len(invoices)
    invoiced = sum((i.amount for i in invoices), start=0)
    if state == "completed":
        # one invoice, or a deposit invoice and one for the balance: never more than the
        # total; a free replacement has nothing to invoice
        if (not invoices and not order["free"]) or invoiced != order["total"]:
            found.append(
                f"sales {order_no}: {len(invoices)} invoices for {invoiced}, total {order['total']}"
            )
        found += [
            f"sales {order_no}: invoice {i.invoice_no} paid {i.paid_amount} of {i.amount}"
            for i in invoices
            if i.paid_amount != i.amount
        ]
    elif invoiced > order["deposit_paid"]:
        # a cancelled order keeps the deposit it was paid, and its invoice; nothing more
        found.append(
            f"sales {order_no}: {state} but invoiced {invoiced} "
            f"(deposit paid {order['deposit_paid']})"
        )


async def _warehouse(
    conn: AsyncConnection,
    schema: str,
    order_no: str,
    order: dict[str, Any],
    state: str,
    found: list[str],
) -> None:
    moves = await _rows(
        conn,
        f"SELECT product_code, kind, sum(reserved_delta) AS r, sum(on_hand_delta) AS h"
        f' FROM "{schema}".stock_movement WHERE order_id = :id GROUP BY product_code, kind',
        id=order["order_id"],
    )
    by = {(m.product_code, m.kind): (int(m.r), int(m.h)) for m in moves}
    open_reserved = await _scalar(
        conn,
        f'SELECT coalesce(sum(quantity_reserved), 0) FROM "{schema}".reservation'
        " WHERE order_id = :id",
        id=order["order_id"],
    )
    if open_reserved:
        found.append(f"warehouse {order_no}: {open_reserved} units still reserved")
    for code, quantity in order["lines"].items():
        reserved = by.get((code, "reserve"), (0, 0))[0]
        picked = -by.get((code, "pick"), (0, 0))[1]
        if state == "completed" and (reserved, picked) != (quantity, quantity):
            found.append(
                f"warehouse {order_no} {code}: reserved {reserved}, picked {picked}, "
                f"ordered {quantity}"
            )
        if state != "completed":
            released = -by.get((code, "release"), (0, 0))[0]
            if reserved > quantity or reserved != released or picked:
                found.append(
                    f"warehouse {order_no} {code}: {state} with reserved {reserved}, "
                    f"released {released}, picked {picked}, ordered {quantity}"
                )


async def _stock_ledger(conn: AsyncConnection, schema: str, found: list[str]) -> None:
    rows = await _rows(
        conn,
        f"""SELECT s.product_code, s.location, s.on_hand, s.reserved,
                   coalesce(m.h, 0) AS h, coalesce(m.r, 0) AS r, coalesce(o.open, 0) AS open
            FROM "{schema}".stock s
            LEFT JOIN (SELECT product_code, location, sum(on_hand_delta) AS h,
                              sum(reserved_delta) AS r
                       FROM "{schema}".stock_movement GROUP BY product_code, location) m
              USING (product_code, location)
            LEFT JOIN (SELECT f.product_code, r.location, sum(r.quantity_reserved) AS open
                       FROM "{schema}".reservation r
                       JOIN "{schema}".fulfilment_line f USING (order_id, line_no)
                       GROUP BY f.product_code, r.location) o
              USING (product_code, location)""",
    )
    for row in rows:
        if (row.on_hand, row.reserved) != (row.h, row.r) or row.reserved != row.open:
            found.append(
                f"warehouse stock {row.product_code}@{row.location}: on hand {row.on_hand} "
                f"(movements {row.h}), reserved {row.reserved} (movements {row.r}, "
                f"open reservations {row.open})"
            )


async def _logistics(
    conn: AsyncConnection,
    schema: str,
    order_no: str,
    order: dict[str, Any],
    state: str,
    found: list[str],
) -> None:
    shipments = await _rows(
        conn,
        f'SELECT status, tracking_no FROM "{schema}".shipment'
        " WHERE order_id = :id AND kind = 'outbound'",
        id=order["order_id"],
    )
    if state == "completed":
        if len(shipments) != 1:
            found.append(f"logistics {order_no}: {len(shipments)} shipments, expected 1")
        found += [
            f"logistics {order_no}: shipment {s.status}, tracking {s.tracking_no}"
            for s in shipments
            if s.status != "delivered" or not s.tracking_no
        ]
    else:
        found += [
            f"logistics {order_no}: {state} order has a shipment {s.status}"
            for s in shipments
            if s.status != "cancelled"
        ]


async def _timeline(
    conn: AsyncConnection,
    schema: str,
    order_no: str,
    order: dict[str, Any],
    state: str,
    found: list[str],
) -> None:
    order_id = str(order["order_id"])
    stage = await _rows(
        conn,
        f"SELECT stage FROM \"{schema}\".timeline WHERE order_no = :no AND kind = 'order'",
        no=order_no,
    )
    if [s.stage for s in stage] != [state]:
        found.append(f"customer service {order_no}: timeline stages {stage}, expected {state}")
    events = Counter(
        t
        for (t,) in await _rows(
            conn,
            f'SELECT event_type FROM "{schema}".event_record'
            " WHERE correlation_id = :id OR payload->>'order_id' = :id",
            id=order_id,
        )
    )
    once = ONCE[state]
    found += [
        f"customer service {order_no}: {events[t]} x {t}, expected 1"
        for t in once
        if events[t] != 1
    ]
    if events["invoice.issued"] != order.get("invoices", 0):
        found.append(
            f"customer service {order_no}: {events['invoice.issued']} x invoice.issued, "
            f"sales issued {order.get('invoices', 0)}"
        )
    if state == "completed":
        # released again after each amendment that was reviewed anew (until it shipped)
        confirmed = events["order.confirmed"]
        if not 1 <= confirmed <= max(order["review_rounds"], 1):
            found.append(
                f"customer service {order_no}: {confirmed} x order.confirmed in "
                f"{order['review_rounds']} review rounds"
            )
        owed = TIMELINE_COMPLETED - (
            {"invoice.issued", "payment.received"} if order["free"] else set()
        )
        missing = owed - set(events)
        if missing:
            found.append(f"customer service {order_no}: timeline lacks {sorted(missing)}")
