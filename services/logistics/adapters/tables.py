"""Logistics tables (SQLAlchemy Core, no schema name: the search_path decides)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

metadata = MetaData()


def _created() -> Column[datetime]:
    return Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now())


carrier_service = Table(
    "carrier_service",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("service_level", Text, nullable=False),
    Column("express", Boolean, nullable=False, server_default=text("false")),
    Column("regions", ARRAY(Text), nullable=False),
    Column("max_weight_kg", Numeric(12, 3), nullable=False),
    Column("transit_days", Integer, nullable=False),
    Column("base_rate", Numeric(12, 2), nullable=False),
    Column("rate_per_kg", Numeric(12, 2), nullable=False),
    Column("currency", Text, nullable=False, server_default=text("'CNY'")),
    Column("active", Boolean, nullable=False, server_default=text("true")),
    Column("tracking_url_template", Text),
    _created(),
    UniqueConstraint("code", "service_level", name="uq_carrier_service_code_level"),
)

shipment = Table(
    "shipment",
    metadata,
    Column("id", Uuid, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("order_id", Uuid),
    Column("order_no", Text),
    Column("return_id", Uuid),
    Column("rma_no", Text),
    Column("complaint_id", Uuid),
    Column("carrier", Text, nullable=False),
    Column("service_level", Text, nullable=False),
    Column("choice_reason", Text, nullable=False),
    Column("booking_ref", Text, nullable=False),
    Column("tracking_no", Text),
    Column("tracking_url", Text),
    Column("cost", Numeric(12, 2), nullable=False),
    Column("currency", Text, nullable=False),
    Column("total_weight_kg", Numeric(12, 3), nullable=False),
    Column("package_count", Integer, nullable=False),
    Column("address", JSONB, nullable=False),
    Column("lines", JSONB, nullable=False, server_default=text("'[]'::jsonb")),
    Column("promised_date", Date),
    Column("rush", Boolean, nullable=False, server_default=text("false")),
    Column("pickup_date", Date, nullable=False),
    Column("eta", Date, nullable=False),
    Column("original_eta", Date, nullable=False),
    Column("delayed_to", Date),
    Column("booked_at", DateTime(timezone=True), nullable=False),
    Column("dispatched_at", DateTime(timezone=True)),
    Column("shipped_notified_at", DateTime(timezone=True)),
    Column("delivered_at", DateTime(timezone=True)),
    Column("last_status_at", DateTime(timezone=True)),
    Column("eta_updated_at", DateTime(timezone=True)),
    Column("cancelled_at", DateTime(timezone=True)),
    Column("delivery_due_at", DateTime(timezone=True)),
    _created(),
    # One outbound shipment per order and one pickup per return: a repeated goods.ready or
    # return.authorized (or two replicas handling both copies) cannot book twice.
    Index(
        "uq_shipment_outbound_order",
        "order_id",
        unique=True,
        postgresql_where=text("kind = 'outbound'"),
    ),
    Index(
        "uq_shipment_return",
        "return_id",
        unique=True,
        postgresql_where=text("kind = 'return_pickup'"),
    ),
    Index(
        "uq_shipment_tracking",
        "carrier",
        "tracking_no",
        unique=True,
        postgresql_where=text("tracking_no IS NOT NULL"),
    ),
)

tracking_event = Table(
    "tracking_event",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("shipment_id", Uuid, nullable=False, index=True),
    Column("carrier", Text, nullable=False),
    Column("scan_id", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("location", Text),
    Column("scanned_at", DateTime(timezone=True), nullable=False),
    Column("description", Text),
    Column("eta", Date),
    Column("exception_kind", Text),
    Column("signed_by", Text),
    Column("proof_ref", Text),
    Column("applied", Boolean, nullable=False, server_default=text("false")),
    Column("received_at", DateTime(timezone=True), nullable=False),
    # Who posted the scan: the signed-in carrier system or dispatcher, or a command's sender.
    Column("recorded_by", Text),
    # A carrier's scan id is unique per carrier: repeats from the webhook or the queue drop.
    UniqueConstraint("carrier", "scan_id", name="uq_tracking_event_scan"),
)

proof_of_delivery = Table(
    "proof_of_delivery",
    metadata,
    Column("proof_ref", Text, primary_key=True),
    Column("shipment_id", Uuid, nullable=False, unique=True),
    Column("signed_by", Text, nullable=False),
    Column("signed_at", DateTime(timezone=True), nullable=False),
    Column("remarks", Text),
    Column("document", LargeBinary),
    Column("content_type", Text),
    Column("sha256", Text),
    Column("archived_at", DateTime(timezone=True), nullable=False),
    # Who posted the delivery (signed_by is the customer's signatory, as the carrier declares).
    Column("recorded_by", Text),
)

cancelled_order = Table(
    "cancelled_order",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("reason", Text, nullable=False),
    Column("cancelled_at", DateTime(timezone=True), nullable=False),
)
