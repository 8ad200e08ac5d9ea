"""A new team follows ``docs/integration.md`` from a fresh system to a completed order (issue 17):
master data from the example CSV files with ``orderflow seed`` and a second master-data person's
approval; then only departmental systems on the bus, with the published names (the contracts'
models and registry, the test kit) and nothing of the services: the EDI gateway submits the
order, the warehouse scanner picks and packs what ``stock.reserved`` shows, the carrier's bridge
reports collection and delivery, finance pays the invoice ``invoice.issued`` announces. Every
command is answered as accepted; every event read is checked against the published schema.

On this development broker every system shares the ``guest`` login, so each plays its name
(``system=``); on a deployment each connects as its own broker user."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from contracts.base import Message
from contracts.commands.logistics import RecordScan
from contracts.commands.sales import RecordPayment, SubmitOrder
from contracts.commands.warehouse import ConfirmPack, ConfirmPick
from contracts.common import Address, Contact, Dimensions, LineQuantity, Package
from contracts.enums import Channel, PaymentKind, ShipmentStatus
from contracts.events.outcomes import CommandAccepted
from contracts.events.sales import InvoiceIssued, OrderCompleted
from contracts.events.warehouse import StockReserved
from contracts.testkit import OrderflowBus
from orderflow.seed import read_rows, seed
from tests.e2e.system import RunningSystem

pytestmark = pytest.mark.e2e
SEED_FILES = Path(__file__).resolve().parents[2] / "docs" / "seed"
WAIT_S = 90.0


async def _signed_in(running: RunningSystem, service: str, who: str) -> httpx.AsyncClient:
    cast = running.cast()
    token = await cast.session(who).authorization()
    await cast.close()
    return httpx.AsyncClient(
        base_url=running.services[service].base_url(),
        headers={"Authorization": token},
        timeout=30,
    )


async def _master_data(running: RunningSystem) -> None:
    """What a fresh system needs (the guide's list), from the example files."""
    keepers = {"sales": "md.he", "warehouse": "store.wang", "production": "planner.liu"}
    clients = {s: await _signed_in(running, s, who) for s, who in keepers.items()}
    checker = await _signed_in(running, "sales", "md.lin")
    try:
        report = await seed(list(read_rows(SEED_FILES)), clients)
        assert report.refused == [], report.lines()
        pending = (await checker.get("/customers/C1001")).json()["pending_change"]
        if pending is not None:
            approved = await checker.post(f"/customer-changes/{pending['change_id']}/approve")
            assert approved.status_code == 200, approved.text
    finally:
        for client in [*clients.values(), checker]:
            await client.aclose()


async def _accepted(bus: OrderflowBus, command: Any, correlation: str) -> CommandAccepted:
    answer = await bus.answer(await bus.send(command, correlation), within_s=WAIT_S)
    assert isinstance(answer, CommandAccepted), answer
    return answer


async def test_a_new_team_follows_the_guide_to_a_completed_order(running: RunningSystem) -> None:
    await _master_data(running)
    url, ns = running.amqp_url, running.namespace
    async with httpx.AsyncClient(base_url=running.services["sales"].base_url()) as sales:
        # the services' (simulated) today, from their public clock
        today = datetime.fromisoformat((await sales.get("/clock")).json()["now"]).date()
    async with (
        OrderflowBus.connect(url, ns, system="edi-gateway") as edi,
        OrderflowBus.connect(url, ns, system="warehouse-scanner") as scanner,
        OrderflowBus.connect(url, ns, system="carrier-bridge") as carrier,
        OrderflowBus.connect(url, ns, system="finance") as finance,
    ):
        await edi.listen("order.confirmed", "goods.shipped", "goods.delivered")
        await scanner.listen("stock.reserved")
        await finance.listen("invoice.issued", "order.completed")

        reference = f"EDI-GUIDE-{today:%Y%m%d}"
        order = SubmitOrder(
            client_reference=reference,
            channel=Channel.EDI,
            customer_id="C1001",
            contact=Contact(name="Li Wei 李伟", phone="+86 21 5555 0101"),
            lines=[{"product_code": "VLV-50", "spec": "DN50 PN16", "quantity": 10}],
            requested_date=today + timedelta(days=30),
            delivery_address=Address(
                recipient="Receiving dock", line1="88 Jinqiao Road", city="Shanghai", country="CN"
            ),
        )
        made = await _accepted(edi, order, reference)
        order_id = made.created["order_id"]
        # class A within its credit: reviewed and released without waiting for a signature
        await edi.event("order.confirmed", where=about(order_id), within_s=WAIT_S)

        reserved = await scanner.event("stock.reserved", where=about(order_id), within_s=WAIT_S)
        assert isinstance(reserved, StockReserved) and reserved.fully_reserved
        now = datetime.now(UTC)
        picked = [
            LineQuantity(
                line_no=ln.line_no, product_code=ln.product_code, quantity=ln.quantity_reserved
            )
            for ln in reserved.lines
        ]
        await _accepted(
            scanner,
            ConfirmPick(order_id=order_id, lines=picked, picked_by="scanner 7", picked_at=now),
            order_id,
        )
        package = Package(
            package_no="1",
            label=f"PKG-{reserved.order_no}-1",
            weight_kg=Decimal("12.5"),
            dimensions=Dimensions(
                length_cm=Decimal(40), width_cm=Decimal(30), height_cm=Decimal(20)
            ),
            contents=picked,
        )
        await _accepted(
            scanner,
            ConfirmPack(
                order_id=order_id, packages=[package], packed_by="scanner 7", packed_at=now
            ),
            order_id,
        )

        tracking = await _booked(running, order_id)
        for step, status in enumerate((ShipmentStatus.PICKED_UP, ShipmentStatus.DELIVERED), 1):
            scan = RecordScan(
                carrier=tracking["carrier"],
                tracking_no=tracking["tracking_no"],
                scan_id=f"{tracking['tracking_no']}-{step}",
                status=status,
                at=datetime.now(UTC),
                location="Shanghai",
                signed_by="Li Wei 李伟" if status == ShipmentStatus.DELIVERED else None,
            )
            await _accepted(carrier, scan, order_id)
        await edi.event("goods.delivered", where=about(order_id), within_s=WAIT_S)

        invoice = await finance.event("invoice.issued", where=about(order_id), within_s=WAIT_S)
        assert isinstance(invoice, InvoiceIssued)
        payment = RecordPayment(
            order_id=order_id,
            client_reference=f"BANK-{invoice.invoice_no}",
            payment_kind=PaymentKind.INVOICE,
            invoice_no=invoice.invoice_no,
            amount=invoice.amount,
            currency=invoice.currency,
            received_on=invoice.issued_on,
        )
        await _accepted(finance, payment, order_id)
        completed = await finance.event("order.completed", where=about(order_id), within_s=WAIT_S)
        assert isinstance(completed, OrderCompleted)
        assert str(completed.order_id) == order_id


def about(order_id: str) -> Callable[[Message], bool]:
    """An event about this order (events name the order in their payload)."""
    return lambda event: str(getattr(event, "order_id", "")) == order_id


async def _booked(running: RunningSystem, order_id: str) -> dict[str, Any]:
    """The booking's carrier and tracking number: the carrier's system issued them (here the
    built-in simulated carrier did, so a dispatcher reads them off logistics)."""
    dispatcher = await _signed_in(running, "logistics", "dispatch.huang")
    try:
        for _ in range(int(WAIT_S * 2)):
            found = (await dispatcher.get(f"/orders/{order_id}/shipments")).json()
            if found and found[0].get("tracking_no"):
                return dict(found[0])
            await asyncio.sleep(0.5)
    finally:
        await dispatcher.aclose()
    raise AssertionError(f"no shipment booked for {order_id}")
