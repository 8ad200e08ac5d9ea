"""Actors of the world outside the services, through their public HTTP APIs only: the sales
desk and customers, warehouse staff, master data, the carrier and the customer paying."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from orderflow.services import ServiceProcess
from orderflow.simulate.polling import until

ADDRESS = {"recipient": "Goods In", "line1": "1 Harbour Rd", "city": "Ningbo", "country": "CN"}
PRODUCTS = {"P-100": ("100.00", "steel, 40 mm, zinc plated"), "P-200": ("250.00", "frame, 2 m")}


@dataclass
class World:
    clients: dict[str, httpx.AsyncClient]

    @classmethod
    def connect(cls, services: dict[str, ServiceProcess]) -> World:
        return cls(
            {n: httpx.AsyncClient(base_url=s.base_url(), timeout=10) for n, s in services.items()}
        )

    async def close(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def call(self, service: str, method: str, path: str, **kw: Any) -> Any:
        response = await self.clients[service].request(method, path, **kw)
        assert response.status_code < 300, (
            f"{service} {method} {path}: {response.status_code} {response.text}"
        )
        return response.json() if response.content else None

    async def seed(self, stock: int = 500) -> None:
        for code, (price, _) in PRODUCTS.items():
            await self._idempotent(
                "sales", "/price-list", {"product_code": code, "unit_price": price}
            )
            await self._idempotent("warehouse", "/items", {"product_code": code})
            await self.call(
                "production", "PUT", f"/products/{code}", json={"family": "hardware", "bom": []}
            )
        await self._idempotent("warehouse", "/locations", {"code": "A-01"})
        for code in PRODUCTS:
            await self.call(
                "warehouse",
                "POST",
                "/stock/receipts",
                json={
                    "product_code": code,
                    "location": "A-01",
                    "quantity": stock,
                    "reference": f"seed-{uuid.uuid4().hex[:6]}",
                },
            )
        await self._idempotent(
            "production",
            "/lines",
            {
                "code": "L1",
                "name": "Assembly 1",
                "capacities": [{"family": "hardware", "pieces_per_day": 200}],
            },
        )

    async def _idempotent(self, service: str, path: str, body: dict[str, Any]) -> None:
        response = await self.clients[service].post(path, json=body)
        assert response.status_code in (200, 201, 409), (
            f"{path}: {response.status_code} {response.text}"
        )

    async def customer(self, klass: str = "A", deposit_percent: str | None = None) -> str:
        customer_id = f"C-{klass}-{uuid.uuid4().hex[:6]}"
        terms: dict[str, Any] = {"code": "NET30", "net_days": 30}
        if deposit_percent:
            terms["deposit_percent"] = deposit_percent
        await self.call(
            "sales",
            "POST",
            "/customers",
            json={
                "customer_id": customer_id,
                "name": f"Customer {klass}",
                "customer_class": klass,
                "credit_limit": "1000000",
                "payment_terms": terms,
            },
        )
        return customer_id

    async def sign(self, order_id: str) -> None:
        await self.call(
            "sales", "POST", f"/orders/{order_id}/signature", json={"signed_by": "Li Wei"}
        )

    async def pay_deposit(self, order_id: str) -> None:
        order = await self.call("sales", "GET", f"/orders/{order_id}")
        await self.call(
            "sales",
            "POST",
            f"/orders/{order_id}/payments",
            json={
                "reference": f"dep-{order_id[:8]}",
                "payment_kind": "deposit",
                "amount": order["deposit_required"],
                "currency": order.get("currency") or "CNY",
                "received_on": date.today().isoformat(),
            },
        )

    async def cancel(self, order_id: str, reason: str) -> None:
        await self.call("sales", "POST", f"/orders/{order_id}/cancel", json={"reason": reason})

    async def order(self, customer_id: str, quantities: dict[str, int]) -> dict[str, Any]:
        lines = [
            {"product_code": code, "spec": PRODUCTS[code][1], "quantity": qty}
            for code, qty in quantities.items()
        ]
        return dict(
            await self.call(
                "sales",
                "POST",
                "/orders",
                json={
                    "client_reference": f"ref-{uuid.uuid4().hex[:10]}",
                    "channel": "web",
                    "customer_id": customer_id,
                    "contact": {"name": "Li Wei", "phone": "+86 574 1234"},
                    "lines": lines,
                    "requested_date": (date.today() + timedelta(days=40)).isoformat(),
                    "delivery_address": ADDRESS,
                },
            )
        )

    async def sales_status(self, order_id: str) -> str:
        return str((await self.call("sales", "GET", f"/orders/{order_id}"))["status"])

    async def wait_status(self, order_id: str, *statuses: str, within_s: float = 60) -> None:
        async def reached() -> bool:
            return await self.sales_status(order_id) in statuses

        await until(reached, within_s=within_s)

    async def pick_and_pack(self, order_id: str, quantities: dict[str, int]) -> None:
        async def lists() -> list[dict[str, Any]]:
            found = await self.call("warehouse", "GET", "/pick-lists")
            return [p for p in found if str(p["order_id"]) == order_id]

        async def has_lists() -> bool:
            return bool(await lists())

        await until(has_lists, within_s=60)
        for pick_list in await lists():
            await self.call(
                "warehouse",
                "POST",
                f"/pick-lists/{pick_list['pick_list_id']}/confirm",
                json={"picked_by": "wang"},
            )
        contents = [
            {"line_no": i, "product_code": code, "quantity": qty}
            for i, (code, qty) in enumerate(quantities.items(), start=1)
        ]
        await self.call(
            "warehouse",
            "POST",
            f"/orders/{order_id}/pack",
            json={
                "packed_by": "wang",
                "packages": [
                    {
                        "package_no": "1",
                        "label": f"PKG-{order_id[:8]}-1",
                        "weight_kg": "12.5",
                        "dimensions": {"length_cm": "60", "width_cm": "40", "height_cm": "30"},
                        "contents": contents,
                    }
                ],
            },
        )

    async def ship_and_deliver(self, order_id: str) -> dict[str, Any]:
        async def shipment() -> list[dict[str, Any]]:
            return list(await self.call("logistics", "GET", f"/orders/{order_id}/shipments"))

        async def booked() -> bool:
            return bool(await shipment())

        await until(booked, within_s=60)
        shipment_id = (await shipment())[0]["id"]
        await self.call("logistics", "POST", f"/shipments/{shipment_id}/collection", json={})
        for _ in range(10):
            view = await self.call(
                "logistics",
                "POST",
                f"/simulator/shipments/{shipment_id}/next-scan",
                json={"signed_by": "Li Wei"},
            )
            if view.get("status") == "delivered":
                return dict(await self.call("logistics", "GET", f"/shipments/{shipment_id}"))
        raise AssertionError(f"shipment {shipment_id} never delivered: {view}")

    async def pay_invoices(self, order_id: str) -> None:
        async def invoiced() -> bool:
            return bool(await self.call("sales", "GET", f"/orders/{order_id}/invoices"))

        await until(invoiced, within_s=60)
        for invoice in await self.call("sales", "GET", f"/orders/{order_id}/invoices"):
            if invoice["open_amount"] in ("0", "0.00"):
                continue
            await self.call(
                "sales",
                "POST",
                f"/orders/{order_id}/payments",
                json={
                    "reference": f"bank-{invoice['invoice_no']}",
                    "payment_kind": "invoice",
                    "amount": invoice["open_amount"],
                    "currency": invoice["currency"],
                    "received_on": date.today().isoformat(),
                    "invoice_no": invoice["invoice_no"],
                },
            )

    async def timeline(self, order_no: str) -> dict[str, Any]:
        return dict(await self.call("customer_service", "GET", f"/orders/{order_no}/timeline"))

    async def dead_lettered(self) -> float:
        """Messages any service has dead-lettered, from their Prometheus metrics."""
        total = 0.0
        for client in self.clients.values():
            text = (await client.get("/metrics")).text
            for line in text.splitlines():
                if line.startswith("orderflow_messages_dead_lettered_total"):
                    total += float(line.rsplit(" ", 1)[1])
        return total
