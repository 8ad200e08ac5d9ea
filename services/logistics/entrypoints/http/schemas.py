"""What logistics' HTTP API takes and answers: one model per body, typed in OpenAPI.

Nobody names themselves in a body: who posted a scan or a delivery is the signed-in carrier
system or dispatcher, and when it was recorded is the server's time. Who signed the delivery
note is the customer's, as the carrier declares it (``signed_by``).
"""

from __future__ import annotations

import base64
import binascii
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

from contracts.common import Address
from contracts.enums import ShipmentExceptionKind, ShipmentStatus
from contracts.status.logistics import ScanSource, ShipmentKind, ShipmentState
from services.logistics.domain.carriers import CarrierChoice
from services.logistics.domain.shipment import Shipment

# A signed delivery note's scan or photo: a few megabytes at most.
_MAX_DOCUMENT_BASE64 = 8_000_000
ProofType = Literal["application/pdf", "image/jpeg", "image/png"]
PROOF_SIGNATURES: dict[str, bytes] = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
"""How each accepted document type begins: a proof is stored and served only as what it is."""


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class CarrierServiceIn(Body):
    code: str = Field(min_length=1, max_length=32, description="Carrier code, e.g. 'SF'.")
    name: str = Field(min_length=1, max_length=200)
    service_level: str = Field(
        min_length=1, max_length=64, description="e.g. 'express', 'standard'."
    )
    express: bool = False
    regions: list[str] = Field(
        min_length=1,
        max_length=200,
        description="'*', a country code, 'CN:Guangdong', or '!CN' to exclude.",
    )
    max_weight_kg: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    transit_days: int = Field(ge=0, le=365, description="Business days from pickup to delivery.")
    base_rate: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    rate_per_kg: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(default="CNY", pattern=r"^[A-Z]{3}$")
    active: bool = True
    tracking_url_template: str | None = Field(default=None, max_length=500)

    @field_validator("regions")
    @classmethod
    def _regions_bounded(cls, regions: list[str]) -> list[str]:
        return _bounded_regions(regions)


class CarrierServicePatch(Body):
    active: bool | None = None
    regions: list[str] | None = Field(default=None, min_length=1, max_length=200)
    max_weight_kg: Decimal | None = Field(default=None, gt=0, max_digits=12, decimal_places=3)
    transit_days: int | None = Field(default=None, ge=0, le=365)
    base_rate: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    rate_per_kg: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=2)
    express: bool | None = None

    @field_validator("regions")
    @classmethod
    def _regions_bounded(cls, regions: list[str] | None) -> list[str] | None:
        return None if regions is None else _bounded_regions(regions)


def _bounded_regions(regions: list[str]) -> list[str]:
    if any(not r or len(r) > 64 for r in regions):
        raise ValueError("each region is 1 to 64 characters")
    return regions


class QuoteIn(Body):
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")
    region: str | None = Field(default=None, max_length=100)
    weight_kg: Decimal = Field(gt=0, max_digits=12, decimal_places=3)
    promised_date: date | None = None
    rush: bool = False


