"""SQL of orders, their reviews, numbers and money (master data: ``master_data``). Repositories
never commit: the unit of work does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.common import Address, Contact, PaymentTerms
from contracts.enums import Channel, CustomerClass, ReviewDepartment, ReviewVerdict
from contracts.status.sales import (
    ApprovalRule,
    ApprovalStatus,
    OrderStatus,
)
from services.sales.adapters.tables import (
    complaint_link,
    credit_note,
    customer_order,
    invoice,
    number_counter,
    order_amendment,
    order_line,
    order_review,
    order_review_answer,
    payment,
    refund,
)
from services.sales.domain.approval import Approval
from services.sales.domain.intake import DraftLine
from services.sales.domain.invoice import Invoice
from services.sales.domain.order import Order, Review


def _json(model: Any) -> Any:
    return None if model is None else model.model_dump(mode="json")


class NumberRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def next(self, series: str) -> int:
        """The next number of a series; atomic, so replicas never hand out one number twice.

        The row stays locked until the transaction ends: a rolled-back order gives its
        number back, so numbers are neither doubled nor skipped.
        """
        stmt = (
            pg_insert(number_counter)
            .values(series=series, last=1)
            .on_conflict_do_update(
                index_elements=[number_counter.c.series],
                set_={"last": number_counter.c.last + 1},
            )
            .returning(number_counter.c.last)
        )
        return int((await self.session.execute(stmt)).scalar_one())


def _approval_json(a: Approval) -> dict[str, Any]:
    return {
        "by": a.by,
        "role": a.role,
        "at": a.at.isoformat(),
        "base_amount": str(a.base_amount),
        "notes": a.notes,
    }


def _approval(raw: dict[str, Any]) -> Approval:
    return Approval(
        raw["by"],
        raw["role"],
        datetime.fromisoformat(raw["at"]),
        Decimal(raw["base_amount"]),
        raw.get("notes"),
    )


_SCALARS = (
    "order_no",
    "source",
    "client_reference",
    "customer_id",
    "customer_name",
    "requested_date",
    "currency",
    "rush",
    "notes",
    "original_order_id",
    "missing_fields",
    "approved_by",
    "entered_by",
    "base_total",
    "exchange_rate",
    "promised_date",
    "confirmation_sent_at",
    "signed_at",
    "signed_by",
    "signed_on",
    "signature_recorded_by",
    "deposit_required",
    "deposit_paid",
    "paid_total",
    "paid_at",
    "invoiced_total",
    "invoice_due_at",
    "released_at",
    "shipped_at",
    "delivered_at",
    "delivered_on",
    "completed_at",
    "closed_reason",
    "amendment_count",
    "credited_total",
    "proposed_date",
    "proposed_reason",
    "review_round",
    "created_at",
)


class OrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, order: Order, now: datetime) -> bool:
        """Insert; False when an order with the same source and client reference exists."""
        stmt = (
            pg_insert(customer_order)
            .values(**self._row(order, now))
            .on_conflict_do_nothing(constraint="uq_customer_order_reference")
            .returning(customer_order.c.order_id)
        )
        if (await self.session.execute(stmt)).first() is None:
            return False
        await self._write_children(order)
        return True

    async def save(self, order: Order, now: datetime) -> None:
        await self.session.execute(
            update(customer_order)
            .where(customer_order.c.order_id == order.order_id)
            .values(**self._row(order, now))
        )
        await self.session.execute(
            delete(order_line).where(order_line.c.order_id == order.order_id)
        )
        await self.session.execute(
            delete(order_review).where(order_review.c.order_id == order.order_id)
        )
        await self._write_children(order)

    async def _write_children(self, order: Order) -> None:
        if order.lines:
            await self.session.execute(
                insert(order_line),
                [
                    {
                        "order_id": order.order_id,
                        "line_no": no,
                        "product_code": ln.product_code,
                        "spec": ln.spec,
                        "quantity": ln.quantity,
                        "unit_price": ln.unit_price,
                    }
                    for no, ln in enumerate(order.lines, start=1)
                ],
            )
        if order.reviews:
            await self.session.execute(
                insert(order_review),
                [
                    {
                        "order_id": order.order_id,
                        "department": r.department.value,
                        "verdict": r.verdict.value,
                        "earliest_date": r.earliest_date,
                        "notes": r.notes,
                        "reviewer": r.reviewer,
                        "review_round": r.review_round,
                        "reviewed_at": r.reviewed_at,
                    }
                    for r in order.reviews.values()
                ],
            )

    @staticmethod
    def _row(o: Order, now: datetime) -> dict[str, Any]:
        row = {name: getattr(o, name) for name in _SCALARS}
        row.update(
            order_id=o.order_id,
            channel=o.channel.value,
            status=o.status.value,
            customer_class=o.customer_class.value if o.customer_class else None,
            contact=_json(o.contact),
            delivery_address=_json(o.delivery_address),
            payment_terms=_json(o.payment_terms),
            list_prices={k: str(v) for k, v in o.list_prices.items()},
            approval_status=o.approval_status.value,
            approval_reasons=[r.value for r in o.approval_reasons],
            approvals={r.value: _approval_json(a) for r, a in o.approvals.items()},
            amended_by=list(o.amended_by),
            total_amount=o.total,
            updated_at=now,
        )
        return row

    async def get(self, order_id: UUID, *, lock: bool = True) -> Order | None:
        return await self._load(customer_order.c.order_id == order_id, lock)

    async def get_by_no(self, order_no: str, *, lock: bool = True) -> Order | None:
        return await self._load(customer_order.c.order_no == order_no, lock)

    async def by_reference(self, source: str, reference: str) -> Order | None:
        return await self._load(
            and_(
                customer_order.c.source == source,
                customer_order.c.client_reference == reference,
            ),
            False,
        )

    async def _load(self, where: Any, lock: bool) -> Order | None:
        stmt = select(customer_order).where(where)
        if lock:
            stmt = stmt.with_for_update(key_share=True)
        row = (await self.session.execute(stmt)).first()
        if row is None:
            return None
        lines = await self.session.execute(
            select(order_line)
            .where(order_line.c.order_id == row.order_id)
            .order_by(order_line.c.line_no)
        )
        reviews = await self.session.execute(
            select(order_review).where(order_review.c.order_id == row.order_id)
        )
        return self._to_order(row, lines.all(), reviews.all())

    @staticmethod
    def _to_order(row: Any, lines: Sequence[Any], reviews: Sequence[Any]) -> Order:
        kwargs = {name: getattr(row, name) for name in _SCALARS}
        order = Order(
            order_id=row.order_id,
            channel=Channel(row.channel),
            status=OrderStatus(row.status),
            customer_class=CustomerClass(row.customer_class) if row.customer_class else None,
            contact=Contact.model_validate(row.contact) if row.contact else None,
            delivery_address=Address.model_validate(row.delivery_address)
            if row.delivery_address
            else None,
            payment_terms=PaymentTerms.model_validate(row.payment_terms)
            if row.payment_terms
            else None,
            list_prices={k: Decimal(v) for k, v in row.list_prices.items()},
            approval_status=ApprovalStatus(row.approval_status),
            approval_reasons=[ApprovalRule(r) for r in row.approval_reasons],
            approvals={ApprovalRule(r): _approval(a) for r, a in row.approvals.items()},
            amended_by=list(row.amended_by),
            lines=[DraftLine(ln.product_code, ln.spec, ln.quantity, ln.unit_price) for ln in lines],
            reviews={
                ReviewDepartment(r.department): Review(
                    ReviewDepartment(r.department),
                    ReviewVerdict(r.verdict),
                    r.reviewed_at,
                    r.earliest_date,
                    r.notes,
                    r.reviewer,
                    r.review_round,
                )
                for r in reviews
            },
            **kwargs,
        )
        return order

    async def list(
        self,
        status: str | None = None,
        customer_id: str | None = None,
        created_from: date | None = None,
        created_to: date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> list[Order]:
        stmt = select(customer_order.c.order_id).order_by(customer_order.c.created_at.desc())
        if status:
            stmt = stmt.where(customer_order.c.status == status)
        if customer_id:
            stmt = stmt.where(customer_order.c.customer_id == customer_id)
        if created_from:
            stmt = stmt.where(func.date(customer_order.c.created_at) >= created_from)
        if created_to:
            stmt = stmt.where(func.date(customer_order.c.created_at) <= created_to)
        ids = (await self.session.execute(stmt.limit(limit).offset(offset))).scalars().all()
        orders = [await self.get(i, lock=False) for i in ids]
        return [o for o in orders if o is not None]

    async def record_amendment(
        self, order_id: UUID, reference: str, no: int, now: datetime
    ) -> bool:
        """False when this change reference was already applied (idempotent amendments)."""
        stmt = (
            pg_insert(order_amendment)
            .values(order_id=order_id, client_reference=reference, amendment_no=no, created_at=now)
            .on_conflict_do_nothing()
            .returning(order_amendment.c.order_id)
        )
        return (await self.session.execute(stmt)).first() is not None


class InvoiceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, inv: Invoice, now: datetime) -> None:
        await self.session.execute(insert(invoice).values(**self._row(inv), created_at=now))

    async def save(self, inv: Invoice) -> None:
        await self.session.execute(
            update(invoice)
            .where(invoice.c.invoice_id == inv.invoice_id)
            .values(paid_amount=inv.paid_amount)
        )

    @staticmethod
    def _row(inv: Invoice) -> dict[str, Any]:
        return {
            "invoice_id": inv.invoice_id,
            "invoice_no": inv.invoice_no,
            "order_id": inv.order_id,
            "order_no": inv.order_no,
            "amount": inv.amount,
            "paid_amount": inv.paid_amount,
            "currency": inv.currency,
            "issued_on": inv.issued_on,
            "due_date": inv.due_date,
            "late_fee_percent": inv.late_fee_percent,
            "reference": inv.reference,
        }

    async def for_order(self, order_id: UUID) -> list[Invoice]:
        rows = await self.session.execute(
            select(invoice)
            .where(invoice.c.order_id == order_id)
            .order_by(invoice.c.created_at, invoice.c.invoice_no)
            .with_for_update(key_share=True)
        )
        return [
            Invoice(
                invoice_id=r.invoice_id,
                invoice_no=r.invoice_no,
                order_id=r.order_id,
                order_no=r.order_no,
                amount=r.amount,
                currency=r.currency,
                issued_on=r.issued_on,
                due_date=r.due_date,
                late_fee_percent=r.late_fee_percent,
                paid_amount=r.paid_amount,
                reference=r.reference,
            )
            for r in rows
        ]


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, values: dict[str, Any]) -> bool:
        """False when this bank reference was already recorded (idempotent payments)."""
        stmt = (
            pg_insert(payment)
            .values(**values)
            .on_conflict_do_nothing(constraint="uq_payment_reference")
            .returning(payment.c.payment_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def by_reference(self, source: str, reference: str) -> dict[str, Any] | None:
        """The payment already recorded under this sender's bank reference, if any."""
        row = (
            await self.session.execute(
                select(payment).where(payment.c.source == source, payment.c.reference == reference)
            )
        ).first()
        return None if row is None else dict(row._mapping)

    async def for_order(self, order_id: UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(payment).where(payment.c.order_id == order_id).order_by(payment.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


class AfterSalesRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def link_complaint(
        self, complaint_id: UUID, complaint_no: str, order_id: UUID, now: datetime
    ) -> None:
        await self.session.execute(
            pg_insert(complaint_link)
            .values(
                complaint_id=complaint_id,
                complaint_no=complaint_no,
                order_id=order_id,
                created_at=now,
            )
            .on_conflict_do_nothing()
        )

    async def order_for_complaint(self, complaint_id: UUID) -> UUID | None:
        stmt = select(complaint_link.c.order_id).where(
            complaint_link.c.complaint_id == complaint_id
        )
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def add_credit_note(self, values: dict[str, Any]) -> bool:
        """False when this decision was credited already."""
        stmt = (
            pg_insert(credit_note)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[credit_note.c.decision_ref])
            .returning(credit_note.c.credit_note_id)
        )
        return (await self.session.execute(stmt)).first() is not None

    async def add_refund(self, values: dict[str, Any]) -> None:
        await self.session.execute(insert(refund).values(**values))

    async def credits_for_order(self, order_id: UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(
                credit_note,
                refund.c.refund_id,
                refund.c.amount.label("refund_amount"),
                refund.c.status.label("refund_status"),
            )
            .outerjoin(refund, refund.c.credit_note_id == credit_note.c.credit_note_id)
            .where(credit_note.c.order_id == order_id)
            .order_by(credit_note.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


class ReviewAnswerRepository:
    """Every review answer received, with what it did to the order."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, order_id: UUID, review: Review, outcome: str) -> None:
        await self.session.execute(
            insert(order_review_answer).values(
                answer_id=uuid4(),
                order_id=order_id,
                department=review.department.value,
                review_round=review.review_round,
                verdict=review.verdict.value,
                earliest_date=review.earliest_date,
                notes=review.notes,
                outcome=outcome,
                received_at=review.reviewed_at,
            )
        )

    async def for_order(self, order_id: UUID) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            select(order_review_answer)
            .where(order_review_answer.c.order_id == order_id)
            .order_by(order_review_answer.c.received_at, order_review_answer.c.review_round)
        )
        return [dict(r._mapping) for r in rows]
