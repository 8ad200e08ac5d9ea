"""Production's tables (SQLAlchemy Core, own MetaData, schema from the connection's search_path)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    MetaData,
    Numeric,
    Table,
    Text,
    Uuid,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB

metadata = MetaData()

production_line = Table(
    "production_line",
    metadata,
    Column("line_code", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

line_capacity = Table(
    "line_capacity",
    metadata,
    Column("line_code", Text, ForeignKey("production_line.line_code"), primary_key=True),
    Column("family", Text, primary_key=True),
    Column("pieces_per_day", Integer, CheckConstraint("pieces_per_day > 0"), nullable=False),
)

line_downtime = Table(
    "line_downtime",
    metadata,
    Column("line_code", Text, ForeignKey("production_line.line_code"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("reason", Text, nullable=True),
)

product = Table(
    "product",
    metadata,
    Column("product_code", Text, primary_key=True),
    Column("family", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

bom_item = Table(
    "bom_item",
    metadata,
    Column("product_code", Text, ForeignKey("product.product_code"), primary_key=True),
    Column("material_code", Text, primary_key=True),
    Column("quantity_per_piece", Numeric(14, 4), nullable=False),
    Column("unit", Text, nullable=False),
)

material_stock = Table(
    "material_stock",
    metadata,
    Column("material_code", Text, primary_key=True),
    Column("on_hand", Numeric(14, 4), CheckConstraint("on_hand >= 0"), nullable=False),
    Column("unit", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

# What production knows of an order: its review request, the warehouse's stock answer, the
# release to fulfilment and the shortfall; events about it may arrive in any order.
order_plan = Table(
    "order_plan",
    metadata,
    Column("order_id", Uuid, primary_key=True),
    Column("order_no", Text, nullable=True),
    Column("review_request", JSONB, nullable=True),
    Column("warehouse_review", JSONB, nullable=True),
    Column("reviewed_at", DateTime(timezone=True), nullable=True),
    Column("confirmation", JSONB, nullable=True),
    Column("shortfall", JSONB, nullable=True),
    Column("scheduled_at", DateTime(timezone=True), nullable=True),
    Column("cancelled_at", DateTime(timezone=True), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

work_order = Table(
    "work_order",
    metadata,
    Column("work_order_id", Uuid, primary_key=True),
    Column("work_order_no", Text, nullable=False, unique=True),
    Column("sequence", BigInteger, Identity(), nullable=False),
    Column("order_id", Uuid, nullable=False, index=True),
    Column("order_no", Text, nullable=False),
    Column("line_no", Integer, nullable=False),
    Column("product_code", Text, nullable=False),
    Column("spec", Text, nullable=False),
    Column("family", Text, nullable=False),
    Column("quantity", Integer, CheckConstraint("quantity > 0"), nullable=False),
    Column("promised_date", Date, nullable=False),
    Column("rush", Boolean, nullable=False),
    Column("prepaid", Boolean, nullable=False),
    Column("kind", Text, nullable=False),
    Column("parent_id", Uuid, nullable=True),
    Column("status", Text, nullable=False),
    Column("line_code", Text, ForeignKey("production_line.line_code"), nullable=True),
    Column("planned_start", Date, nullable=True),
    Column("planned_finish", Date, nullable=True),
    Column("quantity_done", Integer, nullable=False),
    Column("quantity_scrapped", Integer, nullable=False),
    Column("lot_no", Text, nullable=True),
    Column("materials_ready", Boolean, nullable=False),
    Column("delay_reported_for", Date, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    # One production work order per order line: a second scheduling of the same line fails.
    Index(
        "uq_work_order_order_line",
        "order_id",
        "line_no",
        unique=True,
        postgresql_where=text("kind = 'production'"),
    ),
)

allocation = Table(
    "allocation",
    metadata,
    Column("work_order_id", Uuid, ForeignKey("work_order.work_order_id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("line_code", Text, ForeignKey("production_line.line_code"), nullable=False),
    Column("quantity", Integer, CheckConstraint("quantity > 0"), nullable=False),
    Index("ix_allocation_line_day", "line_code", "day"),
)

material_requisition = Table(
    "material_requisition",
    metadata,
    Column("requisition_id", Uuid, primary_key=True),
    Column("requisition_no", Text, nullable=False, unique=True),
    Column("work_order_id", Uuid, ForeignKey("work_order.work_order_id"), nullable=False),
    Column("materials", JSONB, nullable=False),
    Column("needed_by", Date, nullable=False),
    Column("status", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=True),
)
