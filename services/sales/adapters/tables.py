"""The sales schema: customers, price list, orders and lines, reviews, numbers, money."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

MONEY = Numeric(14, 2)
RATE = Numeric(18, 8)

customer = Table(
    "customer",
    metadata,
    Column("customer_id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("customer_class", Text, nullable=False),
    Column("credit_limit", MONEY, nullable=False),
    Column("payment_terms", JSONB, nullable=False),
    Column("currency", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# A change of a customer's class, credit limit, deposit rule or currency, waiting for a second
# master-data person (or decided): ``before`` and ``after`` hold those four values.
customer_change = Table(
    "customer_change",
    metadata,
    Column("change_id", Uuid, primary_key=True),
    Column("customer_id", Text, ForeignKey("customer.customer_id"), nullable=False, index=True),
    Column("status", Text, nullable=False),
    Column("before", JSONB, nullable=False),
    Column("after", JSONB, nullable=False),
    Column("requested_by", Text, nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("decided_by", Text),
    Column("decided_at", DateTime(timezone=True)),
    Column("reason", Text),
)

# Units of the base currency for one unit of ``currency``: master data keeps them.
exchange_rate = Table(
    "exchange_rate",
    metadata,
    Column("currency", Text, primary_key=True),
    Column("rate", RATE, nullable=False),
    Column("updated_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

price_list_entry = Table(
    "price_list_entry",
    metadata,
    Column("product_code", Text, primary_key=True),
    Column("unit_price", MONEY, nullable=False),
    Column("currency", Text, nullable=False),
    Column("description", Text),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

number_counter = Table(
    "number_counter",
    metadata,
    Column("series", Text, primary_key=True),
    Column("last", Integer, nullable=False),
)

customer_order = Table(
    "customer_order",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("order_no", Text, unique=True),
    Column("source", Text, nullable=False),
    Column("client_reference", Text, nullable=False),
    Column("channel", Text, nullable=False),
    Column("status", Text, nullable=False, index=True),
    Column("customer_id", Text, index=True),
    Column("customer_name", Text),
    Column("customer_class", Text),
    Column("contact", JSONB),
    Column("requested_date", Date),
    Column("delivery_address", JSONB),
    Column("payment_terms", JSONB),
    Column("currency", Text, nullable=False),
    Column("rush", Boolean, nullable=False),
    Column("notes", Text),
    Column("original_order_id", Uuid),
    Column("missing_fields", JSONB, nullable=False),
    Column("list_prices", JSONB, nullable=False),
    Column("approval_status", Text, nullable=False),
    Column("approval_reasons", JSONB, nullable=False),
    Column("approved_by", Text),
    # {rule: {by, role, at, base_amount, notes}}: who covered which rule of the matrix
    Column("approvals", JSONB, nullable=False),
    Column("entered_by", Text),
    Column("amended_by", JSONB, nullable=False),
    Column("total_amount", MONEY, nullable=False),
    Column("base_total", MONEY),
    Column("exchange_rate", RATE),
    Column("promised_date", Date),
    Column("confirmation_sent_at", DateTime(timezone=True)),
    Column("signed_at", DateTime(timezone=True)),
    Column("signed_by", Text),
    Column("signed_on", Date),
    Column("signature_recorded_by", Text),
    Column("deposit_required", MONEY, nullable=False),
    Column("deposit_paid", MONEY, nullable=False),
    Column("paid_total", MONEY, nullable=False),
    Column("paid_at", DateTime(timezone=True)),
    Column("invoiced_total", MONEY, nullable=False),
    Column("invoice_due_at", DateTime(timezone=True)),
    Column("released_at", DateTime(timezone=True)),
    Column("shipped_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("delivered_on", Date),
    Column("completed_at", DateTime(timezone=True)),
    Column("closed_reason", Text),
    Column("amendment_count", Integer, nullable=False),
    Column("credited_total", MONEY, nullable=False),
    Column("proposed_date", Date),
    Column("proposed_reason", Text),
    Column("review_round", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False, index=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "client_reference", name="uq_customer_order_reference"),
)

order_line = Table(
    "order_line",
    metadata,
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), primary_key=True),
    Column("line_no", Integer, primary_key=True),
    Column("product_code", Text),
    Column("spec", Text),
    Column("quantity", Integer),
    Column("unit_price", MONEY),
)

order_review = Table(
    "order_review",
    metadata,
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), primary_key=True),
    Column("department", Text, primary_key=True),
    Column("verdict", Text, nullable=False),
    Column("earliest_date", Date),
    Column("notes", Text),
    Column("reviewer", Text),
    Column("review_round", Integer),
    Column("reviewed_at", DateTime(timezone=True), nullable=False),
)

# Every review answer received, also those that did not decide the order (an earlier round,
# a repeat, after the review was over), with what it did.
order_review_answer = Table(
    "order_review_answer",
    metadata,
    Column("answer_id", Uuid, primary_key=True),
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), nullable=False, index=True),
    Column("department", Text, nullable=False),
    Column("review_round", Integer),
    Column("verdict", Text, nullable=False),
    Column("earliest_date", Date),
    Column("notes", Text),
    Column("outcome", Text, nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)

order_amendment = Table(
    "order_amendment",
    metadata,
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), primary_key=True),
    Column("client_reference", Text, primary_key=True),
    Column("amendment_no", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

invoice = Table(
    "invoice",
    metadata,
    Column("invoice_id", Uuid, primary_key=True),
    Column("invoice_no", Text, nullable=False, unique=True),
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), nullable=False, index=True),
    Column("order_no", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("paid_amount", MONEY, nullable=False),
    Column("currency", Text, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("due_date", Date, nullable=False),
    Column("late_fee_percent", Numeric(5, 2)),
    Column("reference", Text),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("order_id", "reference", name="invoice_order_reference_key"),
)

payment = Table(
    "payment",
    metadata,
    Column("payment_id", Uuid, primary_key=True),
    Column("source", Text, nullable=False),
    Column("reference", Text, nullable=False),
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), nullable=False, index=True),
    Column("payment_kind", Text, nullable=False),
    Column("amount", MONEY, nullable=False),
    Column("currency", Text, nullable=False),
    Column("received_on", Date, nullable=False),
    Column("invoice_id", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("source", "reference", name="uq_payment_reference"),
)

complaint_link = Table(
    "complaint_link",
    metadata,
    Column("complaint_id", Uuid, primary_key=True),
    Column("complaint_no", Text, nullable=False),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

credit_note = Table(
    "credit_note",
    metadata,
    Column("credit_note_id", Uuid, primary_key=True),
    Column("credit_note_no", Text, nullable=False, unique=True),
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), nullable=False, index=True),
    Column("invoice_id", Uuid),
    Column("amount", MONEY, nullable=False),
    Column("currency", Text, nullable=False),
    Column("reason", Text, nullable=False),
    # one credit per decision: a redelivered or repeated decision adds nothing
    Column("decision_ref", Text, nullable=False, unique=True),
    Column("complaint_id", Uuid),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

refund = Table(
    "refund",
    metadata,
    Column("refund_id", Uuid, primary_key=True),
    Column("credit_note_id", Uuid, ForeignKey("credit_note.credit_note_id"), nullable=False),
    Column("order_id", Uuid, ForeignKey("customer_order.order_id"), nullable=False, index=True),
    Column("amount", MONEY, nullable=False),
    Column("currency", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
