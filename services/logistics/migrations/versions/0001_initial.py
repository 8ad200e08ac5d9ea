"""Kit tables (outbox, inbox, timers) and the logistics tables.

Carriers, shipments, scans and proofs.

Frozen: the tables as the first release made them, written out here and never built from today's
models, so a later change to a model can never change what this revision creates.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from shared.kit_migrations import create_kit_tables_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_kit_tables_v1()
    op.create_table(
        "cancelled_order",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("order_id"),
    )
    op.create_table(
        "carrier_service",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("service_level", sa.Text(), nullable=False),
        sa.Column("express", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("regions", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("max_weight_kg", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("transit_days", sa.Integer(), nullable=False),
        sa.Column("base_rate", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("rate_per_kg", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.Text(), server_default=sa.text("'CNY'"), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("tracking_url_template", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code", "service_level", name="uq_carrier_service_code_level"),
    )
    op.create_table(
        "proof_of_delivery",
        sa.Column("proof_ref", sa.Text(), nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("signed_by", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("document", sa.LargeBinary(), nullable=True),
        sa.Column("content_type", sa.Text(), nullable=True),
        sa.Column("sha256", sa.Text(), nullable=True),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("proof_ref"),
        sa.UniqueConstraint("shipment_id"),
    )
    op.create_table(
        "shipment",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("order_no", sa.Text(), nullable=True),
        sa.Column("return_id", sa.Uuid(), nullable=True),
        sa.Column("rma_no", sa.Text(), nullable=True),
        sa.Column("complaint_id", sa.Uuid(), nullable=True),
        sa.Column("carrier", sa.Text(), nullable=False),
        sa.Column("service_level", sa.Text(), nullable=False),
        sa.Column("choice_reason", sa.Text(), nullable=False),
        sa.Column("booking_ref", sa.Text(), nullable=False),
        sa.Column("tracking_no", sa.Text(), nullable=True),
        sa.Column("tracking_url", sa.Text(), nullable=True),
        sa.Column("cost", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("total_weight_kg", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("package_count", sa.Integer(), nullable=False),
        sa.Column("address", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column(
            "lines",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'[]'::jsonb"),
            nullable=False,
        ),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("rush", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("pickup_date", sa.Date(), nullable=False),
        sa.Column("eta", sa.Date(), nullable=False),
        sa.Column("original_eta", sa.Date(), nullable=False),
        sa.Column("delayed_to", sa.Date(), nullable=True),
        sa.Column("booked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shipped_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_status_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("eta_updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "uq_shipment_outbound_order",
        "shipment",
        ["order_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'outbound'"),
    )
    op.create_index(
        "uq_shipment_return",
        "shipment",
        ["return_id"],
        unique=True,
        postgresql_where=sa.text("kind = 'return_pickup'"),
    )
    op.create_index(
        "uq_shipment_tracking",
        "shipment",
        ["carrier", "tracking_no"],
        unique=True,
        postgresql_where=sa.text("tracking_no IS NOT NULL"),
    )
    op.create_table(
        "tracking_event",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("shipment_id", sa.Uuid(), nullable=False),
        sa.Column("carrier", sa.Text(), nullable=False),
        sa.Column("scan_id", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("scanned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("eta", sa.Date(), nullable=True),
        sa.Column("exception_kind", sa.Text(), nullable=True),
        sa.Column("signed_by", sa.Text(), nullable=True),
        sa.Column("proof_ref", sa.Text(), nullable=True),
        sa.Column("applied", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("carrier", "scan_id", name="uq_tracking_event_scan"),
    )
    op.create_index(
        op.f("ix_tracking_event_shipment_id"), "tracking_event", ["shipment_id"], unique=False
    )


def downgrade() -> None:
    raise NotImplementedError("the first release cannot be downgraded; drop the schema instead")
