"""Events other services would publish about one order, for driving the customer service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from contracts.common import Address, Contact, Dimensions, OrderLine, Package, PaymentTerms
from contracts.enums import (
    Channel,
    CustomerClass,
    DelayCause,
    ReviewDepartment,
    ReviewVerdict,
)
from contracts.events import (
    GoodsDelivered,
    GoodsReady,
    GoodsShipped,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderReceived,
    OrderReviewed,
    OrderReviewRequested,
    OrderSigned,
    ProductionDelayed,
    ProductionScheduled,
)
from contracts.events.production import WorkOrder

ADDRESS = Address(recipient="Li Lei", line1="1 Renmin Road", city="Suzhou")
LINE = OrderLine(
    line_no=1, product_code="VALVE-50", spec="DN50 PN16", quantity=4, unit_price=Decimal("250.00")
)

_numbers = iter(range(100, 10_000))


@dataclass
class Order:
    """One order's identity; each method builds the event that step publishes."""

    order_id: UUID = field(default_factory=uuid4)
    order_no: str = field(default_factory=lambda: f"202611-{next(_numbers)}")
    customer_id: str = field(default_factory=lambda: f"C-{uuid4().hex[:6]}")
    promised: date = date(2026, 11, 20)

    @property
    def key(self) -> str:
        return str(self.order_id)

    def received(self) -> OrderReceived:
        return OrderReceived(
            order_id=self.order_id,
            order_no=self.order_no,
            customer_id=self.customer_id,
            customer_name="Suzhou Pumps",
            customer_class=CustomerClass.B,
            channel=Channel.WEB,
            contact=Contact(name="Li Lei", email="li@example.com", phone="138"),
            lines=[LINE],
            requested_date=self.promised,
            delivery_address=ADDRESS,
            payment_terms=PaymentTerms(code="NET30", net_days=30),
            total_amount=Decimal("1000.00"),
            currency="CNY",
        )

    def review_requested(self, now: datetime) -> OrderReviewRequested:
        return OrderReviewRequested(
            order_id=self.order_id,
            order_no=self.order_no,
            departments=[ReviewDepartment.WAREHOUSE],
            customer_id=self.customer_id,
            customer_class=CustomerClass.B,
            lines=[LINE],
            requested_date=self.promised,
            total_amount=Decimal("1000.00"),
            currency="CNY",
            review_due_at=now + timedelta(hours=24),
        )

    def reviewed(self) -> OrderReviewed:
        return OrderReviewed(
            order_id=self.order_id,
            order_no=self.order_no,
            department=ReviewDepartment.WAREHOUSE,
            verdict=ReviewVerdict.APPROVE,
            reviewer="Wang",
        )

    def confirmation_sent(self, now: datetime) -> OrderConfirmationSent:
        return OrderConfirmationSent(
            order_id=self.order_id,
            order_no=self.order_no,
            promised_date=self.promised,
            signature_due_at=now + timedelta(days=2),
            sent_via=Channel.EMAIL,
            total_amount=Decimal("1000.00"),
            currency="CNY",
        )

    def signed(self, now: datetime) -> OrderSigned:
        return OrderSigned(
            order_id=self.order_id,
            order_no=self.order_no,
            signed_by="Li Lei",
            signed_at=now,
            promised_date=self.promised,
        )

    def confirmed(self) -> OrderConfirmed:
        return OrderConfirmed(
            order_id=self.order_id,
            order_no=self.order_no,
            customer_id=self.customer_id,
            customer_class=CustomerClass.B,
            promised_date=self.promised,
            lines=[LINE],
            delivery_address=ADDRESS,
        )

    def scheduled(self) -> ProductionScheduled:
        finish = self.promised - timedelta(days=4)
        return ProductionScheduled(
            order_id=self.order_id,
            order_no=self.order_no,
            planned_finish=finish,
            work_orders=[
                WorkOrder(
                    work_order_id=uuid4(),
                    work_order_no="WO-1",
                    line_no=1,
                    product_code="VALVE-50",
                    spec="DN50 PN16",
                    quantity=4,
                    production_line="L1",
                    planned_start=finish - timedelta(days=3),
                    planned_finish=finish,
                )
            ],
        )

    def delayed(self, old: date, new: date) -> ProductionDelayed:
        return ProductionDelayed(
            order_id=self.order_id,
            order_no=self.order_no,
            old_date=old,
            new_date=new,
            cause=DelayCause.MATERIAL,
            reason="steel castings arrive late",
        )

    def ready(self) -> GoodsReady:
        return GoodsReady(
            order_id=self.order_id,
            order_no=self.order_no,
            packages=[
                Package(
                    package_no="1",
                    label="L1",
                    weight_kg=Decimal("20"),
                    dimensions=Dimensions(
                        length_cm=Decimal("50"), width_cm=Decimal("40"), height_cm=Decimal("30")
                    ),
                )
            ],
            total_weight_kg=Decimal("20"),
            delivery_address=ADDRESS,
        )

    def shipped(self, shipment_id: UUID, eta: date) -> GoodsShipped:
        return GoodsShipped(
            shipment_id=shipment_id,
            order_id=self.order_id,
            order_no=self.order_no,
            carrier="SF",
            tracking_no=f"SF{self.order_no[-4:]}",
            eta=eta,
            package_count=1,
            total_weight_kg=Decimal("20"),
            delivery_address=ADDRESS,
        )

    def delivered(self, shipment_id: UUID, at: datetime) -> GoodsDelivered:
        return GoodsDelivered(
            shipment_id=shipment_id,
            order_id=self.order_id,
            order_no=self.order_no,
            carrier="SF",
            tracking_no=f"SF{self.order_no[-4:]}",
            signed_by="Li Lei",
            signed_at=at,
            proof_ref="POD-1",
        )
