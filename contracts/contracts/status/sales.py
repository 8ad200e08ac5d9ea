"""Statuses of the sales service's orders, approvals, review answers and master-data changes."""

from __future__ import annotations

from enum import StrEnum


class OrderStatus(StrEnum):
    """An order at the sales desk, from intake to completion (or rejection, cancellation)."""

    NEW = "new"
    PENDING_INFO = "pending_info"
    """Incomplete: the customer is asked for what is missing."""
    IN_REVIEW = "in_review"
    AWAITING_APPROVAL = "awaiting_approval"
    AWAITING_SIGNATURE = "awaiting_signature"
    AWAITING_DEPOSIT = "awaiting_deposit"
    RELEASED = "released"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class ApprovalStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    """At least one rule of the approval matrix still waits for a person holding its role."""
    APPROVED = "approved"


class ApprovalRule(StrEnum):
    """Why an order waits for approval, as the order view names it: the rows of the approval
    matrix. The first four are the values of ``order.approval_requested``'s reasons; special
    terms and a price not on the list are ``other`` there."""

    OVER_AMOUNT_THRESHOLD = "over_amount_threshold"
    RUSH = "rush"
    BELOW_LIST_PRICE = "below_list_price"
    CREDIT_LIMIT = "credit_limit"
    """Over the customer's credit limit."""
    SPECIAL_TERMS = "special_terms"
    """Payment terms sent with the order that are easier than the customer's standard ones."""
    UNLISTED_PRICE = "unlisted_price"
    """A line priced by the sender for a product that has no list price."""


class ReviewOutcome(StrEnum):
    """What a department's review answer did to the order."""

    COUNTED = "counted"
    STALE_ROUND = "stale_round"
    """It answers an earlier round: recorded, decides nothing."""
    REPEATED = "repeated"
    """The department has answered this round already."""
    NOT_IN_REVIEW = "not_in_review"
    """The order is no longer (or not yet) in review."""


class CustomerChangeStatus(StrEnum):
    """A change of a customer's class, credit limit, deposit rule or currency: it takes effect
    only when a second master-data person approves it."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
