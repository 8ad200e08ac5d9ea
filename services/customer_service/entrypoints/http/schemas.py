"""What the customer service's HTTP API takes: one model per body, bounded, unknown fields refused.

Nobody names themselves in a body: who assigned, resolved, approved, proposed a remedy,
recorded the customer's answer, entered or reviewed a work record, or wrote a note is the
signed-in person, and when is the server's time. What a customer declares (their name on a
consent, on a work record) is kept as declared.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from contracts.common import Address, Contact, LineQuantity
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    ServiceOutcome,
    ServiceTicketKind,
    Severity,
    SparePartUrgency,
)
from contracts.events.customer_service import PartUsed, WorkRecord

Name = Annotated[str, Field(min_length=1, max_length=200)]
Code = Annotated[str, Field(min_length=1, max_length=64)]
Words = Annotated[str, Field(min_length=1, max_length=4000)]
Reason = Annotated[str, Field(min_length=1, max_length=1000)]
OrderNo = Annotated[str, Field(pattern=r"^\d{6}-\d{3,12}$")]


class Body(BaseModel):
    """A request body: unknown fields are refused (a typo is not silently dropped)."""

    model_config = ConfigDict(extra="forbid")


class ContactIn(Body):
    name: Name
    phone: str | None = Field(default=None, max_length=50)
    email: str | None = Field(default=None, max_length=254)

    def contract(self) -> Contact:
        return Contact(**self.model_dump())


class AddressIn(Body):
    recipient: Name
    company: str | None = Field(default=None, max_length=200)
    phone: str | None = Field(default=None, max_length=50)
    line1: Name
    line2: str | None = Field(default=None, max_length=200)
    city: Name
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: str = Field(default="CN", pattern=r"^[A-Z]{2}$")

    def contract(self) -> Address:
        return Address(**self.model_dump())


class LineIn(Body):
    line_no: int = Field(ge=1, le=10_000)
    product_code: Code
    quantity: int = Field(ge=1, le=10_000_000)

    def contract(self) -> LineQuantity:
        return LineQuantity(**self.model_dump())


class ComplaintIn(Body):
    customer_id: Code
    channel: Channel
    category: ComplaintCategory
    description: Words
    severity: Severity = Severity.MEDIUM
    contact: ContactIn | None = None
    order_id: UUID | None = None
    order_no: OrderNo | None = None
    shipment_id: UUID | None = None
    tracking_no: str | None = Field(default=None, max_length=64)
    line_nos: list[Annotated[int, Field(ge=1, le=10_000)]] = Field(
        default_factory=list, max_length=500
    )
    expected_outcome: Resolution | None = None
    domestic: bool = True
    client_reference: str | None = Field(default=None, min_length=1, max_length=200)


class AssignIn(Body):
    department: ResponsibleDepartment | None = Field(
        default=None, description="Omitted: the department responsible for the category"
    )
    assignee: str | None = Field(
        default=None, max_length=200, description="The person now in charge, if named"
    )


class NoteIn(Body):
    note: Words


class EscalateIn(Body):
    reason: Reason


class ResolveIn(Body):
    resolution: Resolution
    summary: Words
    root_cause: str | None = Field(default=None, max_length=4000)
    discount_amount: Decimal | None = Field(
        default=None,
        gt=0,
        max_digits=14,
        decimal_places=2,
        description="Money given back (resolution 'discount' only); beyond the resolving"
        " person's limit it waits for approval",
    )
    currency: str | None = Field(
        default=None, pattern=r"^[A-Z]{3}$", description="Currency of discount_amount"
    )
    return_lines: list[LineIn] = Field(default_factory=list, max_length=500)
    pickup_address: AddressIn | None = None


class RefuseIn(Body):
    reason: Reason


class ProposeIn(Body):
    remedy: Words


class ConsentIn(Body):
    consented: bool
    customer_name: Name = Field(
        description="Who answered for the customer, as they gave their name (kept as"
        " declared; who recorded the answer is the signed-in person)"
    )


class TicketIn(Body):
    kind: ServiceTicketKind
    customer_id: Code
    product_code: Code
    site_address: AddressIn
    description: Words
    complaint_id: UUID | None = None
    complaint_no: str | None = Field(default=None, pattern=r"^\d{6}-T\d{3,12}$")
    order_id: UUID | None = None
    order_no: OrderNo | None = None
    serial_no: str | None = Field(default=None, max_length=100)
    due_at: AwareDatetime | None = Field(default=None, description="The visit is due by then")


class DispatchIn(Body):
    technician: Name
    scheduled_for: AwareDatetime
    notes: str | None = Field(default=None, max_length=4000)


class PartUsedIn(Body):
    part_code: Code
    quantity: int = Field(ge=1, le=10_000_000)


class WorkRecordBody(Body):
    summary: Words
    hours: Decimal = Field(ge=0, le=1000, max_digits=6, decimal_places=2)
    parts_used: list[PartUsedIn] = Field(default_factory=list, max_length=200)
    customer_signed_by: str | None = Field(
        default=None,
        max_length=200,
        description="Who signed the record for the customer, as declared on it",
    )

    def contract(self) -> WorkRecord:
        return WorkRecord(
            summary=self.summary,
            hours=self.hours,
            parts_used=[PartUsed(**p.model_dump()) for p in self.parts_used],
            customer_signed_by=self.customer_signed_by,
        )


class WorkRecordIn(Body):
    outcome: ServiceOutcome
    record: WorkRecordBody


class ReviewIn(Body):
    approved: bool
    notes: str | None = Field(default=None, max_length=4000)


class SparePartIn(Body):
    part_code: Code
    quantity: int = Field(ge=1, le=10_000_000)
    urgency: SparePartUrgency
    expected_arrival: date
    ticket_id: UUID | None = None


class AnswerIn(Body):
    score: int = Field(ge=1, le=5)
    recommend_score: int | None = Field(default=None, ge=0, le=10)
    comment: str | None = Field(default=None, max_length=4000)
