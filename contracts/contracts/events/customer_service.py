"""Events of customer service: complaints, returns, service tickets, spare parts, surveys."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import AwareDatetime, Field

from contracts.base import ContractModel, Event
from contracts.common import (
    Address,
    ComplaintNo,
    Currency,
    LineNo,
    LineQuantity,
    Money,
    OrderNo,
    Quantity,
    Text,
)
from contracts.enums import (
    Channel,
    ComplaintCategory,
    Resolution,
    ResponsibleDepartment,
    ServiceOutcome,
    ServiceTicketKind,
    Settlement,
    Severity,
    SparePartUrgency,
    SurveyTrigger,
)
from contracts.registry import register


class ComplaintEvent(Event):
    """Base of the events about one complaint."""

    complaint_id: UUID = Field(description="Complaint identifier (the correlation_id).")
    complaint_no: ComplaintNo = Field(description="Complaint number YYYYMM-Tnnn.")


@register
class ComplaintOpened(ComplaintEvent):
    """A complaint was registered; it must be assigned within 2 h.

    It must be resolved within 10 days (domestic) or 15 days (foreign).
    """

    message_type = "complaint.opened"
    message_version = 1

    customer_id: Text = Field(description="Complaining customer.")
    channel: Channel = Field(description="How the complaint arrived.")
    category: ComplaintCategory = Field(description="Category; decides the department.")
    severity: Severity = Field(description="How bad it is for the customer.")
    description: Text = Field(description="The complaint in the customer's words.")
    order_id: UUID | None = Field(default=None, description="Order complained about.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    shipment_id: UUID | None = Field(default=None, description="Shipment complained about.")
    tracking_no: str | None = Field(default=None, description="Tracking number, if given.")
    line_nos: list[LineNo] = Field(
        default_factory=list, description="Order lines complained about."
    )
    expected_outcome: Resolution | None = Field(
        default=None, description="What the customer asks for."
    )
    domestic: bool = Field(default=True, description="Domestic (10-day) or foreign (15-day).")
    assignment_due_at: AwareDatetime = Field(description="When it must be assigned.")
    resolution_due_at: AwareDatetime = Field(description="When it must be resolved.")


@register
class ComplaintAssigned(ComplaintEvent):
    """The complaint was assigned to the responsible department."""

    message_type = "complaint.assigned"
    message_version = 1

    department: ResponsibleDepartment = Field(description="Responsible department.")
    assignee: str | None = Field(default=None, description="Person in charge, if named.")


@register
class ComplaintEscalated(ComplaintEvent):
    """The complaint was escalated (SLA at risk, severity, customer request)."""

    message_type = "complaint.escalated"
    message_version = 1

    level: int = Field(ge=1, description="Escalation level, 1 = first line manager.")
    escalated_to: Text = Field(description="Person or role now in charge.")
    reason: Text = Field(description="Why it was escalated.")


@register
class ComplaintResolved(ComplaintEvent):
    """The complaint was settled; a satisfaction survey follows."""

    message_type = "complaint.resolved"
    message_version = 1

    resolution: Resolution = Field(description="How it was settled.")
    summary: Text = Field(description="What was found and agreed.")
    root_cause: str | None = Field(default=None, description="Root cause, if found.")
    discount_amount: Money | None = Field(
        default=None, description="Discount granted (resolution 'discount')."
    )
    currency: Currency | None = Field(default=None, description="Currency of the discount.")
    within_sla: bool = Field(description="Resolved before the resolution deadline.")


@register
class ReturnAuthorized(Event):
    """A return or an exchange was authorised: logistics books a pickup."""

    message_type = "return.authorized"
    message_version = 1

    return_id: UUID = Field(description="Return identifier.")
    rma_no: Text = Field(description="Return authorisation number.")
    complaint_id: UUID | None = Field(default=None, description="Complaint behind the return.")
    complaint_no: ComplaintNo | None = Field(default=None, description="Complaint number.")
    order_id: UUID | None = Field(default=None, description="Original order.")
    order_no: OrderNo | None = Field(default=None, description="Original order number.")
    lines: list[LineQuantity] = Field(min_length=1, description="Goods to take back.")
    pickup_address: Address = Field(description="Where to collect the goods.")
    exchange: bool = Field(default=False, description="Replacement goods are to be sent.")
    reason: Text = Field(description="Why the goods come back.")


class SettlementLine(ContractModel):
    """Returned goods of one order line accepted by the inspection, to be settled."""

    line_no: LineNo | None = Field(default=None, description="Original order line, if known.")
    product_code: Text = Field(description="Product returned.")
    quantity: Quantity = Field(description="Pieces accepted for settlement.")
    restocked: bool = Field(description="The pieces went back into stock (else scrapped).")


@register
class ReturnSettlementRequested(Event):
    """Returned goods were inspected: sales is asked to refund them or send a replacement."""

    message_type = "return.settlement_requested"
    message_version = 1

    return_id: UUID = Field(description="Return identifier.")
    rma_no: Text = Field(description="Return authorisation number.")
    complaint_id: UUID | None = Field(default=None, description="Complaint behind the return.")
    complaint_no: ComplaintNo | None = Field(default=None, description="Complaint number.")
    order_id: UUID | None = Field(default=None, description="Original order.")
    order_no: OrderNo | None = Field(default=None, description="Original order number.")
    settlement: Settlement = Field(description="Refund the goods or send a free replacement.")
    lines: list[SettlementLine] = Field(
        min_length=1, description="Goods accepted by the inspection, restocked or not."
    )
    reason: Text = Field(description="Why the goods came back.")


class ServiceTicketEvent(Event):
    """Base of the events about one after-sales service ticket."""

    ticket_id: UUID = Field(description="Service ticket identifier.")
    ticket_no: Text = Field(description="Service ticket number.")


@register
class ServiceTicketOpened(ServiceTicketEvent):
    """An after-sales work order (repair, replacement, return) was opened."""

    message_type = "service_ticket.opened"
    message_version = 1

    ticket_kind: ServiceTicketKind = Field(description="Repair, replacement or return.")
    customer_id: Text = Field(description="Customer served.")
    complaint_id: UUID | None = Field(default=None, description="Complaint behind the ticket.")
    complaint_no: ComplaintNo | None = Field(default=None, description="Complaint number.")
    order_id: UUID | None = Field(default=None, description="Order the product came with.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    product_code: Text = Field(description="Product to service.")
    serial_no: str | None = Field(default=None, description="Serial number of the unit.")
    site_address: Address = Field(description="Where the technician goes.")
    description: Text = Field(description="Fault or request.")
    due_at: AwareDatetime | None = Field(default=None, description="When it must be done.")


@register
class ServiceTicketDispatched(ServiceTicketEvent):
    """A technician was sent; the visit is booked."""

    message_type = "service_ticket.dispatched"
    message_version = 1

    technician: Text = Field(description="Technician assigned.")
    scheduled_for: AwareDatetime = Field(description="Booked start of the visit.")
    notes: str | None = Field(default=None, description="Instructions for the technician.")


class PartUsed(ContractModel):
    """A spare part consumed on a service visit."""

    part_code: Text = Field(description="Spare part code.")
    quantity: Quantity = Field(description="Pieces used.")


class WorkRecord(ContractModel):
    """The technician's record of the work done."""

    summary: Text = Field(description="What was found and done.")
    hours: Decimal = Field(ge=0, description="Labour hours on site.")
    parts_used: list[PartUsed] = Field(default_factory=list, description="Parts consumed.")
    customer_signed_by: str | None = Field(
        default=None, description="Who signed the work record for the customer."
    )