class ScanIn(Body):
    """A carrier's webhook call: one tracking scan, optionally with the signed delivery note."""

    carrier: str = Field(min_length=1, max_length=32)
    tracking_no: str = Field(min_length=1, max_length=64)
    scan_id: str = Field(
        min_length=1, max_length=128, description="Carrier's unique id of this scan."
    )
    status: ShipmentStatus
    at: AwareDatetime = Field(description="When the carrier scanned (its own clock).")
    location: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=1000)
    eta: date | None = None
    exception_kind: ShipmentExceptionKind | None = None
    signed_by: str | None = Field(
        default=None,
        max_length=200,
        description="Who signed the delivery note at the customer, as the carrier declares it;"
        " required for a delivery.",
    )
    proof_ref: str | None = Field(default=None, max_length=64)
    proof_content_type: ProofType | None = Field(
        default="application/pdf",
        description="What the document is: a PDF, or a JPEG or PNG photo; its first bytes must"
        " say the same.",
    )
    proof_document_base64: str | None = Field(
        default=None,
        max_length=_MAX_DOCUMENT_BASE64,
        description="Scan or photo of the signed delivery note.",
    )

    @field_validator("proof_document_base64")
    @classmethod
    def _is_what_it_says(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        try:
            document = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("is not base64") from exc
        kind = info.data.get("proof_content_type") or "application/pdf"
        if not document.startswith(PROOF_SIGNATURES[kind]):
            raise ValueError(f"is not a {kind} document")
        return value

    def document(self) -> bytes | None:
        if self.proof_document_base64 is None:
            return None
        return base64.b64decode(self.proof_document_base64, validate=True)


class CollectionIn(Body):
    tracking_no: str | None = Field(default=None, min_length=1, max_length=64)


class TrackingNoIn(Body):
    tracking_no: str = Field(min_length=1, max_length=64)


class CancelIn(Body):
    reason: str = Field(min_length=1, max_length=500)


class NextScanIn(Body):
    eta: date | None = None
    signed_by: str = Field(
        default="Recipient",
        min_length=1,
        max_length=200,
        description="Who signs the delivery note, when the next scan is the delivery.",
    )
    location: str | None = Field(default=None, max_length=200)


class CarrierServiceView(BaseModel):
    id: UUID
    code: str
    name: str
    service_level: str
    express: bool
    regions: list[str]
    max_weight_kg: Decimal
    transit_days: int
    base_rate: Decimal
    rate_per_kg: Decimal
    currency: str
    active: bool
    tracking_url_template: str | None


class CandidateView(BaseModel):
    carrier: str
    service_level: str
    express: bool
    eta: date
    cost: Decimal


class QuoteView(BaseModel):
    """The service the rule would choose, why, and the alternatives it weighed."""

    carrier: str
    service_level: str
    eta: date
    cost: Decimal
    reason: str
    candidates: list[CandidateView]

    @classmethod
    def of(cls, choice: CarrierChoice) -> QuoteView:
        return cls(
            carrier=choice.service.code,
            service_level=choice.service.service_level,
            eta=choice.eta,
            cost=choice.cost,
            reason=choice.reason,
            candidates=[
                CandidateView(
                    carrier=c.service.code,
                    service_level=c.service.service_level,
                    express=c.service.express,
                    eta=c.eta,
                    cost=c.cost,
                )
                for c in choice.candidates
            ],
        )


class ShipmentView(BaseModel):
    id: UUID
    kind: ShipmentKind
    status: ShipmentState
    order_id: UUID | None
    order_no: str | None
    return_id: UUID | None
    rma_no: str | None
    carrier: str
    service_level: str
    choice_reason: str
    booking_ref: str
    tracking_no: str | None
    tracking_url: str | None
    cost: Decimal
    currency: str
    total_weight_kg: Decimal
    package_count: int
    delivery_address: Address
    promised_date: date | None
    rush: bool
    pickup_date: date
    eta: date
    original_eta: date
    booked_at: datetime
    dispatched_at: datetime | None
    shipped_notified_at: datetime | None
    delivered_at: datetime | None
    cancelled_at: datetime | None
    delivery_due_at: datetime | None
    overdue: bool = Field(description="Not delivered by the end of the delivery window")

    @classmethod
    def of(cls, s: Shipment, now: datetime) -> ShipmentView:
        derived = {"delivery_address": s.address, "overdue": s.overdue(now)}
        stored = {name: getattr(s, name) for name in cls.model_fields if name not in derived}
        return cls(**stored, **derived)


class ScanView(BaseModel):
    """One scan as received: applied, or kept in the history only (stale or repeated)."""

    id: int
    shipment_id: UUID
    carrier: str
    scan_id: str
    source: ScanSource
    status: ShipmentStatus
    location: str | None
    scanned_at: datetime
    description: str | None
    eta: date | None
    exception_kind: ShipmentExceptionKind | None
    signed_by: str | None
    proof_ref: str | None
    applied: bool
    received_at: datetime
    recorded_by: str | None = Field(description="Who posted it (None before this was kept)")


class ProofView(BaseModel):
    """The signed delivery note: who signed (as the carrier declared), when the carrier scanned
    the delivery, who posted it and when it was archived."""

    proof_ref: str
    shipment_id: UUID
    signed_by: str
    signed_at: datetime
    remarks: str | None
    content_type: str | None
    sha256: str | None
    archived_at: datetime
    recorded_by: str | None
    has_document: bool

    @classmethod
    def of(cls, row: dict[str, Any]) -> ProofView:
        return cls.model_validate({**row, "has_document": row["document"] is not None})


class ScanResultView(BaseModel):
    shipment_id: UUID
    duplicate: bool = Field(description="The carrier sent this scan id before: nothing changed")
    applied: bool = Field(description="False when the scan was stale: kept in the history only")
    status: ShipmentState


class NextScanView(BaseModel):
    scan_id: str
    status: ShipmentState
    applied: bool
