"""Closed vocabularies used in messages.

Adding a value to one of these is a compatible change for producers (old messages stay valid);
removing or renaming a value is breaking and needs a new message version.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """How an order or a complaint reached the company."""

    PHONE = "phone"
    FAX = "fax"
    EMAIL = "email"
    WEB = "web"
    EDI = "edi"


class CustomerClass(StrEnum):
    """Customer rating: class A is released before signature, B and C only after it."""

    A = "A"
    B = "B"
    C = "C"


class ReviewDepartment(StrEnum):
    """A department that takes part in the contract review."""

    WAREHOUSE = "warehouse"
    PRODUCTION = "production"
    FINANCE = "finance"


class ReviewVerdict(StrEnum):
    """A reviewing department's answer."""

    APPROVE = "approve"
    REJECT = "reject"


class ApprovalReason(StrEnum):
    """Why an order needs a manager's approval."""

    OVER_AMOUNT_THRESHOLD = "over_amount_threshold"
    RUSH = "rush"
    BELOW_LIST_PRICE = "below_list_price"
    CREDIT_LIMIT = "credit_limit"
    OTHER = "other"


class RejectionStage(StrEnum):
    """Where an order was turned down."""

    REVIEW = "review"
    APPROVAL = "approval"


class Initiator(StrEnum):
    """Who asked for a change or a cancellation."""

    CUSTOMER = "customer"
    COMPANY = "company"


class PaymentKind(StrEnum):
    """What a payment settles."""

    DEPOSIT = "deposit"
    INVOICE = "invoice"


class DelayCause(StrEnum):
    """Why a date will be missed."""

    CAPACITY = "capacity"
    MATERIAL = "material"
    EQUIPMENT = "equipment"
    QUALITY = "quality"
    CARRIER = "carrier"
    WEATHER = "weather"
    FORCE_MAJEURE = "force_majeure"
    OTHER = "other"


class StockReleaseReason(StrEnum):
    """Why reserved stock went back to free stock."""

    ORDER_CANCELLED = "order_cancelled"
    ORDER_AMENDED = "order_amended"
    OTHER = "other"


class QcDisposition(StrEnum):
    """What happens to finished goods that failed inbound inspection."""

    REWORK = "rework"
    SCRAP = "scrap"


class ReturnOutcome(StrEnum):
    """What happens to returned goods after inspection."""

    RESTOCK = "restock"
    SCRAP = "scrap"


class ShipmentStatus(StrEnum):
    """A shipment's state as the carrier reports it."""

    BOOKED = "booked"
    PICKED_UP = "picked_up"
    IN_TRANSIT = "in_transit"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    EXCEPTION = "exception"
    RETURNED_TO_SENDER = "returned_to_sender"


class ShipmentExceptionKind(StrEnum):
    """What went wrong in transit."""

    ADDRESS = "address"
    DAMAGE = "damage"
    LOSS = "loss"
    OTHER = "other"


class ComplaintCategory(StrEnum):
    """Complaint category; it decides the responsible department."""

    QUALITY = "quality"
    LOGISTICS = "logistics"
    SERVICE = "service"
    ORDER_ERROR = "order_error"
    OTHER = "other"


class Severity(StrEnum):
    """How bad a complaint is for the customer."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Resolution(StrEnum):
    """How a complaint is (or is expected to be) settled."""

    RETURN = "return"
    EXCHANGE = "exchange"
    DISCOUNT = "discount"
    REPAIR = "repair"
    EXPLANATION = "explanation"


class Settlement(StrEnum):
    """How returned goods are settled once the warehouse has inspected them."""

    REFUND = "refund"
    REPLACEMENT = "replacement"


class ResponsibleDepartment(StrEnum):
    """A department a complaint can be assigned to."""

    SALES = "sales"
    PRODUCTION = "production"
    WAREHOUSE = "warehouse"
    LOGISTICS = "logistics"
    CUSTOMER_SERVICE = "customer_service"
    FINANCE = "finance"


class ServiceTicketKind(StrEnum):
    """What an after-sales work order is for."""

    REPAIR = "repair"
    REPLACEMENT = "replacement"
    RETURN = "return"


class ServiceOutcome(StrEnum):
    """How a service ticket ended."""

    REPAIRED = "repaired"
    REPLACED = "replaced"
    RETURNED = "returned"
    NO_FAULT_FOUND = "no_fault_found"
    CANCELLED = "cancelled"


class SparePartUrgency(StrEnum):
    """Spare-part urgency: STOCK installs within 1 month, RUSH and VOR within 7 days."""

    STOCK = "STOCK"
    RUSH = "RUSH"
    VOR = "VOR"


class SurveyTrigger(StrEnum):
    """What a satisfaction survey follows."""

    DELIVERY = "delivery"
    COMPLAINT_RESOLUTION = "complaint_resolution"
    SERVICE_TICKET = "service_ticket"


class Deadline(StrEnum):
    """A deadline kept as a timer; its breach is an ``*.sla_breached`` event.

    Defaults from the policy: info request 1 business day, review 24 h, signature 2 business
    days, tracking number 24 h after dispatch, invoice 3 business days after payment, payment
    reminder 3 days before due, collections 15 days overdue, complaint assignment 2 h,
    complaint resolution 10 days (domestic) / 15 days (foreign), spare-part installation
    1 month (STOCK) / 7 days (RUSH, VOR).
    """

    INFO_REQUEST = "info_request"
    REVIEW = "review"
    APPROVAL = "approval"
    SIGNATURE = "signature"
    DELAY_CONSENT = "delay_consent"
    DELIVERY = "delivery"
    TRACKING_NUMBER = "tracking_number"
    INVOICE = "invoice"
    PAYMENT_REMINDER = "payment_reminder"
    PAYMENT_DUE = "payment_due"
    COLLECTIONS = "collections"
    COMPLAINT_ASSIGNMENT = "complaint_assignment"
    COMPLAINT_RESOLUTION = "complaint_resolution"
    SERVICE_VISIT = "service_visit"
    SPARE_PART_INSTALLATION = "spare_part_installation"
