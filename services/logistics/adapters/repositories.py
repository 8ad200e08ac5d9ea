"""All logistics SQL. Repositories never commit; the unit of work does."""

from __future__ import annotations

import hashlib
from dataclasses import fields
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.logistics.adapters.tables import (
    cancelled_order,
    carrier_service,
    proof_of_delivery,
    shipment,
    tracking_event,
)
from services.logistics.domain.carriers import CarrierService
from services.logistics.domain.shipment import Kind, Proof, Scan, Shipment, Status

_SHIPMENT_COLUMNS = [
    f.name for f in fields(Shipment) if f.name not in ("events", "timers", "proof")
]


def _to_row(s: Shipment) -> dict[str, Any]:
    row = {name: getattr(s, name) for name in _SHIPMENT_COLUMNS}
    row["kind"], row["status"] = s.kind.value, s.status.value
    return row


def _from_row(row: Any) -> Shipment:
    data = {name: getattr(row, name) for name in _SHIPMENT_COLUMNS}
    data["kind"], data["status"] = Kind(row.kind), Status(row.status)
    return Shipment(**data)


class ShipmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, s: Shipment) -> bool:
        """Insert unless the order (or return) already has its shipment; True if inserted."""
        stmt = pg_insert(shipment).values(**_to_row(s)).on_conflict_do_nothing()
        result = await self.session.execute(stmt.returning(shipment.c.id))
        return result.first() is not None

    async def lock_subject(self, subject_id: UUID) -> None:
        """Serialise work on one order or return until this transaction ends.

        Booking talks to a carrier before the shipment row exists, so two replicas handling
        two copies of goods.ready must not both get that far.
        """
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:k)"),
            {"k": int.from_bytes(subject_id.bytes[:8], "big", signed=True)},
        )

    async def save(self, s: Shipment) -> None:
        row = _to_row(s)
        row.pop("id")
        await self.session.execute(update(shipment).where(shipment.c.id == s.id).values(**row))

    async def get(self, shipment_id: UUID, *, lock: bool = False) -> Shipment | None:
        stmt = select(shipment).where(shipment.c.id == shipment_id)
        row = (
            await self.session.execute(stmt.with_for_update(key_share=True) if lock else stmt)
        ).first()
        return _from_row(row) if row else None

    async def for_order(self, order_id: UUID, *, lock: bool = False) -> list[Shipment]:
        stmt = (
            select(shipment).where(shipment.c.order_id == order_id).order_by(shipment.c.booked_at)
        )
        rows = (
            await self.session.execute(stmt.with_for_update(key_share=True) if lock else stmt)
        ).all()
        return [_from_row(r) for r in rows]

    async def by_tracking(
        self, carrier: str, tracking_no: str, *, lock: bool = False
    ) -> Shipment | None:
        stmt = select(shipment).where(
            and_(shipment.c.carrier == carrier, shipment.c.tracking_no == tracking_no)
        )
        row = (
            await self.session.execute(stmt.with_for_update(key_share=True) if lock else stmt)
        ).first()
        return _from_row(row) if row else None

    async def by_return(self, return_id: UUID) -> Shipment | None:
        stmt = select(shipment).where(
            and_(shipment.c.return_id == return_id, shipment.c.kind == Kind.RETURN_PICKUP.value)
        )
        row = (await self.session.execute(stmt)).first()
        return _from_row(row) if row else None

    async def list(self, status: str | None = None, limit: int = 100) -> list[Shipment]:
        stmt = select(shipment).order_by(shipment.c.booked_at.desc()).limit(limit)
        if status:
            stmt = stmt.where(shipment.c.status == status)
        return [_from_row(r) for r in (await self.session.execute(stmt)).all()]


class ScanRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self, shipment_id: UUID, scan: Scan, source: str, received_at: datetime, recorded_by: str
    ) -> int | None:
        """Record a scan, with who posted it; None when the carrier already sent this scan id
        (a repeat)."""
        stmt = (
            pg_insert(tracking_event)
            .values(
                shipment_id=shipment_id,
                carrier=scan.carrier,
                scan_id=scan.scan_id,
                source=source,
                status=scan.status.value,
                location=scan.location,
                scanned_at=scan.at,
                description=scan.description,
                eta=scan.eta,
                exception_kind=scan.exception_kind.value if scan.exception_kind else None,
                signed_by=scan.signed_by,
                proof_ref=scan.proof_ref,
                received_at=received_at,
                recorded_by=recorded_by,
            )
            .on_conflict_do_nothing(constraint="uq_tracking_event_scan")
            .returning(tracking_event.c.id)
        )
        row = (await self.session.execute(stmt)).first()
        return row.id if row else None

    async def mark_applied(self, scan_row_id: int) -> None:
        await self.session.execute(
            update(tracking_event).where(tracking_event.c.id == scan_row_id).values(applied=True)
        )

    async def history(self, shipment_id: UUID) -> list[dict[str, Any]]:
        stmt = (
            select(tracking_event)
            .where(tracking_event.c.shipment_id == shipment_id)
            .order_by(tracking_event.c.scanned_at, tracking_event.c.id)
        )
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]


class ProofRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def archive(
        self,
        shipment_id: UUID,
        proof: Proof,
        archived_at: datetime,
        recorded_by: str,
        document: bytes | None = None,
        content_type: str | None = None,
    ) -> None:
        stmt = pg_insert(proof_of_delivery).values(
            proof_ref=proof.proof_ref,
            shipment_id=shipment_id,
            signed_by=proof.signed_by,
            signed_at=proof.signed_at,
            remarks=proof.remarks,
            document=document,
            content_type=content_type if document is not None else None,
            sha256=hashlib.sha256(document).hexdigest() if document is not None else None,
            archived_at=archived_at,
            recorded_by=recorded_by,
        )
        await self.session.execute(stmt.on_conflict_do_nothing())

    async def for_shipment(self, shipment_id: UUID) -> dict[str, Any] | None:
        stmt = select(proof_of_delivery).where(proof_of_delivery.c.shipment_id == shipment_id)
        row = (await self.session.execute(stmt)).first()
        return dict(row._mapping) if row else None


class CancelledOrderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mark(self, order_id: UUID, reason: str, at: datetime) -> None:
        stmt = pg_insert(cancelled_order).values(order_id=order_id, reason=reason, cancelled_at=at)
        await self.session.execute(stmt.on_conflict_do_nothing())

    async def is_cancelled(self, order_id: UUID) -> bool:
        stmt = select(cancelled_order.c.order_id).where(cancelled_order.c.order_id == order_id)
        return (await self.session.execute(stmt)).first() is not None


def _service(row: Any) -> CarrierService:
    return CarrierService(
        code=row.code,
        name=row.name,
        service_level=row.service_level,
        express=row.express,
        regions=tuple(row.regions),
        max_weight_kg=Decimal(row.max_weight_kg),
        transit_days=row.transit_days,
        base_rate=Decimal(row.base_rate),
        rate_per_kg=Decimal(row.rate_per_kg),
        currency=row.currency,
        active=row.active,
        tracking_url_template=row.tracking_url_template,
    )


class CarrierRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def services(self, *, active_only: bool = True) -> list[CarrierService]:
        stmt = select(carrier_service).order_by(
            carrier_service.c.code, carrier_service.c.service_level
        )
        if active_only:
            stmt = stmt.where(carrier_service.c.active.is_(True))
        return [_service(r) for r in (await self.session.execute(stmt)).all()]

    async def rows(self) -> list[dict[str, Any]]:
        stmt = select(carrier_service).order_by(
            carrier_service.c.code, carrier_service.c.service_level
        )
        return [dict(r._mapping) for r in (await self.session.execute(stmt)).all()]

    async def get(self, service_id: UUID) -> dict[str, Any] | None:
        stmt = select(carrier_service).where(carrier_service.c.id == service_id)
        row = (await self.session.execute(stmt)).first()
        return dict(row._mapping) if row else None

    async def add(self, values: dict[str, Any]) -> UUID | None:
        """Insert a carrier service; None when that code and service level already exist."""
        new_id = uuid4()
        stmt = (
            pg_insert(carrier_service)
            .values(id=new_id, **values)
            .on_conflict_do_nothing(constraint="uq_carrier_service_code_level")
            .returning(carrier_service.c.id)
        )
        row = (await self.session.execute(stmt)).first()
        return row.id if row else None

    async def update(self, service_id: UUID, values: dict[str, Any]) -> bool:
        result = await self.session.execute(
            update(carrier_service).where(carrier_service.c.id == service_id).values(**values)
        )
        return bool(getattr(result, "rowcount", 0))
