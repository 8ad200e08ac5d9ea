"""Small valid messages for the contract tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

from contracts.commands.sales import RecordPayment
from contracts.common import Address, Contact, OrderLine, PaymentTerms
from contracts.enums import PaymentKind
from contracts.events.logistics import GoodsShipped
from contracts.events.sales import OrderReceived

ORDER_ID = UUID("0b6f3c1e-5d55-4f5e-9f58-2d0c8f1f6a01")
SHIPMENT_ID = UUID("7d1c2a8e-1f0b-4c1e-8a55-3b6f0e9d2c11")
AT = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)

ADDRESS = Address(
    recipient="Receiving dock",
    company="Acme Pumps Ltd",
    line1="88 Jinqiao Road",
    city="Shanghai",
    postal_code="201206",
    country="CN",
)


def order_received(**changes: object) -> OrderReceived:
    fields: dict[str, object] = {
        "order_id": ORDER_ID,
        "order_no": "202611-001",
        "customer_id": "C1001",
        "customer_class": "B",
        "channel": "email",
        "contact": Contact(name="Li Wei", phone="+86 21 5555 0101"),
        "lines": [
            OrderLine(
                line_no=1,
                product_code="VLV-50",
                spec="DN50 316L",
                quantity=4,
                unit_price=Decimal("12.30"),
            )
        ],
        "requested_date": date(2026, 12, 15),
        "delivery_address": ADDRESS,
        "payment_terms": PaymentTerms(code="NET30", net_days=30, deposit_percent=Decimal("30")),
        "total_amount": Decimal("49.20"),
        "currency": "CNY",
    }
    fields.update(changes)
    return OrderReceived.model_validate(fields)


def goods_shipped() -> GoodsShipped:
    return GoodsShipped(
        shipment_id=SHIPMENT_ID,
        order_id=ORDER_ID,
        order_no="202611-001",
        carrier="SF",
        tracking_no="SF1234567890",
        eta=date(2026, 11, 30),
        package_count=2,
        total_weight_kg=Decimal("38.5"),
        delivery_address=ADDRESS,
    )


def payment_command(client_reference: str = "bank-1") -> RecordPayment:
    """A bank's deposit of 100 CNY for order 202612-001, sent as a command."""
    return RecordPayment(
        order_no="202612-001",
        client_reference=client_reference,
        payment_kind=PaymentKind.DEPOSIT,
        amount=Decimal("100.00"),
        currency="CNY",
        received_on=date(2026, 12, 2),
    )