@register
class ServiceTicketClosed(ServiceTicketEvent):
    """The service ticket was closed with a work record; a satisfaction survey follows."""

    message_type = "service_ticket.closed"
    message_version = 1

    outcome: ServiceOutcome = Field(description="How the ticket ended.")
    work_record: WorkRecord = Field(description="The technician's work record.")
    closed_by: Text = Field(description="Who closed the ticket.")


@register
class SparePartOrdered(Event):
    """A spare part was ordered for a service job.

    Urgency is kept through the chain: STOCK installs within 1 month, RUSH and VOR within 7 days.
    """

    message_type = "spare_part.ordered"
    message_version = 1

    part_order_id: UUID = Field(description="Spare-part order identifier.")
    ticket_id: UUID | None = Field(default=None, description="Service ticket it is for.")
    ticket_no: str | None = Field(default=None, description="Service ticket number.")
    part_code: Text = Field(description="Spare part code.")
    quantity: Quantity = Field(description="Pieces ordered.")
    urgency: SparePartUrgency = Field(description="STOCK, RUSH or VOR.")
    install_due_date: date = Field(description="Day by which the part must be installed.")


class SurveyEvent(Event):
    """Base of the events about one satisfaction survey."""

    survey_id: UUID = Field(description="Survey identifier.")
    trigger: SurveyTrigger = Field(description="What the survey follows.")
    customer_id: Text = Field(description="Customer asked.")
    order_id: UUID | None = Field(default=None, description="Order concerned.")
    order_no: OrderNo | None = Field(default=None, description="Order number.")
    complaint_id: UUID | None = Field(default=None, description="Complaint concerned.")
    complaint_no: ComplaintNo | None = Field(default=None, description="Complaint number.")
    ticket_id: UUID | None = Field(default=None, description="Service ticket concerned.")


@register
class SurveySent(SurveyEvent):
    """A satisfaction survey was sent (after each delivery and each resolution)."""

    message_type = "survey.sent"
    message_version = 1

    channel: Channel = Field(description="How it was sent.")
    link: str | None = Field(default=None, description="Link to the survey form.")


@register
class SurveyAnswered(SurveyEvent):
    """The customer answered a satisfaction survey."""

    message_type = "survey.answered"
    message_version = 1

    score: int = Field(ge=1, le=5, description="Overall satisfaction, 1 (poor) to 5 (excellent).")
    recommend_score: int | None = Field(
        default=None, ge=0, le=10, description="Likelihood to recommend, 0 to 10."
    )
    comment: str | None = Field(default=None, description="Free-text comment.")
