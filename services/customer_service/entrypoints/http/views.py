"""What the customer service's HTTP API answers: a typed model per route, so OpenAPI names every
field a department reads."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict

from contracts.common import Address, Contact, LineQuantity
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
from contracts.events.customer_service import WorkRecord
from contracts.events.warehouse import InspectedReturnLine
from contracts.status.customer_service import (
    ComplaintStatus,
    OrderStage,
    RemedyPlanStatus,
    ReturnCaseStatus,
    ServiceTicketStatus,
    SparePartStatus,
    TimelineKind,
)


class View(BaseModel):
    """An answer; built from a domain object's attributes or a row's columns."""

    model_config = ConfigDict(from_attributes=True)

    @classmethod
    def of(cls, item: Any, **more: Any) -> Self:
        data = (
            {f.name: getattr(item, f.name) for f in fields(item)}
            if is_dataclass(item) and not isinstance(item, type)
            else dict(item)
        )
        return cls.model_validate({**data, **more})


class HistoryEntryView(View):
    event_id: UUID
    event_type: str
    occurred_at: datetime
    who: str
    what: str


class OrderTrackingView(View):
    """Where an order (or a complaint) stands: its stage, promised and expected dates."""

    key: str
    kind: TimelineKind
    order_id: UUID | None
    order_no: str | None
    complaint_no: str | None
    customer_id: str | None
    customer_name: str | None
    stage: OrderStage | None
    stage_at: datetime | None
    requested_date: date | None
    promised_date: date | None
    expected_date: date | None
    delivered_on: date | None
    carrier: str | None
    tracking_no: str | None
    stage_times: dict[str, datetime]


class TimelineView(OrderTrackingView):
    history: list[HistoryEntryView]


class OrderSearchView(OrderTrackingView):
    late: bool
    at_risk: bool


class RebuildView(View):
    events: int
    timelines: int
    identical: bool


class NoticeView(View):
    """A notice to the customer: what, to whom, and whether it went out."""

    id: int
    notice_key: str
    subject_id: str
    moment: str
    order_no: str | None
    customer_id: str | None
    recipient: dict[str, Any]
    title: str
    body: str
    channel: str | None
    requested_at: datetime
    sent_at: datetime | None
    attempts: int
    last_error: str | None


class NoteView(View):
    author: str
    note: str
    noted_at: datetime


class ComplaintView(View):
    complaint_id: UUID
    complaint_no: str
    customer_id: str
    channel: Channel
    category: ComplaintCategory
    severity: Severity
    description: str
    opened_at: datetime
    assignment_due_at: datetime
    resolution_due_at: datetime
    domestic: bool
    order_id: UUID | None
    order_no: str | None
    shipment_id: UUID | None
    tracking_no: str | None
    line_nos: list[int]
    expected_outcome: Resolution | None
    contact: Contact | None
    client_reference: str | None
    status: ComplaintStatus
    department: ResponsibleDepartment | None
    assignee: str | None
    assigned_at: datetime | None
    assigned_by: str | None
    escalation_level: int
    escalated_to: str | None
    resolution: Resolution | None
    summary: str | None
    root_cause: str | None
    discount_amount: Decimal | None
    currency: str | None
    resolved_by: str | None
    approval_roles: list[str] | None
    approved_by: str | None
    approved_at: datetime | None
    resolved_at: datetime | None
    within_sla: bool | None


class ComplaintDetail(ComplaintView):
    notes: list[NoteView]


class RemedyPlanView(View):
    plan_id: UUID
    order_id: UUID
    order_no: str
    old_date: date
    new_date: date
    reason: str
    slip_business_days: int
    opened_at: datetime
    due_at: datetime
    status: RemedyPlanStatus
    remedy: str | None
    filled_by: str | None
    consented_by: str | None
    answer_recorded_by: str | None
    answer_recorded_at: datetime | None
    closed_at: datetime | None


class ReturnCaseView(View):
    return_id: UUID
    rma_no: str
    complaint_id: UUID | None
    complaint_no: str | None
    order_id: UUID | None
    order_no: str | None
    exchange: bool
    lines: list[LineQuantity]
    status: ReturnCaseStatus
    settlement: Settlement | None
    settlement_lines: list[InspectedReturnLine] | None
    authorized_at: datetime
    received_at: datetime | None
    inspected_at: datetime | None


class TicketView(View):
    ticket_id: UUID
    ticket_no: str
    kind: ServiceTicketKind
    customer_id: str
    product_code: str
    site_address: Address
    description: str
    opened_at: datetime
    complaint_id: UUID | None
    complaint_no: str | None
    order_id: UUID | None
    order_no: str | None
    serial_no: str | None
    due_at: datetime | None
    status: ServiceTicketStatus
    technician: str | None
    scheduled_for: datetime | None
    work_record: WorkRecord | None
    outcome: ServiceOutcome | None
    recorded_by: str | None
    reviewed_by: str | None
    review_notes: str | None
    closed_at: datetime | None


class SparePartView(View):
    part_order_id: UUID
    ticket_id: UUID | None
    ticket_no: str | None
    part_code: str
    quantity: int
    urgency: SparePartUrgency
    status: SparePartStatus
    ordered_at: datetime
    expected_arrival: date
    install_due_date: date
    arrived_at: datetime | None
    install_due_at: datetime | None
    installed_at: datetime | None


class SurveyView(View):
    survey_id: UUID
    survey_key: str
    trigger: SurveyTrigger
    customer_id: str
    order_id: UUID | None
    order_no: str | None
    complaint_id: UUID | None
    complaint_no: str | None
    ticket_id: UUID | None
    sent_at: datetime
    score: int | None
    recommend_score: int | None
    comment: str | None
    answered_at: datetime | None


class OnTimeView(View):
    delivered: int
    on_time: int
    rate: float | None


class ReviewTimeView(View):
    reviews: int
    mean_hours: float | None


class ComplaintSlaView(View):
    opened: int
    assigned: int
    assignment_mean_hours: float | None
    assignment_within_sla_rate: float | None
    resolved: int
    resolution_mean_hours: float | None
    resolution_within_sla_rate: float | None


class SatisfactionView(View):
    answers: int
    mean_score: float | None


class KpiView(View):
    """On-time rate, cycle times per stage span (mean hours), review time, complaint SLAs and
    satisfaction, for a month or a quarter; an empty period gives null rather than 0."""

    period: str
    on_time_delivery: OnTimeView
    cycle_time_hours: dict[str, float | None]
    review_time: ReviewTimeView
    complaints: ComplaintSlaView
    satisfaction: SatisfactionView


class ComplaintSummaryView(View):
    by_category: dict[str, int]
    by_resolution: dict[str, int]
    sla: ComplaintSlaView
    escalated: int


class TicketSummaryView(View):
    by_kind: dict[str, int]
    by_outcome: dict[str, int]
    closed: int


class SparePartSummaryView(View):
    by_urgency: dict[str, int]
    installed: int
    installed_on_time: int


class AfterSalesReportView(View):
    """The quarter's complaints, service tickets, spare parts and satisfaction per trigger."""

    quarter: str
    complaints: ComplaintSummaryView
    service_tickets: TicketSummaryView
    spare_parts: SparePartSummaryView
    satisfaction: dict[str, SatisfactionView]
