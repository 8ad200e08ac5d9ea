"""Customer notices on the moments that matter, each sent once.

A notice's key is "<order or complaint>:<moment>"; a moment that can happen more than once for
one order (a shipment, a delay to a new date) carries what makes it distinct. The same moment
reported twice (a redelivered or re-emitted event) has the same key and is sent once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.base import Message
from contracts.events import (
    ComplaintOpened,
    ComplaintResolved,
    GoodsDelivered,
    GoodsShipped,
    OrderConfirmationSent,
    OrderConfirmed,
    OrderInfoRequested,
    OrderReceived,
)


@dataclass(frozen=True)
class Notice:
    key: str
    subject_id: str
    moment: str
    title: str
    body: str
    order_no: str | None = None
    customer_id: str | None = None


def notice_for(msg: Message) -> Notice | None:
    """The notice an event calls for, if any (delays are decided by the delay policy)."""
    match msg:
        case OrderReceived():
            return _order(
                msg.order_id,
                msg.order_no,
                "received",
                "Order received",
                f"We received your order {msg.order_no}.",
                msg.customer_id,
            )
        case OrderInfoRequested():
            fields = ", ".join(msg.missing_fields)
            return _order(
                msg.order_id,
                None,
                "info_needed",
                "Information needed",
                f"To process your order we need: {fields}.",
                msg.customer_id,
            )
        case OrderConfirmationSent():
            return _order(
                msg.order_id,
                msg.order_no,
                "confirmation_to_sign",
                "Order confirmation to sign",
                f"Please sign the confirmation of order {msg.order_no}; promised "
                f"delivery {msg.promised_date} if signed today.",
            )
        case OrderConfirmed():
            return _order(
                msg.order_id,
                msg.order_no,
                "confirmed",
                "Order confirmed",
                f"Order {msg.order_no} is confirmed for delivery on {msg.promised_date}.",
                msg.customer_id,
            )
        case GoodsShipped():
            return _order(
                msg.order_id,
                msg.order_no,
                f"shipped:{msg.tracking_no}",
                "Order shipped",
                f"Order {msg.order_no} is on its way with {msg.carrier}, tracking "
                f"number {msg.tracking_no}, expected {msg.eta}.",
            )
        case GoodsDelivered():
            return _order(
                msg.order_id,
                msg.order_no,
                f"delivered:{msg.shipment_id}",
                "Order delivered",
                f"Order {msg.order_no} was delivered and signed for by {msg.signed_by}.",
            )
        case ComplaintOpened():
            return Notice(
                f"{msg.complaint_id}:complaint_received",
                str(msg.complaint_id),
                "complaint_received",
                "Complaint received",
                f"We registered your complaint {msg.complaint_no} and will answer "
                f"by {msg.resolution_due_at.date()}.",
                msg.order_no,
                msg.customer_id,
            )
        case ComplaintResolved():
            return Notice(
                f"{msg.complaint_id}:complaint_resolved",
                str(msg.complaint_id),
                "complaint_resolved",
                "Complaint resolved",
                f"Your complaint {msg.complaint_no} is resolved ({msg.resolution}): {msg.summary}",
            )
    return None


def delay_notice(order_id: str, order_no: str | None, new_date: date, reason: str) -> Notice:
    return Notice(
        f"{order_id}:delayed:{new_date.isoformat()}",
        order_id,
        f"delayed:{new_date.isoformat()}",
        "Delivery delayed",
        f"Order {order_no or order_id} is delayed; new expected date {new_date}. Reason: {reason}.",
        order_no,
    )


def _order(
    order_id: object,
    order_no: str | None,
    moment: str,
    title: str,
    body: str,
    customer_id: str | None = None,
) -> Notice:
    return Notice(f"{order_id}:{moment}", str(order_id), moment, title, body, order_no, customer_id)
